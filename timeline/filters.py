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

import msgspec

from .model import Event


class Filter(msgspec.Struct, frozen=True, array_like=True):
    """One tag or one source article: its page, its label and how many events it keeps.

    Frozen and complete when made, as a dataclass would be, but made in C: a large archive has 10,000 sources, whose
    filters took a tenth of the time of finding them as frozen dataclasses. Encoded (for the pages' keys) as an array
    of its fields in order, a quarter shorter than with their names: every event's key holds its sources'.
    """

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
    return unique_names(_slugs(labels))


# Plain names (``_PLAIN``) one per line: the whole list of a large archive's file names checked in one match.
_PLAIN_LINES = re.compile(r"[a-z0-9]+(?:[-/ \n][a-z0-9]+)*")


def _slugs(texts: Sequence[str]) -> list[str]:
    """``slugify`` of each text. When every one is plain, as most file names are, all of them are lowered and
    replaced at once, as one text (a tenth of the time, for the 10,000 file names of a large archive)."""
    joined = "\n".join(texts)
    lowered = joined.lower()
    if joined.isascii() and _PLAIN_LINES.fullmatch(lowered):
        slugs = lowered.replace("/", "-").replace(" ", "-").split("\n")
        if len(slugs) == len(texts):  # else a text held a newline, which no slug keeps: each on its own
            return slugs
    return [slugify(text) for text in texts]


_FILE_SUFFIXES = re.compile(r"\.(md|markdown|txt)$", re.MULTILINE)


def _stems(names: Sequence[str]) -> list[str]:
    """Each file name without its suffix (``_FILE_SUFFIX``), all of them cut at once as one text, one per line."""
    joined = "\n".join(names)
    if names and joined.count("\n") == len(names) - 1:  # else a name held a newline: each on its own
        return _FILE_SUFFIXES.sub("", joined).split("\n")
    return [_FILE_SUFFIX.sub("", name) for name in names]


def collect_filters(events: Iterable[Event]) -> Filters:
    """The tags (alphabetical) and source articles (by dateline, then title) of the events."""
    return filters_with_events(events)[0]


def filters_with_events(events: Iterable[Event]) -> tuple[Filters, list[tuple[Filter, tuple[Event, ...]]]]:
    """``collect_filters``, and each filter (tags, then sources) with its events in the order given, found in the
    same pass: a large archive has tens of thousands of sources, and one pass over them was a twentieth of a
    rebuild."""
    events = tuple(events)
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
    # A filter counts its events' distinct ids. The events of a timeline have distinct ids, and then a filter's
    # list (which holds an event once) is its count, found without a set of ids per filter.
    distinct = len({event.id for event in events}) == len(events)
    tag_names = sorted(tag_events, key=lambda t: (t.casefold(), t))
    kept: list[tuple[Filter, tuple[Event, ...]]] = []
    for tag, slug in zip(tag_names, _unique_slugs(tag_names), strict=True):
        found = tag_events[tag]
        count = len(found) if distinct else len({event.id for event in found})
        kept.append((Filter("tag", tag, slug, tag, f"tags/{slug}.html", count), tuple(found)))
    # By dateline, then title, then path: the articles' keys made as tuples at once, and compared in C.
    ordered = sorted([(dateline, title.casefold(), article, title)
                      for article, (dateline, title) in source_info.items()])
    # A source's page is named after its article's file, which is unique in the content folder.
    slugs = _unique_slugs(_stems([article for _, _, article, _ in ordered]))
    for (dateline, _, article, title), slug in zip(ordered, slugs, strict=True):
        found = source_events[article]
        count = len(found) if distinct else len({event.id for event in found})
        kept.append((Filter("source", article, slug, title, f"sources/{slug}.html", count, dateline), tuple(found)))
    tags = len(tag_names)
    filters = Filters(tuple(item for item, _ in kept[:tags]), tuple(item for item, _ in kept[tags:]))
    return filters, kept
