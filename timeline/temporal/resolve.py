"""Turn a recognised expression into a TIMEX3 type, value, mod and reading, against the dateline and the clause's tense."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..timex import calendar_span
from .calendar_math import (
    add_years,
    choose_by_tense,
    day_value,
    describe_day,
    holiday,
    month_value,
    quarter_of,
    shift_month,
    shift_quarter,
    week_value,
    weekday_near,
)
from .lexicon import DECADE_WORDS, MONTH_NAMES, MONTHS, NUMBER_WORDS, ORDINALS, PARTS_OF_DAY, SEASONS, UNITS, WEEKDAYS
from .recognise import Candidate
from .tense import FUTURE, PAST, PROSPECTIVE


@dataclass(frozen=True)
class Context:
    """What an expression is resolved against: the dateline, the clause's tense and the last date mentioned."""

    dct: date
    tense: str | None
    anchor: str | None  # the last calendar value of the text, for "a year earlier", "the next day"


@dataclass(frozen=True)
class Resolved:
    """One TIMEX3 reading of (part of) a candidate."""

    start: int
    end: int
    type: str
    value: str
    mod: str | None
    reading: str


_PMODS = {
    "early": "START", "beginning": "START", "start": "START", "first part": "START", "early part": "START",
    "first half": "START", "mid": "MID", "middle": "MID", "late": "END", "end": "END", "close": "END",
    "last part": "END", "latter part": "END", "turn": None, "earlier": "START", "later": "END",
    "very end": "END", "very beginning": "START", "very start": "START",
}
_APPROX_MODS = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
    "close to": "APPROX", "more than": "MORE_THAN", "over": "MORE_THAN", "upwards of": "MORE_THAN",
    "well over": "MORE_THAN", "just over": "MORE_THAN", "less than": "LESS_THAN", "fewer than": "LESS_THAN",
    "under": "LESS_THAN", "just under": "LESS_THAN", "nearly": "LESS_THAN", "almost": "LESS_THAN",
    "barely": "LESS_THAN", "at least": "EQUAL_OR_MORE", "no less than": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS",
    "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
}


def _norm(word: str | None) -> str:
    return " ".join((word or "").lower().replace("’", "'").split())


def _period_mod(cand: Candidate) -> str | None:
    word = _norm(cand.groups.get("pmod"))
    if word.startswith("the "):
        word = word[4:]
    if word.endswith(" of"):
        word = word[:-3]
    return _PMODS.get(word.replace("very ", "very "), None)


def _approx_mod(cand: Candidate) -> str | None:
    if cand.groups.get("approx") and cand.groups.get("det") and cand.match.start("det") == cand.start:
        return None  # a preposition left outside the extent: "over the past two years"
    return _APPROX_MODS.get(_norm(cand.groups.get("approx")))


def _month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _day_number(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _count(word: str | None) -> float | None:
    """The number a count phrase says, None when it is vague ("several")."""
    text = _norm(word)
    half = 0.0
    if text.endswith(" and a half"):
        text, half = text[: -len(" and a half")], 0.5
    if text.endswith(" 1/2"):
        text, half = text[:-4], 0.5
    if re.fullmatch(r"\d+(?:,\d{3})*", text):
        return int(text.replace(",", "")) + half
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text) + half
    if text in NUMBER_WORDS:
        value = NUMBER_WORDS[text]
        return None if value is None else value + half
    tens = re.fullmatch(r"(\w+)[- ](\w+)", text)
    if tens and tens.group(1) in NUMBER_WORDS and tens.group(2) in NUMBER_WORDS:
        high, low = NUMBER_WORDS[tens.group(1)], NUMBER_WORDS[tens.group(2)]
        if high is not None and low is not None:
            return high + low + half
    if text in NUMBER_WORDS:
        value = NUMBER_WORDS[text]
        return None if value is None else value + half
    return None


def _unit_code(word: str) -> str:
    w = _norm(word)
    if w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("s") and w not in ("hrs",):
        w = w[:-1]
    w = {"hrs": "hr", "centurie": "century", "millennia": "millennium"}.get(w, w)
    return UNITS.get(w, "D")


def duration_value(count: float | None, unit_code: str) -> str:
    """A TIMEX3 duration value: P30D, PT5.5H, P10Y for a decade, PXY when the count is vague."""
    if unit_code == "DE":
        unit_code, count = "Y", None if count is None else count * 10
    elif unit_code == "CE":
        unit_code, count = "Y", None if count is None else count * 100
    elif unit_code == "ML":
        unit_code, count = "Y", None if count is None else count * 1000
    elif unit_code == "Q":
        unit_code, count = "M", None if count is None else count * 3  # TimeBank writes quarters as months
    elif unit_code == "2W":
        unit_code, count = "W", None if count is None else count * 2
    if count is None:
        return f"PTX{unit_code[1]}" if unit_code.startswith("T") else f"PX{unit_code}"
    whole = int(count)
    rest = count - whole
    # TIMEX3 values avoid fractions: two and a half years is P2Y6M, an hour and a half PT1H30M.
    smaller = {"Y": (12, "M"), "M": None, "D": (24, "TH"), "TH": (60, "TM"), "TM": (60, "TS"), "W": (7, "D")}
    split = smaller.get(unit_code)
    if rest and split and (rest * split[0]) == int(rest * split[0]):
        small, small_code = int(rest * split[0]), split[1]
        if unit_code.startswith("T") or small_code.startswith("T"):
            high = f"{whole}{unit_code[-1]}" if whole else ""
            return (f"PT{high}{small}{small_code[-1]}" if unit_code.startswith("T")
                    else f"P{high}T{small}{small_code[-1]}")
        return f"P{whole}{unit_code}{small}{small_code}" if whole else f"P{small}{small_code}"
    number = str(whole) if not rest else f"{count:g}"
    if unit_code.startswith("T"):
        return f"PT{number}{unit_code[1]}"
    return f"P{number}{unit_code}"


def _anchor_day(ctx: Context) -> date | None:
    span = calendar_span(ctx.anchor) if ctx.anchor else None
    if span and span.precision in ("day", "partofday", "hour", "minute", "second"):
        return span.start
    return None


def resolve(cand: Candidate, ctx: Context) -> list[Resolved]:
    """The TIMEX3 readings of one candidate (two for a range such as "March-April 2021", none if it is not a date)."""
    handler = _HANDLERS[cand.kind]
    if ctx.tense == PROSPECTIVE and cand.kind != "weekday":
        ctx = Context(ctx.dct, FUTURE, ctx.anchor)  # only a weekday tells "would ... on Friday" from "will"
    result = handler(cand, ctx)
    if result is None:
        return []
    if isinstance(result, list):
        return result
    type_, value, mod, reading = result
    return [Resolved(cand.start, cand.end, type_, value, mod, reading)]


Result = tuple[str, str, str | None, str] | list[Resolved] | None


def _explicit_day(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    month, day = _month_number(g["month"] or ""), _day_number(g["day"] or "")
    mod = _period_mod(cand)
    if g.get("year"):
        try:
            d = date(int(g["year"] or 0), month, day)
        except ValueError:
            return None
        return "DATE", day_value(d), mod, "explicit date"
    options = []
    for year in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if g.get("wday"):
        matching = [d for d in options if d.isoweekday() == WEEKDAYS[_norm(g["wday"]).rstrip(".")]]
        if matching:
            options = matching
    d, why = choose_by_tense(options, ctx.dct, ctx.tense)
    return "DATE", day_value(d), mod, f"{MONTH_NAMES[month]} {day}, no year, {why}: {describe_day(d)}"


def _numeric_date(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    year = int(g["year"] or 0)
    if year < 100:
        year += 2000 if year + 2000 <= ctx.dct.year + 1 else 1900
    try:
        d = date(year, int(g["month"] or 0), int(g["day"] or 0))
    except ValueError:
        return None
    if g.get("hour"):
        return "TIME", f"{day_value(d)}T{g['hour']}:{g['minute']}", None, "explicit date and time"
    return "DATE", day_value(d), None, "explicit date"


def _month_range(cand: Candidate, ctx: Context) -> Result:
    m = cand.match
    year = int(m.group("year"))
    first, second = _month_number(m.group("month")), _month_number(m.group("month2"))
    first_year = year - 1 if first > second else year
    return [
        Resolved(m.start("month"), m.end("month"), "DATE", month_value(first_year, first), None,
                 f"{MONTH_NAMES[first]}, first month of a range ending in {MONTH_NAMES[second]} {year}"),
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
    return "DATE", month_value(int(g["year"] or 0), _month_number(g["month"] or "")), _period_mod(cand), "explicit month and year"


def _month(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    month = _month_number(g["month"] or "")
    rel = _norm(g.get("rel"))
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
    return "DATE", month_value(year, month), _period_mod(cand), why


def _month_relyear(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    yrel = _norm(g["yrel"])
    year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[yrel]
    month = _month_number(g["month"] or "")
    return "DATE", month_value(year, month), _period_mod(cand), f"{MONTH_NAMES[month]} of {yrel} year, from the dateline"


def _period_of_the(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    unit = _norm(g["unit"])
    why = f"the {unit} of the dateline"
    if unit == "week":
        return "DATE", week_value(ctx.dct), _period_mod(cand), why
    if unit == "month":
        return "DATE", month_value(ctx.dct.year, ctx.dct.month), _period_mod(cand), why
    if unit == "year":
        return "DATE", f"{ctx.dct.year:04d}", _period_mod(cand), why
    if unit == "quarter":
        return "DATE", "{}-Q{}".format(*quarter_of(ctx.dct)), _period_mod(cand), why
    if unit == "decade":
        return "DATE", f"{ctx.dct.year // 10:03d}", _period_mod(cand), why
    return "DATE", f"{ctx.dct.year // 100:02d}", _period_mod(cand), why


def _weekend(cand: Candidate, ctx: Context) -> Result:
    rel = _norm(cand.groups["rel"])
    base, where = _base_date(rel, ctx)
    saturday = base + timedelta(days=6 - base.isoweekday())  # this week's Saturday (ISO weeks run Monday to Sunday)
    previous = saturday if base.isoweekday() >= 6 else saturday - timedelta(weeks=1)
    upcoming = saturday if base.isoweekday() < 6 else saturday + timedelta(weeks=1)
    if rel in ("last", "this past", "the past"):
        d, why = (previous - timedelta(weeks=1) if base.isoweekday() >= 6 else previous), "the weekend before"
    elif rel in ("next", "this coming", "the coming"):
        d, why = upcoming, "the weekend after"
    elif rel == "that":
        d, why = saturday, "the weekend of"
    elif ctx.tense == PAST or (ctx.tense is None and base.isoweekday() <= 2):
        d, why = previous, "past tense: the weekend before"
    else:
        d, why = upcoming, "the weekend after"
    return "DATE", week_value(d) + "-WE", None, f"{rel} weekend, {why} {where}"


def _decade(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    mod = _period_mod(cand)
    if g.get("decade"):
        first = int(g["decade"] or 0)
        if first % 100 == 0 and first != 2000:
            return "DATE", f"{first // 100:02d}", mod, f"the {first}s: the century"
        return "DATE", f"{first // 10:03d}", mod, f"the {first}s: a decade"
    digit = int((g.get("short") or "0")[0]) if g.get("short") else DECADE_WORDS[_norm(g.get("word"))]
    century = 20 if 2000 + digit * 10 <= ctx.dct.year else 19
    return "DATE", f"{century}{digit}", mod, f"a decade without its century: the {century}{digit}0s, the last before the dateline"


def _century(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    mod = _period_mod(cand)
    if g.get("ordinal"):
        word = _norm(g["ordinal"])
        number = int(re.sub(r"\D", "", word)) if word[0].isdigit() else ORDINALS.get(word, 0)
        if number <= 0:
            return None
        return "DATE", f"{number - 1:02d}", mod, f"the {word} century"
    rel = _norm(g.get("rel"))
    base = ctx.dct.year // 100
    shift = {"last": -1, "the last": -1, "the past": -1, "the previous": -1, "next": 1, "the next": 1}.get(rel, 0)
    return "DATE", f"{base + shift:02d}", mod, f"{rel} century, from the dateline"


def _year(cand: Candidate, ctx: Context) -> Result:
    return "DATE", f"{int(cand.groups['year'] or 0):04d}", _period_mod(cand), "explicit year"


def _with_part(d: date, part: str | None, mod: str | None, why: str) -> Result:
    if part:
        code = PARTS_OF_DAY[_norm(part).replace("mid-afternoon", "afternoon")]
        value = f"{day_value(d)}{code}" if code.startswith("T") else f"{day_value(d)}T{code}"
        return "TIME", value, mod, f"{why}, {_norm(part)}"
    return "DATE", day_value(d), mod, why


def _weekday(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    weekday = WEEKDAYS[_norm(g["wday"]).rstrip(".")]
    rel = _norm(g.get("rel"))
    name = _norm(g["wday"]).rstrip(".").capitalize()
    if rel in ("last", "this past", "past"):
        back = (ctx.dct.isoweekday() - weekday) % 7 or 7
        d, why = ctx.dct - timedelta(days=back), "last: the one before the dateline"
    elif rel in ("next", "this coming", "coming"):
        d, why = weekday_near(ctx.dct, weekday, FUTURE)
        why = "next: the one after the dateline"
    else:
        d, why = weekday_near(ctx.dct, weekday, ctx.tense)
    mod = _period_mod(cand)
    return _with_part(d, g.get("part"), mod, f"{name}, {why}, {describe_day(d)}")


_REL_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
             "the day after tomorrow": 2, "this": 0, "last": -1}


def _relday(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    rel = _norm(g["rel"])
    if rel == "that":
        base = _anchor_day(ctx) or ctx.dct
        return _with_part(base, g.get("part"), _period_mod(cand), f"that {_norm(g.get('part'))}: on {describe_day(base)}")
    part = g.get("part") or ("night" if rel == "tonight" else None)
    if rel == "last" and _norm(part) not in ("night", "evening"):
        return None  # "last morning" is not said; "last afternoon" neither
    d = ctx.dct + timedelta(days=_REL_DAYS[rel])
    return _with_part(d, part, _period_mod(cand), f"{rel}, from the dateline: {describe_day(d)}")


def _anaphoric_day(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    rel = _norm(g["rel"])
    unit = _norm(g["unit"])
    base = _anchor_day(ctx) or ctx.dct
    where = "the day last mentioned" if _anchor_day(ctx) else "the dateline"
    shift = {"the next": 1, "the following": 1, "the previous": -1, "the preceding": -1}.get(rel, 0)
    d = base + timedelta(days=shift)
    part = None if unit == "day" else unit
    return _with_part(d, part, _period_mod(cand), f"{rel} {unit}, from {where}: {describe_day(d)}")


_REL_SHIFT = {
    "last": -1, "previous": -1, "the previous": -1, "the prior": -1, "the preceding": -1,
    "next": 1, "coming": 1, "the coming": 1, "the following": 1,
    "this": 0, "current": 0, "the current": 0, "the present": 0, "the same": 0, "that": 0,
}
_ANAPHORIC = ("the previous", "the prior", "the preceding", "the following", "the same", "that")


def _base_date(rel: str, ctx: Context) -> tuple[date, str]:
    """The dateline, or for "the following week", "that year" the start of the last date mentioned."""
    if rel in _ANAPHORIC and ctx.anchor:
        span = calendar_span(ctx.anchor)
        if span:
            return span.start, "the date last mentioned"
    return ctx.dct, "the dateline"


def _relunit(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    rel, unit = _norm(g["rel"]), _norm(g["unit"])
    shift = _REL_SHIFT.get(rel)
    if shift is None:
        return None
    base, where = _base_date(rel, ctx)
    mod = _period_mod(cand)
    why = f"{rel} {unit}, from {where}"
    if unit == "week":
        return "DATE", week_value(base + timedelta(weeks=shift)), mod, why
    if unit == "weekend":
        monday = base - timedelta(days=base.isoweekday() - 1)
        if shift == 0 and rel == "this" and ctx.tense == PAST and base.isoweekday() < 6:
            shift = -1  # "this weekend" said of the past on a weekday: the weekend just gone
        if rel == "last" and base.isoweekday() >= 6:
            shift = 0  # "last weekend" on a weekend is the one under way... the just-finished one
        return "DATE", week_value(monday + timedelta(weeks=shift)) + "-WE", mod, why
    if unit == "month":
        return "DATE", month_value(*shift_month(base.year, base.month, shift)), mod, why
    if unit in ("year", "fiscal year", "financial year", "school year"):
        return "DATE", f"{base.year + shift:04d}", mod, why
    if unit == "quarter":
        return "DATE", "{}-Q{}".format(*shift_quarter(*quarter_of(base), shift)), mod, why
    if unit == "decade":
        return "DATE", f"{base.year // 10 + shift:03d}", mod, why
    if unit == "century":
        return "DATE", f"{base.year // 100 + shift:02d}", mod, why
    return None


def _offset(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    count = _count(g["count"])
    unit = _unit_code(g["unit"] or "")
    direction = _norm(g["dir"])
    sign = -1 if direction in ("ago", "earlier", "before", "previously", "prior") else 1
    mod = _approx_mod(cand)
    if count is None:
        if direction in ("ago", "earlier", "before", "previously", "prior"):
            return "DATE", "PAST_REF", mod, f"{_norm(g['count'])} {_norm(g['unit'])} {direction}: an unspecified past time"
        return "DATE", "FUTURE_REF", mod, f"{_norm(g['count'])} {_norm(g['unit'])} {direction}: an unspecified future time"
    if unit.startswith("T") or count != int(count):
        return "DURATION", duration_value(count, unit), mod, f"{_norm(g['count'])} {_norm(g['unit'])}, a span of time"
    n = int(count) * sign
    from_dateline = direction in ("ago", "from now", "hence")
    base = ctx.dct
    where = "the dateline"
    anchor_span = calendar_span(ctx.anchor) if ctx.anchor and not from_dateline else None
    if from_dateline and unit == "Y" and ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        # "a year ago" in a report on a quarter compares with that quarter a year back.
        year, quarter = int(ctx.anchor[:4]), int(ctx.anchor[-1])
        return "DATE", f"{year + n:04d}-Q{quarter}", mod, f"{why_ago(g)}: the quarter last mentioned, {abs(n)} year(s) back"
    if anchor_span:
        base, where = anchor_span.start, "the date last mentioned"
    why = f"{_norm(g['count'])} {_norm(g['unit'])} {direction}, counted from {where}"
    if unit == "D":
        return "DATE", day_value(base + timedelta(days=n)), mod, why
    if unit in ("W", "WE"):
        return "DATE", week_value(base + timedelta(weeks=n)), mod, why
    if unit == "M":
        return "DATE", month_value(*shift_month(base.year, base.month, n)), mod, why
    if unit == "Q":
        return "DATE", "{}-Q{}".format(*shift_quarter(*quarter_of(base), n)), mod, why
    if unit == "Y":
        if anchor_span and anchor_span.precision == "quarter":
            return "DATE", f"{base.year + n:04d}-Q{(base.month - 1) // 3 + 1}", mod, why + ", at its precision"
        # Otherwise a year back from the dateline: news compares with the reporting period, not the last day named.
        return "DATE", f"{ctx.dct.year + n:04d}", mod, f"{why_ago(g)}, counted from the dateline's year"
    if unit == "DE":
        return "DATE", f"{base.year + 10 * n:04d}", mod, why
    if unit == "CE":
        return "DATE", f"{(base.year + 100 * n) // 100:02d}", mod, why
    return None


def why_ago(g: dict[str, str | None]) -> str:
    """The words of an offset, for its reading."""
    return f"{_norm(g['count'])} {_norm(g['unit'])} {_norm(g['dir'])}"


def _duration(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    count = _count(g["count"])
    if count is None and not re.search(r"\w", g["count"] or ""):
        return None
    unit = _unit_code(g["unit"] or "")
    det = _norm(g.get("det"))
    before = cand.match.string[max(0, cand.start - 12) : cand.start]
    if det in ("a", "an") or _norm(g["count"]) in ("a", "an"):
        if re.search(r"(?:\d|%|\btimes?|\bonce|\btwice)\S*\s*$", before) and not g.get("rel"):
            return "SET", duration_value(1, unit), None, f"{_norm(g['count'])} {_norm(g['unit'])}: a rate, once per {_norm(g['unit'])}"
    if g.get("long"):
        return "DURATION", duration_value(count, unit), _approx_mod(cand), f"lasting {_norm(g['count'])} {_norm(g['unit'])}"
    return "DURATION", duration_value(count, unit), _approx_mod(cand), f"a span of {_norm(g['count'])} {_norm(g['unit'])}"


def _duration_plain(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    unit_word = _norm(g["unit"])
    rel = _norm(g["rel"])
    plural = unit_word.endswith("s") and unit_word not in ("hrs",)
    if not plural and not g.get("det") and rel not in ("past",):
        return None  # "last year" and "next week" are dates, handled by relunit
    if rel == "recent" and unit_word != "years":
        return ("DURATION", duration_value(None, _unit_code(unit_word)), None, f"recent {unit_word}: a span of time") if plural else None
    if rel == "recent":
        return "DATE", "PAST_REF", None, "recent years: the recent past"
    if rel in ("first", "early") and not plural:
        return None  # "the first quarter" is a quarter; "the first year" is too vague to date
    if g.get("det") and rel in ("past", "last") and unit_word in ("week", "month", "year"):
        # "the past year", "the last week": TempEval-3 dates them as the period before the dateline's.
        base = ctx.dct
        if unit_word == "week":
            return "DATE", week_value(base - timedelta(weeks=1)), None, f"the {rel} week: the week before the dateline's"
        if unit_word == "month":
            return "DATE", month_value(*shift_month(base.year, base.month, -1)), None, f"the {rel} month: the month before"
        return "DATE", f"{base.year - 1:04d}", None, f"the {rel} year: the year before the dateline's"
    count = None if plural else 1.0
    return "DURATION", duration_value(count, _unit_code(unit_word)), None, f"{rel} {unit_word}: a span of time"


def _bare_units(cand: Candidate, ctx: Context) -> Result:
    return "DURATION", duration_value(None, _unit_code(cand.groups["unit"] or "")), None, "an unspecified number of units"


_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                     "q1": 1, "q2": 2, "q3": 3, "q4": 4}


def _quarter(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    word = _norm(g["ordinal"])
    det = _norm(g.get("det"))
    current = quarter_of(ctx.dct)
    if g.get("plural"):
        number = _QUARTER_ORDINALS.get(word)
        return ("SET", f"XXXX-Q{number}", None, "every such quarter") if number else None
    if word in ("latest", "past", "last", "previous"):
        year, q = shift_quarter(*current, -1)
        return "DATE", f"{year}-Q{q}", None, f"{word} quarter: the last full quarter before the dateline"
    if word in ("current",):
        return "DATE", "{}-Q{}".format(*current), None, "the quarter the dateline is in"
    if word in ("next", "coming"):
        return "DATE", "{}-Q{}".format(*shift_quarter(*current, 1)), None, "the quarter after the dateline's"
    if word in ("year-ago", "year-earlier", "comparable", "same", "final"):
        anchor = ctx.anchor if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor) else None
        year, q = (int(anchor[:4]), int(anchor[-1])) if anchor else shift_quarter(*current, -1)
        if word == "final":
            return "DATE", f"{year}-Q4", None, "the final quarter of the year"
        shift = 0 if word == "same" else -1
        return "DATE", f"{year + shift}-Q{q}", None, f"{word} quarter: the quarter last mentioned, a year back"
    number = _QUARTER_ORDINALS.get(word)
    if number is None:
        return None
    year_word = g.get("year") or g.get("qyear1") or g.get("qyear2")
    if year_word:
        return "DATE", f"{year_word}-Q{number}", None, "explicit quarter and year"
    yrel = _norm(g.get("yrel")) or det.replace(" year's", "")
    if yrel in ("this", "last", "next"):
        year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[yrel]
        return "DATE", f"{year}-Q{number}", None, f"quarter of {yrel} year"
    if ctx.tense == FUTURE and (ctx.dct.year, number) != shift_quarter(*current, -1):
        # The quarter just ended is reported in the future tense too ("will report third-quarter results").
        year = ctx.dct.year if (ctx.dct.year, number) >= current else ctx.dct.year + 1
        return "DATE", f"{year}-Q{number}", None, "quarter without a year, future tense: the next such quarter"
    # Quarters are reported after they start: the last such quarter that has begun by the dateline.
    year = ctx.dct.year if number <= current[1] else ctx.dct.year - 1
    return "DATE", f"{year}-Q{number}", None, "quarter without a year: the last such quarter begun by the dateline"


def _anchor_quarter(ctx: Context) -> tuple[int, int] | None:
    if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        return int(ctx.anchor[:4]), int(ctx.anchor[-1])
    return None


def _period(cand: Candidate, ctx: Context) -> Result:
    """Earnings-report periods: "the latest period", "the year-earlier quarter", "the quarter"."""
    g = cand.groups
    word = _norm(g.get("ordinal"))
    last_full = shift_quarter(*quarter_of(ctx.dct), -1)
    anchor = _anchor_quarter(ctx)
    if word == "current":
        return "DATE", "{}-Q{}".format(*quarter_of(ctx.dct)), None, "the current quarter, the dateline's"
    if word == "previous":
        year, q = shift_quarter(*(anchor or quarter_of(ctx.dct)), -1)
        return "DATE", f"{year}-Q{q}", None, "the previous quarter"
    year, q = anchor or last_full
    why = "the quarter last mentioned" if anchor else "the last full quarter before the dateline"
    if word in ("year-earlier", "year-ago", "year-before", "comparable"):
        return "DATE", f"{year - 1}-Q{q}", None, f"{word} period: {why}, a year back"
    return "DATE", f"{year}-Q{q}", None, f"{word or 'the'} quarter: {why}"


def _year_ago(cand: Candidate, ctx: Context) -> Result:
    anchor = _anchor_quarter(ctx)
    if anchor:
        return "DATE", f"{anchor[0] - 1}-Q{anchor[1]}", None, "year-earlier: the quarter last mentioned, a year back"
    return "DATE", f"{ctx.dct.year - 1:04d}", None, "year-earlier: the year before the dateline's"


def _spoken_year(cand: Candidate, ctx: Context) -> Result:
    """Years read out in broadcast transcripts: "nineteen ninety-six", "the year two thousand"."""
    words = re.split(r"[\s-]+", _norm(cand.groups["spoken"]))
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        year = 2000 + (int(NUMBER_WORDS.get(rest[0]) or 0) if rest else 0)
    else:
        year = 1900
        if words[1] != "hundred":
            year += sum(int(NUMBER_WORDS.get(w) or 0) for w in words[1:])
    return "DATE", f"{year:04d}", None, "a year in words"


def _half(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    half = 1 if _norm(g["ordinal"]) in ("first", "1st") else 2
    if g.get("year"):
        return "DATE", f"{g['year']}-H{half}", None, "explicit half year"
    year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}.get(_norm(g.get("yrel")), 0)
    return "DATE", f"{year}-H{half}", None, "half of the year, from the dateline"


def _season(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    code = SEASONS[_norm(g["season"])]
    name = _norm(g["season"])
    rel = _norm(g.get("rel"))
    mod = _period_mod(cand) or {"early": "START", "late": "END"}.get(rel)
    if g.get("year"):
        return "DATE", f"{g['year']}-{code}", mod, f"the {name} of {g['year']}"

    def span(year: int) -> tuple[date, date]:
        s = calendar_span(f"{year}-{code}")
        assert s is not None
        return s.start, s.end

    years = [ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1]
    # "This winter" in March is the one just ending; other seasons belong to the dateline's year.
    this_year = ctx.dct.year - 1 if code == "WI" and ctx.dct.month <= 6 else ctx.dct.year
    if rel in ("last", "this past"):
        return "DATE", f"{this_year - 1}-{code}", mod, f"last {name}: the {name} before this year's"
    if rel in ("next", "this coming"):
        return "DATE", f"{this_year + 1}-{code}", mod, f"next {name}: the {name} after this year's"
    if rel == "this":
        return "DATE", f"{this_year}-{code}", mod, f"this {name}: the {name} of the dateline's year"
    if ctx.tense == PAST:
        year = max(y for y in years if span(y)[0] <= ctx.dct)
        return "DATE", f"{year}-{code}", mod, f"{name}, past tense: the last one begun by the dateline"
    if ctx.tense == FUTURE:
        year = min(y for y in years if span(y)[1] >= ctx.dct)
        return "DATE", f"{year}-{code}", mod, f"{name}, future tense: the next one not yet over"
    return "DATE", f"{this_year}-{code}", mod, f"{name}, no clear tense: the one of the dateline's year"


def _holiday(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    name = g["holiday"] or ""
    if g.get("year"):
        d = holiday(name, int(g["year"] or 0))
        return ("DATE", day_value(d), None, f"{name} {g['year']}") if d else None
    options = [d for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1) if (d := holiday(name, y))]
    if not options:
        return None
    rel = _norm(g.get("rel"))
    tense = PAST if rel == "last" else FUTURE if rel == "next" else ctx.tense
    d, why = choose_by_tense(options, ctx.dct, tense)
    return "DATE", day_value(d), None, f"{name}, {why}: {describe_day(d)}"


def _day_reference(cand: Candidate, ctx: Context) -> tuple[date, str]:
    """The day a clock time is on: the day named after it, else the dateline."""
    ref = cand.groups.get("dref")
    if not ref:
        return ctx.dct, "on the dateline"
    word = _norm(ref)
    if word in _REL_DAYS:
        d = ctx.dct + timedelta(days=_REL_DAYS[word])
        return d, f"{word}, {describe_day(d)}"
    first = word.split()[0].rstrip(",.")
    if first in WEEKDAYS:
        d, why = weekday_near(ctx.dct, WEEKDAYS[first], ctx.tense)
        return d, f"{first.capitalize()}, {why}, {describe_day(d)}"
    m = re.match(r"(\w+)\.?\s+(\d+)", word)
    if m and m.group(1) in MONTHS:
        options = []
        for year in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
            try:
                options.append(date(year, MONTHS[m.group(1)], int(m.group(2))))
            except ValueError:
                pass
        if options:
            d, why = choose_by_tense(options, ctx.dct, ctx.tense)
            return d, f"{why}, {describe_day(d)}"
    return ctx.dct, "on the dateline"


def _clock(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    hour, minute = int(g["hour"] or 0), int(g.get("minute") or 0)
    ampm = _norm(g.get("ampm")).replace(" ", "").replace(".", "")
    if hour > 24 or (ampm in ("am", "pm") and not 1 <= hour <= 12):
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    d, why = _day_reference(cand, ctx)
    clock = f"{hour:02d}:{minute:02d}"
    return "TIME", f"{day_value(d)}T{clock}", _approx_mod(cand), f"{clock}, {why}"


def _noon(cand: Candidate, ctx: Context) -> Result:
    d, why = _day_reference(cand, ctx)
    part = _norm(cand.groups["part"])
    clock = "24:00" if part == "midnight" else "12:00"
    return "TIME", f"{day_value(d)}T{clock}", None, f"{part}, {why}"


_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "just now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at present": "PRESENT_REF", "the present": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "presently": "PRESENT_REF", "recently": "PAST_REF", "more recently": "PAST_REF",
    "lately": "PAST_REF", "previously": "PAST_REF", "formerly": "PAST_REF", "the past": "PAST_REF", "recent": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "the distant future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "the immediate future": "FUTURE_REF",
    "the not-too-distant future": "FUTURE_REF", "the not too distant future": "FUTURE_REF", "in future": "FUTURE_REF", "soon": "FUTURE_REF", "a later date": "FUTURE_REF",
}


def _ref(cand: Candidate, ctx: Context) -> Result:
    word = _norm(cand.groups["ref"])
    value = _REFS.get(word)
    if value is None:
        return None
    return "DATE", value, None, f"{word}: {value.split('_')[0].lower()}, relative to the dateline"


_SET_UNITS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "quarter": "P1Q", "hour": "PT1H",
              "minute": "PT1M", "decade": "P10Y", "night": "XXXX-XX-XXTNI", "morning": "XXXX-XX-XXTMO",
              "afternoon": "XXXX-XX-XXTAF", "evening": "XXXX-XX-XXTEV", "weekend": "XXXX-WXX-WE",
              "summer": "XXXX-SU", "winter": "XXXX-WI", "spring": "XXXX-SP", "autumn": "XXXX-FA", "fall": "XXXX-FA"}


def _set(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    unit = _norm(g["unit"]).rstrip(".")
    if g.get("count"):
        count = _count(g["count"])
        return "SET", duration_value(count, _unit_code(unit)), None, f"every {_norm(g['count'])} {unit}"
    if unit in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[unit]}", None, f"every {unit.capitalize()}"
    if unit in MONTHS:
        return "SET", f"XXXX-{MONTHS[unit]:02d}", None, f"every {MONTH_NAMES[MONTHS[unit]]}"
    value = _SET_UNITS.get(unit)
    if value is None:
        return None
    if g.get("other") and value.startswith("P1"):
        value = "P2" + value[2:]
    return "SET", value, None, f"every {unit}"


_SET_ADVERBS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
                "quarterly": "P3M", "hourly": "PT1H", "nightly": "XXXX-XX-XXTNI", "biweekly": "P2W",
                "bi-weekly": "P2W", "bimonthly": "P2M", "bi-monthly": "P2M", "biannually": "P6M",
                "bi-annually": "P6M", "semiannually": "P6M", "semi-annually": "P6M"}


def _set_adverb(cand: Candidate, ctx: Context) -> Result:
    word = _norm(cand.groups["adverb"])
    return "SET", _SET_ADVERBS[word], None, f"{word}: a repeated time"


def _set_times(cand: Candidate, ctx: Context) -> Result:
    unit = _norm(cand.groups["unit"])
    return "SET", _SET_UNITS[unit], None, f"{_norm(cand.groups['times'])} a {unit}: a repeated time"


def _set_weekdays(cand: Candidate, ctx: Context) -> Result:
    day = _norm(cand.groups["wday"])[:-1]
    return "SET", f"XXXX-WXX-{WEEKDAYS[day]}", None, f"on {day.capitalize()}s: every {day.capitalize()}"


_HANDLERS = {
    "date_mdy": _explicit_day, "date_dmy": _explicit_day, "date_iso": _numeric_date, "date_slash": _numeric_date,
    "month_range": _month_range, "year_range": _year_range, "month_year": _month_year, "month": _month, "month_relyear": _month_relyear,
    "period_of_the": _period_of_the, "weekend": _weekend, "decade": _decade,
    "century": _century, "year": _year, "weekday": _weekday, "partday": _relday, "relday": _relday,
    "anaphoric_day": _anaphoric_day, "relunit": _relunit, "offset": _offset, "offset_ago": _offset,
    "duration": _duration, "duration_plain": _duration_plain, "bare_units": _bare_units, "quarter": _quarter,
    "quarter_code": _quarter, "half": _half, "season": _season, "holiday": _holiday, "clock": _clock,
    "clock24": _clock, "period": _period, "year_ago": _year_ago, "spoken_year": _spoken_year, "noon": _noon, "ref": _ref, "set": _set, "set_adverb": _set_adverb,
    "set_times": _set_times, "set_weekdays": _set_weekdays,
}
