"""The order of the timeline.

Events are ordered by the first day their date covers.  On the same first
day, the wider span comes first, so "August 2024" stands before "1 August
2024" and "2024" before both: the broader context, then the detail.  Within
one day, whole-day events come before those with a part of day or a clock
time, and those by time of day (morning, afternoon, evening, night), then by
an editor's ``order:`` value (lower first; events without one count as 0).
Ties left after that are broken by the first source's dateline, the
article's path and the sentence's position in it, then the id, so the order
never depends on the order files were read in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .model import Event

_NO_SOURCE = dt.date.max


def order_events(events: Iterable[Event]) -> tuple[Event, ...]:
    """The events in timeline order (see the module's docstring for the rule)."""
    return tuple(sorted(events, key=timeline_key))


def timeline_key(event: Event) -> tuple[object, ...]:
    """The sort key that puts an event in its place on the timeline."""
    span = event.date.span
    width = (span.end - span.start).days
    minute = -1 if span.minute is None else span.minute
    first = event.sources[0] if event.sources else None
    return (
        span.start,
        -width,
        minute,
        event.order or 0,
        first.dateline if first else _NO_SOURCE,
        first.article if first else "",
        event.position,
        event.id,
    )
