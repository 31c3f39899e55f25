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

from .model import Event, Source


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
    bases = list(bases)
    used = set(taken)
    # Nearly always every name is distinct already (a large archive's 10,000 file names): found so in C, at once.
    if len(set(bases)) == len(bases) and used.isdisjoint(bases):
        return bases
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


# What ``_plain_lines`` keeps of a text: its separators (and the newlines between names) made one, "-".
_SEPARATORS = bytes.maketrans(b"/ \n", b"---")
_PLAIN_CHARACTERS = b"abcdefghijklmnopqrstuvwxyz0123456789-"


def _plain_lines(lowered: str) -> bool:
    """Whether every line of ``lowered`` (lowercase ASCII) is a plain name, ``_PLAIN``: words and numbers with one
    separator between them. Found with byte operations in C, which the pattern's match took ten times as long for
    the whole list of a large archive's file names."""
    text = lowered.encode("ascii").translate(_SEPARATORS)
    return (bool(text) and not text.translate(None, _PLAIN_CHARACTERS) and b"--" not in text
            and not text.startswith(b"-") and not text.endswith(b"-"))


def _slugs(texts: Sequence[str]) -> list[str]:
    """``slugify`` of each text. When every one is plain, as most file names are, all of them are lowered and
    replaced at once, as one text (a tenth of the time, for the 10,000 file names of a large archive)."""
    joined = "\n".join(texts)
    lowered = joined.lower()
    if joined.isascii() and _plain_lines(lowered):
        slugs = lowered.replace("/", "-").replace(" ", "-").split("\n")
        if len(slugs) == len(texts):  # else a text held a newline, which no slug keeps: each on its own
            return slugs
    return [slugify(text) for text in texts]


def _stems(names: Sequence[str]) -> list[str]:
    """Each file name without its suffix (``_FILE_SUFFIX``): most end in ".md", cut off without the pattern, which
    looks for a dot at every character (a tenth of the time, for the 10,000 file names of a large archive)."""
    return [name[:-3] if name.endswith(".md") else _FILE_SUFFIX.sub("", name) for name in names]


def collect_filters(events: Iterable[Event]) -> Filters:
    """The tags (alphabetical) and source articles (by dateline, then title) of the events."""
    return filters_with_events(events)[0]


def filters_with_events(events: Iterable[Event]) -> tuple[Filters, list[tuple[Filter, tuple[Event, ...]]]]:
    """``collect_filters``, and each filter (tags, then sources) with its events in the order given."""
    events = tuple(events)
    filters, kept = filters_with_positions(events)
    return filters, [(item, tuple(map(events.__getitem__, positions))) for item, positions in kept]


def filters_with_positions(events: Sequence[Event]) -> tuple[Filters, list[tuple[Filter, list[int]]]]:
    """``collect_filters``, and each filter (tags, then sources) with the positions of its events in ``events``, in
    order, found in the same pass: a large archive has tens of thousands of sources, and one pass over them was a
    twentieth of a rebuild. Positions rather than the events, so that a caller that needs a filter's events only to
    look up what it made of each (its key, its weight) does not read 45,000 events scattered in memory to do it."""
    tag_events: dict[str, list[int]] = {}
    source_events: dict[str, list[int]] = {}
    first_sources: dict[str, Source] = {}  # each article's first source, which gives its dateline and title
    # Each tag and source is looked up once per mention, and nothing made for one already seen. An event that
    # names a tag or an article twice is listed once: it is the last one listed there.
    for number, event in enumerate(events):
        for tag in event.tags:
            found = tag_events.get(tag)
            if found is None:
                tag_events[tag] = [number]
            elif found[-1] != number:
                found.append(number)
        for source in event.sources:
            article = source.article
            found = source_events.get(article)
            if found is None:
                source_events[article] = [number]
                first_sources[article] = source
            elif found[-1] != number:
                found.append(number)
    # A filter counts its events' distinct ids. The events of a timeline have distinct ids, and then a filter's
    # list (which holds an event once) is its count, found without a set of ids per filter.
    distinct = len({event.id for event in events}) == len(events)
    tag_names = sorted(tag_events, key=lambda t: (t.casefold(), t))
    kept: list[tuple[Filter, list[int]]] = []
    for tag, slug in zip(tag_names, _unique_slugs(tag_names), strict=True):
        found = tag_events[tag]
        count = len(found) if distinct else len({events[number].id for number in found})
        kept.append((Filter("tag", tag, slug, tag, f"tags/{slug}.html", count), found))
    # By dateline, then title, then path: the articles' keys made as tuples at once, and compared in C, the datelines
    # as their day numbers (the same order), which the sort compares quicker than dates.
    ordered = sorted([(source.dateline.toordinal(), source.title.casefold(), article, source.title, source.dateline)
                      for article, source in first_sources.items()])
    # A source's page is named after its article's file, which is unique in the content folder.
    slugs = _unique_slugs(_stems([article for _, _, article, _, _ in ordered]))
    for (_, _, article, title, dateline), slug in zip(ordered, slugs, strict=True):
        found = source_events[article]
        count = len(found) if distinct else len({events[number].id for number in found})
        kept.append((Filter("source", article, slug, title, f"sources/{slug}.html", count, dateline), found))
    tags = len(tag_names)
    filters = Filters(tuple([item for item, _ in kept[:tags]]), tuple([item for item, _ in kept[tags:]]))
    return filters, kept
