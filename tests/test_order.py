from __future__ import annotations

import datetime as dt

from timeline.model import Event, EventDate, Source
from timeline.order import order_events
from timeline.timex import calendar_span


def event(event_id: str, value: str, position: int = 0, article: str = "a.md") -> Event:
    span = calendar_span(value)
    assert span is not None
    source = Source(article, "T", None, dt.date(2025, 3, 15), "s", position, "x", 0, 1)
    return Event(event_id, EventDate(value, span), event_id, "s", (source,), position=position)


def test_wider_span_first_then_time_of_day() -> None:
    events = [
        event("evening", "2024-08-01TEV"),
        event("day", "2024-08-01"),
        event("clock", "2024-08-01T09:30"),
        event("month", "2024-08"),
        event("year", "2024"),
        event("later-day", "2024-08-12"),
        event("morning", "2024-08-01TMO"),
        event("decade", "199"),
    ]
    ordered = [e.id for e in order_events(events)]
    assert ordered == ["decade", "year", "month", "day", "morning", "clock", "evening", "later-day"]


def test_ties_do_not_depend_on_input_order() -> None:
    events = [
        event("b", "2024-08-01", 50, "b.md"),
        event("a", "2024-08-01", 10, "b.md"),
        event("c", "2024-08-01", 0, "a.md"),
    ]
    assert [e.id for e in order_events(events)] == ["c", "a", "b"]
    assert order_events(reversed(events)) == order_events(events)


def test_within_one_day_time_of_day_then_the_editors_order_then_position() -> None:
    from dataclasses import replace

    events = [
        replace(event("late-in-article", "2024-08-01", 90), order=None),
        replace(event("editor-first", "2024-08-01", 80), order=-1),
        event("early-in-article", "2024-08-01", 10),
        replace(event("editor-last", "2024-08-01", 5), order=2),
        replace(event("evening", "2024-08-01TEV", 0), order=-5),  # the time of day comes before the order value
    ]
    ordered = [e.id for e in order_events(events)]
    assert ordered == ["editor-first", "early-in-article", "late-in-article", "editor-last", "evening"]
