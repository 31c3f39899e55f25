"""Exports made from per-event pieces: the same bytes as the whole file, whatever the previous build left behind.

The property tests draw small timelines of awkward text (newlines, quotes, "null", long lines to fold,
characters of several UTF-8 octets), edit them as an editor would, and check that ``splice`` with any previous
file and index (the right one, a stale one, another export's, truncated, edited, garbage) gives exactly the
bytes of ``assemble``, which in turn are those of the whole file written in one go.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from tests.test_render import TIMELINE
from timeline import ical, timelinejs
from timeline import splice as splice_module
from timeline.exports import event_json, json_file, timeline_json, timeline_json_parts
from timeline.feeds import _entry, atom_feed, atom_feed_parts, latest_update, xml_text
from timeline.ical import escape_text, fold, icalendar_file, icalendar_parts
from timeline.model import Event, EventDate, Source, Timeline
from timeline.settings import Settings
from timeline.splice import IndexEntry, Parts, ProvenIndex, assemble, piece_keys, prove, seal, splice, splice_chunks
from timeline.timelinejs import timelinejs_json, timelinejs_parts
from timeline.timex import calendar_span

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(PROPERTY, max_examples=150)  # for the two dozen kinds of previous build at once
SETTINGS = Settings(base_url="https://news.example/timeline/", language="en")

# -- the whole files as they were written before they were cut into pieces: the oracles -------------------------


def whole_timeline_json(timeline: Timeline) -> bytes:
    return json_file({"title": timeline.title, "events": [event_json(event) for event in timeline.events]})


def whole_timelinejs(timeline: Timeline, language: str) -> bytes:
    ids = timelinejs._unique_ids(event.id for event in timeline.events)
    title = {"text": {"headline": str(escape(timeline.title)), "text": str(escape(timeline.description))},
             "unique_id": "title"}
    slides = [timelinejs._slide(event, slide_id, language)
              for event, slide_id in zip(timeline.events, ids, strict=True)]
    return json_file({"title": title, "events": slides, "scale": "human"})


def whole_icalendar(timeline: Timeline, settings: Settings, pages: dict[str, str]) -> bytes:
    stamp = latest_update(timeline.events)
    title = escape_text(timeline.title)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ical.PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"NAME:{title}", f"X-WR-CALNAME:{title}"]
    if timeline.description:
        lines.append(f"X-WR-CALDESC:{escape_text(timeline.description)}")
    for event in timeline.events:
        lines += ical._vevent(event, settings, stamp, pages.get(event.id, ""))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")


def whole_atom(timeline: Timeline, settings: Settings, pages: dict[str, str]) -> bytes:
    base, title = xml_text(settings.base_url), xml_text(timeline.title)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{xml_text(settings.language.replace("_", "-"))}">',
             f"  <title>{title}</title>"]
    if timeline.description:
        lines.append(f"  <subtitle>{xml_text(timeline.description)}</subtitle>")
    lines += [f"  <id>{base}</id>", f'  <link rel="alternate" type="text/html" href="{base}"/>',
              f'  <link rel="self" type="application/atom+xml" href="{base}feed.atom"/>',
              f"  <updated>{latest_update(timeline.events).isoformat()}T00:00:00Z</updated>",
              f"  <author><name>{title}</name></author>", "  <generator>timeline</generator>"]
    lines += [_entry(event, settings, pages.get(event.id, "")) for event in reversed(timeline.events)]
    return "\n".join([*lines, "</feed>", ""]).encode("utf-8")


# An export: its parts, its whole file as the module writes it, the oracle, and whether its pieces run backwards.
Whole = Callable[[Timeline, Settings, dict[str, str]], bytes]
Export = tuple[Callable[[Timeline, Settings, dict[str, str]], Parts], Whole, Whole, bool]
EXPORTS: dict[str, Export] = {
    "timeline.json": (lambda t, s, p: timeline_json_parts(t), lambda t, s, p: timeline_json(t),
                      lambda t, s, p: whole_timeline_json(t), False),
    "timelinejs.json": (lambda t, s, p: timelinejs_parts(t, s.language), lambda t, s, p: timelinejs_json(t, s.language),
                        lambda t, s, p: whole_timelinejs(t, s.language), False),
    "timeline.ics": (icalendar_parts, icalendar_file, whole_icalendar, False),
    "feed.atom": (atom_feed_parts, atom_feed, whole_atom, True),
}


def event_keys(timeline: Timeline, latest_first: bool = False) -> list[str]:
    """A key per event as a caller would make it; the feed's pieces, and so its keys, run latest first."""
    keys = [hashlib.sha256(repr(event).encode("utf-8")).hexdigest() for event in timeline.events]
    return keys[::-1] if latest_first else keys


def assert_index_describes(parts: Parts, data: bytes, index: Sequence[IndexEntry], keys: Sequence[str]) -> None:
    """The index names every piece, in order, by its key, at the place where its bytes are, with their CRC."""
    assert len(index) == len(keys)
    for i, ((name, start, end, crc), key) in enumerate(zip(index, piece_keys(parts.salt, keys, parts.extras),
                                                           strict=True)):
        assert data[start:end] == parts.piece(i)
        assert name == key
        assert crc == zlib.crc32(data[start:end])


def counting(parts: Parts) -> tuple[Parts, list[int]]:
    """The parts, and the list of pieces made through them."""
    made: list[int] = []

    def piece(i: int) -> bytes:
        made.append(i)
        return parts.piece(i)

    return parts._replace(piece=piece), made


# -- random timelines ---------------------------------------------------------------------------------------------

AWKWARD = ["", "null", "piece", '"piece"', "a\nb", "a\r\nb", "\t", "\\", ";,:", "<&>\"'", "\x00\x07\x1f\x7f",
           "é" * 40, "日本語" * 30, "😀" * 25, "x" * 120, "**bold** [link](https://a.example/)", "<script>"]
TEXT = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                                                  max_size=40))
IDS = st.one_of(st.sampled_from(["a", "b", "A", "a-2", "1x", "event-1x", "title", "x y", "Ünïcode", "", "a--b-"]),
                st.text(max_size=12))
VALUES = ["19", "199", "2024", "2024-SU", "2024-H1", "2024-Q2", "2024-08", "2025-W10", "2025-03-12",
          "2025-03-12TEV", "2025-03-12T14", "2025-03-12T14:30", "2025-03-12T14:30:05", "1900-01-01", "2100-12-31"]
DATELINES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def sources(draw: st.DrawFn) -> Source:
    sentence = draw(TEXT)
    start = draw(st.integers(0, len(sentence)))
    end = draw(st.integers(start, len(sentence)))
    return Source(article=draw(TEXT), title=draw(TEXT), url=draw(st.none() | st.just("https://news.example/a")),
                  dateline=draw(DATELINES), sentence=sentence, sentence_start=0,
                  expression_text=sentence[start:end], expression_start=start, expression_end=end,
                  reading=draw(TEXT), value=draw(st.sampled_from(["", "2024-08"])))


@st.composite
def events(draw: st.DrawFn) -> Event:
    value = draw(st.sampled_from(VALUES))
    span = calendar_span(value)
    assert span is not None
    cited = draw(st.lists(sources(), max_size=3))
    markdown = draw(st.booleans())
    text = draw(TEXT if markdown or not cited else st.sampled_from([cited[0].sentence, "Said otherwise."]))
    return Event(id=draw(IDS), date=EventDate(value, span, draw(st.sampled_from([None, "START", "MID", "APPROX"]))),
                 title=draw(TEXT), text=text, sources=tuple(cited), tags=tuple(draw(st.lists(TEXT, max_size=2))),
                 text_is_markdown=markdown, reported=draw(st.booleans()), as_of=draw(st.booleans()),
                 review=tuple(draw(st.lists(TEXT, max_size=1))))


TIMELINES = st.builds(Timeline, TEXT, TEXT, st.lists(events(), max_size=6).map(tuple))
BUILD_SETTINGS = st.builds(Settings, base_url=st.sampled_from(["https://news.example/", "https://b.example/x/"]),
                           language=st.sampled_from(["en", "fr", "de"]))


def pages_of(timeline: Timeline, split: bool) -> dict[str, str]:
    """Each event's page on a site with a page per year, or none (every event on the index)."""
    return {event.id: f"{event.date.start.year}.html" for event in timeline.events} if split else {}


@st.composite
def edited(draw: st.DrawFn, timeline: Timeline) -> Timeline:
    """The timeline after an editor's changes: events changed, added, removed or moved, the title retitled."""
    changed = list(timeline.events)
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["change", "insert", "delete", "move", "retitle", "rename", "report"]))
        at = draw(st.integers(0, max(len(changed) - 1, 0)))
        if action == "insert" or not changed:
            changed.insert(at, draw(events()))
        elif action == "change":
            changed[at] = draw(events())
        elif action == "delete":
            del changed[at]
        elif action == "move":
            changed.insert(draw(st.integers(0, len(changed) - 1)), changed.pop(at))
        elif action == "retitle":
            changed[at] = dataclasses.replace(changed[at], title=changed[at].title + draw(TEXT))
        elif action == "rename":  # a new id moves the TimelineJS ids made unique after it
            changed[at] = dataclasses.replace(changed[at], id=draw(IDS))
        else:  # a new report of the event: a later dateline moves the calendar's DTSTAMP
            report = dataclasses.replace(draw(sources()), dateline=draw(st.sampled_from([dt.date(2101, 1, 1),
                                                                                          dt.date(1899, 1, 1)])))
            changed[at] = dataclasses.replace(changed[at], sources=(*changed[at].sources, report))
    title = draw(st.sampled_from([timeline.title, timeline.title + "!"]))
    return Timeline(title, timeline.description, tuple(changed))


# -- the pieces put together are the whole file -------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
@PROPERTY
@given(timeline=TIMELINES, build=BUILD_SETTINGS, split=st.booleans())
def test_pieces_assemble_into_the_whole_file(name: str, timeline: Timeline, build: Settings, split: bool) -> None:
    make_parts, whole_file, oracle, _ = EXPORTS[name]
    pages = pages_of(timeline, split)
    parts = make_parts(timeline, build, pages)
    assert len(parts.extras) == len(timeline.events)
    assert assemble(parts) == whole_file(timeline, build, pages) == oracle(timeline, build, pages)


@pytest.mark.parametrize("name", EXPORTS)
def test_an_empty_timeline_is_its_head(name: str) -> None:
    make_parts, whole_file, oracle, _ = EXPORTS[name]
    empty = Timeline("Nothing yet", "", ())
    parts = make_parts(empty, SETTINGS, {})
    assert assemble(parts) == whole_file(empty, SETTINGS, {}) == oracle(empty, SETTINGS, {})
    full = splice(make_parts(TIMELINE, SETTINGS, {}), event_keys(TIMELINE), None)
    assert splice(parts, [], None) == splice(parts, [], full) == (assemble(parts), [])


def test_a_title_holding_the_marker_does_not_move_the_pieces() -> None:
    """The events list is found by a marker; a title made of markers must not be taken for it."""
    timeline = dataclasses.replace(TIMELINE, title='piece "piece" "piece-" piece--')
    parts = timeline_json_parts(timeline)
    assert assemble(parts) == whole_timeline_json(timeline)
    assert json.loads(assemble(parts))["title"] == timeline.title


def test_json_pieces_are_indented_to_their_depth() -> None:
    parts = timeline_json_parts(TIMELINE)
    assert parts.head.endswith(b'"events": [\n    ')
    assert parts.separator == b",\n    "
    assert parts.tail == b"\n  ]\n}\n"
    assert parts.piece(0).startswith(b'{\n      "id": ')
    assert parts.piece(0).endswith(b"\n    }")


# -- salt and extras: what a piece depends on besides its event ----------------------------------------------------


def test_salts_and_extras() -> None:
    pages = {TIMELINE.events[0].id: "2024.html"}
    ids = [event.id for event in TIMELINE.events]
    assert timeline_json_parts(TIMELINE).extras == [""] * len(ids)
    assert timelinejs_parts(TIMELINE, "fr").extras == ids  # these ids are TimelineJS ids already
    assert timelinejs_parts(TIMELINE, "fr").salt != timelinejs_parts(TIMELINE, "en").salt
    calendar = icalendar_parts(TIMELINE, SETTINGS, pages)
    assert calendar.extras == ["2024.html"] + [""] * (len(ids) - 1)
    assert "2025-03-15" in calendar.salt  # the DTSTAMP day: every VEVENT holds it
    feed = atom_feed_parts(TIMELINE, SETTINGS, pages)
    assert feed.extras == [""] * (len(ids) - 1) + ["2024.html"]  # latest first
    assert feed.piece(0) == _entry(TIMELINE.events[-1], SETTINGS, "").encode("utf-8")
    salts = {timeline_json_parts(TIMELINE).salt, timelinejs_parts(TIMELINE).salt, calendar.salt, feed.salt}
    assert len(salts) == 4  # one export's index never lends pieces to another


def test_timelinejs_ids_already_slugs_pass_through_and_others_are_slugged() -> None:
    assert timelinejs._unique_ids(["kursk-aug", "2024-kursk", "Kursk Aug", "2a--b-", "title", "kursk-aug"]) == [
        "kursk-aug", "event-2024-kursk", "event-kursk-aug", "event-2a-b", "title-2", "kursk-aug-2"]


# -- splice gives the whole file whatever came before -------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
@PROPERTY
@given(data=st.data(), before=TIMELINES, build=BUILD_SETTINGS, rebuild=BUILD_SETTINGS, split=st.booleans())
def test_splice_after_edits_is_the_whole_file(name: str, data: st.DataObject, before: Timeline, build: Settings,
                                              rebuild: Settings, split: bool) -> None:
    """Keys hash the event alone, so settings and pages that change between builds must be in salts and extras."""
    make_parts, whole_file, _, latest_first = EXPORTS[name]
    after = data.draw(edited(before))
    first = splice(make_parts(before, build, pages_of(before, split)), event_keys(before, latest_first), None)
    pages = pages_of(after, data.draw(st.booleans()))
    parts = make_parts(after, rebuild, pages)
    keys = event_keys(after, latest_first)
    result, index = splice(parts, keys, first)
    assert result == whole_file(after, rebuild, pages)
    assert_index_describes(parts, result, index, keys)


def garbage_previous(real: tuple[bytes, list[IndexEntry]], other: tuple[bytes, list[IndexEntry]]) -> st.SearchStrategy[
        object]:
    """Previous files and indexes that splice must not be fooled by, most of them close to the real one."""
    data, index = real
    cut = st.integers(0, max(len(data) - 1, 0))
    entries = st.tuples(st.one_of(st.sampled_from([e[0] for e in index] or ["k"]), st.text(max_size=40)),
                        st.integers(-3, len(data) + 3), st.integers(-3, len(data) + 3),
                        st.one_of(st.sampled_from([e[3] for e in index] or [0]), st.integers(-1, 2 ** 32)))
    shifted = st.builds(lambda d: [(k, s + d, e + d, c) for k, s, e, c in index], st.integers(-5, 5))
    return st.one_of(
        st.none(), st.just(other), st.just((other[0], index)), st.just((data, other[1])),
        st.builds(lambda n: (data[:n], index), cut),  # a truncated file
        st.builds(lambda n, b: (data[:n] + b + data[n:], index), cut, st.binary(min_size=1, max_size=3)),  # edited
        st.builds(lambda n: (data[:n] + data[n + 1 :], index), cut),  # a byte lost
        st.builds(lambda n: (data[:n] + bytes([data[n] ^ 1]) + data[n + 1 :] if data else data, index), cut),
        st.builds(lambda i: (data, i), shifted),
        st.builds(lambda i: (data, i), st.lists(entries, max_size=8)),
        st.builds(lambda b, i: (b, i), st.binary(max_size=200), st.lists(entries, max_size=8)),
        st.just((data, [[k, s, e, c] for k, s, e, c in index])),  # through JSON: lists, still good
        st.just((data, [(k, True, e, c) for k, s, e, c in index])),
        st.just((data, [(k, float(s), e, c) for k, s, e, c in index])),
        st.just((data, [(k, s, e) for k, s, e, c in index])),
        st.just((data, [(k, s, e, c ^ 1) for k, s, e, c in index])),
        st.just((data, [(k, s, e, str(c)) for k, s, e, c in index])), st.just((data, index[::-1])),
        st.just((data, [(k, s, e, c, c) for k, s, e, c in index])), st.just((data, ["abcd"] * len(index))),
        st.just((bytearray(data), index)), st.just((index, data)), st.just([data]), st.just(data), st.just(7),
        st.just((data, None)), st.just((data, [(1, 2)])), st.just((data, index, index)),
    )


@pytest.mark.parametrize("name", EXPORTS)
@MANY
@given(data=st.data(), before=TIMELINES, other=TIMELINES, split=st.booleans())
def test_splice_with_any_previous_is_the_whole_file(name: str, data: st.DataObject, before: Timeline,
                                                    other: Timeline, split: bool) -> None:
    make_parts, whole_file, _, latest_first = EXPORTS[name]
    real = splice(make_parts(before, SETTINGS, {}), event_keys(before, latest_first), None)
    another = splice(make_parts(other, SETTINGS, {}), event_keys(other, latest_first), None)
    after = data.draw(edited(before))
    previous = data.draw(garbage_previous(real, another))
    pages = pages_of(after, split)
    parts = make_parts(after, SETTINGS, pages)
    keys = event_keys(after, latest_first)
    result, index = splice(parts, keys, previous)  # type: ignore[arg-type]
    assert result == whole_file(after, SETTINGS, pages)
    assert_index_describes(parts, result, index, keys)


# -- what splice copies rather than makes -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORTS)
def test_one_changed_event_is_the_only_piece_made(name: str) -> None:
    make_parts, whole_file, _, latest_first = EXPORTS[name]
    previous = splice(make_parts(TIMELINE, SETTINGS, {}), event_keys(TIMELINE, latest_first), None)
    events = list(TIMELINE.events)
    events[3] = dataclasses.replace(events[3], title="Early-year talk, corrected")
    after = dataclasses.replace(TIMELINE, events=tuple(events))
    parts, made = counting(make_parts(after, SETTINGS, {}))
    result, _ = splice(parts, event_keys(after, latest_first), previous)
    assert result == whole_file(after, SETTINGS, {})
    assert made == [len(events) - 1 - 3 if latest_first else 3]


@pytest.mark.parametrize("name", EXPORTS)
def test_the_same_timeline_again_makes_no_piece(name: str) -> None:
    make_parts, _, _, latest_first = EXPORTS[name]
    keys = event_keys(TIMELINE, latest_first)
    previous = splice(make_parts(TIMELINE, SETTINGS, {}), keys, None)
    parts, made = counting(make_parts(TIMELINE, SETTINGS, {}))
    assert splice(parts, keys, previous) == previous
    assert made == []


def test_a_later_dateline_makes_every_vevent_again() -> None:
    """Every VEVENT holds the DTSTAMP, the latest dateline of all: a newer report changes them all."""
    keys = event_keys(TIMELINE)
    previous = splice(icalendar_parts(TIMELINE, SETTINGS, {}), keys, None)
    last = TIMELINE.events[-1]
    newer = dataclasses.replace(last.sources[0], dateline=dt.date(2025, 4, 1))
    events = (*TIMELINE.events[:-1], dataclasses.replace(last, sources=(newer,)))
    after = dataclasses.replace(TIMELINE, events=events)
    parts, made = counting(icalendar_parts(after, SETTINGS, {}))
    result, _ = splice(parts, event_keys(after), previous)
    assert result == icalendar_file(after, SETTINGS, {})
    assert made == list(range(len(events)))


def test_a_new_id_makes_the_slide_whose_unique_id_it_takes() -> None:
    """Renaming an event to another's id gives the later one a "-2": its slide is made again too."""
    keys = event_keys(TIMELINE)
    previous = splice(timelinejs_parts(TIMELINE), keys, None)
    events = list(TIMELINE.events)
    events[1] = dataclasses.replace(events[1], id=events[2].id)
    after = dataclasses.replace(TIMELINE, events=tuple(events))
    parts, made = counting(timelinejs_parts(after))
    result, _ = splice(parts, event_keys(after), previous)
    assert result == timelinejs_json(after)
    assert made == [1, 2]


def test_a_truncated_file_still_lends_the_pieces_before_its_end() -> None:
    keys = event_keys(TIMELINE)
    data, index = splice(icalendar_parts(TIMELINE, SETTINGS, {}), keys, None)
    parts, made = counting(icalendar_parts(TIMELINE, SETTINGS, {}))
    result, _ = splice(parts, keys, (data[: index[3][2] + 5], index))
    assert result == data
    assert made == list(range(4, len(keys)))


def test_a_file_edited_in_the_middle_lends_only_the_pieces_its_crc_still_matches() -> None:
    """The calendar has no separator to show a shift: the CRC is what catches it."""
    keys = event_keys(TIMELINE)
    data, index = splice(icalendar_parts(TIMELINE, SETTINGS, {}), keys, None)
    at = index[2][1] + 10
    parts, made = counting(icalendar_parts(TIMELINE, SETTINGS, {}))
    result, _ = splice(parts, keys, (data[:at] + b"X" + data[at:], index))
    assert result == data
    assert made == list(range(2, len(keys)))  # the edited piece, and every piece after it, now one byte off


def test_an_index_through_json_is_still_used() -> None:
    keys = event_keys(TIMELINE)
    data, index = splice(timeline_json_parts(TIMELINE), keys, None)
    parts, made = counting(timeline_json_parts(TIMELINE))
    assert splice(parts, keys, (data, json.loads(json.dumps(index))))[0] == data
    assert made == []


def test_a_malformed_entry_discards_the_whole_index() -> None:
    keys = event_keys(TIMELINE)
    data, index = splice(timeline_json_parts(TIMELINE), keys, None)
    parts, made = counting(timeline_json_parts(TIMELINE))
    assert splice(parts, keys, (data, [*index, ("garbage", -1, 0, 0)]))[0] == data
    assert made == list(range(len(keys)))


def test_one_key_per_piece() -> None:
    with pytest.raises(ValueError, match="2 event keys for 8 pieces: give one per piece"):
        splice(timeline_json_parts(TIMELINE), ["a", "b"], None)


def test_piece_keys_tell_apart_what_plain_joining_would_not() -> None:
    """("", "ab", ""), ("", "a", "b") and ("a", "b", "") all join to "ab"; their keys must differ."""
    keys = piece_keys("", ["ab", "a"], ["", "b"]) + piece_keys("a", ["b"], [""])
    assert len(set(keys)) == 3
    assert piece_keys("s", ["a"], ["b"]) == piece_keys("s", ["a"], ["b"])


@pytest.mark.parametrize("name", EXPORTS)
def test_pieces_copied_in_a_row_come_as_one_chunk_of_the_previous_file(name: str) -> None:
    """After one edit, the file is a handful of chunks (views of the old bytes around the new piece), not one per
    piece, so a large export is written without being assembled in memory."""
    make_parts, whole_file, _, latest_first = EXPORTS[name]
    keys = event_keys(TIMELINE, latest_first)
    previous = splice(make_parts(TIMELINE, SETTINGS, {}), keys, None)
    middle = len(TIMELINE.events) // 2
    changed = dataclasses.replace(TIMELINE.events[middle], title="A title of another day")
    after = dataclasses.replace(TIMELINE, events=(*TIMELINE.events[:middle], changed, *TIMELINE.events[middle + 1:]))
    after_keys = event_keys(after, latest_first)
    chunks, index = splice_chunks(make_parts(after, SETTINGS, {}), after_keys, previous)
    assert b"".join(chunks) == whole_file(after, SETTINGS, {})
    assert (b"".join(chunks), index) == splice(make_parts(after, SETTINGS, {}), after_keys, previous)
    views = [chunk for chunk in chunks if isinstance(chunk, memoryview)]
    assert len(views) == 2  # the events before the new piece, and those after it
    assert len(chunks) <= 7  # head, view, separator, piece, separator, view, tail
    assert sum(len(view) for view in views) > len(previous[0]) // 2


# -- an index sealed with its file's digest, proven for the whole file at once ----------------------------------------


def test_a_sealed_index_is_proven_only_for_the_digest_it_names() -> None:
    data, index = splice(timeline_json_parts(TIMELINE), event_keys(TIMELINE), None)
    digest = hashlib.sha256(data).hexdigest()
    sealed = seal(index, digest)
    proven = prove(sealed, digest)
    assert isinstance(proven, ProvenIndex) and proven == index
    assert prove(json.loads(json.dumps(sealed)), digest) == [list(entry) for entry in index]  # as lists, from JSON
    assert prove(sealed, hashlib.sha256(b"another file").hexdigest()) is None
    assert prove(index, digest) is None  # not sealed
    assert prove([], digest) is None
    assert prove("garbage", digest) is None
    assert prove([("sha256:", 0)], digest) is None


def test_a_sealed_index_not_proven_lends_its_pieces_each_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given as stored, a plain list: the seal's entry lends nothing, and every piece is checked by its CRC."""
    keys = event_keys(TIMELINE)
    data, index = splice(icalendar_parts(TIMELINE, SETTINGS, {}), keys, None)
    at = index[2][1] + 10
    parts, made = counting(icalendar_parts(TIMELINE, SETTINGS, {}))
    sealed = seal(index, hashlib.sha256(data).hexdigest())
    assert splice(parts, keys, (data[:at] + b"X" + data[at:], sealed))[0] == data
    assert made == list(range(2, len(keys)))


@pytest.mark.parametrize("name", EXPORTS)
def test_a_proven_index_copies_its_pieces_without_a_crc_of_each(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make_parts, whole_file, _, latest_first = EXPORTS[name]
    keys = event_keys(TIMELINE, latest_first)
    data, index = splice(make_parts(TIMELINE, SETTINGS, {}), keys, None)
    middle = len(TIMELINE.events) // 2
    changed = dataclasses.replace(TIMELINE.events[middle], title="A title of another day")
    after = dataclasses.replace(TIMELINE, events=(*TIMELINE.events[:middle], changed, *TIMELINE.events[middle + 1:]))
    after_keys = event_keys(after, latest_first)
    crcs: list[int] = []

    def crc32(piece: bytes) -> int:
        crcs.append(len(piece))
        return zlib.crc32(piece)

    monkeypatch.setattr(splice_module, "zlib", type("Zlib", (), {"crc32": staticmethod(crc32)}))
    checked = splice(make_parts(after, SETTINGS, {}), after_keys, (data, index))
    assert len(crcs) == len(keys)  # each copied piece checked, and the new one's made
    crcs.clear()
    proven = prove(seal(index, "digest"), "digest")
    assert splice(make_parts(after, SETTINGS, {}), after_keys, (data, proven)) == checked
    assert checked[0] == whole_file(after, SETTINGS, {})
    assert len(crcs) == 1  # the new piece's alone
