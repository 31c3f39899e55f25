from __future__ import annotations

import datetime as dt

import pytest

from timeline.errors import InputError
from timeline.yamlio import YamlList, YamlMap, load_yaml


def test_positions_of_keys_and_items() -> None:
    data = load_yaml("title: A\nevents:\n  - one\n  - {when: 2025-03-01}\n", "f.yaml")
    assert isinstance(data, YamlMap)
    assert data.position("title") == (1, 1)
    assert data.position("events") == (2, 1)
    assert isinstance(data["events"], YamlList)
    assert data["events"].positions == [(3, 5), (4, 5)]
    assert data["events"][1]["when"] == dt.date(2025, 3, 1)


def test_duplicate_keys_are_an_error_naming_both_lines() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml("events:\n  a: 1\n  a: 2\n", "overrides.yaml")
    assert str(caught.value) == "overrides.yaml:3:3: duplicate key 'a' (first given on line 2)"


def test_syntax_error_names_file_and_line() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml("events:\n  a: [1, 2\n  b: 3\n", "overrides.yaml")
    (problem,) = caught.value.problems
    assert problem.path == "overrides.yaml"
    assert problem.line == 3
    assert "not valid YAML" in problem.message


def test_empty_document_is_none() -> None:
    assert load_yaml("# only a comment\n", "f.yaml") is None


def test_impossible_date_is_an_input_error_not_a_crash() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml("date: 2024-13-01\n", "a.md")
    assert str(caught.value) == "a.md:1:7: cannot read '2024-13-01': month must be in 1..12"


DOCUMENT = """\
title: "Bridge: closed"
date: 2025-03-12
tags: [harbor, "bridge repairs"]
overrides:
  - id: a-1
    date: 12 March 2025
    hide: true
  - id: b-2
    text: |
      Two lines,
      kept.
empty:
number: 7
"""


def _shape(value: object) -> object:
    """A value with every position the reader recorded, for comparing two readers."""
    if isinstance(value, YamlMap):
        return ("map", value.line, value.column, [(k, value.positions[k], _shape(v)) for k, v in value.items()])
    if isinstance(value, YamlList):
        return ("list", value.line, value.column, value.positions, [_shape(v) for v in value])
    return value


def test_the_fast_parser_gives_the_same_values_and_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.yamlio as yamlio

    if yamlio._FAST_LOADER is None:
        pytest.skip("PyYAML was built without LibYAML here, so there is no fast parser to compare")
    fast = _shape(load_yaml(DOCUMENT, "a.yaml"))
    monkeypatch.setattr(yamlio, "_FAST_LOADER", None)
    assert fast == _shape(load_yaml(DOCUMENT, "a.yaml"))
    assert fast[3][2] == ("tags", (3, 1), ("list", 3, 7, [(3, 8), (3, 16)], ["harbor", "bridge repairs"]))


def test_a_syntax_error_is_worded_by_the_python_parser_whichever_parsed_first() -> None:
    wording = r"a.yaml:3:2: this is not valid YAML: while parsing a block mapping expected <block end>"
    with pytest.raises(InputError, match=wording):
        load_yaml("tags:\n  - a\n b: c\n", "a.yaml")
