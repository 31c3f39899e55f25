from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.model import Event, EventDate, Source
from timeline.overrides import apply_overrides, check_overrides, merge_rules, parse_overrides, read_overrides
from timeline.timex import calendar_span


def event(event_id: str, value: str, tags: tuple[str, ...] = ("bridge",)) -> Event:
    span = calendar_span(value)
    assert span is not None
    source = Source("a.md", "A", None, dt.date(2025, 3, 15), "It closed on Monday.", 0, "Monday", 13, 19)
    return Event(event_id, EventDate(value, span), "It closed", "It closed on Monday.", (source,), tags)


EVENTS = (event("a-1111aaaa", "2025-03-10"), event("a-2222bbbb", "2024-08"), event("a-3333cccc", "2025-03-12TEV"))

GOOD = """\
events:
  a-1111aaaa:
    date: 12 March 2025
    title: The bridge closed
    tags: [closure]
  a-2222bbbb:
    hide: true
  a-3333cccc:
    text: The *evening* figure.
add:
  - id: council-vote
    date: 2024-09-04
    title: Council votes
    tags: [council]
"""


def test_each_kind_of_override_is_applied() -> None:
    result = {e.id: e for e in apply_overrides(EVENTS, parse_overrides(GOOD, "overrides.yaml"))}
    assert set(result) == {"a-1111aaaa", "a-3333cccc", "council-vote"}
    changed = result["a-1111aaaa"]
    assert (changed.date.value, changed.date.precision, changed.title) == ("2025-03-12", "day", "The bridge closed")
    assert changed.tags == ("bridge", "closure")
    assert changed.sources == EVENTS[0].sources  # provenance is kept
    assert result["a-3333cccc"].text_is_markdown and result["a-3333cccc"].text == "The *evening* figure."
    added = result["council-vote"]
    assert (added.date.start, added.title, added.tags, added.sources) == (
        dt.date(2024, 9, 4), "Council votes", ("council",), ())


def test_yaml_dates_numbers_and_timex_values() -> None:
    text = (
        "events:\n  a-1111aaaa:\n    date: 2024\n  a-2222bbbb:\n    date: 2024-Q3\n"
        "  a-3333cccc:\n    date: 2025-03-12T14:30:00\n"
    )
    result = apply_overrides(EVENTS, parse_overrides(text, "o.yaml"))
    assert [e.date.value for e in result] == ["2024", "2024-Q3", "2025-03-12T14:30"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events:\n  a-1111aaaa:\n    dat: 2025-03-12\n",
         "o.yaml:3:5: unknown field 'dat' (did you mean 'date'?); allowed here: date, title, text, tags, hide"),
        ("events:\n  a-1111aaaa:\n    date: the day after\n",
         "o.yaml:3:5: cannot read 'the day after' as a date"),
        ("events:\n  a-1111aaaa:\n    hide: perhaps\n", "o.yaml:3:5: 'hide' must be true or false"),
        ("events:\n  a-1111aaaa:\n    tags: 3\n", "o.yaml:3:5: 'tags' must be a list of words"),
        ("event:\n  a-1111aaaa: {hide: true}\n", "o.yaml:1:1: unknown section 'event' (did you mean 'events'?)"),
        ("add:\n  - id: x\n    title: No date\n", "o.yaml:2:5: an added event needs 'date'"),
        ("add:\n  - id: Not An Id\n    date: 2024\n    title: T\n", "o.yaml:2:5: an id may hold only a-z, 0-9 and '-'"),
        ("- just\n- a list\n", "o.yaml:1: an overrides file must be a mapping"),
        ("events:\n  a-1111aaaa: {hide: true\n", "o.yaml:3:1: this is not valid YAML"),
    ],
)
def test_bad_overrides_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_overrides(text, "o.yaml")
    assert str(caught.value.problems[0]).startswith(expected)


def test_an_id_that_matches_no_event_is_a_warning_with_the_closest() -> None:
    overrides = parse_overrides("events:\n  a-1111aaab:\n    hide: true\n", "overrides.yaml")
    (problem,) = check_overrides(EVENTS, overrides)
    assert problem.warning
    assert str(problem) == ("overrides.yaml:2:3: warning: no event has the id 'a-1111aaab' (did you mean "
                            "'a-1111aaaa'?); `python build.py` lists ids in timeline.json")
    assert apply_overrides(EVENTS, overrides) == EVENTS  # skipped, not applied to the closest


def test_added_id_must_not_clash_with_an_event() -> None:
    overrides = parse_overrides("add:\n  - id: a-1111aaaa\n    date: 2024\n    title: T\n", "o.yaml")
    with pytest.raises(InputError, match="already an event's id"):
        apply_overrides(EVENTS, overrides)


def test_files_in_the_overrides_folder_and_duplicates_across_files(tmp_path: Path) -> None:
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides.yaml").write_text("events:\n  a-1111aaaa: {hide: true}\n", encoding="utf-8")
    (tmp_path / "overrides" / "more.yaml").write_text("events:\n  a-1111aaaa: {title: X}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_overrides(tmp_path)
    assert str(caught.value) == (
        "overrides/more.yaml:2:3: 'a-1111aaaa' is already overridden at overrides.yaml:2; keep one entry per event")


def test_editors_files_are_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "overrides.yaml"
    path.write_text(GOOD, encoding="utf-8")
    before = path.stat().st_mtime_ns, path.read_bytes()
    apply_overrides(EVENTS, read_overrides(tmp_path))
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_order_merge_and_distinct_are_read_with_their_lines() -> None:
    text = ("events:\n  a-1111aaaa:\n    order: -1\n    merge: [a-2222bbbb]\n    distinct: a-3333cccc\n")
    (change,) = parse_overrides(text, "o.yaml").changes
    assert (change.order, change.merge, change.distinct) == (-1, ("a-2222bbbb",), ("a-3333cccc",))
    rules = merge_rules(parse_overrides(text, "o.yaml"))
    assert rules.groups == (("a-1111aaaa", "a-2222bbbb"),)
    assert rules.distinct == frozenset({frozenset(("a-1111aaaa", "a-3333cccc"))})
    (changed, *_) = apply_overrides(EVENTS, parse_overrides("events:\n  a-1111aaaa:\n    order: 3\n", "o.yaml"))
    assert changed.order == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events:\n  a-1111aaaa:\n    order: first\n",
         "o.yaml:3:5: 'order' must be a whole number, e.g. order: -1 to come first that day"),
        ("events:\n  a-1111aaaa:\n    merge: []\n",
         "o.yaml:3:5: 'merge' must be a list of event ids, e.g. merge: [id-1, id-2]"),
        ("events:\n  a-1111aaaa:\n    distinct: {a: 1}\n",
         "o.yaml:3:5: 'distinct' must be a list of event ids, e.g. distinct: [id-1, id-2]"),
        ("events:\n  a-1111aaaa:\n    merg: [a-2222bbbb]\n",
         "o.yaml:3:5: unknown field 'merg' (did you mean 'merge'?); allowed here: date, title, text, tags, hide, "
         "order, merge, distinct"),
    ],
)
def test_bad_new_keys_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_overrides(text, "o.yaml")
    assert str(caught.value) == expected


def test_ids_in_merge_and_distinct_that_match_no_event_are_warnings() -> None:
    overrides = parse_overrides("events:\n  a-1111aaaa:\n    merge: [a-2222bbbc]\n    distinct: [zzz]\n", "o.yaml")
    assert [str(p) for p in check_overrides(EVENTS, overrides)] == [
        "o.yaml:2:3: warning: 'merge' under 'a-1111aaaa': no event has the id 'a-2222bbbc' (did you mean "
        "'a-2222bbbb'?); `python build.py` lists ids in timeline.json",
        "o.yaml:2:3: warning: 'distinct' under 'a-1111aaaa': no event has the id 'zzz'; "
        "`python build.py` lists ids in timeline.json",
    ]


def test_changes_to_a_merged_event_apply_to_the_event_it_joined_with_a_warning() -> None:
    kept = EVENTS[0]
    overrides = parse_overrides("events:\n  a-9999ffff:\n    title: Retitled\n", "o.yaml")
    merged_into = {"a-9999ffff": kept.id}
    (warning,) = check_overrides(EVENTS, overrides, merged_into)
    assert str(warning) == (
        "o.yaml:2:3: warning: 'a-9999ffff' was merged into 'a-1111aaaa' (the same happening in another article); "
        "these changes apply to 'a-1111aaaa': write them under 'a-1111aaaa', or keep the two apart with "
        "'distinct: [a-9999ffff]' under 'a-1111aaaa'")
    assert apply_overrides(EVENTS, overrides, merged_into)[0].title == "Retitled"


def test_a_merged_event_and_the_event_it_joined_both_changed_is_an_error() -> None:
    overrides = parse_overrides("events:\n  a-1111aaaa:\n    title: A\n  a-9999ffff:\n    title: B\n", "o.yaml")
    with pytest.raises(InputError) as caught:
        apply_overrides(EVENTS, overrides, {"a-9999ffff": "a-1111aaaa"})
    assert str(caught.value) == ("o.yaml:4:3: 'a-9999ffff' was merged into 'a-1111aaaa', which has changes of its "
                                 "own in it; keep one entry, under 'a-1111aaaa'")


def test_merging_a_hidden_event_is_an_error_naming_where_it_is_hidden() -> None:
    overrides = parse_overrides("events:\n  a-2222bbbb:\n    hide: true\n  a-1111aaaa:\n    merge: [a-2222bbbb]\n",
                                "o.yaml")
    with pytest.raises(InputError) as caught:
        apply_overrides(EVENTS, overrides)
    assert str(caught.value) == ("o.yaml:4:3: 'merge' under 'a-1111aaaa' names 'a-2222bbbb', which is hidden at "
                                 "o.yaml:2; remove 'hide' there or take it out of this list")


def test_an_editors_date_settles_a_disagreement() -> None:
    from dataclasses import replace

    disputed = replace(EVENTS[0], review=("sources disagree on the date: …",))
    (settled,) = apply_overrides((disputed,), parse_overrides("events:\n  a-1111aaaa:\n    date: 2025-03-10\n", "o"))
    assert settled.review == ()
