"""An event's date in words at its own precision, and as an HTML ``datetime`` value.

Month and weekday names, quarters, date order and parts of the day come from Babel's CLDR data, so
any language Babel knows works. CLDR has no words for seasons, halves of a year, decades, centuries,
ISO weeks or TIMEX3 modifiers ("early", "mid-", "late"); for those there is a small English table
below. In other languages we fall back to what CLDR can say exactly: a range ("juin – août 2024"
for summer 2024, "1990–1999" for the 1990s), and a modified date loses its modifier (the broader
date is still true; an invented translation might not be).
"""

from __future__ import annotations

import importlib
import os
import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from .model import EventDate
from .timex import PARTS_OF_DAY

# Babel finds the local time zone as babel.dates is imported (babel.localtime), and no date here needs it: each is a
# day or a clock time of its own, formatted as it is, never converted. Found by the zone's name, with pytz installed
# (dateparser needs it), it made pytz check that each of its ~600 zone files exists: 10-30 ms of every build. Told to
# read the zone's own file (TZ=":/etc/localtime", the same zone), Babel reads that one file; TZ is unset again after.
_LOCAL_ZONE = "/etc/localtime"
if "TZ" not in os.environ and os.path.isfile(_LOCAL_ZONE):
    os.environ["TZ"] = ":" + _LOCAL_ZONE
    try:
        importlib.import_module("babel.dates")
    except Exception:  # a file Babel cannot read: the import below finds the zone as usual
        pass
    finally:
        del os.environ["TZ"]
from babel.dates import format_date, format_interval, format_skeleton, get_period_id  # noqa: E402

# English words CLDR lacks. Keys are TIMEX3 codes.
_SEASONS_EN = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_HALVES_EN = {1: "first half of {}", 2: "second half of {}"}
_MODS_EN = {
    "START": "early {}",
    "MID": "mid-{}",
    "END": "late {}",
    "APPROX": "around {}",
    "BEFORE": "before {}",
    "AFTER": "after {}",
    "ON_OR_BEFORE": "on or before {}",
    "ON_OR_AFTER": "on or after {}",
}
# "the 1990s" takes its modifier inside: "the early 1990s", not "early the 1990s".
_MODS_EN_INNER = {"START": "early {}", "MID": "mid-{}", "END": "late {}"}

_VALUE_TIME = re.compile(r"T(\d{2})(?::(\d{2})(?::(\d{2}))?)?$")


# The formatting functions are pure and a site shows the same dates on many pages: each is computed once.
_cached = lru_cache(maxsize=1 << 14)


@lru_cache(maxsize=32)
def locale_for(language: str) -> Locale:
    """The Babel locale for a language code such as ``en``, ``en_GB``, ``en-GB`` or ``fr``."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(
            f"unknown language {language!r}: expected a language code such as 'en', 'en_GB', 'fr' or 'de'"
        ) from error


def plural_category(count: int, language: str = "en") -> str:
    """The CLDR plural category of ``count`` in the language ("one", "few", "many", "other"…)."""
    return str(locale_for(language).plural_form(count))


def language_names(language: str) -> tuple[str, ...]:
    """Names to look a translation up by, most specific first: ("fr_CA", "fr") for "fr-CA"."""
    locale = locale_for(language)
    full = str(locale)
    return (full, locale.language) if full != locale.language else (full,)


def _is_english(locale: Locale) -> bool:
    return locale.language == "en"


@_cached
def format_day(day: date, language: str = "en") -> str:
    """A single day in words, as in the locale's long date: "12 March 2025" (en_GB), "12 mars 2025"."""
    return format_date(day, "long", locale=locale_for(language))


def format_month(day: date, language: str = "en") -> str:
    """The month containing ``day`` with its year: "August 2024", "août 2024"."""
    return _month(day.replace(day=1), language)  # cached by month: every day of it reads the same


@_cached
def _month(first: date, language: str) -> str:
    return format_skeleton("yMMMM", first, locale=locale_for(language))


@_cached
def format_month_name(day: date, language: str = "en") -> str:
    """The name of the month containing ``day``, standing alone: "August", "août"."""
    return format_date(day, "LLLL", locale=locale_for(language))


def format_year(day: date, language: str = "en") -> str:
    """The year containing ``day``, in the locale's digits: "2024"."""
    return _year(day.year, language)  # cached by year: grouping a large archive asked once per event


@_cached
def _year(year: int, language: str) -> str:
    return format_skeleton("y", date(year, 1, 1), locale=locale_for(language))


@_cached
def format_event_date(event_date: EventDate, language: str = "en") -> str:
    """The date in words at its precision, with its modifier where the language allows."""
    locale = locale_for(language)
    words = _words(event_date, locale)
    if event_date.mod and _is_english(locale):
        if words.startswith("the ") and event_date.mod in _MODS_EN_INNER:
            return "the " + _MODS_EN_INNER[event_date.mod].format(words[4:])
        if event_date.mod in _MODS_EN:
            return _MODS_EN[event_date.mod].format(words)
    return words


def _words(event_date: EventDate, locale: Locale) -> str:
    precision, start, end = event_date.precision, event_date.start, event_date.end
    english = _is_english(locale)
    if precision == "century":
        if english:
            return f"the {_ordinal_en(start.year // 100 + 1)} century"
        return format_interval(start, end, "y", locale=locale)
    if precision == "decade":
        if english:
            return f"the {start.year // 10 * 10}s"
        return format_interval(start, end, "y", locale=locale)
    if precision == "year":
        return format_skeleton("y", start, locale=locale)
    if precision == "half":
        if english:
            return _HALVES_EN[1 if start.month == 1 else 2].format(start.year)
        return format_interval(start, end, "yMMMM", locale=locale)
    if precision == "season":
        if english:
            season = _SEASONS_EN[event_date.value[-2:]]
            years = f"{start.year}" if start.year == end.year else f"{start.year}–{str(end.year)[-2:]}"
            return f"{season} {years}"
        return format_interval(start, end, "yMMMM", locale=locale)
    if precision == "quarter":
        return format_skeleton("yQQQQ", start, locale=locale)
    if precision == "month":
        return format_skeleton("yMMMM", start, locale=locale)
    if precision == "week":
        # CLDR's week-of-year follows local week rules, not ISO weeks, so it would name the wrong week.
        if english:
            kind = "weekend" if event_date.value.endswith("-WE") else "week"
            return f"{kind} of {format_date(start, 'long', locale=locale)}"
        return format_interval(start, end, "yMMMMd", locale=locale)
    if precision == "day":
        return format_date(start, "long", locale=locale)
    if precision == "partofday":
        return _with_part_of_day(event_date, locale)
    clock = _clock(event_date)
    skeleton = "Hms" if precision == "second" else "Hm"
    # The clock's own date, so that hour 24 reads as midnight of the next day, as in datetime_attribute.
    day = format_date(clock.date(), "long", locale=locale)
    return _combine(locale, day, format_skeleton(skeleton, clock, locale=locale))


def _with_part_of_day(event_date: EventDate, locale: Locale) -> str:
    day = format_date(event_date.start, "full", locale=locale)
    code = event_date.value[-2:]
    if code == "DT":  # "daytime": CLDR has no such period
        return _combine(locale, day, "daytime") if _is_english(locale) else day
    minute = PARTS_OF_DAY[code]
    period_id = get_period_id(time(minute // 60, minute % 60), locale=locale)
    for context in ("stand-alone", "format"):
        name = locale.day_periods.get(context, {}).get("wide", {}).get(period_id)
        if name:
            return _combine(locale, day, name)
    return day


def _combine(locale: Locale, day_words: str, time_words: str) -> str:
    """Join a date and a time of day the way the locale joins them ("{1}, {0}" in English)."""
    pattern = str(locale.datetime_formats.get("medium", "{1} {0}"))
    return pattern.replace("{1}", day_words).replace("{0}", time_words).replace("'", "")


def clock_time(event_date: EventDate) -> datetime:
    """The clock time of an hour, minute or second value; hour 24 is midnight of the next day."""
    return _clock(event_date)


def _clock(event_date: EventDate) -> datetime:
    """The clock time of an hour/minute/second value (Span keeps minutes only, so seconds come from the value)."""
    m = _VALUE_TIME.search(event_date.value)
    hour, minute, second = (int(m[1]), int(m[2] or 0), int(m[3] or 0)) if m else (0, 0, 0)
    day = datetime.combine(event_date.start, time(0, 0))
    return day + timedelta(hours=hour, minutes=minute, seconds=second)  # hour 24 rolls to the next day


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def datetime_attribute(event_date: EventDate) -> str:
    """A valid HTML ``datetime`` value for the date, as precise as HTML allows and never more precise."""
    precision, start = event_date.precision, event_date.start
    if precision in ("century", "decade", "year", "half", "season", "quarter"):
        # HTML has year, month, week, date and time strings, but no decade, season or quarter. The
        # year of the first day is the narrowest valid value that does not invent a month or a day;
        # the words in the element carry the real precision. (A winter starts in its first year.)
        return f"{start.year:04d}"
    if precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if precision == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if precision in ("day", "partofday"):
        # A part of the day ("evening") has no clock time, so the day is as precise as we can be.
        return start.isoformat()
    clock = _clock(event_date)
    if precision == "second":
        return clock.strftime("%Y-%m-%dT%H:%M:%S")
    return clock.strftime("%Y-%m-%dT%H:%M")
