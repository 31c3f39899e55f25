"""Resolve days, months, years and clock times: explicit dates, weekdays by tense, holidays, parts of the day."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar_math import (
    choose_by_tense,
    day_value,
    days_around,
    describe_day,
    holiday,
    month_value,
    weekday_near,
)
from .lexicon import DECADE_WORDS, MONTH_NAMES, MONTHS, NUMBER_WORDS, ORDINALS, WEEKDAYS
from .reading import (
    REL_DAYS,
    Context,
    Resolved,
    Result,
    anchor_day,
    approx_mod,
    day_number,
    month_number,
    norm,
    period_mod,
    with_part,
)
from .recognise import Candidate
from .tense import FUTURE, PAST


def _explicit_day(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    month, day = month_number(g["month"] or ""), day_number(g["day"] or "")
    mod = period_mod(cand)
    if g.get("year"):
        try:
            d = date(int(g["year"] or 0), month, day)
        except ValueError:
            return None
        return "DATE", day_value(d), mod, "explicit date"
    options = days_around(month, day, ctx.dct)
    if not options:
        return None
    if g.get("wday"):
        matching = [d for d in options if d.isoweekday() == WEEKDAYS[norm(g["wday"]).rstrip(".")]]
        if matching:
            options = matching
    rel = norm(g.get("rel"))
    tense = PAST if rel == "last" else FUTURE if rel == "next" else None if rel == "this" else ctx.tense
    d, why = choose_by_tense(options, ctx.dct, tense)
    if rel == "last" and d >= ctx.dct:  # "last Oct. 23" is never the dateline itself
        d = max((o for o in options if o < ctx.dct), default=d)
    return "DATE", day_value(d), mod, f"{MONTH_NAMES[month]} {day}, no year, {why}: {describe_day(d)}"


def _day_range(cand: Candidate, ctx: Context) -> Result:
    """ "Jan. 5-7": the first day as written, the last day in the same month and year."""
    m = cand.match
    first = _explicit_day(cand, ctx)
    if not isinstance(first, tuple):
        return None
    try:
        last = date.fromisoformat(first[1]).replace(day=day_number(m.group("day2")))
    except ValueError:
        return None
    return [
        Resolved(cand.start, m.end("day"), "DATE", first[1], None, first[3]),
        Resolved(m.start("day2"), cand.end, "DATE", day_value(last), None, "last day of a range, in its month"),
    ]


def _date_range(cand: Candidate, ctx: Context) -> Result:
    """ "from Sept. 16 to Oct. 4, 2024": the second date's year, or the year before if the range crosses New Year."""
    m = cand.match
    year = int(m.group("year"))
    first_month, second_month = month_number(m.group("month")), month_number(m.group("month2"))
    try:
        first = date(year - 1 if first_month > second_month else year, first_month, day_number(m.group("day")))
        second = date(year, second_month, day_number(m.group("day2")))
    except ValueError:
        return None
    return [
        Resolved(cand.start, m.end("day"), "DATE", day_value(first), None, "first day of a range, in its year"),
        Resolved(m.start("month2"), cand.end, "DATE", day_value(second), None, "explicit date"),
    ]


def _overnight(cand: Candidate, ctx: Context) -> Result:
    if cand.groups.get("wday"):
        weekday = WEEKDAYS[norm(cand.groups["wday"]).rstrip(".")]
        d, why = weekday_near(ctx.dct, weekday, ctx.tense)
        return "TIME", f"{day_value(d)}TNI", None, f"overnight {describe_day(d)}: {why}"
    if ctx.tense == FUTURE:
        return "TIME", f"{day_value(ctx.dct)}TNI", None, "overnight, future tense: the coming night"
    d = ctx.dct - timedelta(days=1)
    return "TIME", f"{day_value(d)}TNI", None, f"overnight: the night before the dateline, {describe_day(d)}"


def _day_before(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    base = anchor_day(ctx) or ctx.dct
    d = base + timedelta(days=-1 if norm(g["rel"]) == "before" else 1)
    where = "the day last mentioned" if anchor_day(ctx) else "the dateline"
    return with_part(
        d,
        None if norm(g["unit"]) == "day" else g["unit"],
        None,
        f"the {norm(g['unit'])} {norm(g['rel'])} {where}: {describe_day(d)}",
    )


def _numeric_date(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    year = int(g["year"] or 0)
    if year < 100:
        year += 2000 if year + 2000 <= ctx.dct.year + 1 else 1900
    month, day = int(g["month"] or 0), int(g["day"] or 0)
    if month > 12 >= day:
        month, day = day, month  # "13/03/2025" can only be day first, as British news writes it
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    if g.get("hour"):
        return "TIME", f"{day_value(d)}T{g['hour']}:{g['minute']}", None, "explicit date and time"
    return "DATE", day_value(d), None, "explicit date"


def _month_range(cand: Candidate, ctx: Context) -> Result:
    m = cand.match
    year = int(m.group("year"))
    first, second = month_number(m.group("month")), month_number(m.group("month2"))
    first_year = year - 1 if first > second else year
    return [
        Resolved(
            m.start("month"),
            m.end("month"),
            "DATE",
            month_value(first_year, first),
            None,
            f"{MONTH_NAMES[first]}, first month of a range ending in {MONTH_NAMES[second]} {year}",
        ),
        Resolved(m.start("month2"), cand.end, "DATE", month_value(year, second), None, "explicit month and year"),
    ]


def _year_range(cand: Candidate, ctx: Context) -> Result:
    m = cand.match
    first = int(m.group("year"))
    second_text = m.group("year2")
    second = int(second_text) if len(second_text) == 4 else first // 100 * 100 + int(second_text)
    if second <= first:
        return None  # "2023-1147" is a case number, not a range
    return [
        Resolved(m.start("year"), m.end("year"), "DATE", f"{first:04d}", None, f"{first}, first year of a range"),
        Resolved(m.start("year2"), m.end("year2"), "DATE", f"{second:04d}", None, f"{second}, last year of a range"),
    ]


def _month_year(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    return (
        "DATE",
        month_value(int(g["year"] or 0), month_number(g["month"] or "")),
        period_mod(cand),
        "explicit month and year",
    )


def _month(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    month = month_number(g["month"] or "")
    rel = norm(g.get("rel"))
    name = MONTH_NAMES[month]
    here = (ctx.dct.year, ctx.dct.month)
    if rel in ("last", "this past"):
        year = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        why = f"last {name}: the last {name} before the dateline's month"
    elif rel in ("next", "this coming"):
        year = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        why = f"next {name}: the first {name} after the dateline's month"
    elif rel == "that" and ctx.anchor and ctx.anchor[:4].isdigit():
        year = int(ctx.anchor[:4])
        why = f"that {name}: {name} of the year last mentioned"
    elif rel == "this":
        year, why = ctx.dct.year, f"this {name}: {name} of the dateline's year"
    elif ctx.tense == PAST:
        year = ctx.dct.year if (ctx.dct.year, month) <= here else ctx.dct.year - 1
        why = f"{name}, no year, past tense: the last {name} on or before the dateline"
    elif ctx.tense == FUTURE:
        year = ctx.dct.year if (ctx.dct.year, month) >= here else ctx.dct.year + 1
        why = f"{name}, no year, future tense: the next {name} from the dateline"
    else:
        # No tense: the nearest such month ("October" in a January article is last October).
        distance = month - ctx.dct.month
        year = ctx.dct.year - 1 if distance > 6 else ctx.dct.year + 1 if distance < -6 else ctx.dct.year
        why = f"{name}, no year, no clear tense: the nearest {name} to the dateline"
    return "DATE", month_value(year, month), period_mod(cand), why


def _month_relyear(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    yrel = norm(g["yrel"])
    year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[yrel]
    month = month_number(g["month"] or "")
    return "DATE", month_value(year, month), period_mod(cand), f"{MONTH_NAMES[month]} of {yrel} year, from the dateline"


def _decade(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    mod = period_mod(cand)
    if g.get("decade"):
        first = int(g["decade"] or 0)
        if first % 100 == 0 and first != 2000:
            return "DATE", f"{first // 100:02d}", mod, f"the {first}s: the century"
        return "DATE", f"{first // 10:03d}", mod, f"the {first}s: a decade"
    digit = int((g.get("short") or "0")[0]) if g.get("short") else DECADE_WORDS[norm(g.get("word"))]
    century = 20 if 2000 + digit * 10 <= ctx.dct.year else 19
    return (
        "DATE",
        f"{century}{digit}",
        mod,
        f"a decade without its century: the {century}{digit}0s, the last before the dateline",
    )


def _century(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    mod = period_mod(cand)
    if g.get("ordinal"):
        word = norm(g["ordinal"])
        number = int(re.sub(r"\D", "", word)) if word[0].isdigit() else ORDINALS.get(word, 0)
        if number <= 0:
            return None
        return "DATE", f"{number - 1:02d}", mod, f"the {word} century"
    rel = norm(g.get("rel"))
    base = ctx.dct.year // 100
    shift = {"last": -1, "the last": -1, "the past": -1, "the previous": -1, "next": 1, "the next": 1}.get(rel, 0)
    return "DATE", f"{base + shift:02d}", mod, f"{rel} century, from the dateline"


def _year(cand: Candidate, ctx: Context) -> Result:
    return "DATE", f"{int(cand.groups['year'] or 0):04d}", period_mod(cand), "explicit year"


def _spoken_year(cand: Candidate, ctx: Context) -> Result:
    """Years read out in broadcast transcripts: "nineteen ninety-six", "the year two thousand"."""
    words = re.split(r"[\s-]+", norm(cand.groups["spoken"]))
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        year = 2000 + (int(NUMBER_WORDS.get(rest[0]) or 0) if rest else 0)
    else:
        year = 1900
        if words[1] != "hundred":
            year += sum(int(NUMBER_WORDS.get(w) or 0) for w in words[1:])
    return "DATE", f"{year:04d}", None, "a year in words"


def _weekday(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    weekday = WEEKDAYS[norm(g["wday"]).rstrip(".")]
    rel = norm(g.get("rel"))
    name = norm(g["wday"]).rstrip(".").capitalize()
    if rel in ("last", "this past", "past"):
        back = (ctx.dct.isoweekday() - weekday) % 7 or 7
        d, why = ctx.dct - timedelta(days=back), "last: the one before the dateline"
    elif rel in ("next", "this coming", "coming"):
        d, why = weekday_near(ctx.dct, weekday, FUTURE)
        why = "next: the one after the dateline"
    elif rel in ("the previous", "the preceding", "the following", "the next"):
        # Counted from the day last mentioned: "the following Monday", "the previous Friday".
        base = anchor_day(ctx) or ctx.dct
        where = "the day last mentioned" if anchor_day(ctx) else "the dateline"
        if rel in ("the previous", "the preceding"):
            d = base - timedelta(days=(base.isoweekday() - weekday) % 7 or 7)
        else:
            d = base + timedelta(days=(weekday - base.isoweekday()) % 7 or 7)
        why = f"{rel}: counted from {where}"
    else:
        d, why = weekday_near(ctx.dct, weekday, ctx.tense)
    mod = period_mod(cand)
    return with_part(d, g.get("part"), mod, f"{name}, {why}, {describe_day(d)}")


def _relday(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    rel = norm(g["rel"])
    if rel == "that":
        base = anchor_day(ctx) or ctx.dct
        return with_part(base, g.get("part"), period_mod(cand), f"that {norm(g.get('part'))}: on {describe_day(base)}")
    part = g.get("part") or ("night" if rel == "tonight" else None)
    if rel == "last" and norm(part) not in ("night", "evening"):
        return None  # "last morning" is not said; "last afternoon" neither
    d = ctx.dct + timedelta(days=REL_DAYS[rel])
    return with_part(d, part, period_mod(cand), f"{rel}, from the dateline: {describe_day(d)}")


def _anaphoric_day(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    rel = norm(g["rel"])
    unit = norm(g["unit"])
    base = anchor_day(ctx) or ctx.dct
    where = "the day last mentioned" if anchor_day(ctx) else "the dateline"
    shift = {"the next": 1, "the following": 1, "the previous": -1, "the preceding": -1}.get(rel, 0)
    d = base + timedelta(days=shift)
    part = None if unit == "day" else unit
    return with_part(d, part, period_mod(cand), f"{rel} {unit}, from {where}: {describe_day(d)}")


def _holiday(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    name = g["holiday"] or ""
    if g.get("year"):
        d = holiday(name, int(g["year"] or 0))
        return ("DATE", day_value(d), None, f"{name} {g['year']}") if d else None
    options = [d for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1) if (d := holiday(name, y))]
    if not options:
        return None
    rel = norm(g.get("rel"))
    tense = PAST if rel == "last" else FUTURE if rel == "next" else ctx.tense
    d, why = choose_by_tense(options, ctx.dct, tense)
    return "DATE", day_value(d), None, f"{name}, no year, {why}: {describe_day(d)}"


def _day_reference(cand: Candidate, ctx: Context) -> tuple[date, str]:
    """The day a clock time is on: the day named after it, else the dateline."""
    ref = cand.groups.get("dref")
    if not ref:
        return ctx.dct, "on the dateline"
    word = norm(ref)
    if word in REL_DAYS:
        d = ctx.dct + timedelta(days=REL_DAYS[word])
        return d, f"{word}, {describe_day(d)}"
    first = word.split()[0].rstrip(",.")
    if first in WEEKDAYS:
        d, why = weekday_near(ctx.dct, WEEKDAYS[first], ctx.tense)
        return d, f"{first.capitalize()}, {why}, {describe_day(d)}"
    m = re.match(r"(\w+)\.?\s+(\d+)", word)
    if m and m.group(1) in MONTHS:
        options = days_around(MONTHS[m.group(1)], int(m.group(2)), ctx.dct)
        if options:
            d, why = choose_by_tense(options, ctx.dct, ctx.tense)
            return d, f"{why}, {describe_day(d)}"
    return ctx.dct, "on the dateline"


def _clock(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    hour, minute = int(g["hour"] or g.get("hour4") or 0), int(g.get("minute") or 0)
    ampm = norm(g.get("ampm")).replace(" ", "").replace(".", "")
    if hour > 24 or (ampm in ("am", "pm") and not 1 <= hour <= 12):
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    d, why = _day_reference(cand, ctx)
    clock = f"{hour:02d}:{minute:02d}"
    return "TIME", f"{day_value(d)}T{clock}", approx_mod(cand), f"{clock}, {why}"


def _noon(cand: Candidate, ctx: Context) -> Result:
    d, why = _day_reference(cand, ctx)
    part = norm(cand.groups["part"])
    clock = "24:00" if part == "midnight" else "12:00"
    return "TIME", f"{day_value(d)}T{clock}", None, f"{part}, {why}"


HANDLERS = {
    "date_range": _date_range,
    "day_range": _day_range,
    "overnight": _overnight,
    "day_before": _day_before,
    "date_mdy": _explicit_day,
    "date_dmy": _explicit_day,
    "date_iso": _numeric_date,
    "date_slash": _numeric_date,
    "month_range": _month_range,
    "year_range": _year_range,
    "month_year": _month_year,
    "month": _month,
    "month_relyear": _month_relyear,
    "decade": _decade,
    "century": _century,
    "year": _year,
    "weekday": _weekday,
    "partday": _relday,
    "relday": _relday,
    "anaphoric_day": _anaphoric_day,
    "holiday": _holiday,
    "clock": _clock,
    "clock24": _clock,
    "spoken_year": _spoken_year,
    "noon": _noon,
}
