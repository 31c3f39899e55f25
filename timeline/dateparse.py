"""Dates written in words by editors, read with dateparser (the only module importing it).

dateparser is strong at one whole string that is known to be a date ("12 March
2025", "March 2025", "2025-03-12") and weak at finding dates inside prose, so
it is used here only for the former.  Nothing reads the clock: the parse is
anchored at a fixed base and must not depend on it.
"""

from __future__ import annotations

import datetime as dt
import re

from .timex import calendar_span

_SETTINGS_BASE = {
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
    "REQUIRE_PARTS": ["year"],
    "PARSERS": ["absolute-time"],
}
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_FOUR_DIGITS = re.compile(r"\b\d{4}\b")


def timex_from_words(text: str) -> str | None:
    """The TIMEX3 value for a date written out in full ("12 March 2025" -> "2025-03-12"), or None.

    The precision is kept: "March 2025" gives "2025-03", a lone year "2025".
    A TIMEX3 value ("2025-03-12TEV", "2024-Q3") is returned unchanged.
    """
    candidate = text.strip()
    if calendar_span(candidate):
        return candidate
    year = _YEAR.match(candidate)
    if year:
        return year.group(1)
    if not _FOUR_DIGITS.search(candidate):
        return None  # without a written year dateparser guesses one ("12 March" -> 1912)
    # Two parses with different anchors and preferred days: a part the text does not
    # give is filled from those, so it shows up as a difference between the parses.
    import dateparser  # here, not at the top: a build whose overrides give no date never pays for the import

    results = []
    for anchor, day in ((dt.datetime(2000, 1, 1), "first"), (dt.datetime(2001, 12, 28), "last")):
        settings = dict(_SETTINGS_BASE, RELATIVE_BASE=anchor, PREFER_DAY_OF_MONTH=day)
        parsed = dateparser.parse(candidate, languages=["en"], settings=settings)
        if parsed is None:
            return None
        results.append(parsed)
    first, second = results
    if first.date() != second.date():
        if (first.year, first.month) == (second.year, second.month):
            return f"{first.year:04d}-{first.month:02d}"
        return None
    if first.time() != dt.time(0) or second.time() != dt.time(0):
        return str(first.strftime("%Y-%m-%dT%H:%M"))
    return str(first.strftime("%Y-%m-%d"))
