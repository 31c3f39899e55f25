"""Pages and exports rendered again copy their unchanged pieces from the last build, and give a full render's bytes."""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
import pytest

from tests.test_render import STATIC, TEMPLATES, _many_events
from timeline import exports
from timeline import render as render_module
from timeline.model import Timeline
from timeline.render import render_site, render_stream
from timeline.reuse import FORMAT, Reuse, dump_indexes, load_indexes, locate
from timeline.settings import Settings
from timeline.splice import joined

SETTINGS = Settings(title="Council", year_pages_after=10, base_url="https://example.org/council/")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """How many event fragments were rendered and how many timeline.json pieces were made."""
    counts = {"fragments": 0, "json pieces": 0, "filter items": 0}
    render_within = render_module._render_within
    event_json = exports.event_json

    def counting_render(template: jinja2.Template, values: dict[str, Any]) -> str:
        if template.name == "partials/event.html":
            counts["fragments"] += 1
        elif template.name == "partials/filter-item.html":
            counts["filter items"] += 1
        return render_within(template, values)

    def counting_event_json(*args: Any, **kwargs: Any) -> Any:
        counts["json pieces"] += 1
        return event_json(*args, **kwargs)

    monkeypatch.setattr(render_module, "_render_within", counting_render)
    monkeypatch.setattr(exports, "event_json", counting_event_json)
    yield counts


def rendered(timeline: Timeline, template_dirs: tuple[Path, ...] = (TEMPLATES,), previous: dict[str, str] | None = None,
             reuse: Reuse | None = None) -> tuple[dict[str, bytes | None], dict[str, str], dict[str, Any]]:
    stream, keys, indexes = render_stream(timeline, SETTINGS, template_dirs, (STATIC,), 1, previous, reuse)
    # The indexes are filled as the files come; a spliced export comes as chunks, most of them views of the old file.
    files = {path: None if data is None else joined(data) for path, data in stream}
    return files, keys, indexes


def test_a_page_rendered_again_copies_its_unchanged_fragments_and_exports_their_unchanged_events(
        counted: dict[str, int]) -> None:
    events = _many_events(range(2021, 2024), 12)
    first, keys, indexes = rendered(Timeline("Council", "", events))
    assert {"years/2022.html", "tags/council.html", "timeline.json", "timelinejs.json", "timeline.ics",
            "feed.atom"} <= set(indexes)
    edited = tuple(replace(e, title="Meeting moved") if e.id == "meeting-2022-1" else e for e in events)
    old = {path: data for path, data in first.items() if data is not None}
    counted.update({"fragments": 0, "json pieces": 0})
    again, _, new_indexes = rendered(Timeline("Council", "", edited), previous=keys,
                                     reuse=Reuse(old.get, indexes))
    made = {path: data for path, data in again.items() if data is not None and not path.startswith("static/")}
    assert "years/2022.html" in made and "tags/council.html" in made
    # The edited event's fragment, once per kind of page it is on (its year, its tag, its two sources' pages);
    # every other event on those pages is copied.
    assert counted["fragments"] == 4
    assert counted["json pieces"] == 1
    full = render_site(Timeline("Council", "", edited), SETTINGS, (TEMPLATES,), (STATIC,))
    assert all(full[path] == data for path, data in made.items())
    assert set(new_indexes) == set(indexes)  # kept pages keep their indexes, rendered ones get new ones


def test_the_page_of_all_filters_rendered_again_copies_the_items_whose_count_did_not_change(
        counted: dict[str, int]) -> None:
    events = _many_events(range(2021, 2024), 12)  # 72 sources and a tag: more than every page lists
    first, keys, indexes = rendered(Timeline("Council", "", events))
    runs = len(indexes["filters.html"])
    assert 1 < runs < 73  # its lists are recorded in runs of items (render._Site.filter_runs)
    # One more report of a meeting, from an article that reported another: that article's count goes up.
    extra = replace(events[13].sources[0], article="a-2022-3.md")
    edited = tuple(replace(e, sources=(*e.sources, extra)) if e.id == "meeting-2022-2" else e for e in events)
    old = {path: data for path, data in first.items() if data is not None}
    counted["filter items"] = 0
    again, _, _ = rendered(Timeline("Council", "", edited), previous=keys, reuse=Reuse(old.get, indexes))
    assert again["filters.html"] is not None
    page = first["filters.html"] or b""
    run = next(page[start:end] for _, start, end, _ in indexes["filters.html"]
               if b'href="sources/a-2022-3.html"' in page[start:end])
    assert counted["filter items"] == run.count(b"<li") < 73  # the items of that one run
    full = render_site(Timeline("Council", "", edited), SETTINGS, (TEMPLATES,), (STATIC,))
    assert again["filters.html"] == full["filters.html"]
    item = next(line for line in full["filters.html"].decode().splitlines() if 'href="sources/a-2022-3.html"' in line)
    assert '<span class="count">(2)</span>' in item  # in the one run made again


def test_a_file_that_is_not_what_its_index_says_gives_no_wrong_piece(counted: dict[str, int]) -> None:
    events = _many_events(range(2021, 2024), 12)
    first, keys, indexes = rendered(Timeline("Council", "", events))
    old = {path: data for path, data in first.items() if data is not None}
    # The same length, so only the checksums can tell: every quoted sentence and exported title says otherwise.
    damaged = {path: data.replace(b"Council", b"Cabinet") for path, data in old.items()}
    edited = tuple(replace(e, title="Meeting moved") if e.id == "meeting-2022-1" else e for e in events)
    again, _, _ = rendered(Timeline("Council", "", edited), previous=keys, reuse=Reuse(damaged.get, indexes))
    full = render_site(Timeline("Council", "", edited), SETTINGS, (TEMPLATES,), (STATIC,))
    assert all(full[path] == data for path, data in again.items() if data is not None)
    assert counted["json pieces"] > 1  # nothing was taken from the damaged export


def test_templates_of_ones_own_copy_no_fragment(tmp_path: Path, counted: dict[str, int]) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html").write_text("<p>Ours.</p>\n", encoding="utf-8")
    events = _many_events(range(2021, 2024), 12)
    first, keys, indexes = rendered(Timeline("Council", "", events), (tmp_path, TEMPLATES))
    assert all(indexes[path] == [] for path in indexes if path.endswith(".html"))
    old = {path: data for path, data in first.items() if data is not None}
    edited = tuple(replace(e, title="Meeting moved") if e.id == "meeting-2022-1" else e for e in events)
    counted["fragments"] = 0
    rendered(Timeline("Council", "", edited), (tmp_path, TEMPLATES), keys, Reuse(old.get, indexes))
    assert counted["fragments"] > 20


def test_locate_finds_fragments_in_order_and_skips_those_the_template_changed() -> None:
    data = b"<ul><li>A</li><li>B</li><li>A</li></ul>"
    index = locate(data, [(b"1", b"<li>A</li>"), (b"2", b"<li>C</li>"), (b"3", b"<li>A</li>")])
    assert index == [(b"1", 4, 14, zlib.crc32(b"<li>A</li>")), (b"3", 24, 34, zlib.crc32(b"<li>A</li>"))]


@pytest.mark.parametrize("value", [
    None, b"", b"not marshal", marshal.dumps(("another/1", {})), marshal.dumps((FORMAT, ["a list"])),
    marshal.dumps(FORMAT),
])
def test_indexes_in_any_other_shape_are_ignored(value: bytes | None) -> None:
    assert load_indexes(value) == {}


def test_a_page_index_with_a_bad_entry_offers_no_fragment_and_the_rest_are_kept() -> None:
    good = [(b"k", 0, 4, 7)]
    stored = dump_indexes({"a.html": good, "b.html": [(b"l", 5, 2, 7)], "c.html": [("m", 0, 1, 2)],
                           "d.html": [(b"n", 0, 1)], "timeline.json": [["anything", 1, 2]]})
    indexes = load_indexes(stored)
    assert set(indexes) == {"a.html", "b.html", "c.html", "d.html", "timeline.json"}
    files = {path: b"0123456789" for path in indexes}
    offered = Reuse(files.get, indexes)
    assert set(offered.fragments) == {b"k", b"l", "m"}  # d.html's entries are not entries at all
    assert offered.fragment(b"l") is None and offered.fragment(b"n") is None  # the end before the start
    assert offered.fragment(b"k") is None  # its checksum does not match those bytes
    right = [(b"k", 0, 4, zlib.crc32(b"0123"))]
    assert Reuse(files.get, load_indexes(dump_indexes({"a.html": right}))).fragment(b"k") == "0123"


def test_each_index_is_decoded_only_when_used_and_one_that_is_not_an_index_is_ignored_alone() -> None:
    right = [(b"k", 0, 4, zlib.crc32(b"0123"))]
    stored = marshal.loads(dump_indexes({"a.html": right, "b.html": right}))
    stored[1]["b.html"] = b"not marshal"
    stored[1]["c.html"] = marshal.dumps("not a list")
    indexes = load_indexes(marshal.dumps(stored))
    assert all(isinstance(index, bytes) for index in indexes.values())  # nothing decoded yet
    offered = Reuse({path: b"0123456789" for path in indexes}.get, indexes)
    assert offered.index("a.html") == right and offered.index("b.html") is None and offered.index("c.html") is None
    assert offered.fragment(b"k") == "0123"
    # An index carried over from the last build (a file kept as it was) is written back as the bytes it came as.
    assert load_indexes(dump_indexes(indexes)) == indexes


def test_a_fragment_is_only_copied_from_bytes_that_match_its_checksum() -> None:
    piece = "<p>Événement</p>".encode()
    data = b"<html>" + piece + b"</html>"
    index = {"a.html": locate(data, [(b"key", piece)])}
    assert Reuse({"a.html": data}.get, index).fragment(b"key") == "<p>Événement</p>"
    assert Reuse({"a.html": data.replace(b"<p>", b"<b>")}.get, index).fragment(b"key") is None
    assert Reuse({"a.html": data[:8]}.get, index).fragment(b"key") is None
    assert Reuse({}.get, index).fragment(b"key") is None
    assert Reuse({"a.html": data}.get, index).fragment(b"other") is None
