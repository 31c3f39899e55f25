"""The timeline as a TimelineJS3 data file (``timelinejs.json``), loadable by TimelineJS3 as it is.

TimelineJS3's JSON format: ``{"title": slide, "events": [slide, …], "scale": "human"}``, where a slide
has ``start_date``/``end_date`` objects (``year`` required; ``month``, ``day``, ``hour``, ``minute``,
``second`` optional), ``text`` ``{headline, text}`` (both HTML), ``unique_id``, ``group`` and
``display_date``. A date object only carries the fields our precision knows, so TimelineJS shows
"August 2024" for a month and never invents a day; ``display_date`` gives our own words in the site's
language, so the precision is visible there too.

The file is made as ``splice.Parts``, one slide per event; a slide depends on its event, its unique id
(made unique over all events, so one event's new id can move another's) and the language.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from markupsafe import escape

from . import dateformat
from .exports import json_parts
from .filters import unique_names
from .markup import event_html
from .model import Event, EventDate, Timeline
from .splice import Parts, assemble

# TimelineJS3 runs every unique_id through its slugify, which lowercases, drops other characters and
# puts "_" before a leading digit; ids already in this shape pass through unchanged.
_TLJS_ID = re.compile(r"[a-z][a-z0-9-]*")
# Ids that are already their own slug (lowercase words joined by single hyphens): most ids, and the regex
# substitution below costs ten times this match.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SPAN_YEARS = frozenset({"century", "decade"})
_MONTH_SPANS = frozenset({"half", "season", "quarter"})


def timelinejs_json(timeline: Timeline, language: str = "en") -> bytes:
    """``timelinejs.json``: a title slide and one slide per event, in timeline order; same input, same bytes."""
    return assemble(timelinejs_parts(timeline, language))


def timelinejs_parts(timeline: Timeline, language: str = "en") -> Parts:
    """``timelinejs.json`` as one slide per event, in timeline order; extras are the slides' unique ids."""
    events = timeline.events
    ids = _unique_ids(event.id for event in events)
    title: dict[str, Any] = {
        "text": {"headline": str(escape(timeline.title)), "text": str(escape(timeline.description))},
        "unique_id": "title",
    }
    document = {"title": title, "events": None, "scale": "human"}
    return json_parts(document, "events", lambda i: _slide(events[i], ids[i], language), ids,
                      repr(("timelinejs.json", language)))


def _unique_ids(event_ids: Any) -> list[str]:
    """A TimelineJS-safe id per event: the event id when it is one already, else "event-" and a slug of it."""
    bases = (event_id if _TLJS_ID.fullmatch(event_id) else "event-" + _slug(event_id) for event_id in event_ids)
    return unique_names(bases, taken=("title",))  # "title" is the title slide's id


def _slug(event_id: str) -> str:
    if _SLUG.fullmatch(event_id):
        return event_id
    return _NOT_SLUG.sub("-", event_id.lower()).strip("-")


def _slide(event: Event, slide_id: str, language: str) -> dict[str, Any]:
    start, end = timelinejs_dates(event.date)
    slide: dict[str, Any] = {"start_date": start}
    if end is not None:
        slide["end_date"] = end
    slide["display_date"] = dateformat.format_event_date(event.date, language)
    slide["text"] = {"headline": str(escape(event.title)), "text": str(event_html(event))}
    slide["unique_id"] = slide_id
    if event.tags:
        slide["group"] = event.tags[0]  # TimelineJS gives each group a row; an event's first tag names it
    return slide


def timelinejs_dates(event_date: EventDate) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS start and end date objects holding only the fields the date's precision knows."""
    precision, start, end = event_date.precision, event_date.start, event_date.end
    if precision in _SPAN_YEARS:
        return {"year": start.year}, {"year": end.year}
    if precision == "year":
        return {"year": start.year}, None
    if precision in _MONTH_SPANS:
        return _month(start), _month(end)
    if precision == "month":
        return _month(start), None
    if precision == "week":
        return _day(start), _day(end)
    if precision in ("day", "partofday"):
        return _day(start), None
    clock = dateformat.clock_time(event_date)
    fields = _day(clock.date())
    fields["hour"] = clock.hour
    if precision in ("minute", "second"):
        fields["minute"] = clock.minute
    if precision == "second":
        fields["second"] = clock.second
    return fields, None


def _month(day: date) -> dict[str, int]:
    return {"year": day.year, "month": day.month}


def _day(day: date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}
