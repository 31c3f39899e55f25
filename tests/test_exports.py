"""timeline.json: the documented shape, key order, and deterministic bytes."""

from __future__ import annotations

import json
from datetime import date

from timeline.exports import timeline_json
from timeline.model import Event, EventDate, Source, Timeline
from timeline.timex import calendar_span


def span(value: str) -> EventDate:
    s = calendar_span(value)
    assert s is not None
    return EventDate(value, s)


SOURCE = Source(
    article="articles/kursk.md", title="Kyiv weighs a ceasefire", url="https://news.example/kursk",
    dateline=date(2025, 3, 15), sentence="Ukraine’s offensive into Kursk in August changed the talks.",
    sentence_start=120, expression_text="in August", expression_start=31, expression_end=40,
    reading="month without a year, past tense: the last August before the dateline",
)
EVENTS = (
    Event(id="kursk-3f2a", date=span("2024-08"), title="Offensive into Kursk", text=SOURCE.sentence,
          sources=(SOURCE,), tags=("kursk",)),
    Event(id="later-9c1d", date=EventDate("2025-07", span("2025-07").span, "MID"), title="Talks in Geneva",
          text="Talks **resume** in Geneva.", sources=(), text_is_markdown=True),
)
TIMELINE = Timeline(title="Kursk — a timeline", description="not exported", events=EVENTS)


def test_exact_shape_and_key_order() -> None:
    document = json.loads(timeline_json(TIMELINE))
    assert document == {
        "title": "Kursk — a timeline",
        "events": [
            {
                "id": "kursk-3f2a",
                "date": {"value": "2024-08", "start": "2024-08-01", "end": "2024-08-31", "precision": "month"},
                "title": "Offensive into Kursk",
                "text": "Ukraine’s offensive into Kursk in August changed the talks.",
                "text_format": "plain",
                "tags": ["kursk"],
                "sources": [
                    {
                        "article": "articles/kursk.md",
                        "title": "Kyiv weighs a ceasefire",
                        "url": "https://news.example/kursk",
                        "dateline": "2025-03-15",
                        "sentence": "Ukraine’s offensive into Kursk in August changed the talks.",
                        "expression": {"text": "in August", "start": 31, "end": 40, "value": "",
                                       "reading": "month without a year, past tense: the last August before the "
                                                  "dateline"},
                    }
                ],
            },
            {
                "id": "later-9c1d",
                "date": {"value": "2025-07", "start": "2025-07-01", "end": "2025-07-31", "precision": "month",
                         "mod": "MID"},
                "title": "Talks in Geneva",
                "text": "Talks **resume** in Geneva.",
                "text_format": "markdown",
                "tags": [],
                "sources": [],
            },
        ],
    }
    assert list(document) == ["title", "events"]
    first = document["events"][0]
    assert list(first) == ["id", "date", "title", "text", "text_format", "tags", "sources"]
    assert list(first["date"]) == ["value", "start", "end", "precision"]
    assert list(first["sources"][0]) == ["article", "title", "url", "dateline", "sentence", "expression"]
    assert list(document["events"][1]["date"]) == ["value", "start", "end", "precision", "mod"]


def test_expression_offsets_point_into_the_sentence() -> None:
    source = json.loads(timeline_json(TIMELINE))["events"][0]["sources"][0]
    expression = source["expression"]
    assert source["sentence"][expression["start"]:expression["end"]] == expression["text"]


def test_events_keep_the_given_order() -> None:
    reversed_timeline = Timeline(title="t", description="", events=EVENTS[::-1])
    ids = [e["id"] for e in json.loads(timeline_json(reversed_timeline))["events"]]
    assert ids == ["later-9c1d", "kursk-3f2a"]


def test_missing_url_is_null() -> None:
    no_url = Source(**{**SOURCE.__dict__, "url": None})
    event = Event(id="e", date=span("2025-03-12TEV"), title="t", text="x", sources=(no_url,))
    data = json.loads(timeline_json(Timeline(title="t", description="", events=(event,))))
    assert data["events"][0]["sources"][0]["url"] is None
    assert data["events"][0]["date"] == {"value": "2025-03-12TEV", "start": "2025-03-12", "end": "2025-03-12",
                                         "precision": "partofday"}


def test_bytes_are_deterministic_utf8_indented_with_trailing_newline() -> None:
    data = timeline_json(TIMELINE)
    assert data == timeline_json(TIMELINE)
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "’" in text and "\\u" not in text  # ensure_ascii=False
    assert text.startswith('{\n  "title": "Kursk — a timeline",\n  "events": [\n    {\n      "id"')


def test_empty_timeline() -> None:
    assert timeline_json(Timeline(title="t", description="", events=())) == b'{\n  "title": "t",\n  "events": []\n}\n'


def test_the_file_is_laid_out_as_the_standard_library_would_write_it() -> None:
    """Indented by 2, characters as they are (controls escaped), one trailing newline: easy to read and to diff."""
    from timeline.exports import json_file

    document = {"title": "Café \u2028 \"quoted\" \\ </script>", "events": [
        {"id": "a", "text": "tab\there, bell\x07, nul\x00", "tags": [], "empty": {}, "n": 3, "no": None, "yes": True},
    ]}
    assert json_file(document) == (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
