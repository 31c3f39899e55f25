"""Trigger words: where in a text each rule may match, as windows around the words it cannot match without."""

from __future__ import annotations

import re

from .lexicon import MONTHS, WEEKDAYS
from .patterns import trie_alternation

# Running forty regexes over every position of a long text is slow, so each rule runs only in windows around
# the words it cannot match without (a month name, a unit, a digit...). A window reaches far enough back for
# the longest prefix ("at least the very end of") and forward for the longest tail ("Monday, Oct. 26, 1998"),
# so the output is the same as scanning everywhere (checked on TempEval-3).
# (back, forward) in characters, for each trigger class.
_MARGINS = {"unit": (50, 40), "set": (40, 50), "month": (50, 50), "day": (50, 90), "digit": (50, 70)}
_DEFAULT_MARGINS = (70, 90)
_MONTH_WORDS = frozenset(MONTHS)
_WEEKDAY_WORDS = frozenset(WEEKDAYS) | frozenset(w + "s" for w in WEEKDAYS if len(w) > 4)
_UNIT_WORDS = frozenset(
    """second seconds sec secs minute minutes min mins hour hours hr hrs day days night nights week weeks weekend
    weekends fortnight fortnights month months quarter quarters year years yr yrs decade decades century centuries
    millennium millennia period half""".split()
)
_DAY_WORDS = frozenset(
    "today tonight yesterday tomorrow morning afternoon evening night overnight midday noon midnight dawn dusk day "
    "mornings afternoons evenings nights".split()
)
_SEASON_WORDS = frozenset("spring summer autumn fall winter".split())
_TRIGGERS: dict[str, frozenset[str]] = {
    "month": _MONTH_WORDS | _WEEKDAY_WORDS,
    "day": _DAY_WORDS | _WEEKDAY_WORDS,
    "unit": _UNIT_WORDS,
    "set": _UNIT_WORDS | _WEEKDAY_WORDS | _MONTH_WORDS | _SEASON_WORDS | _DAY_WORDS,
    "digit": frozenset(),
    "number_word": frozenset(
        "twenties thirties forties fifties sixties seventies eighties nineties century nineteen thousand".split()
    ),
    "season": _SEASON_WORDS,
    "holiday": frozenset(
        "christmas new thanksgiving easter good halloween independence labor labour memorial valentine boxing "
        "election veterans may black mother father st saint remembrance armistice bastille april ash palm "
        "inauguration".split()
    ),
    "ref": frozenset("now currently nowadays days present moment presently recently lately past future later".split()),
    "adverb": frozenset(
        "daily weekly monthly annually yearly hourly nightly biweekly bi bimonthly biannually semi semiannually".split()
    ),
}
TRIGGER_OF = {
    "date_mdy": "month",
    "day_range": "month",
    "date_range": "month",
    "overnight": "day",
    "day_before": "day",
    "date_dmy": "month",
    "date_iso": "digit",
    "date_slash": "digit",
    "year_range": "digit",
    "month_range": "month",
    "month_year": "month",
    "month_relyear": "month",
    "month": "month",
    "decade": "digit+number_word",
    "century": "number_word",
    "year": "digit",
    "spoken_year": "number_word",
    "weekday": "day",
    "partday": "day",
    "relday": "day",
    "anaphoric_day": "day",
    "relunit": "unit",
    "period_of_the": "unit",
    "weekend": "unit",
    "quarter": "unit",
    "period": "unit",
    "year_ago": "unit",
    "quarter_code": "digit",
    "half": "digit+unit",
    "offset": "unit",
    "offset_ago": "unit",
    "duration": "unit",
    "duration_plain": "unit",
    "bare_units": "unit",
    "season": "season",
    "holiday": "holiday",
    "clock": "digit",
    "clock24": "digit",
    "noon": "day",
    "ref": "ref",
    "set": "set",
    "set_adverb": "adverb",
    "set_times": "unit",
    "set_weekdays": "day",
}


def _trigger_words() -> dict[str, tuple[str, ...]]:
    """Which trigger classes each word belongs to; a class such as "digit+number_word" unites two."""
    member: dict[str, list[str]] = {}
    for name in sorted(set(TRIGGER_OF.values())):
        for part in name.split("+"):
            for word in sorted(_TRIGGERS.get(part, frozenset())):
                member.setdefault(word, []).append(name)
    return {word: tuple(names) for word, names in member.items()}


TRIGGER_CLASSES = tuple(sorted(set(TRIGGER_OF.values())))
_CLASSES_OF_WORD = _trigger_words()
_CLASSES_OF_DIGIT = tuple(name for name in TRIGGER_CLASSES if "digit" in name.split("+"))


# A trigger is a whole run of letters (a run of A-Z is one word: "3pm" holds "pm") or a run of digits. The word
# regex takes the character before the word (the text is given a space in front) rather than looking behind, so
# that the engine can skip from one non-letter to the next without starting a match at every letter.
_TRIGGER_WORD = re.compile(r"[^a-z]" + trie_alternation(_CLASSES_OF_WORD) + r"(?![a-z])")
_DIGITS = re.compile(r"\d\d*")  # not \d+: a leading \d lets the engine skip to the next digit


def trigger_windows(folded: str) -> dict[str, list[tuple[int, int]]]:
    """For each trigger class, the merged stretches of text around its words where a rule may match.

    ``folded`` is the text with A-Z in lower case (and nothing else changed).
    """
    hits: dict[str, list[int]] = {name: [] for name in TRIGGER_CLASSES}
    # In " " + folded, the character before a word stands where the word stands in folded.
    for m in _TRIGGER_WORD.finditer(" " + folded):
        position = m.start()
        for name in _CLASSES_OF_WORD[m.group()[1:]]:
            hits[name].append(position)
    digits = [m.start() for m in _DIGITS.finditer(folded)]
    if digits:
        for name in _CLASSES_OF_DIGIT:
            hits[name] = sorted(hits[name] + digits)
    windows: dict[str, list[tuple[int, int]]] = {}
    for name, positions in hits.items():
        merged: list[tuple[int, int]] = []
        if positions:
            back, forward = _MARGINS.get(name, _DEFAULT_MARGINS)
            # Only the first window can start before the text and only the last end after it.
            start, end = max(0, positions[0] - back), positions[0] + forward
            for p in positions:
                if p - back > end:
                    merged.append((start, end))
                    start = p - back
                end = p + forward
            merged.append((start, min(len(folded), end)))
        windows[name] = merged
    return windows
