"""Regex helpers for the recogniser's fast path: rules in lower case, word tries, first characters, case folding."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold_case(text: str) -> str | None:
    """``text`` in lower case if that changes only the letters A-Z, else None (then rules must ignore case)."""
    if text.isascii() or all(_is_caseless(c) for c in set(text) if not c.isascii()):
        return text.lower()
    return None


@cache
def _is_caseless(char: str) -> bool:
    """True for a character with no other case, such as "’" or "€", which IGNORECASE matches only to itself."""
    return char.lower() == char == char.upper() and char.casefold() == char


def lower_case_rule(pattern: str) -> str:
    """``pattern`` with its letters in lower case, to match case-sensitively what it matched ignoring case."""
    if re.search(r"\\[xuUN0-9]|\(\?(?!P<)[a-zA-Z(]", pattern):
        # A character given by its code, a back-reference or inline flags would keep their case or their group.
        raise ValueError(f"this rule cannot be lower-cased letter by letter: {pattern!r}")
    # Escapes (\d, \S) and "(?P<" mean the same as before only as they are written.
    return re.sub(r"\\.|\(\?P|[A-Z]+", lambda m: m.group() if m.group()[0] in "\\(" else m.group().lower(), pattern)


def without_group_names(pattern: str) -> str:
    """``pattern`` with its named groups made plain ``(?:...)``, so that rules sharing group names can be joined."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def trie_alternation(words: Iterable[str]) -> str:
    """A regex for any one of ``words``, shaped as a trie so that the engine drops a wrong first letter at once."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        options = [re.escape(letter) + branch(child) for letter, child in sorted(node.items()) if letter]
        if "" not in node:
            return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        if not options:
            return ""
        single_letter = len(options) == 1 and len(options[0]) == 1
        return (options[0] if single_letter else "(?:" + "|".join(options) + ")") + "?"

    return branch(trie)


def first_characters(pattern: str) -> str | None:
    """A character class ("[ab\\d]") of every character a match of ``pattern`` can start with, or None if unsure.

    The parse tree comes from the standard library's regex parser, which is not a public interface; whatever it
    does not show plainly (an unknown node, a negated class, a pattern that can match nothing) gives None.
    """
    try:
        parser = importlib.import_module("re._parser")
        constants = importlib.import_module("re._constants")
        first, can_be_empty = _first_of_sequence(parser.parse(pattern).data, constants)
    except (ImportError, AttributeError, LookupError, TypeError, ValueError, _Unsure):
        return None
    if can_be_empty or not first:
        return None
    return "[" + "".join(sorted(set(first))) + "]"


class _Unsure(Exception):
    """A node whose first characters are not read here."""


def _first_of_sequence(items: list[tuple[Any, Any]], c: Any) -> tuple[list[str], bool]:
    """The class pieces that can start a match of these items in a row, and whether they can all match nothing."""
    first: list[str] = []
    for op, av in items:
        pieces, can_be_empty = _first_of_item(op, av, c)
        first += pieces
        if not can_be_empty:
            return first, False
    return first, True


def _first_of_item(op: Any, av: Any, c: Any) -> tuple[list[str], bool]:
    if op is c.LITERAL:
        return [re.escape(chr(av))], False
    if op is c.IN:
        categories = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_SPACE: r"\s", c.CATEGORY_WORD: r"\w"}
        pieces = []
        for kind, value in av:
            if kind is c.LITERAL:
                pieces.append(re.escape(chr(value)))
            elif kind is c.RANGE:
                pieces.append(re.escape(chr(value[0])) + "-" + re.escape(chr(value[1])))
            elif kind is c.CATEGORY and value in categories:
                pieces.append(categories[value])
            else:
                raise _Unsure(kind)  # a negated class, say
        return pieces, False
    if op is c.BRANCH:
        first: list[str] = []
        any_empty = False
        for alternative in av[1]:
            pieces, can_be_empty = _first_of_sequence(alternative.data, c)
            first += pieces
            any_empty = any_empty or can_be_empty
        return first, any_empty
    if op is c.SUBPATTERN:
        return _first_of_sequence(av[3].data, c)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        pieces, can_be_empty = _first_of_sequence(av[2].data, c)
        return pieces, can_be_empty or av[0] == 0
    if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
        return [], True  # takes no character
    raise _Unsure(op)
