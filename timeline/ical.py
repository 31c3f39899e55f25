"""The timeline as an iCalendar file (RFC 5545), ``timeline.ics``, written by hand and byte-deterministic.

Each event covers exactly its span: a day is an all-day event, a month an all-day span of that month
(DTSTART;VALUE=DATE its first day, DTEND;VALUE=DATE the day after its last: DTEND is exclusive), a
decade ten years of days. A part of the day ("evening") has no clock time, so it is its day. An hour,
minute or second is a floating local time (the articles do not say which time zone) lasting that unit.
UIDs are the event ids, so calendar apps update rather than duplicate events on a new build. DTSTAMP
is required; instead of the clock it is the latest dateline in the data, the day the data is "as of".

The file is made as ``splice.Parts``, one VEVENT per event. Every VEVENT holds the DTSTAMP, so it is part of
the salt: a newer dateline anywhere makes every piece again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from . import dateformat
from .feeds import latest_update, permalink
from .model import Event, Timeline
from .settings import Settings
from .splice import Parts, assemble

PRODID = "-//timeline//timeline static site//EN"
UID_DOMAIN = "timeline"  # UIDs are "<event id>@timeline": event ids are already unique and stable
# Controls other than tab, which a TEXT value may not hold (newlines are escaped before this applies).
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_UNIT = {"hour": timedelta(hours=1), "minute": timedelta(minutes=1), "second": timedelta(seconds=1)}


def escape_text(text: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newline escaped; other controls dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROLS.sub("", text)


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character, CRLF-ended."""
    return _folded(line).decode("utf-8")


def _folded(line: str) -> bytes:
    """``fold(line)`` as UTF-8: the pieces are bytes, so they skip decoding each line only to encode it again."""
    data = line.encode("utf-8")
    if len(data) <= 75:  # most lines
        return data + b"\r\n"
    pieces: list[bytes] = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation octet: cut before its character instead
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, 74  # a continuation line starts with one space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


def _date_value(day: date) -> str:
    return day.strftime("%Y%m%d")


def event_times(event: Event) -> tuple[str, str]:
    """The DTSTART and DTEND properties (name, parameters and value) for an event's span."""
    precision = event.date.precision
    if precision in _UNIT:
        start = dateformat.clock_time(event.date)
        end = start + _UNIT[precision]
        return f"DTSTART:{_floating(start)}", f"DTEND:{_floating(end)}"
    first, last = event.date.start, event.date.end
    return (f"DTSTART;VALUE=DATE:{_date_value(first)}",
            f"DTEND;VALUE=DATE:{_date_value(last + timedelta(days=1))}")


def _floating(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def icalendar_file(timeline: Timeline, settings: Settings, pages: Mapping[str, str] | None = None) -> bytes:
    """``timeline.ics``: a VCALENDAR with one VEVENT per event, in timeline order (``pages`` as for the feed)."""
    return assemble(icalendar_parts(timeline, settings, pages))


def icalendar_parts(timeline: Timeline, settings: Settings, pages: Mapping[str, str] | None = None,
                    updated: date | None = None) -> Parts:
    """``timeline.ics`` as one VEVENT per event, in timeline order; extras are the events' pages. ``updated`` is
    ``latest_update`` of the events, when the caller knows it."""
    events = timeline.events
    stamp = updated or latest_update(events)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(timeline.title)}",
        f"X-WR-CALNAME:{escape_text(timeline.title)}",
    ]
    if timeline.description:
        lines.append(f"X-WR-CALDESC:{escape_text(timeline.description)}")
    homes = [(pages or {}).get(event.id, "") for event in events]

    def piece(i: int) -> bytes:
        return b"".join([_folded(line) for line in _vevent(events[i], settings, stamp, homes[i])])

    head = b"".join([_folded(line) for line in lines])
    salt = repr(("timeline.ics", stamp.isoformat(), settings.language, settings.base_url))
    return Parts(head, b"", _folded("END:VCALENDAR"), homes, salt, piece)


def _vevent(event: Event, settings: Settings, stamp: date, page: str) -> list[str]:
    start, end = event_times(event)
    words = dateformat.format_event_date(event.date, settings.language)
    description = [words]
    if event.text not in [source.sentence for source in event.sources]:
        description.append(event.text)
    for source in event.sources:
        cited = f"{source.title}, {source.dateline.isoformat()}" + (f" <{source.url}>" if source.url else "")
        description.append(f"“{source.sentence}” ({cited})")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.id)}@{UID_DOMAIN}",
        f"DTSTAMP:{_date_value(stamp)}T000000Z",
        start,
        end,
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        "TRANSP:TRANSPARENT",  # a past event is not busy time in anyone's calendar
    ]
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(tag) for tag in event.tags))
    if settings.base_url:
        lines.append(f"URL:{permalink(settings.base_url, event.id, page)}")
    lines.append("END:VEVENT")
    return lines
