"""The temporal tagger: find the date expressions of a news text and normalise each to TIMEX3 against the dateline.

``tag(text, dateline)`` runs three stages: ``recognise`` finds the expressions (regex rules run around trigger
words, longest match wins), ``tense`` reads the tense of each expression's clause, and ``resolve`` (``days``,
``periods``) turns each into a TIMEX3 type, value and mod, keeping the last date mentioned as the anchor for
"a year earlier" or "the next day".

Ambiguity is settled by the clause's tense: past takes the last such day, month or season on or before the
dateline, future the next one after it, "would" (the future of a past report) the dateline's own weekday or a later
one; with no tense, the nearest. The dateline's own weekday is the dateline unless the clause is future. A month or
day without a year takes the year that tense gives, except that a past-tense date a year back loses to the same date
within the coming six weeks ("gave no reason for the March 20 deadline"). Quarters are reported after they begin,
so "the fourth quarter" in January is last year's. Weeks are ISO weeks ("last week" is the week before the
dateline's); "this weekend" is that week's -WE.

Each mention's ``reading`` says how the value was reached. Two phrases in it are a contract with the review
command: "no year" when the year was guessed, "no clear tense" when no tense decided.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import lru_cache

from ..model import Mention
from ..sentences import split_sentences
from ..timex import is_calendar, is_well_formed
from .reading import Context
from .recognise import recognise
from .resolve import resolve
from .tense import clause_tense

__all__ = ["tag"]

# Kinds whose value does not depend on tense, so the clause need not be read.
_TENSELESS = frozenset(
    "date_iso date_slash month_range month_year decade century year duration duration_plain bare_units "
    "ref set set_adverb set_times set_weekdays relunit offset_ago partday relday anaphoric_day half".split()
)

# Kinds computed from the anchor; they do not move it ("the quarter ... a year earlier ... the quarter").
_RELATIVE_TO_ANCHOR = frozenset("period year_ago offset offset_ago".split())

# Pure checks of a value, which repeat within a text and across texts.
_well_formed = lru_cache(maxsize=4096)(is_well_formed)
_calendar = lru_cache(maxsize=4096)(is_calendar)


def tag(text: str, dateline: date) -> tuple[Mention, ...]:
    """The temporal expressions of ``text``, resolved against ``dateline``, sorted by start and never overlapping."""
    sentences = split_sentences(text)
    starts = [s for s, _ in sentences]
    mentions: list[Mention] = []
    anchor: str | None = None
    for cand in recognise(text):
        tense = None
        if cand.kind not in _TENSELESS:
            i = bisect_right(starts, cand.start) - 1
            sentence = sentences[i] if i >= 0 else (0, len(text))
            tense = clause_tense(text, sentence, cand.start, cand.end)
        for r in resolve(cand, Context(dateline, tense, anchor)):
            if not _well_formed(r.value, r.type):
                continue
            mentions.append(Mention(r.start, r.end, text[r.start : r.end], r.type, r.value, r.mod, r.reading))
            if cand.kind not in _RELATIVE_TO_ANCHOR and r.type in ("DATE", "TIME") and _calendar(r.value):
                anchor = r.value
    return tuple(mentions)
