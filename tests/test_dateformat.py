"""Dates in words at their precision (en and other languages) and HTML datetime values."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from timeline.dateformat import datetime_attribute, format_day, format_event_date, format_month, locale_for
from timeline.model import EventDate
from timeline.timex import calendar_span


def event_date(value: str, mod: str | None = None) -> EventDate:
    span = calendar_span(value)
    assert span is not None, value
    return EventDate(value, span, mod)


@pytest.mark.parametrize(
    ("value", "mod", "words"),
    [
        ("19", None, "the 20th century"),
        ("199", None, "the 1990s"),
        ("200", None, "the 2000s"),
        ("2024", None, "2024"),
        ("2025-H1", None, "first half of 2025"),
        ("2025-H2", None, "second half of 2025"),
        ("2024-SU", None, "summer 2024"),
        ("2024-FA", None, "autumn 2024"),
        ("2024-WI", None, "winter 2024–25"),
        ("2025-Q1", None, "1st quarter 2025"),
        ("2024-08", None, "August 2024"),
        ("2025-W10", None, "week of 3 March 2025"),
        ("2025-W10-WE", None, "weekend of 8 March 2025"),
        ("2025-W01", None, "week of 30 December 2024"),
        ("2025-03-12", None, "12 March 2025"),
        ("2025-03-12TMO", None, "Wednesday, 12 March 2025, morning"),
        ("2025-03-12TAF", None, "Wednesday, 12 March 2025, afternoon"),
        ("2025-03-12TEV", None, "Wednesday, 12 March 2025, evening"),
        ("2025-03-12TNI", None, "Wednesday, 12 March 2025, night"),
        ("2025-03-12TDT", None, "Wednesday, 12 March 2025, daytime"),
        ("2025-03-12T14", None, "12 March 2025, 14:00"),
        ("2025-03-12T14:30", None, "12 March 2025, 14:30"),
        ("2025-03-12T14:30:05", None, "12 March 2025, 14:30:05"),
        ("2025-03-12T24", None, "13 March 2025, 00:00"),
        ("2025-07", "MID", "mid-July 2025"),
        ("2024", "START", "early 2024"),
        ("2024", "END", "late 2024"),
        ("2024-08", "APPROX", "around August 2024"),
        ("199", "START", "the early 1990s"),
        ("199", "MID", "the mid-1990s"),
        ("2024-08", "LESS_THAN", "August 2024"),  # a modifier with no sense for a date is left out
    ],
)
def test_words_in_british_english(value: str, mod: str | None, words: str) -> None:
    assert format_event_date(event_date(value, mod), "en_GB") == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2024-08", "August 2024"),
        ("2025-03-12", "March 12, 2025"),
        ("2025-03-12TEV", "Wednesday, March 12, 2025, evening"),
        ("2025-W10", "week of March 3, 2025"),
    ],
)
def test_plain_en_follows_babel_english(value: str, words: str) -> None:
    # "en" is CLDR's (American) English; "en_GB" gives day-month order. The month never gains a day.
    assert format_event_date(event_date(value), "en") == words


@pytest.mark.parametrize(
    ("value", "mod", "fr", "de"),
    [
        ("2024-08", None, "août 2024", "August 2024"),
        ("2025-03-12", None, "12 mars 2025", "12. März 2025"),
        ("2025-03-12TEV", None, "mercredi 12 mars 2025, soir", "Mittwoch, 12. März 2025, Abend"),
        ("2025-03-12TAF", None, "mercredi 12 mars 2025, après-midi", "Mittwoch, 12. März 2025, Nachmittag"),
        ("2025-03-12T14:30", None, "12 mars 2025, 14:30", "12. März 2025, 14:30"),
        ("2025-Q1", None, "1er trimestre 2025", "1. Quartal 2025"),
        ("2024", None, "2024", "2024"),
        # No CLDR words: an exact range instead.
        ("2024-SU", None, "juin\u2009–\u2009août 2024", "Juni–August 2024"),  # CLDR puts thin spaces here
        ("2025-H1", None, "janvier\u2009–\u2009juin 2025", "Januar–Juni 2025"),
        ("199", None, "1990–1999", "1990–1999"),
        ("2025-W10", None, "3–9 mars 2025", "3.–9. März 2025"),
        ("2025-03-12TDT", None, "mercredi 12 mars 2025", "Mittwoch, 12. März 2025"),
        # No CLDR words for modifiers: the broader, still true date.
        ("2025-07", "MID", "juillet 2025", "Juli 2025"),
    ],
)
def test_words_in_french_and_german(value: str, mod: str | None, fr: str, de: str) -> None:
    assert format_event_date(event_date(value, mod), "fr") == fr
    assert format_event_date(event_date(value, mod), "de") == de


@pytest.mark.parametrize("language", ["en", "en_GB", "fr", "de", "es", "uk"])
def test_month_precision_never_shows_a_day(language: str) -> None:
    words = format_event_date(event_date("2024-08"), language)
    assert "1" not in words.replace("2024", "")


@pytest.mark.parametrize(
    ("value", "attribute"),
    [
        ("19", "1900"),
        ("199", "1990"),
        ("2024", "2024"),
        ("2025-H2", "2025"),
        ("2024-WI", "2024"),
        ("2025-Q1", "2025"),
        ("2024-08", "2024-08"),
        ("2025-W10", "2025-W10"),
        ("2025-W10-WE", "2025-W10"),
        ("2025-W01", "2025-W01"),
        ("2025-03-12", "2025-03-12"),
        ("2025-03-12TEV", "2025-03-12"),
        ("2025-03-12T14", "2025-03-12T14:00"),
        ("2025-03-12T14:30", "2025-03-12T14:30"),
        ("2025-03-12T14:30:05", "2025-03-12T14:30:05"),
        ("2025-03-12T24", "2025-03-13T00:00"),
        ("0800", "0800"),
    ],
)
def test_datetime_attribute(value: str, attribute: str) -> None:
    assert datetime_attribute(event_date(value)) == attribute


def test_day_and_month_helpers() -> None:
    assert format_day(date(2025, 3, 15), "en_GB") == "15 March 2025"
    assert format_day(date(2025, 3, 15), "de") == "15. März 2025"
    assert format_month(date(2024, 8, 20), "fr") == "août 2024"


@pytest.mark.parametrize("language", ["en-GB", "en_GB", "pt_BR", "fr"])
def test_language_codes_accepted(language: str) -> None:
    assert locale_for(language)


@pytest.mark.parametrize("language", ["xx", "", "english", "en GB"])
def test_unknown_language_names_what_would_work(language: str) -> None:
    with pytest.raises(ValueError, match=r"unknown language .*: expected a language code such as 'en'"):
        locale_for(language)


def test_month_names_language_names_and_plurals() -> None:
    from timeline.dateformat import format_month_name, language_names, plural_category

    assert [format_month_name(date(2024, 8, 1), lang) for lang in ("en", "fr", "de")] == ["August", "août", "August"]
    assert language_names("fr") == ("fr",)
    assert language_names("en-GB") == ("en_GB", "en")
    assert [plural_category(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_category(n, "fr") for n in (0, 1, 2)] == ["one", "one", "other"]  # French: 0 is singular


@pytest.mark.skipif(not os.path.isfile("/etc/localtime"), reason="no local zone file to read")
def test_babel_reads_the_local_zone_from_its_file_and_tz_is_left_unset() -> None:
    """Not found by its name, which had pytz check each of its zone files exists; the build never uses it."""
    shown = subprocess.run([sys.executable, "-c", "import os, timeline.dateformat, babel.dates; "
                            "print(babel.dates.LOCALTZ.zone, 'TZ' in os.environ)"],
                           cwd=ROOT, env={key: value for key, value in os.environ.items() if key != "TZ"},
                           capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["local", "False"]
