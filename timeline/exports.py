"""Machine-readable exports of a timeline: ``timeline.json``.

The key order below is the documented order (see the README), so the output is built by hand rather
than with ``sort_keys``; together with a fixed indent and a trailing newline, the same timeline always
gives the same bytes. msgspec writes it: the standard library's encoder runs in pure Python as soon as it
indents, and took a second for 3,500 events; msgspec gives the same bytes seven times faster.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .model import Event, EventDate, Source, Timeline


def timeline_json(timeline: Timeline) -> bytes:
    """The timeline as ``timeline.json``: UTF-8, indented by 2, events in the timeline's order."""
    document = {"title": timeline.title, "events": [event_json(event) for event in timeline.events]}
    return json_file(document)


def json_file(document: Any) -> bytes:
    """``document`` as an indented UTF-8 JSON file (characters as they are, not escaped), ending with a newline."""
    return msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"


def event_json(event: Event) -> dict[str, Any]:
    """One event as a JSON-ready dict, keys in the documented order; ``as_of``, ``reported``, ``review`` when set."""
    result: dict[str, Any] = {
        "id": event.id,
        "date": date_json(event.date),
        "title": event.title,
        "text": event.text,
        "text_format": "markdown" if event.text_is_markdown else "plain",
        "tags": list(event.tags),
        "sources": [source_json(source) for source in event.sources],
    }
    if event.as_of:
        result["as_of"] = True  # the date is when a state held ("as of Wednesday evening, 86% ...")
    if event.reported:
        result["reported"] = True  # no date of its own: dated by the article's dateline
    if event.review:
        result["review"] = list(event.review)
    return result


def date_json(event_date: EventDate) -> dict[str, Any]:
    """An event's date: TIMEX3 value, first and last day, precision, and ``mod`` only when there is one."""
    result: dict[str, Any] = {
        "value": event_date.value,
        "start": event_date.start.isoformat(),
        "end": event_date.end.isoformat(),
        "precision": event_date.precision,
    }
    if event_date.mod:
        result["mod"] = event_date.mod
    return result


def source_json(source: Source) -> dict[str, Any]:
    """One source; ``expression.start``/``end`` are offsets into ``sentence``, ``reading`` how its value was found."""
    return {
        "article": source.article,
        "title": source.title,
        "url": source.url,
        "dateline": source.dateline.isoformat(),
        "sentence": source.sentence,
        "expression": {
            "text": source.expression_text,
            "start": source.expression_start,
            "end": source.expression_end,
            "value": source.value,
            "reading": source.reading,
        },
    }
