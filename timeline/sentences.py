"""Sentence boundaries in news prose, as character offsets.

News text is full of abbreviations that end in a full stop ("Gen.", "Sept. 16",
"U.S.") and quotations that end a sentence inside the quote mark, so a plain
split on ". " cuts events in half.  The rule here: a sentence ends at ``.``,
``!`` or ``?`` (with any closing quotes or brackets after it) that is followed
by white space and then an upper-case letter, a digit or an opening quote,
unless the word before the full stop is a known abbreviation or a single
letter; a blank line always ends a sentence.
"""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence (lower-cased, without the stop).
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep rev st mt ft fr sr jr
    pres supt insp det cpl pvt cmdr brig
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    no nos vol art fig p pp para sec ch ed eds est approx dept univ assn corp inc ltd co bros
    vs etc e.g i.e a.m p.m u.s u.k u.n u.s.a e.u
    """.split()
)

_END = re.compile(r"""[.!?]+['"’”)\]]*(?=\s+['"‘“(\[]?[A-Z0-9])|\n[ \t]*\n""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Offsets ``(start, end)`` of each sentence in ``text``, without surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        if match.group().startswith("."):
            word = _WORD_BEFORE.search(text, max(0, match.start() - 20), match.start() + 1)
            if word and _is_abbreviation(word.group(1)):
                continue
        _add(text, start, match.end(), spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def _is_abbreviation(word: str) -> bool:
    lowered = word.lower().rstrip(".")
    return lowered in ABBREVIATIONS or (len(lowered) == 1 and word[0].isupper())


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
