"""Calendar arithmetic for resolution: shifting months, ISO weeks, quarters, holidays, and picking a year by tense."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .lexicon import MONTH_NAMES, WEEKDAY_NAMES
from .tense import FUTURE, PAST, PRESENT, PROSPECTIVE


def day_value(d: date) -> str:
    """The TIMEX3 value of a day."""
    return d.isoformat()


def week_value(d: date) -> str:
    """The TIMEX3 value of the ISO week holding ``d``."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    """The TIMEX3 value of a month."""
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """The month ``by`` months after (or before) the given one."""
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def quarter_of(d: date) -> tuple[int, int]:
    """The (year, quarter) that ``d`` falls in."""
    return d.year, (d.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, by: int) -> tuple[int, int]:
    """The quarter ``by`` quarters after (or before) the given one."""
    index = year * 4 + quarter - 1 + by
    return index // 4, index % 4 + 1


def describe_day(d: date) -> str:
    """A day in words: "Wednesday 12 March 2025"."""
    return f"{WEEKDAY_NAMES[d.isoweekday()]} {d.day} {MONTH_NAMES[d.month]} {d.year}"


def choose_by_tense(options: list[date], dct: date, tense: str | None) -> tuple[date, str]:
    """Pick a date by tense: past the last on or before the dateline, future the first after, else the nearest."""
    before = [d for d in options if d <= dct]
    after = [d for d in options if d > dct]
    if tense == PAST and before:
        return max(before), "past tense: the last one on or before the dateline"
    if tense == FUTURE and after:
        return min(after), "future tense: the next one after the dateline"
    soon = [d for d in options if 0 <= (d - dct).days <= 270]
    if tense == PRESENT and soon:
        return min(soon), "present tense: the next one from the dateline"
    best = min(options, key=lambda d: (abs((d - dct).days), d > dct))
    return best, "no clear tense: the nearest one to the dateline"


def days_around(month: int, day: int, dct: date) -> list[date]:
    """The given month and day in the year before the dateline's, its own and the next (where the day exists)."""
    options = []
    for year in (dct.year - 1, dct.year, dct.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue  # 29 February outside a leap year
    return options


def weekday_near(dct: date, weekday: int, tense: str | None) -> tuple[date, str]:
    """The weekday (1 = Monday) meant by a bare weekday name in a clause of the given tense."""
    back = (dct.isoweekday() - weekday) % 7
    last = dct - timedelta(days=back)  # on or before the dateline
    following = dct + timedelta(days=(weekday - dct.isoweekday()) % 7 or 7)  # strictly after
    if tense == PAST:
        return last, "past tense: the last one on or before the dateline"
    if tense == FUTURE:
        return following, "future tense: the next one after the dateline"
    if tense == PROSPECTIVE and back:
        return following, "future from a past report: the next one after the dateline"
    if back == 0:
        return last, "the dateline's own weekday"
    if back <= (following - dct).days:
        return last, "no clear tense: the nearest one, before the dateline"
    return following, "no clear tense: the nearest one, after the dateline"


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the computus' own name
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (1 = Monday) of a month; n = -1 for the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def holiday(name: str, year: int) -> date | None:
    """The date of a named holiday in a year."""
    key = " ".join(name.lower().replace("’", "'").replace("st. ", "st ").replace("saint ", "st ").split())
    key = key.replace("labour", "labor").replace("april fools day", "april fools' day")
    fixed = {
        "christmas": (12, 25),
        "christmas day": (12, 25),
        "christmas eve": (12, 24),
        "new year's eve": (12, 31),
        "new year's day": (1, 1),
        "new year's": (1, 1),
        "halloween": (10, 31),
        "independence day": (7, 4),
        "valentine's day": (2, 14),
        "boxing day": (12, 26),
        "veterans day": (11, 11),
        "may day": (5, 1),
        "st patrick's day": (3, 17),
        "remembrance day": (11, 11),
        "armistice day": (11, 11),
        "bastille day": (7, 14),
        "april fools' day": (4, 1),
        "inauguration day": (1, 20),
    }
    if key in fixed:
        return date(year, *fixed[key])
    if key.startswith("thanksgiving"):
        return nth_weekday(year, 11, 4, 4)
    if key in ("easter", "easter sunday"):
        return easter(year)
    if key == "easter monday":
        return easter(year) + timedelta(days=1)
    if key == "good friday":
        return easter(year) - timedelta(days=2)
    if key == "ash wednesday":
        return easter(year) - timedelta(days=46)
    if key == "palm sunday":
        return easter(year) - timedelta(days=7)
    if key == "black friday":
        return nth_weekday(year, 11, 4, 4) + timedelta(days=1)
    if key == "mother's day":  # the American date; Britain's Mothering Sunday follows Easter
        return nth_weekday(year, 5, 7, 2)
    if key == "father's day":
        return nth_weekday(year, 6, 7, 3)
    if key == "labor day":
        return nth_weekday(year, 9, 1, 1)
    if key == "memorial day":
        return nth_weekday(year, 5, 1, -1)
    if key == "election day":
        return nth_weekday(year, 11, 1, 1) + timedelta(days=1)
    return None
