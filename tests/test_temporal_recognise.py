"""The recogniser's fast path (rules run in lower case, only where a rule of the class starts) finds exactly what
the plain one (every rule over every window, ignoring case) finds."""

from __future__ import annotations

import importlib
import random
import re
from datetime import date

import pytest

from tests.test_temporal_rules import EXTENTS, ROWS
from timeline.temporal import tag
from timeline.temporal.patterns import ASCII_LOWER, first_characters, fold_case, trie_alternation
from timeline.temporal.recognise import Candidate

# The package's name "recognise" is the function; the module is imported by its full name.
recognise = importlib.import_module("timeline.temporal.recognise")
triggers = importlib.import_module("timeline.temporal.triggers")

SAT = date(2025, 3, 15)

WORDS = (
    "the on in last next Friday FRIDAY friday March MAY may 2024 1990s 5 p.m. P.M. ago two days years week Jan. 5 , . "
    "- 30-day every Monday now recently quarter third early late mid- summer of 2017 10:30 GMT gmt Christmas New "
    "Year's Eve tonight yesterday morning said will would 86% $2,000 4-0 Q3 q3 1957-58 the end year-ago period "
    "overnight 1/2 hours about over FY H1 once a per sept. Sept. 2024-03-05 3/4/98 fiscal the year 1998's"
).split()


def texts() -> list[str]:
    rng = random.Random(11)
    soup = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40))) for _ in range(400)]
    rules = [row[0] for row in ROWS] + [row[0] for row in EXTENTS]
    return rules + [t.upper() for t in rules] + soup


def plain_candidates(text: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    with monkeypatch.context() as patched:
        patched.setattr(recognise, "fold_case", lambda _: None)
        return described(recognise.find_candidates(text))


def described(candidates: list[Candidate]) -> list[tuple[object, ...]]:
    return [(c.start, c.end, c.kind, c.rank, c.match.span(), c.groups) for c in candidates]


def test_fast_path_finds_what_the_plain_path_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    for text in texts():
        assert fold_case(text) is not None
        assert described(recognise.find_candidates(text)) == plain_candidates(text, monkeypatch), text


@pytest.mark.parametrize(
    "text,folds",
    [
        ("Talks resumed on Friday.", True),
        ("It’s 5 € – “really” — cheap", True),  # characters without case
        ("Zürich hosted the talks in March 2024.", False),
        ("The talks ended three wee\u212as ago.", False),  # KELVIN SIGN, which IGNORECASE matches to "k"
        ("ſeptember", False),  # LATIN SMALL LETTER LONG S, which IGNORECASE matches to "s"
    ],
)
def test_fold_case_only_when_lower_casing_changes_nothing_but_a_to_z(text: str, folds: bool) -> None:
    folded = fold_case(text)
    assert (folded == text.lower()) if folds else folded is None


def test_a_text_with_other_cased_letters_still_matches_ignoring_case() -> None:
    found = [(m.text, m.value) for m in tag("The talks ended three wee\u212as ago, two weeks before Friday.", SAT)]
    assert found == [("three wee\u212as ago", "2025-W08"), ("two weeks", "P2W"), ("Friday", "2025-03-14")]


def test_no_rule_matches_empty_text() -> None:
    """The fast path goes on after each match from its end, as finditer does only after a match that is not empty."""
    parser = pytest.importorskip("re._parser")
    for kind, pattern in recognise.RULES:
        assert parser.parse(pattern.pattern).getwidth()[0] > 0, kind


@pytest.mark.parametrize("words", [["may", "mar", "minute", "minutes", "mins", "m"], ["a", "ab", "abc", "b"]])
def test_trie_alternation_matches_exactly_the_words(words: list[str]) -> None:
    whole = re.compile("(?:" + trie_alternation(words) + r")\Z")
    tried = {w[:k] for w in words for k in range(len(w) + 1)} | {w + "s" for w in words} | {"x", ""}
    assert {w for w in tried if whole.match(w)} == set(words)


def reference_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """The trigger windows computed word by word, the plain way."""
    hits: dict[str, list[int]] = {name: [] for name in triggers.TRIGGER_CLASSES}
    for m in re.finditer(r"[A-Za-z]+|\d+", text):
        word = m.group()
        classes = triggers._CLASSES_OF_DIGIT if word[0].isdigit() else triggers._CLASSES_OF_WORD.get(word.lower(), ())
        for name in classes:
            hits[name].append(m.start())
    windows: dict[str, list[tuple[int, int]]] = {}
    for name, positions in hits.items():
        back, forward = triggers._MARGINS.get(name, triggers._DEFAULT_MARGINS)
        merged: list[tuple[int, int]] = []
        for p in positions:
            start, end = max(0, p - back), min(len(text), p + forward)
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        windows[name] = merged
    return windows


def test_trigger_windows_are_those_found_word_by_word() -> None:
    rng = random.Random(5)
    noise = [
        "".join(rng.choice("ab 1 May weeks DAY 12x3pm;.\n-é") for _ in range(rng.randint(0, 300))) for _ in range(300)
    ]
    for text in texts() + noise:
        assert triggers.trigger_windows(text.translate(ASCII_LOWER)) == reference_windows(text), text


@pytest.mark.parametrize(
    "pattern,first",
    [
        ("abc|d", "[ad]"),
        (r"(?:the\s+)?\d+\s*days?", r"[\dt]"),
        (r"(?<![\w.])(?=x)x(?:y|z)", "[x]"),
        (r"(?:[a-c]|-)?\s+q", r"[\-\sa-c]"),
        ("a*", None),  # can match nothing
        ("[^a]b", None),  # a negated class is not read
        ("(?:x|.)y", None),  # nor is "."
    ],
)
def test_first_characters(pattern: str, first: str | None) -> None:
    assert first_characters(pattern) == first


def test_every_rule_has_first_characters() -> None:
    """Each rule runs in its class scan led by the characters it can start with (see _class_scan)."""
    for kind, pattern in recognise._RULES:
        rule = recognise.lower_case_rule("(?:" + recognise.without_group_names(pattern) + ")" + recognise._WE)
        assert first_characters(rule) is not None, kind
