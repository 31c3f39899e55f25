"""Property tests of the tagger: on any text it never crashes, its offsets are valid and its values well-formed TIMEX3.

Texts are drawn from words news dates are made of (months, weekdays, numbers, "last", "mid-", ...) mixed with
arbitrary unicode, digits, punctuation and whitespace, so the rules meet both near-dates and noise.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.model import Mention
from timeline.temporal import tag
from timeline.timex import MODS, TYPES, is_well_formed

DATE_WORDS = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Mondays today yesterday tomorrow tonight now recently morning afternoon evening night noon midnight "
    "last next this that past coming previous following early mid mid- late end beginning start middle of the "
    "in on at by since until before after ago later earlier from to through between and or a an one two three "
    "ten 30 1 2 3 12 15 31 2024 2025 1990s '90s 1999 2000s 20th century decade year years month months week weeks "
    "weekend day days hour hours minute quarter Q3 half H1 spring summer autumn fall winter every each daily "
    "weekly twice times per about around nearly a.m. p.m. am pm 7:30 19:45 2024-08-20 20/08/2024 8/20 "
    "Christmas Easter New Year's Eve Day said will would had has was is were be been"
).split()
PUNCTUATION = list(".,;:!?-–—'\"()[]/%$#&*…“”‘’")
NOISE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from("0123456789"),
        st.sampled_from(" \t\n\r\u00a0\u2009"),
        st.sampled_from(PUNCTUATION),
    ),
    max_size=12,
)
TOKENS = st.one_of(st.sampled_from(DATE_WORDS), st.sampled_from(DATE_WORDS), st.sampled_from(PUNCTUATION), NOISE)
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", ", ", ". ", "-", "\u00a0", "  "])
TEXTS = st.one_of(
    st.lists(st.tuples(TOKENS, SEPARATORS), max_size=40).map(lambda pairs: "".join(a + b for a, b in pairs)),
    st.text(max_size=200),
)
DATELINES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid(text: str, mentions: tuple[Mention, ...]) -> None:
    """Offsets inside the text and matching it, sorted, never overlapping; type, value and mod well-formed."""
    previous_end = 0
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text), mention
        assert text[mention.start : mention.end] == mention.text, mention
        assert mention.start >= previous_end, (mention, "overlaps or is out of order")
        previous_end = mention.end
        assert mention.type in TYPES, mention
        assert is_well_formed(mention.value, mention.type), mention
        assert mention.mod is None or mention.mod in MODS, mention


@PROPERTY
@given(text=TEXTS, dateline=DATELINES)
def test_the_tagger_never_crashes_and_its_offsets_and_values_are_valid(text: str, dateline: dt.date) -> None:
    assert_valid(text, tag(text, dateline))


@PROPERTY
@given(text=TEXTS, other=TEXTS, dateline=DATELINES)
def test_the_same_input_gives_the_same_output(text: str, other: str, dateline: dt.date) -> None:
    first = tag(text, dateline)
    tag(other, dateline + dt.timedelta(days=40))  # nothing may carry over from one call to the next
    assert tag("".join(list(text)), dateline) == first


@PROPERTY
@given(before=TEXTS, text=TEXTS, dateline=DATELINES)
def test_offsets_stay_valid_after_any_prefix(before: str, text: str, dateline: dt.date) -> None:
    # Articles are tagged from where the prose starts; whatever comes before must not shift offsets wrongly.
    whole = before + "\n\n" + text
    assert_valid(whole, tag(whole, dateline))
