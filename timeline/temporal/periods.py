"""Resolve spans around the dateline: relative weeks, offsets, quarters, seasons, durations, sets, references."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..timex import calendar_span
from .calendar_math import (
    day_value,
    month_value,
    quarter_of,
    shift_month,
    shift_quarter,
    week_value,
)
from .lexicon import MONTH_NAMES, MONTHS, ORDINALS, SEASONS, WEEKDAYS
from .reading import (
    Context,
    Result,
    anchor_quarter,
    approx_mod,
    duration_value,
    norm,
    parse_count,
    period_mod,
    unit_code,
)
from .recognise import Candidate
from .tense import FUTURE, PAST


def _period_of_the(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    unit = norm(g["unit"])
    why = f"the {unit} of the dateline"
    if unit == "week":
        return "DATE", week_value(ctx.dct), period_mod(cand), why
    if unit == "month":
        return "DATE", month_value(ctx.dct.year, ctx.dct.month), period_mod(cand), why
    if unit == "year":
        return "DATE", f"{ctx.dct.year:04d}", period_mod(cand), why
    if unit == "quarter":
        return "DATE", "{}-Q{}".format(*quarter_of(ctx.dct)), period_mod(cand), why
    if unit == "decade":
        return "DATE", f"{ctx.dct.year // 10:03d}", period_mod(cand), why
    return "DATE", f"{ctx.dct.year // 100:02d}", period_mod(cand), why


def _weekend(cand: Candidate, ctx: Context) -> Result:
    rel = norm(cand.groups["rel"])
    base, where = _base_date(rel, ctx)
    saturday = base + timedelta(days=6 - base.isoweekday())  # this week's Saturday (ISO weeks run Monday to Sunday)
    on_weekend = base.isoweekday() >= 6
    # The last weekend that is over, and the next that has not begun; on a weekend, the current one is neither.
    previous, upcoming = saturday - timedelta(weeks=1), saturday + timedelta(weeks=1 if on_weekend else 0)
    if rel in ("last", "this past", "the past"):
        d, why = previous, "the weekend before"
    elif rel in ("next", "this coming", "the coming"):
        d, why = upcoming, "the weekend after"
    elif rel == "that" or on_weekend:
        d, why = saturday, "the weekend of"
    elif ctx.tense == PAST or (ctx.tense is None and base.isoweekday() <= 2):
        d, why = previous, "the weekend before"
    else:
        d, why = upcoming, "the weekend after"
    return "DATE", week_value(d) + "-WE", None, f"{rel} weekend, {why} {where}"


_REL_SHIFT = {
    "last": -1,
    "previous": -1,
    "the previous": -1,
    "the prior": -1,
    "the preceding": -1,
    "next": 1,
    "coming": 1,
    "the coming": 1,
    "the following": 1,
    "this": 0,
    "current": 0,
    "the current": 0,
    "the present": 0,
    "the same": 0,
    "that": 0,
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
    rel, unit = norm(g["rel"]), norm(g["unit"])
    shift = _REL_SHIFT.get(rel)
    if shift is None:
        return None
    base, where = _base_date(rel, ctx)
    mod = period_mod(cand)
    why = f"{rel} {unit}, from {where}"
    if unit == "week":
        return "DATE", week_value(base + timedelta(weeks=shift)), mod, why
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
    count = parse_count(g["count"])
    unit = unit_code(g["unit"] or "")
    direction = norm(g["dir"])
    sign = -1 if direction in ("ago", "earlier", "before", "previously", "prior") else 1
    mod = approx_mod(cand)
    if count is None:
        if direction in ("ago", "earlier", "before", "previously", "prior"):
            return (
                "DATE",
                "PAST_REF",
                mod,
                f"{norm(g['count'])} {norm(g['unit'])} {direction}: an unspecified past time",
            )
        return (
            "DATE",
            "FUTURE_REF",
            mod,
            f"{norm(g['count'])} {norm(g['unit'])} {direction}: an unspecified future time",
        )
    if unit.startswith("T") or count != int(count):
        return "DURATION", duration_value(count, unit), mod, f"{norm(g['count'])} {norm(g['unit'])}, a span of time"
    n = int(count) * sign
    from_dateline = direction in ("ago", "from now", "hence")
    base = ctx.dct
    where = "the dateline"
    anchor_span = calendar_span(ctx.anchor) if ctx.anchor and not from_dateline else None
    if from_dateline and unit == "Y" and ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        # "a year ago" in a report on a quarter compares with that quarter a year back.
        year, quarter = int(ctx.anchor[:4]), int(ctx.anchor[-1])
        return (
            "DATE",
            f"{year + n:04d}-Q{quarter}",
            mod,
            f"{why_ago(g)}: the quarter last mentioned, {abs(n)} year(s) back",
        )
    if anchor_span:
        base, where = anchor_span.start, "the date last mentioned"
    why = f"{norm(g['count'])} {norm(g['unit'])} {direction}, counted from {where}"
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
    return f"{norm(g['count'])} {norm(g['unit'])} {norm(g['dir'])}"


def _amount(g: dict[str, str | None]) -> str:
    """ "30-day" read as "30 days", for readings."""
    count, unit = norm(g["count"]), norm(g["unit"])
    if count not in ("a", "an", "one", "1") and not unit.endswith("s"):
        unit += "s"
    return f"{count} {unit}"


def _duration(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    count = parse_count(g["count"])
    if count is None and not re.search(r"\w", g["count"] or ""):
        return None
    unit = unit_code(g["unit"] or "")
    det = norm(g.get("det"))
    before = cand.match.string[max(0, cand.start - 12) : cand.start]
    is_rate = re.search(r"(?:\d|%|\btimes?|\bonce|\btwice)\S*\s*$", before) and not g.get("rel")
    if (det in ("a", "an") or norm(g["count"]) in ("a", "an")) and is_rate:
        return "SET", duration_value(1, unit), None, f"{norm(g['count'])} {norm(g['unit'])}: a rate, once per unit"
    if g.get("long"):
        return (
            "DURATION",
            duration_value(count, unit),
            approx_mod(cand),
            f"lasting {_amount(g)}",
        )
    return "DURATION", duration_value(count, unit), approx_mod(cand), f"a span of {_amount(g)}"


def _duration_plain(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    unit_word = norm(g["unit"])
    rel = norm(g["rel"])
    plural = unit_word.endswith("s") and unit_word not in ("hrs",)
    if not plural and not g.get("det") and rel not in ("past",):
        return None  # "last year" and "next week" are dates, handled by relunit
    if rel == "recent" and unit_word != "years":
        return (
            ("DURATION", duration_value(None, unit_code(unit_word)), None, f"recent {unit_word}: a span of time")
            if plural
            else None
        )
    if rel == "recent":
        return "DATE", "PAST_REF", None, "recent years: the recent past"
    if rel == "early" and unit_word.startswith("hour"):
        return None  # "the early hours" of a day are a time of day, not a span
    if rel in ("first", "early") and not plural:
        return None  # "the first quarter" is a quarter; "the first year" is too vague to date
    if g.get("det") and rel in ("past", "last") and unit_word in ("week", "month", "year"):
        # "the past year", "the last week": TempEval-3 dates them as the period before the dateline's.
        base = ctx.dct
        if unit_word == "week":
            return (
                "DATE",
                week_value(base - timedelta(weeks=1)),
                None,
                f"the {rel} week: the week before the dateline's",
            )
        if unit_word == "month":
            return (
                "DATE",
                month_value(*shift_month(base.year, base.month, -1)),
                None,
                f"the {rel} month: the month before",
            )
        return "DATE", f"{base.year - 1:04d}", None, f"the {rel} year: the year before the dateline's"
    count = None if plural else 1.0
    return "DURATION", duration_value(count, unit_code(unit_word)), None, f"{rel} {unit_word}: a span of time"


def _bare_units(cand: Candidate, ctx: Context) -> Result:
    return (
        "DURATION",
        duration_value(None, unit_code(cand.groups["unit"] or "")),
        None,
        "an unspecified number of units",
    )


# Quarters are named by the first four ordinals ("third", "3rd") or by their code ("Q3").
_QUARTER_ORDINALS = {w: n for w, n in ORDINALS.items() if 1 <= n <= 4} | {f"q{n}": n for n in range(1, 5)}


def _quarter(cand: Candidate, ctx: Context) -> Result:
    result = _quarter_of_year(cand, ctx)
    if cand.groups.get("yago") and isinstance(result, tuple) and re.fullmatch(r"\d{4}-Q[1-4]", result[1]):
        # "the year-ago third quarter": that quarter, a year back
        year_ago = f"{int(result[1][:4]) - 1}{result[1][4:]}"
        return result[0], year_ago, result[2], result[3] + ", a year back"
    return result


def _quarter_of_year(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    word = norm(g["ordinal"])
    det = norm(g.get("det"))
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
    yrel = norm(g.get("yrel")) or det.replace(" year's", "")
    if yrel in ("this", "last", "next"):
        year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[yrel]
        return "DATE", f"{year}-Q{number}", None, f"quarter of {yrel} year"
    if ctx.tense == FUTURE and (ctx.dct.year, number) != shift_quarter(*current, -1):
        # The quarter just ended is reported in the future tense too ("will report third-quarter results").
        year = ctx.dct.year if (ctx.dct.year, number) >= current else ctx.dct.year + 1
        return "DATE", f"{year}-Q{number}", None, "quarter, no year, future tense: the next such quarter"
    # Quarters are reported after they start: the last such quarter that has begun by the dateline.
    year = ctx.dct.year if number <= current[1] else ctx.dct.year - 1
    return "DATE", f"{year}-Q{number}", None, "quarter, no year: the last such quarter begun by the dateline"


def _period(cand: Candidate, ctx: Context) -> Result:
    """Earnings-report periods: "the latest period", "the year-earlier quarter", "the quarter"."""
    g = cand.groups
    word = norm(g.get("ordinal"))
    last_full = shift_quarter(*quarter_of(ctx.dct), -1)
    anchor = anchor_quarter(ctx)
    if word == "current":
        return "DATE", "{}-Q{}".format(*quarter_of(ctx.dct)), None, "the current quarter, the dateline's"
    if word == "previous":
        year, q = shift_quarter(*(anchor or quarter_of(ctx.dct)), -1)
        return "DATE", f"{year}-Q{q}", None, "the previous quarter"
    year, q = anchor or last_full
    why = "the quarter last mentioned" if anchor else "the last full quarter before the dateline"
    if g.get("pyear"):
        return "DATE", f"{g['pyear']}-Q{q}", None, f"the {g['pyear']} period: {why}, in {g['pyear']}"
    if word in ("year-earlier", "year-ago", "year-before", "comparable"):
        return "DATE", f"{year - 1}-Q{q}", None, f"{word} period: {why}, a year back"
    return "DATE", f"{year}-Q{q}", None, f"{word or 'the'} quarter: {why}"


def _year_ago(cand: Candidate, ctx: Context) -> Result:
    anchor = anchor_quarter(ctx)
    if anchor:
        return "DATE", f"{anchor[0] - 1}-Q{anchor[1]}", None, "year-earlier: the quarter last mentioned, a year back"
    return "DATE", f"{ctx.dct.year - 1:04d}", None, "year-earlier: the year before the dateline's"


def _half(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    if g.get("code"):
        return "DATE", f"{g['year2']}-{(g['code'] or '').upper()}", None, "explicit half year"
    half = 1 if norm(g["ordinal"]) in ("first", "1st") else 2
    if g.get("year"):
        return "DATE", f"{g['year']}-H{half}", None, "explicit half year"
    year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}.get(norm(g.get("yrel")), 0)
    return "DATE", f"{year}-H{half}", None, "half of the year, from the dateline"


def _season(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    code = SEASONS[norm(g["season"])]
    name = norm(g["season"])
    rel = norm(g.get("rel"))
    mod = period_mod(cand) or {"early": "START", "late": "END"}.get(rel)
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
        return "DATE", f"{year}-{code}", mod, f"{name}, no year, past tense: the last one begun by the dateline"
    if ctx.tense == FUTURE:
        year = min(y for y in years if span(y)[1] >= ctx.dct)
        return "DATE", f"{year}-{code}", mod, f"{name}, no year, future tense: the next one not yet over"
    return "DATE", f"{this_year}-{code}", mod, f"{name}, no year, no clear tense: the one of the dateline's year"


_REFS = {
    "now": "PRESENT_REF",
    "right now": "PRESENT_REF",
    "just now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "the present": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "presently": "PRESENT_REF",
    "recently": "PAST_REF",
    "more recently": "PAST_REF",
    "lately": "PAST_REF",
    "the past": "PAST_REF",
    "recent": "PAST_REF",
    "the future": "FUTURE_REF",
    "the near future": "FUTURE_REF",
    "the distant future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF",
    "the immediate future": "FUTURE_REF",
    "the not-too-distant future": "FUTURE_REF",
    "the not too distant future": "FUTURE_REF",
    "in future": "FUTURE_REF",
    "a later date": "FUTURE_REF",
}


def _ref(cand: Candidate, ctx: Context) -> Result:
    word = norm(cand.groups["ref"])
    value = _REFS.get(word)
    if value is None:
        return None
    return "DATE", value, None, f"{word}: {value.split('_')[0].lower()}, relative to the dateline"


_SET_UNITS = {
    "day": "P1D",
    "week": "P1W",
    "month": "P1M",
    "year": "P1Y",
    "quarter": "P1Q",
    "hour": "PT1H",
    "minute": "PT1M",
    "decade": "P10Y",
    "night": "XXXX-XX-XXTNI",
    "morning": "XXXX-XX-XXTMO",
    "afternoon": "XXXX-XX-XXTAF",
    "evening": "XXXX-XX-XXTEV",
    "weekend": "XXXX-WXX-WE",
    "summer": "XXXX-SU",
    "winter": "XXXX-WI",
    "spring": "XXXX-SP",
    "autumn": "XXXX-FA",
    "fall": "XXXX-FA",
}


def _set(cand: Candidate, ctx: Context) -> Result:
    g = cand.groups
    unit = norm(g["unit"]).rstrip(".")
    if g.get("count"):
        count = parse_count(g["count"])
        return "SET", duration_value(count, unit_code(unit)), None, f"every {norm(g['count'])} {unit}"
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


_SET_ADVERBS = {
    "daily": "P1D",
    "weekly": "P1W",
    "monthly": "P1M",
    "annually": "P1Y",
    "yearly": "P1Y",
    "quarterly": "P3M",
    "hourly": "PT1H",
    "nightly": "XXXX-XX-XXTNI",
    "biweekly": "P2W",
    "bi-weekly": "P2W",
    "bimonthly": "P2M",
    "bi-monthly": "P2M",
    "biannually": "P6M",
    "bi-annually": "P6M",
    "semiannually": "P6M",
    "semi-annually": "P6M",
}


def _set_adverb(cand: Candidate, ctx: Context) -> Result:
    word = norm(cand.groups["adverb"])
    return "SET", _SET_ADVERBS[word], None, f"{word}: a repeated time"


def _set_times(cand: Candidate, ctx: Context) -> Result:
    unit = norm(cand.groups["unit"])
    return "SET", _SET_UNITS[unit], None, f"{norm(cand.groups['times'])} a {unit}: a repeated time"


def _set_weekdays(cand: Candidate, ctx: Context) -> Result:
    day = norm(cand.groups["wday"])[:-1]
    return "SET", f"XXXX-WXX-{WEEKDAYS[day]}", None, f"on {day.capitalize()}s: every {day.capitalize()}"


HANDLERS = {
    "period_of_the": _period_of_the,
    "weekend": _weekend,
    "relunit": _relunit,
    "offset": _offset,
    "offset_ago": _offset,
    "duration": _duration,
    "duration_plain": _duration_plain,
    "bare_units": _bare_units,
    "quarter": _quarter,
    "quarter_code": _quarter,
    "half": _half,
    "season": _season,
    "period": _period,
    "year_ago": _year_ago,
    "ref": _ref,
    "set": _set,
    "set_adverb": _set_adverb,
    "set_times": _set_times,
    "set_weekdays": _set_weekdays,
}
