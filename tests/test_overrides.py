from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.model import Event, EventDate, Source
from timeline.overrides import apply_overrides, check_overrides, parse_overrides, read_overrides
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
    assert (added.date.start, added.title, added.tags, added.sources) == (dt.date(2024, 9, 4), "Council votes", ("council",), ())


def test_yaml_dates_numbers_and_timex_values() -> None:
    text = "events:\n  a-1111aaaa:\n    date: 2024\n  a-2222bbbb:\n    date: 2024-Q3\n  a-3333cccc:\n    date: 2025-03-12T14:30:00\n"
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
