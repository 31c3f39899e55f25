"""The site's filters: one static page per tag and per source article, so filtering needs no JavaScript.

Each filter has a file-safe slug. Slugs are ASCII (accents folded) so the page names survive any web
host and any file system; two labels that fold to the same slug get ``-2``, ``-3``… in label order, so
the names never depend on the order events come in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .model import Event


@dataclass(frozen=True)
class Filter:
    """One tag or one source article: its page, its label and how many events it keeps."""

    kind: str  # "tag" or "source"
    key: str  # the tag itself, or the article's path in the content folder
    slug: str
    label: str
    path: str  # "tags/transport.html", relative to the site's root
    count: int  # its events (distinct ids)
    dateline: date | None = None  # a source's dateline, shown beside its title


@dataclass(frozen=True)
class Filters:
    """Every tag and every source of a timeline, each list in the order the page shows it."""

    tags: tuple[Filter, ...]
    sources: tuple[Filter, ...]

    def all(self) -> tuple[Filter, ...]:
        return self.tags + self.sources


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_FILE_SUFFIX = re.compile(r"\.(md|markdown|txt)$")


# Lowercase ASCII words and numbers with one separator between them, as most file names are: their slug is theirs
# with "-" for each separator, found without folding and a substitution (a tenth of a rebuild's filters at 10,000).
_PLAIN = re.compile(r"[a-z0-9]+(?:[-/ ][a-z0-9]+)*")


def slugify(text: str) -> str:
    """A lowercase ASCII slug of ``text`` ("Île-de-France" -> "ile-de-france"), never empty."""
    lowered = text.lower()
    if text.isascii() and _PLAIN.fullmatch(lowered):
        return lowered.replace("/", "-").replace(" ", "-")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    # A label with no ASCII letters at all ("Київ") still needs a name: a short hash of it is stable.
    return slug or "x" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def unique_names(bases: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Each base name made distinct with -2, -3 ... in the given order, avoiding names already ``taken``."""
    used = set(taken)
    result: list[str] = []
    for base in bases:
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        result.append(name)
    return result


def _unique_slugs(labels: Sequence[str]) -> list[str]:
    """A distinct slug for each label, suffixes given in the labels' given order."""
    return unique_names(slugify(label) for label in labels)


def collect_filters(events: Iterable[Event]) -> Filters:
    """The tags (alphabetical) and source articles (by dateline, then title) of the events."""
    return filters_with_events(events)[0]


def filters_with_events(events: Iterable[Event]) -> tuple[Filters, list[tuple[Filter, tuple[Event, ...]]]]:
    """``collect_filters``, and each filter (tags, then sources) with its events in the order given, found in the
    same pass: a large archive has tens of thousands of sources, and one pass over them was a twentieth of a
    rebuild."""
    tag_events: dict[str, list[Event]] = {}
    source_events: dict[str, list[Event]] = {}
    source_info: dict[str, tuple[date, str]] = {}
    # Each tag and source is looked up once per mention, and nothing made for one already seen. An event that
    # names a tag or an article twice is listed once: it is the last one listed there.
    for event in events:
        for tag in event.tags:
            found = tag_events.get(tag)
            if found is None:
                tag_events[tag] = [event]
            elif found[-1] is not event:
                found.append(event)
        for source in event.sources:
            article = source.article
            found = source_events.get(article)
            if found is None:
                source_events[article] = [event]
                source_info[article] = (source.dateline, source.title)
            elif found[-1] is not event:
                found.append(event)
    tag_names = sorted(tag_events, key=lambda t: (t.casefold(), t))
    tags = [_filter("tag", tag, slug, tag, f"tags/{slug}.html", tag_events[tag], None)
            for tag, slug in zip(tag_names, _unique_slugs(tag_names), strict=True)]
    articles = sorted(source_events, key=lambda a: (source_info[a][0], source_info[a][1].casefold(), a))
    # A source's page is named after its article's file, which is unique in the content folder.
    stems = [_FILE_SUFFIX.sub("", a) for a in articles]
    sources = [_filter("source", article, slug, source_info[article][1], f"sources/{slug}.html",
                       source_events[article], source_info[article][0])
               for article, slug in zip(articles, _unique_slugs(stems), strict=True)]
    filters = Filters(tuple(item for item, _ in tags), tuple(item for item, _ in sources))
    return filters, tags + sources


def _filter(kind: str, key: str, slug: str, label: str, path: str, events: list[Event], dateline: date | None
            ) -> tuple[Filter, tuple[Event, ...]]:
    """A filter with its events, made without the frozen dataclass's __init__ (which sets each field through
    object.__setattr__, several times slower for the 10,000 sources of a large archive); every field is set."""
    item = object.__new__(Filter)
    object.__setattr__(item, "__dict__", {"kind": kind, "key": key, "slug": slug, "label": label, "path": path,
                                          "count": len({event.id for event in events}), "dateline": dateline})
    return item, tuple(events)
