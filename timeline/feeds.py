"""Formats that need absolute URLs, built from ``base_url``: the Atom feed and ``sitemap.xml``.

Without a ``base_url`` neither is written: Atom requires absolute ids and a sitemap absolute
locations, and a guessed host would be wrong. Nothing here reads the clock: an entry's ``updated`` is
the latest dateline among its sources, and the feed's is the latest of its entries'.

The feed is made as ``splice.Parts``, one entry per event. Its entries run latest first, so its piece i is
the entry of the i-th event from the end: keys given to ``splice`` go in that order too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from urllib.parse import quote

from . import dateformat
from .markup import event_html
from .model import Event, Timeline
from .settings import Settings
from .splice import Parts, assemble

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# XML 1.0 forbids most control characters even as references, so they are dropped from text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text escaped for XML element content and double-quoted attributes."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def permalink(base_url: str, event_id: str, page: str = "") -> str:
    """The absolute address of an event on its published page: the index, or its year's page on a split site."""
    return f"{base_url}{page}#{quote(event_id, safe='')}"


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_updated(event: Event) -> date:
    """When an event was last reported: its latest source's dateline (an editor's own event: its first day)."""
    return max((source.dateline for source in event.sources), default=event.date.start)


def latest_update(events: Sequence[Event], datelines: Iterable[date] | None = None) -> date:
    """The latest ``entry_updated`` of the events (1 January 1970 when there are none): what the data is "as of".

    ``datelines``: the sources' datelines, when the caller has them already (each article's once is enough).
    """
    # One flat list rather than a max per event: this runs on every build, over every source.
    days = list(datelines) if datelines is not None else \
        [source.dateline for event in events for source in event.sources]
    days += [event.date.start for event in events if not event.sources]
    return max(days, default=date(1970, 1, 1))


def atom_feed(timeline: Timeline, settings: Settings, pages: Mapping[str, str] | None = None) -> bytes:
    """``feed.atom``: one entry per event, the latest events first, ids and links absolute from ``base_url``.

    ``pages`` gives an event's page by id when the site has a page per year (else every event is on the index).
    """
    return assemble(atom_feed_parts(timeline, settings, pages))


def atom_feed_parts(timeline: Timeline, settings: Settings, pages: Mapping[str, str] | None = None,
                    updated: date | None = None) -> Parts:
    """``feed.atom`` as one entry per event, latest first (piece i is ``timeline.events[-1 - i]``); extras: pages.
    ``updated`` is ``latest_update`` of the events, when the caller knows it."""
    base = settings.base_url
    if not base:
        raise ValueError("an Atom feed needs base_url: its ids and links must be absolute")
    language = settings.language.replace("_", "-")
    latest_first = timeline.events[::-1]
    homes = [(pages or {}).get(event.id, "") for event in latest_first]
    updated = updated or latest_update(timeline.events)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang="{xml_text(language)}">',
        f"  <title>{xml_text(timeline.title)}</title>",
    ]
    if timeline.description:
        lines.append(f"  <subtitle>{xml_text(timeline.description)}</subtitle>")
    lines += [
        f"  <id>{xml_text(base)}</id>",
        f'  <link rel="alternate" type="text/html" href="{xml_text(base)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{xml_text(base)}feed.atom"/>',
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{xml_text(timeline.title)}</name></author>",
        "  <generator>timeline</generator>",
        "",  # the newline before the first entry, or before </feed> when there is none
    ]

    def piece(i: int) -> bytes:
        return _entry(latest_first[i], settings, homes[i]).encode("utf-8")

    # The feed's updated date is in the head, made every time, so no entry depends on the others.
    tail = b"\n</feed>\n" if latest_first else b"</feed>\n"
    salt = repr(("feed.atom", base, settings.language))
    return Parts("\n".join(lines).encode("utf-8"), b"\n", tail, homes, salt, piece)


def _entry(event: Event, settings: Settings, page: str) -> str:
    link = permalink(settings.base_url, event.id, page)
    words = dateformat.format_event_date(event.date, settings.language)
    content = event_html(event, words, dateformat.datetime_attribute(event.date))
    lines = [
        "  <entry>",
        f"    <title>{xml_text(event.title)}</title>",
        f"    <id>{xml_text(link)}</id>",
        f'    <link rel="alternate" type="text/html" href="{xml_text(link)}"/>',
        f"    <updated>{_stamp(entry_updated(event))}</updated>",
        f"    <summary>{xml_text(words)}</summary>",
        *(f'    <category term="{xml_text(tag)}"/>' for tag in event.tags),
        f'    <content type="html">{xml_text(str(content))}</content>',
        "  </entry>",
    ]
    return "\n".join(lines)


def sitemap_xml(base_url: str, paths: Iterable[str]) -> bytes:
    """``sitemap.xml`` listing the pages at ``base_url`` (``""`` is the index), in the given order."""
    if not base_url:
        raise ValueError("a sitemap needs base_url: its locations must be absolute")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for path in paths:
        lines.append(f"  <url><loc>{xml_text(base_url + quote(path))}</loc></url>")
    lines += ["</urlset>", ""]
    return "\n".join(lines).encode("utf-8")
