"""TIMEX3 values: what calendar span a value covers, and how precise it is.

A TIMEX3 value is the string TimeML uses to normalise a date expression:
``2024-08`` (a month), ``2025-03-12TEV`` (an evening), ``199`` (the 1990s),
``2025-W10`` (an ISO week), ``P30D`` (a duration), ``PRESENT_REF``.  Every
other module reads values through this one, so the rules live in one place.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# Precisions from coarsest to finest; the index is the rank used in ordering.
PRECISIONS = (
    "century",
    "decade",
    "year",
    "half",
    "season",
    "quarter",
    "month",
    "week",
    "day",
    "partofday",
    "hour",
    "minute",
    "second",
)
PRECISION_RANK = {name: rank for rank, name in enumerate(PRECISIONS)}

# Parts of the day, with the minute of the day they are ordered at.
PARTS_OF_DAY = {"MO": 6 * 60, "MI": 12 * 60, "AF": 14 * 60, "DT": 12 * 60, "EV": 18 * 60, "NI": 22 * 60}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # winter runs into the next year
MODS = ("START", "MID", "END", "APPROX", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER",
        "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE")
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
TYPES = ("DATE", "TIME", "DURATION", "SET")

_CALENDAR = re.compile(
    r"""^(?P<year>\d{4})
    (?:-(?:
        (?P<month>\d{2})(?:-(?P<day>\d{2})
            (?:T(?:(?P<part>MO|MI|AF|EV|NI|DT)|(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?))?
        )?
      | W(?P<week>\d{2})(?:-(?P<weekday>[1-7]|WE))?
      | Q(?P<quarter>[1-4])
      | H(?P<half>[12])
      | (?P<season>SP|SU|FA|WI)
    ))?$""",
    re.VERBOSE,
)
_DECADE = re.compile(r"^(?P<decade>\d{3})$")
_CENTURY = re.compile(r"^(?P<century>\d{2})$")
# Durations: P followed by number+unit pairs, or with T for clock units; X for an unspecified count.
_DURATION = re.compile(
    r"^P(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|DE|CE|ML|Q|H|WE|SP|SU|FA|WI|MO|AF|EV|NI)"
    r"(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D))*"
    r"(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?|T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)$"
)


@dataclass(frozen=True)
class Span:
    """The calendar days a value covers, first and last included, and its precision."""

    start: date
    end: date
    precision: str
    minute: int | None = None  # minute of the day, for values finer than a day


def calendar_span(value: str) -> Span | None:
    """The days a calendar value covers, or None for durations, references and partial values."""
    m = _DECADE.match(value)
    if m:
        first = int(m["decade"]) * 10
        return Span(date(max(first, 1), 1, 1), date(first + 9, 12, 31), "decade")
    m = _CENTURY.match(value)
    if m:
        first = int(m["century"]) * 100
        return Span(date(max(first, 1), 1, 1), date(first + 99, 12, 31), "century")
    m = _CALENDAR.match(value)
    if not m:
        return None
    try:
        return _span_of(m)
    except ValueError:  # a day or week that does not exist, such as 2025-02-30
        return None


def _span_of(m: re.Match[str]) -> Span:
    year = int(m["year"])
    if year < 1:
        raise ValueError("year 0")
    if m["month"]:
        month = int(m["month"])
        if m["day"]:
            day = date(year, month, int(m["day"]))
            if m["part"]:
                return Span(day, day, "partofday", PARTS_OF_DAY[m["part"]])
            if m["hour"]:
                hour, minute = int(m["hour"]), int(m["minute"] or 0)
                if hour > 24 or minute > 59 or int(m["second"] or 0) > 59:
                    raise ValueError("clock time out of range")
                precision = "second" if m["second"] else "minute" if m["minute"] else "hour"
                return Span(day, day, precision, hour * 60 + minute)
            return Span(day, day, "day")
        last = calendar.monthrange(year, month)[1]
        return Span(date(year, month, 1), date(year, month, last), "month")
    if m["week"]:
        monday = date.fromisocalendar(year, int(m["week"]), 1)
        if m["weekday"] == "WE":
            return Span(monday + timedelta(days=5), monday + timedelta(days=6), "week")
        if m["weekday"]:
            day = monday + timedelta(days=int(m["weekday"]) - 1)
            return Span(day, day, "day")
        return Span(monday, monday + timedelta(days=6), "week")
    if m["quarter"]:
        q = int(m["quarter"])
        return _month_range(year, 3 * q - 2, 3 * q, "quarter")
    if m["half"]:
        h = int(m["half"])
        return _month_range(year, 6 * h - 5, 6 * h, "half")
    if m["season"]:
        first, last = SEASON_MONTHS[m["season"]]
        return _month_range(year, first, last, "season")
    return Span(date(year, 1, 1), date(year, 12, 31), "year")


def _month_range(year: int, first_month: int, last_month: int, precision: str) -> Span:
    end_year, end_month = year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
    last_day = calendar.monthrange(end_year, end_month)[1]
    return Span(date(year, first_month, 1), date(end_year, end_month, last_day), precision)


def is_calendar(value: str) -> bool:
    """True when the value names a span of calendar time (so it can date an event)."""
    return calendar_span(value) is not None


def is_well_formed(value: str, timex_type: str) -> bool:
    """True when the value is a valid TIMEX3 value for the given TIMEX3 type."""
    if timex_type not in TYPES:
        return False
    if value in REFS:
        return timex_type in ("DATE", "TIME")
    if timex_type == "DURATION":
        return bool(_DURATION.match(value))
    if timex_type == "SET":
        return bool(_DURATION.match(value)) or _is_partial_calendar(value)
    return calendar_span(value) is not None or _is_partial_calendar(value)


def _is_partial_calendar(value: str) -> bool:
    """Values with unknown parts written as X, such as XXXX-08-12 or XXXX-WXX-1."""
    if "X" not in value:
        return False
    probe = re.sub(r"X", "1", value)
    probe = probe.replace("W11-1", "W01-1").replace("W11", "W01")
    return calendar_span(probe) is not None or bool(_DECADE.match(probe))
