"""The render stage: a Timeline and Settings in, the site's files out as bytes (nothing is written here).

This is the only module that imports Jinja2. Templates are looked up in the given folders in order, so a
user's own folder placed before the theme's overrides single templates without copying the theme.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import heapq
import itertools
import json
import marshal
import multiprocessing
import operator
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, cast
from urllib.parse import urlsplit

import jinja2
import msgspec
from markupsafe import Markup

from . import dateformat, markup
from .cache import code_fingerprint, metadata_folders
from .errors import InputError, Problem
from .executors import die_with_parent
from .exports import timeline_json, timeline_json_parts
from .feeds import atom_feed, atom_feed_parts, latest_update, sitemap_xml
from .filters import Filter, Filters, filters_with_positions
from .ical import icalendar_file, icalendar_parts
from .model import Event, EventDate, Source, Timeline
from .reuse import Reuse, locate
from .settings import Settings
from .splice import Chunks, Parts, joined, splice_chunks
from .themes import BUILT_IN
from .timelinejs import timelinejs_json, timelinejs_parts

# Precisions shown at the top of their year, before the months: they cover several months.
YEAR_LEVEL = frozenset({"year", "half", "season", "quarter"})
# Precisions that get a group of their own ("the 1990s"), since filing them under their first year
# would claim they happened in that year.
SPAN_LEVEL = frozenset({"decade", "century"})


@dataclass(frozen=True)
class MonthGroup:
    """The events of one month, in timeline order."""

    id: str  # "month-2024-08", the fragment the page links to
    label: str  # "August 2024", in the site's language
    name: str  # "August", for the navigation under its year
    datetime: str  # "2024-08"
    events: tuple[Event, ...]


@dataclass(frozen=True)
class YearGroup:
    """One year (or one decade or century): its year-level events, then its months."""

    id: str  # "year-2024", "decade-1990", "century-1900"
    label: str  # "2024", "the 1990s"
    datetime: str  # the HTML datetime value of the group's heading
    events: tuple[Event, ...]  # events coarser than a month, shown before the months
    months: tuple[MonthGroup, ...]


def group_events(events: Sequence[Event], language: str = "en") -> tuple[YearGroup, ...]:
    """Events grouped by year then month, each group placed where its first event comes in the order."""
    # Plain dicts keep first-insertion order, which is what keeps the timeline's own order.
    years: dict[str, tuple[str, str, list[Event], dict[str, list[Event]]]] = {}
    month_firsts: dict[str, date] = {}
    # The list an event goes to depends on its precision and the month of its first day alone (a decade's or a
    # year's on the year, which the month does not change): found once for each of those, which a large archive's
    # events share by the hundred, rather than named and looked up for every event.
    places: dict[tuple[str, int, int], list[Event]] = {}
    for event in events:
        span = event.date.span
        start = span.start
        place = places.get((span.precision, start.year, start.month))
        if place is None:
            place = places[span.precision, start.year, start.month] = _group_place(event, years, month_firsts,
                                                                                   language)
        place.append(event)
    groups = []
    for key, (label, when, coarse, months) in years.items():
        month_groups = tuple(
            MonthGroup(
                id=month_key,
                label=dateformat.format_month(month_firsts[month_key], language),
                name=dateformat.format_month_name(month_firsts[month_key], language),
                datetime=month_key.removeprefix("month-"),
                events=tuple(month_events),
            )
            for month_key, month_events in months.items()
        )
        groups.append(YearGroup(id=key, label=label, datetime=when, events=tuple(coarse), months=month_groups))
    return tuple(groups)


def _group_place(event: Event, years: dict[str, tuple[str, str, list[Event], dict[str, list[Event]]]],
                 month_firsts: dict[str, date], language: str) -> list[Event]:
    """The list of ``group_events`` that ``event`` goes to (every event of its precision and first day goes there
    too), with its groups made in ``years`` if it is the first of them."""
    precision, start = event.date.precision, event.date.start
    if precision in SPAN_LEVEL:
        # Keyed by the span, so two mentions of the 1990s share one group; the label has no modifier.
        size = 10 if precision == "decade" else 100
        key = f"{precision}-{start.year // size * size:04d}"
        if key not in years:
            label = dateformat.format_event_date(EventDate(event.date.value, event.date.span), language)
            years[key] = (label, f"{start.year:04d}", [], {})
        return years[key][2]
    key = f"year-{start.year:04d}"
    if key not in years:
        years[key] = (dateformat.format_year(start, language), f"{start.year:04d}", [], {})
    _, _, coarse, months = years[key]
    if precision in YEAR_LEVEL:
        return coarse
    # A week filed under the month of its Monday, as its words ("week of 30 December 2024") say.
    month_key = f"month-{start.year:04d}-{start.month:02d}"
    month_firsts.setdefault(month_key, start)
    return months.setdefault(month_key, [])


# Up to this many tags and sources, every page lists them all; past it, the lists stand on filters.html alone.
FILTER_LIST_LIMIT = 60
# A list of filters is copied from the last build in runs of this many items on average (``_Site.filter_runs``).
FILTER_RUN = 16


@dataclass(frozen=True)
class PeriodPage:
    """A year (or decade, or century) on a page of its own, when the timeline is too big for one page."""

    group: YearGroup
    path: str  # "years/2024.html", relative to the site's root
    events: tuple[Event, ...]  # the period's own events, then its months', in timeline order

    @property
    def count(self) -> int:
        """Its number of events, for the index's list of periods."""
        return len(self.events)


def period_pages(groups: Sequence[YearGroup]) -> tuple[PeriodPage, ...]:
    """A page per period, named by the period ("years/2024.html", "years/decade-1990.html"): an event keeps its
    address when other years grow, so permalinks stay valid from build to build."""
    return tuple(
        PeriodPage(group, f"years/{group.id.removeprefix('year-')}.html",
                   group.events + tuple(event for month in group.months for event in month.events))
        for group in groups
    )


# The kinds of task that render a page of events, made of event fragments (see ``event_fragment``).
_PAGE_KINDS = frozenset({"index", "period", "filter", "filters"})


class _Task(NamedTuple):
    """One file of the site to render: what it is and a guess of its cost, to share the work between processes.
    (A tuple: a large archive has 10,000 of them, made several times quicker than frozen dataclasses.)"""

    path: str
    kind: str  # "index", "period", "filter", "filters", "404", "export"
    number: int = 0  # which period page or filter
    cost: int = 1


class _Site:
    """Everything the pages share; each page is rendered from it by ``render(task)``, in any process."""

    def __init__(self, timeline: Timeline, settings: Settings, template_dirs: Sequence[Path],
                 static_dirs: Sequence[Path], reuse: Reuse | None = None,
                 templates: CompiledTemplates | None = None):
        self.timeline, self.settings, self.reuse, self.templates = timeline, settings, reuse, templates
        self.filters, self.by_filter = filters_with_positions(timeline.events)
        self.statics = static_files(static_dirs)
        self.template_dirs = tuple(template_dirs)
        self.groups = group_events(timeline.events, settings.language)
        limit = settings.year_pages_after
        self.pages = period_pages(self.groups) if 0 < limit < len(timeline.events) else ()
        # Where each event's permalink points: its period's page, or the index when the timeline is one page.
        self.homes: dict[int, str] = {}
        for page in self.pages:
            for event in page.events:
                self.homes[id(event)] = page.path
        self.group_pages = {page.group.id: page.path for page in self.pages}
        self.full_filters = len(self.filters.all()) <= FILTER_LIST_LIMIT
        # What the data is "as of", found here from the articles' datelines rather than in every export from every
        # source (which, after the workers fork, also copied the pages of memory holding them).
        self.updated = latest_update(timeline.events, [f.dateline for f in self.filters.sources if f.dateline])
        self._env: jinja2.Environment | None = None
        # Set by ``keys``: each event's key, and what every page's key shares, from which the fragments' keys are
        # made (none with templates of one's own, whose fragments may show anything); see reuse.py.
        self.event_keys: dict[int, str] = {}
        self.shown: list[bytes] | None = None  # what the pages show of each filter of ``by_filter``, encoded
        self._weights: list[int] | None = None  # each event's weight in the timeline's order (``_cost``)
        self._weight: Callable[[int], int] | None = None  # the same by the event's id
        self._shown_by_id: dict[int, bytes] | None = None  # the same by the filter's id, made where it is used
        self.common_key: str | None = None
        self.common: str | None = None
        self._cuts: dict[str, tuple[Parts, list[str]]] = {}  # ``cut_export``'s
        # The fragments of the page being rendered, (key, bytes) in the order it shows them, to record where they are.
        self.placed: list[tuple[bytes, bytes]] | None = None

    @property
    def env(self) -> jinja2.Environment:
        if self._env is None:  # made where it is used: a worker process makes its own
            self._env = _environment(self.template_dirs, self.settings.language, self.filters, self.homes, self)
            self._env.bytecode_cache = self.templates
        return self._env

    def load_templates(self) -> None:
        """Load every page template now (compiled by an earlier build when ``templates`` has it), so that forked
        workers find them ready instead of each compiling them: a tenth of a second per worker for the built-in
        theme. A template in error is left to be reported where a page uses it."""
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
            with contextlib.suppress(jinja2.TemplateError):
                self.env.get_template(name)

    def tasks(self) -> list[_Task]:
        """Every file to render, in the site's order: the index, the periods, the filters, the rest. A filter's page is
        weighed only when it is to be rendered (``costed``): after one edit, a few of a large archive's 10,000."""
        cost = self._cost
        everything = cost(self.timeline.events)
        tasks = [_Task("index.html", "index", cost=cost(()) if self.pages else everything)]
        tasks += [_Task(page.path, "period", number, cost(page.events))
                  for number, page in enumerate(self.pages)]
        # Each a tuple made straight from its fields (the named tuple's own __new__ is Python), cost 0 until weighed.
        tasks += map(tuple.__new__, itertools.repeat(_Task), zip(
            [page_filter.path for page_filter, _ in self.by_filter], itertools.repeat("filter"), itertools.count(),
            itertools.repeat(0)))
        if not self.full_filters:
            tasks.append(_Task("filters.html", "filters", cost=10 + len(self.filters.all())))
        if "404.html" in self.env.list_templates():  # a theme of one's own may leave it out
            tasks.append(_Task("404.html", "404"))
        tasks += [_Task(path, "export", cost=everything) for path in export_names(self.settings)]
        return tasks

    def costed(self, tasks: Iterable[_Task]) -> list[_Task]:
        """``tasks`` (as ``tasks`` made them) with each filter's page weighed, the costliest first, as the processes
        share them out: a page costs 10 and each of its events its quotes and itself."""
        made = [_Task(task.path, task.kind, task.number, self._cost(self.by_filter[task.number][1], positions=True))
                if task.kind == "filter" else task for task in tasks]
        return sorted(made, key=operator.itemgetter(3), reverse=True)  # by cost; stable: equal costs keep this order

    def _cost(self, events: Sequence[Event] | Sequence[int], positions: bool = False) -> int:
        """What a page of ``events`` (or with ``positions``, of the events at those positions in the timeline, as a
        filter's are listed) costs to render: 10, and each event its quotes and itself (weighed by a table made
        once, summed in C)."""
        if self._weights is None:
            self._weights = [len(event.sources) + 1 for event in self.timeline.events]
            self._weight = dict(zip(map(id, self.timeline.events), self._weights, strict=True)).__getitem__
        if positions:
            return 10 + sum(map(self._weights.__getitem__, cast(Sequence[int], events)))
        assert self._weight is not None
        return 10 + sum(map(self._weight, map(id, events)))

    def keys(self, tasks: Sequence[_Task]) -> dict[str, str]:
        """Each task's key (see ``render_changes``): a hash of what its bytes are made from."""
        base = hashlib.sha256(code_fingerprint().encode())
        for name in _LIBRARIES:
            base.update(f"{name} {_version(name)}\n".encode())
        base.update(repr(self.settings).encode())
        own = False  # whether a template of one's own is among them
        for folder in self.template_dirs:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if path.is_file():
                    base.update(f"{path.relative_to(folder).as_posix()}\0".encode() + path.read_bytes() + b"\0")
                    own = own or not path.resolve().is_relative_to(BUILT_IN)
        for name, data in sorted(self.statics.items()):  # the 404 page inlines the style sheet
            base.update(name.encode() + b"\0" + data + b"\0")
        common = base.hexdigest()
        by_filter = self.by_filter
        # What a page shows of each filter (every field), in the order of ``by_filter``, that of ``filters.all()``.
        shown = [_encoded(page_filter) for page_filter, _ in by_filter]
        tags = len(self.filters.tags)  # by_filter holds the tags, then the sources
        tag_pages = {page_filter.key: page_filter.path.encode() for page_filter in self.filters.tags}
        homes, missing = self.homes, itertools.repeat(b"-")
        # Each event's sources' pages with all they show (the count), in the order of the filters, by the event's
        # position: found from the filters' lists of positions, which hold an event once for each article it quotes,
        # rather than by reading every source's article again (45,000 sources at 10,000 articles, scattered in
        # memory: 17 ms).
        events = self.timeline.events
        sources: list[list[bytes]] = [[] for _ in events]
        for (_, kept), data in zip(by_filter[tags:], shown[tags:], strict=True):
            for number in kept:
                sources[number].append(data)

        # Every event is on some page: each key is made once, here, and looked up by the pages that show it.
        ordered = _event_digests(events, lambda number, event: (
            homes.get(id(event), "index.html").encode(), *map(tag_pages.get, event.tags, missing), *sources[number]))
        at = ordered.__getitem__
        digests = dict(zip(map(id, events), ordered, strict=True))
        keyed = digests.__getitem__

        def event_keys(events: Iterable[Event]) -> Iterator[bytes]:
            return map(keyed, map(id, events))

        # The built-in theme shows every filter with its count only where it lists them all; a template of one's own
        # may show them anywhere, so with one, every page depends on every filter.
        every_filter = b"[" + b",".join(shown) + b"]"
        # Hashed once: with templates of one's own, every page's key covers every filter (MBs for 10,000 sources).
        lists = hashlib.sha256(every_filter).hexdigest().encode() if self.full_filters or own else b""
        # Nearly every page of a large archive is a filter's, whose path its fields give: their keys in one pass.
        # The events' keys (32 bytes each) come last, after every part that holds no NUL, so the text reads one way.
        start, sha256 = f"{common}\0filter\0".encode() + lists + b"\0", hashlib.sha256
        filter_keys = [sha256(start + data + b"\0" + b"".join(map(at, kept))).hexdigest()
                       for (_, kept), data in zip(by_filter, shown, strict=True)]
        periods = repr([(page.path, page.count, _group_key(page.group)) for page in self.pages]).encode()
        # A period's page shows the other periods and their months, but not how many events each has.
        nav = repr([(page.path, _group_key(page.group, counts=False)) for page in self.pages]).encode()
        everything = hashlib.sha256(b"".join(ordered)).hexdigest().encode()
        keys = {}
        for task in tasks:
            made_of: Iterable[bytes]
            if task.kind == "filter":
                keys[task.path] = filter_keys[task.number]
                continue
            if task.kind == "export" or (own and task.kind in ("filters", "404")):
                made_of = [everything, every_filter, periods]
            elif task.kind == "filters":  # the built-in theme's list of every filter, with the site's title
                made_of = [every_filter]
            elif task.kind == "404":  # only the settings, the templates and the style sheet
                made_of = []
            elif task.kind == "period":
                made_of = [nav, lists, *event_keys(self.pages[task.number].events)]
            else:  # the index: its periods, or every event
                made_of = [periods, lists, *([] if self.pages else event_keys(self.timeline.events))]
            # As in the filters' keys, the events' keys come after every part that holds no NUL.
            text = b"\0".join((common.encode(), task.kind.encode(), task.path.encode(), *made_of))
            keys[task.path] = hashlib.sha256(text).hexdigest()
        self.event_keys = {number: digest.hex() for number, digest in digests.items()}
        self.shown = shown
        self.common_key = common
        self.common = None if own else common
        return keys

    def fragment_key(self, event: Event, parts: str) -> bytes | None:
        """The key of an event's fragment rendered with ``parts`` (level, root, permalink, source page); None when
        fragments are not to be reused."""
        event_key = self.event_keys.get(id(event))
        if self.common is None or event_key is None:
            return None
        return hashlib.blake2b(f"{self.common}\0{event_key}\0{parts}".encode(), digest_size=16).digest()

    def filter_runs(self, items: Sequence[Filter], root: str, current: object) -> list[tuple[int, int, bytes | None]]:
        """``items`` (a list of the site's filters, shown from ``root`` on the page of ``current``) cut into runs for
        ``filter_list``, each (first, end, key): its key, that of its lines as one fragment, or None when fragments
        are not to be reused (one run of every item then).

        A run ends after each item whose encoding's CRC-32 is a multiple of ``FILTER_RUN``, so the runs depend on the
        items alone: one edit changes the count of a few sources, and only their runs (or a neighbour, where a new
        count moves where one ends) are rendered again; a new source makes a new run of the one it falls in. The key
        covers what the item template shows (every field of each item, whether it is the page's own, the root) with
        the code, settings and templates (``common``).
        """
        if self.common is None or self.shown is None:
            return [(0, len(items), None)]
        if not items:
            return []
        # The page of all filters lists the site's own tuples: their encodings are a slice of ``shown`` (ten thousand
        # filters of a large archive, not touched in this worker, whose pages of memory the parent's still are).
        tags = len(self.filters.tags)
        if items is self.filters.sources:
            shown = self.shown[tags:]
        elif items is self.filters.tags:
            shown = self.shown[:tags]
        else:
            if self._shown_by_id is None:
                self._shown_by_id = dict(zip(map(id, self.filters.all()), self.shown, strict=True))  # by_filter's order
            found = list(map(self._shown_by_id.get, map(id, items)))
            if None in found:  # not the site's own filters: nothing is known of them
                return [(0, len(items), None)]
            shown = cast(list[bytes], found)
        marks = map(operator.mod, map(zlib.crc32, shown), itertools.repeat(FILTER_RUN))
        ends = list(itertools.compress(itertools.count(1), map(operator.not_, marks)))  # in C: 10,000 items
        if not ends or ends[-1] != len(items):  # the last run ends with the list
            ends.append(len(items))
        # Which item is the page's own, "1", if any (a page lists every filter only when there are few).
        owns = b"0" * len(items) if current is None else bytes(48 + (item == current) for item in items)
        start = b"\0".join((self.common.encode(), b"filters", root.encode()))
        runs: list[tuple[int, int, bytes | None]] = []
        first = 0
        for end in ends:
            # No part holds a NUL (the items' encodings are JSON, or a repr): the text reads one way.
            text = b"\0".join((start, owns[first:end], *shown[first:end]))
            runs.append((first, end, hashlib.blake2b(text, digest_size=16).digest()))
            first = end
        return runs

    def cut_export(self, path: str) -> tuple[Parts, list[str]] | None:
        """The export at ``path`` cut into pieces (``export_parts``), its salt covering the code and settings too,
        with each piece's event's key; None for a file not cut so, or before ``keys``. Made once: the caller makes
        those of the exports the last build's files give, before the workers fork, so that this process does not
        then read every event again (after the fork, the first write to each page of memory copies it, and a pass
        over 3,500 events that touches their reference counts copied pages enough to take three times as long)."""
        if path not in self._cuts:
            cut = export_parts(path, self.timeline, self.settings, self.pages, self.updated)
            if cut is None or self.common_key is None:
                return None
            parts, events = cut
            # A piece's key must cover the code and settings too (through the salt, which every piece's key holds),
            # and every event has its key (``everything``).
            parts = parts._replace(salt=f"{parts.salt}\0{self.common_key}")
            self._cuts[path] = parts, list(map(self.event_keys.__getitem__, map(id, events)))
        return self._cuts[path]

    def render_indexed(self, task: _Task) -> tuple[bytes | Chunks, Any]:
        """One file's bytes, with the index of its pieces: where a page's event fragments are, or an export's
        per-event pieces (see reuse.py and splice.py); None for other files. An export spliced from the last
        build's file comes as ``Chunks``, most of them views of that file's bytes."""
        if task.kind == "export":
            cut = self.cut_export(task.path)
            if cut is None:
                return self.render(task), None
            parts, event_keys = cut
            index = self.reuse.index(task.path) if self.reuse is not None else None
            data = self.reuse.file(task.path) if self.reuse is not None and index is not None else None
            previous = (data, index) if data is not None and index is not None else None
            chunks, pieces = splice_chunks(parts, event_keys, previous)
            return (chunks if previous is not None else b"".join(chunks)), pieces
        if task.kind not in _PAGE_KINDS:
            return self.render(task), None
        self.placed = []
        try:
            data = self.render(task)
            return data, locate(data, self.placed)
        finally:
            self.placed = None

    @functools.cached_property
    def common_values(self) -> dict[str, object]:
        """What every page's template is given, the same objects for every page (so that ``same_for`` knows them)."""
        return {"timeline": self.timeline, "settings": self.settings, "filters": self.filters,
                "formats": data_formats(self.settings), "full_filters": self.full_filters, "filters_page": False,
                "group_pages": self.group_pages, "periods": (), "period": None, "previous": None, "next": None}

    def render(self, task: _Task) -> bytes:
        """One file's bytes."""
        if task.kind == "export":
            return export_file(task.path, self.timeline, self.settings, self.filters, self.pages)
        env, common = self.env, self.common_values
        if task.kind == "index" and self.pages:
            return _page(env, {**common, "periods": self.pages, "nav_groups": self.groups}, None, (), "index.html")
        if task.kind == "index":
            return _page(env, common, None, self.timeline.events, "index.html")
        if task.kind == "period":
            number, page = task.number, self.pages[task.number]
            return _page(env, {**common, "period": page, "nav_groups": self.groups,
                               "previous": self.pages[number - 1] if number > 0 else None,
                               "next": self.pages[number + 1] if number + 1 < len(self.pages) else None},
                         None, page.events, page.path)
        if task.kind == "filter":
            page_filter, positions = self.by_filter[task.number]
            kept = tuple(map(self.timeline.events.__getitem__, positions))
            return _page(env, {**common, "group_pages": {}}, page_filter, kept, page_filter.path)
        if task.kind == "filters":
            return env.get_template("filters.html").render(
                **{**common, "full_filters": True, "filters_page": True}, current=None, root="",
            ).encode("utf-8")
        css = self.statics.get("static/style.css", b"").decode("utf-8")
        return env.get_template("404.html").render(
            **{**common, "formats": ()}, current=None, root="", home=_home_path(self.settings.base_url),
            inline_css=_inline_css(css),
        ).encode("utf-8")


# The libraries whose version can change a page's bytes.
_LIBRARIES = ("Jinja2", "MarkupSafe", "Babel", "Markdown", "nh3", "msgspec")


def _version(name: str) -> str:
    """The installed version of the distribution ``name``, or "-"."""
    return _versions().get(name.lower().replace("_", "-"), "-")


@functools.cache
def _versions() -> dict[str, str]:
    """The versions of the distributions installed on ``sys.path``, by lowercase name, the first found of each (as
    importing would): from their metadata folders' names (``cache.metadata_folders``), or the Version line of the
    metadata inside when the name has none."""
    versions: dict[str, str] = {}
    for entry, folder in metadata_folders():
        stem = folder.rpartition(".")[0]
        if not stem:
            continue
        name, _, version = stem.partition("-")
        key = name.lower().replace("_", "-")
        if key not in versions:
            versions[key] = version.partition("-")[0] or _metadata_version(os.path.join(entry, folder))
    return versions


def _metadata_version(folder: str) -> str:
    """The Version line of a metadata folder (or file: an egg-info may be one), or "-"."""
    for path in (os.path.join(folder, "METADATA"), os.path.join(folder, "PKG-INFO"), folder):
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                for line in file:
                    if line.startswith("Version:"):
                        return line[len("Version:"):].strip()
                    if not line.strip():  # the headers end at the first empty line
                        break
        except OSError:
            continue
    return "-"


# The events' encoder for their keys: MessagePack, which copies text as it is where JSON looks at every character to
# escape it (26 MB of the sources' sentences at 10,000 articles), each event into the same buffer (``_event_digests``).
_MESSAGEPACK = msgspec.msgpack.Encoder()


def _event_digests(events: Sequence[Event], shows: Callable[[int, Event], Iterable[bytes]]) -> list[bytes]:
    """Each event's digest, in order: a SHA-256 of the event itself (every field, its sources' in full: msgspec
    encodes the dataclasses whole) and of ``shows(position, event)``, what else its fragment shows (parts that hold
    no NUL, as many as the event's own encoding says).

    The event's encoding comes first, after its length, so that the text reads one way: MessagePack of the
    dataclasses, or where the text holds what UTF-8 cannot (a lone surrogate) their ``repr``, which opens with a
    class's name where MessagePack opens with a map. Each is encoded into one buffer, used again for the next: a
    buffer of its own for each grew bit by bit, which took as long as the encoding itself.
    """
    buffer = bytearray()
    encode_into, sha256 = _MESSAGEPACK.encode_into, hashlib.sha256
    digests = []
    for number, event in enumerate(events):
        try:
            encode_into(event, buffer)
        except UnicodeEncodeError:
            buffer[:] = repr(event).encode("utf-8", "surrogatepass")
        digest = sha256(b"%d\0" % len(buffer))
        digest.update(buffer)
        digest.update(b"\0".join(shows(number, event)))
        digests.append(digest.digest())
    return digests


def _encoded(value: object) -> bytes:
    """Values of the model (frozen dataclasses of text, numbers, dates and None) and tuples and lists of them, as
    bytes to hash: JSON, with every field of every dataclass by name, several times quicker than ``repr``; or where
    the text holds what UTF-8 cannot (a lone surrogate) their ``repr``, which never reads as JSON (it opens with a
    parenthesis or a class's name)."""
    try:
        return msgspec.json.encode(value)
    except UnicodeEncodeError:
        return repr(value).encode("utf-8", "surrogatepass")


def _filter_key(page_filter: Filter | None) -> str:
    """What a page shows of a filter: every field, as ``_encoded`` gives it (a third of the time of its repr, for the
    10,000 sources of a large archive)."""
    if page_filter is None:
        return "-"
    return _encoded(page_filter).decode("utf-8", "surrogatepass")


def _group_key(group: YearGroup, counts: bool = True) -> str:
    """What a page shows of a period: its names and months, and with ``counts`` how many events each holds."""
    months = [(month.id, month.label, month.name, month.datetime, len(month.events) if counts else 0)
              for month in group.months]
    return repr((group.id, group.label, group.datetime, len(group.events) if counts else 0, months))


# Below this much work (files, or quotes to render) a pool of processes costs more to start than it saves.
PARALLEL_FILES = 200
PARALLEL_COST = 20_000


def render_site(
    timeline: Timeline,
    settings: Settings,
    template_dirs: Sequence[Path],
    static_dirs: Sequence[Path],
    jobs: int = 1,
) -> dict[str, bytes]:
    """The site's files, relative posix path to bytes: pages, data formats and the static files.

    With ``jobs`` > 1 the pages are shared between that many processes (forked, so they start with the timeline
    already in memory); each page depends only on the timeline, so the bytes are the same with any ``jobs``.
    """
    files, _ = render_changes(timeline, settings, template_dirs, static_dirs, jobs)
    return {path: data for path, data in files.items() if data is not None}


def render_changes(
    timeline: Timeline,
    settings: Settings,
    template_dirs: Sequence[Path],
    static_dirs: Sequence[Path],
    jobs: int = 1,
    previous: Mapping[str, str] | None = None,
) -> tuple[dict[str, bytes | None], dict[str, str]]:
    """``render_stream``'s files gathered into one dict, sorted by path, and the pages' keys."""
    stream, keys, _ = render_stream(timeline, settings, template_dirs, static_dirs, jobs, previous)
    return dict(sorted((path, None if data is None else joined(data)) for path, data in stream)), keys


def render_stream(
    timeline: Timeline,
    settings: Settings,
    template_dirs: Sequence[Path],
    static_dirs: Sequence[Path],
    jobs: int = 1,
    previous: Mapping[str, str] | None = None,
    reuse: Reuse | None = None,
    templates: CompiledTemplates | None = None,
) -> tuple[Iterator[tuple[str, bytes | Chunks | None]], dict[str, str], dict[str, Any]]:
    """The site's files as (path, bytes) pairs in no set order, with None for each page whose key is the one in
    ``previous`` (path -> key), every page's key, and the files' indexes (filled as the files come), for the next
    build.

    The files come as they are rendered, so the caller can write them while the workers render the rest; a
    mistake in a template raises from the iterator. A page's key is a hash of everything its bytes are made
    from: the code, the libraries that shape it, the settings, every template and static file, and the page's
    own events (each in full, with the pages it links to and their counts), filter, neighbours and lists. Same
    key, same bytes, so a page whose key did not change since the last build need not be rendered again, if that
    build's file is still there as it wrote it (the caller's to check before it passes the key in ``previous``).
    With ``reuse``, what the pages and exports rendered again show unchanged is copied from the last build
    (reuse.py).
    ``templates`` holds the templates as an earlier build compiled them, and gains those compiled now.
    """
    dateformat.locale_for(settings.language)  # fail early, with a clear message, on an unknown language
    with _template_errors():
        site = _Site(timeline, settings, template_dirs, static_dirs, reuse, templates)
        tasks = site.tasks()
    keys = site.keys(tasks)
    kept = sorted(path for path, key in (previous or {}).items() if keys.get(path) == key)
    reused = set(kept)
    todo = site.costed(task for task in tasks if task.path not in reused)

    indexes: dict[str, Any] = {}  # a file kept as it was keeps its index
    if reuse is not None:
        indexes.update((path, reuse.indexes[path]) for path in kept if path in reuse.indexes)
        # Found once here, not once in each worker; only pages of events hold fragments.
        reuse.gather(task.path for task in todo if task.kind in _PAGE_KINDS)

    # An export spliced from the last build's file is mostly copying: made here, while the workers render pages, it
    # is not sent back from a worker through a pipe (tens of MB for a large archive).
    spliced = [task for task in todo if task.kind == "export" and reuse is not None and task.path in reuse.indexes]
    for task in spliced:
        site.cut_export(task.path)
    others = [task for task in todo if task not in spliced]
    big = len(others) >= PARALLEL_FILES or sum(task.cost for task in others) >= PARALLEL_COST

    def files() -> Iterator[tuple[str, bytes | Chunks | None]]:
        ready = itertools.chain(((path, None) for path in kept),
                                ((path, data, None) for path, data in site.statics.items() if path not in keys))
        if jobs > 1 and big and others and "fork" in multiprocessing.get_all_start_methods():
            site.load_templates()
            made = _render_in_processes(site, others, jobs, itertools.chain(ready, _rendered(site, spliced)))
        else:
            made = itertools.chain(ready, _rendered(site, todo))
        for path, data, *index in made:
            if index and index[0] is not None:
                indexes[path] = index[0]
            yield path, data

    return files(), keys, indexes


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates as compiled by earlier builds, kept as bytes (``dump``) in the build cache, so that a rebuild does not
    compile them again. Jinja checks each against its template's source and the Python version, and compiles afresh
    whatever does not match."""

    def __init__(self, stored: bytes | None = None):
        self.code: dict[str, bytes] = {}
        self.changed = False
        try:
            loaded = marshal.loads(stored) if stored else {}
        except (EOFError, ValueError, TypeError):
            loaded = {}
        if isinstance(loaded, dict):
            self.code = {key: value for key, value in loaded.items() if type(key) is str and type(value) is bytes}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.code.get(bucket.key)
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # bytes Jinja cannot read (its checksum is pickled): compiled afresh instead
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        self.changed = True

    def dump(self) -> bytes:
        return marshal.dumps(self.code)


@contextlib.contextmanager
def _template_errors() -> Iterator[None]:
    """Template mistakes as input errors: a user's own template is input, reported with its file and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        raise InputError(Problem(error.filename or error.name or "template", error.message or "syntax error",
                                 error.lineno)) from None
    except jinja2.TemplateError as error:
        raise InputError(Problem("templates", f"{error.__class__.__name__}: {error}")) from None


def _rendered(site: _Site, tasks: Sequence[_Task]) -> Iterator[tuple[str, bytes | Chunks, Any]]:
    with _template_errors():
        for task in tasks:
            yield task.path, *site.render_indexed(task)


# The site a forked worker renders from: set in the parent just before the pool starts, inherited by the workers.
_WORKER_SITE: _Site | None = None


def _render_batch(batch: Sequence[_Task]) -> tuple[list[tuple[str, bytes, Any]], list[Problem]]:
    """In a worker: a batch of files, or the problems that stopped it (exceptions do not cross processes well)."""
    assert _WORKER_SITE is not None
    try:
        return [(path, joined(data), index) for path, data, index in _rendered(_WORKER_SITE, batch)], []
    except InputError as error:
        return [], list(error.problems)


def _render_in_processes(site: _Site, tasks: Sequence[_Task], jobs: int,
                         meanwhile: Iterable[tuple[Any, ...]] = ()) -> Iterator[tuple[Any, ...]]:
    """The tasks' files, rendered by ``jobs`` forked workers, after ``meanwhile``, which comes while they work."""
    global _WORKER_SITE
    # Batches of about equal cost, the costliest task first in each, handed out as workers come free.
    batches: list[list[_Task]] = [[] for _ in range(jobs * 16)]
    load = [(0, number) for number in range(len(batches))]
    for task in tasks:  # tasks come costliest first: each goes to the batch with the least work so far
        cost, number = heapq.heappop(load)
        batches[number].append(task)
        heapq.heappush(load, (cost + task.cost, number))
    _WORKER_SITE = site
    # Everything alive now goes to the collector's permanent generation, so that a collection in a worker does not
    # walk (and so copy, page by page) the parent's whole heap: a worker started after one edit on 10,000 articles
    # spent seconds copying the parent's memory and seconds more rendering.
    gc.freeze()
    # The pool's thread that reads the workers' pages needs the interpreter's lock for every 64 KB the pipe holds,
    # while this thread splices the exports: at the usual 5 ms a turn, a worker waited a tenth of a second to hand
    # over a large page, idle, before it could take its next one.
    switching = sys.getswitchinterval()
    sys.setswitchinterval(min(switching, 0.0002))
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            _widen_results_pipe(pool)
            results = pool.imap_unordered(_render_batch, [b for b in batches if b])
            # The caller links the unchanged files while the workers render: after one edit, most of the time.
            yield from meanwhile
            for rendered, problems in results:
                if problems:  # every worker meets the same mistake in a template: report it once
                    raise InputError(problems[0])
                yield from rendered
    finally:
        _WORKER_SITE = None
        sys.setswitchinterval(switching)


def _widen_results_pipe(pool: Any) -> None:
    """Let the pipe that brings the workers' pages back hold 1 MB rather than 64 KB, where Linux allows it: a
    worker sending a page of a few MB otherwise waited for this process to take it 64 KB at a time, idle, while
    this process spliced the exports. (The pipe is the pool's own; anything unexpected leaves it as it is.)"""
    try:
        import fcntl

        fcntl.fcntl(pool._outqueue._reader.fileno(), 1031, 1 << 20)  # 1031 is F_SETPIPE_SZ
    except (ImportError, AttributeError, OSError, ValueError):
        pass


def data_formats(settings: Settings) -> tuple[tuple[str, str, str], ...]:
    """The data files a page links to: (path, label, media type). The feed needs ``base_url``."""
    formats = [
        ("timeline.json", "JSON", "application/json"),
        ("timelinejs.json", "TimelineJS", "application/json"),
        ("timeline.ics", "iCalendar", "text/calendar"),
    ]
    if settings.base_url:
        formats.append(("feed.atom", "Atom feed", "application/atom+xml"))
    return tuple(formats)


def export_names(settings: Settings) -> tuple[str, ...]:
    """The data files of the site; the feed and sitemap only with a ``base_url`` to make URLs from."""
    names = ("timeline.json", "timelinejs.json", "timeline.ics")
    return (*names, "feed.atom", "sitemap.xml") if settings.base_url else names


def export_parts(name: str, timeline: Timeline, settings: Settings, pages: Sequence[PeriodPage] = (),
                 updated: date | None = None) -> tuple[Parts, list[Event]] | None:
    """An export of ``export_names`` cut into one piece per event (splice.py), with each piece's event; None for
    the sitemap, which lists pages. ``updated``: ``feeds.latest_update`` of the events, if known."""
    if name == "timeline.json":
        return timeline_json_parts(timeline), list(timeline.events)
    if name == "timelinejs.json":
        return timelinejs_parts(timeline, settings.language), list(timeline.events)
    if name == "timeline.ics":
        return icalendar_parts(timeline, settings, _homes(pages), updated), list(timeline.events)
    if name == "feed.atom":  # the latest first
        return atom_feed_parts(timeline, settings, _homes(pages), updated), list(reversed(timeline.events))
    return None


def export_file(name: str, timeline: Timeline, settings: Settings, filters: Filters,
                pages: Sequence[PeriodPage] = ()) -> bytes:
    """One of ``export_names``: the same timeline in another format."""
    if name == "timeline.json":
        return timeline_json(timeline)
    if name == "timelinejs.json":
        return timelinejs_json(timeline, settings.language)
    if name == "timeline.ics":
        return icalendar_file(timeline, settings, _homes(pages))
    if name == "feed.atom":
        return atom_feed(timeline, settings, _homes(pages))
    if name == "sitemap.xml":
        return sitemap_xml(settings.base_url, ["", *(page.path for page in pages), *(f.path for f in filters.all())])
    raise ValueError(f"no export named {name!r}")


def _homes(pages: Sequence[PeriodPage]) -> dict[str, str]:
    """Each event's page by id, on a site with a page per period (an empty map: every event is on the index)."""
    return {event.id: page.path for page in pages for event in page.events}


def _page(env: jinja2.Environment, common: dict[str, object], page_filter: Filter | None,
          events: tuple[Event, ...], here: str) -> bytes:
    """One page of events: all of them (the index), a period's, or those of one tag or source.

    ``here`` is the page's path from the site's root; pages in a folder link back up with ``root``.
    """
    settings = common["settings"]
    assert isinstance(settings, Settings)
    root = "../" * here.count("/")
    groups = group_events(events, settings.language)
    html = env.get_template("index.html").render(
        **{"nav_groups": groups, **common},
        groups=groups,
        current=page_filter,
        root=root,  # the path from this page to the site's root, so every link stays relative
        here=here,
        event_count=len(events),
    )
    return html.encode("utf-8")


def _home_path(base_url: str) -> str:
    """The 404 page's link home: the site's path when known (it is served at any depth), else index.html."""
    path = urlsplit(base_url).path if base_url else ""
    return path if path.startswith("/") else "index.html"


def _inline_css(css: str) -> Markup:
    """The style sheet for inlining in the 404 page, which hosts serve at any depth where no relative link works."""
    # The theme's own file, but "</style" inside it would end the element early.
    return Markup(css.replace("</", "<\\/"))


def static_files(static_dirs: Sequence[Path]) -> dict[str, bytes]:
    """Files under the static folders as ``static/<path>``; an earlier folder's file wins, hidden files skipped."""
    found: dict[str, bytes] = {}
    for folder in static_dirs:
        if not folder.is_dir():  # a user's static folder is optional
            continue
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.setdefault("static/" + relative.as_posix(), path.read_bytes())
    return found


class _Environment(jinja2.Environment):
    """Jinja's environment, with each template's globals a plain map of the environment's as they are when it is loaded
    (``_environment`` sets them all before): a context made for a template lists them, and through the chain of maps
    Jinja keeps by default (which follows later changes, that Jinja advises against) that took a few microseconds for
    each event of each page."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def _environment(template_dirs: Sequence[Path], language: str, filters: Filters,
                 homes: Mapping[int, str] | None = None, site: _Site | None = None) -> jinja2.Environment:
    """The templates' environment; ``homes`` maps ``id(event)`` to its period page when the site is split."""
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # one build reads each template once; checking the disk on every include cost seconds
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def date_words(event_date: EventDate) -> str:
        return dateformat.format_event_date(event_date, language)

    def day_words(day: date) -> str:
        return dateformat.format_day(day, language)

    quoted: dict[int, bool] = {}

    def text_is_quoted(event: Event) -> bool:
        """True when the event's text is one of its sources' sentences (shown with that source, not twice)."""
        found = quoted.get(id(event))
        if found is None:
            found = quoted[id(event)] = event.text in {source.sentence for source in event.sources}
        return found

    def marked_sentence(source: Source) -> Markup:
        return markup.mark_expression(source.sentence, source.expression_start, source.expression_end)

    _install_messages(env, language)
    tag_pages = {f.key: f for f in filters.tags}
    source_pages = {f.key: f for f in filters.sources}
    env.globals.update(tag_page=tag_pages.get, source_page=source_pages.get,
                       event_fragment=_fragment_renderer(env, homes or {}, site),
                       filter_list=_filter_list_renderer(env, site), same_for=_same_for_renderer())
    env.filters.update(
        date_words=date_words,
        day_words=day_words,
        datetime_attr=dateformat.datetime_attribute,
        markdown=markup.render_markdown,
        marked_sentence=marked_sentence,
        text_is_quoted=text_is_quoted,
        link_url=markup.safe_link_url,
        build_date_words=lambda value: _build_date_words(value, language),
    )
    return env


# On a page other than an event's own or its sources', an event shows this many of its quotes and links to the rest.
QUOTES_ELSEWHERE = 3


def _fragment_renderer(env: jinja2.Environment, homes: Mapping[int, str], site: _Site | None = None) -> Any:
    """``event_fragment(event, level)`` for templates: ``partials/event.html`` rendered once per event and context.

    The fragment gets ``permalink``, the event's address from this page ("#id" on its own page, else its page's
    path and "#id"), and ``shown``, the sources it quotes: every one on the event's own page; on a source's page
    that source's alone (a story recalled by a thousand articles would repeat its thousand quotes on each of their
    pages); elsewhere (a tag's page) the first ``QUOTES_ELSEWHERE``. An event looks the same on every tag page, so
    it is rendered once per (root, permalink, heading level, source page) and reused. ``current`` inside the
    fragment is the page's source, or None on other pages. With a ``site``, a fragment the last build wrote is copied
    from its file rather than rendered, and each page's fragments are recorded there (see reuse.py).
    """
    fragments: dict[tuple[object, ...], tuple[Markup, bytes | None, bytes | None]] = {}  # text, key, bytes
    template: jinja2.Template | None = None  # found when first used (a theme's page may show no event)

    def load() -> jinja2.Template:
        nonlocal template
        template = env.get_template("partials/event.html")
        return template

    # An event with k sources is on k source pages; finding its sources there through an index built once per
    # event keeps that linear, where scanning them on every page grew with k squared.
    by_article: dict[int, dict[str, tuple[Source, ...]]] = {}

    def sources_of(event: Event, article: str) -> tuple[Source, ...]:
        index = by_article.get(id(event))
        if index is None:
            grouped: dict[str, list[Source]] = {}
            for found in event.sources:
                grouped.setdefault(found.article, []).append(found)
            index = by_article[id(event)] = {name: tuple(sources) for name, sources in grouped.items()}
        return index.get(article, ())

    @jinja2.pass_context
    def event_fragment(context: jinja2.runtime.Context, event: Event, level: int) -> Markup:
        current = context.get("current")
        source = current if isinstance(current, Filter) and current.kind == "source" else None
        root, home = context.get("root", ""), homes.get(id(event), "index.html")
        at_home = home == context.get("here")
        permalink = ("" if at_home else f"{root}{home}") + "#" + event.id
        key = (id(event), level, root, permalink, source and source.path)
        found = fragments.get(key)
        if found is None:
            lasting = site.fragment_key(event, repr(key[1:])) if site is not None else None
            reuse = site.reuse if site is not None else None
            text = reuse.fragment(lasting) if lasting is not None and reuse is not None else None
            if text is None:
                shown = event.sources if at_home else sources_of(event, source.key) if source \
                    else event.sources[:QUOTES_ELSEWHERE]
                values = {**context.get_all(), "event": event, "level": level, "current": source,
                          "permalink": permalink, "shown": shown}
                text = _render_within(template or load(), values)
            found = fragments[key] = (Markup(text), lasting, text.encode("utf-8") if lasting is not None else None)
        if site is not None and site.placed is not None and found[1] is not None and found[2] is not None:
            site.placed.append((found[1], found[2]))
        return found[0]

    return event_fragment


def _render_within(template: jinja2.Template, values: dict[str, Any]) -> str:
    """``template.render(values)``, for ``values`` that hold the globals already, being a page's own with a few more:
    rendered in a context made of them as they are, rather than copied into one with the globals again (looked up
    one by one through a chain of maps; for each event of each page)."""
    try:
        return template.environment.concat(
            template.root_render_func(template.new_context(values, shared=True)))
    except Exception:
        return template.environment.handle_exception()


def _same_for_renderer() -> Any:
    """``same_for(*values)`` for templates, called as a block (``{% call same_for(event, level) %}...{% endcall %}``):
    the block's text made once per build for each set of values, and given again after that.

    The block must show nothing but those values and what is the same all build long (the settings, the filters'
    pages, the theme's words): an event's heading and tags, shown on each of its sources' pages (a dozen on a large
    archive), are made once per process rather than on each. Values are told apart by equality when text or whole
    numbers, else by identity (each kept, so that no other object takes its id); each block of each template keeps
    its own (by its compiled code, or not at all where Jinja's macro has none).
    """
    made: dict[tuple[object, ...], tuple[object, tuple[object, ...]]] = {}

    def same_for(*values: object, caller: Any) -> Any:
        code = getattr(getattr(caller, "_func", None), "__code__", None)
        if code is None:
            return caller()
        key = (code, *[value if type(value) is str or type(value) is int else id(value) for value in values])
        found = made.get(key)
        if found is None:
            found = made[key] = (caller(), values)
        return found[0]

    return same_for


def _filter_list_renderer(env: jinja2.Environment, site: _Site | None = None) -> Any:
    """``filter_list(items)`` for templates: each tag or source of ``items`` as ``partials/filter-item.html`` renders
    it, one per line (no newline after the last: the template's line gives it).

    A large archive lists ten thousand sources on ``filters.html``, and one edit changes the count of a few: with a
    ``site``, the items come in runs (``_Site.filter_runs``), and a run the last build wrote is copied from its file
    as one fragment rather than rendered item by item (copying 10,000 items one by one took a tenth of a second).
    """

    @jinja2.pass_context
    def filter_list(context: jinja2.runtime.Context, items: Sequence[Filter]) -> Markup:
        current, root = context.get("current"), context.get("root", "")
        reuse = site.reuse if site is not None else None
        placed = site.placed if site is not None else None
        runs = site.filter_runs(items, root, current) if site is not None else [(0, len(items), None)]
        texts = []
        for first, end, lasting in runs:
            text = reuse.fragment(lasting) if lasting is not None and reuse is not None else None
            if text is None:
                template = env.get_template("partials/filter-item.html")
                values = context.get_all()
                text = "\n".join([_render_within(template, {**values, "item": item}) for item in items[first:end]])
            if lasting is not None and placed is not None:
                placed.append((lasting, text.encode("utf-8")))
            texts.append(text)
        return Markup("\n".join(texts))

    return filter_list


def load_messages(env: jinja2.Environment, language: str) -> dict[str, Any]:
    """The theme's words in the site's language, from ``messages/<language>.json`` beside its templates.

    Found through the template folders, so a user's own ``templates/messages/fr.json`` wins. Keys are
    the English text; a plural entry maps CLDR plural categories ("one", "other"…) to texts. A missing
    file or word falls back to English.
    """
    assert env.loader is not None
    for name in dateformat.language_names(language):
        try:
            source, filename, _ = env.loader.get_source(env, f"messages/{name}.json")
        except jinja2.TemplateNotFound:
            continue
        try:
            messages = json.loads(source)
        except json.JSONDecodeError as error:
            raise InputError(Problem(filename or name, f"not valid JSON: {error.msg}", error.lineno,
                                     error.colno)) from None
        if not isinstance(messages, dict):
            raise InputError(Problem(filename or name, "expected an object of English text to translation"))
        return messages
    return {}


def _install_messages(env: jinja2.Environment, language: str) -> None:
    """``_()`` and ``ngettext()`` in templates, translating the theme's own words (never the content)."""
    messages = load_messages(env, language)

    def gettext(message: str) -> str:
        found = messages.get(message)
        return found if isinstance(found, str) else message

    def ngettext(singular: str, plural: str, count: int) -> str:
        found = messages.get(singular)
        if isinstance(found, dict):
            text = found.get(dateformat.plural_category(count, language), found.get("other"))
            if isinstance(text, str):
                return text
        return singular if count == 1 else plural

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Jinja's own ``gettext`` and ``ngettext`` take the template's context, and a call from inside a loop that sets a
    # variable copies that context first (every source of every event calls two of them): these do what Jinja's do
    # (the text translated, made markup where the template escapes, then formatted with its variables) from the
    # evaluation context alone. A page says the same dozen phrases as every other: each is made once per build.
    translated: dict[tuple[object, ...], Any] = {}

    @jinja2.pass_eval_context
    def cached_gettext(eval_context: jinja2.nodes.EvalContext, message: str, **variables: Any) -> Any:
        key = (message, eval_context.autoescape)
        found = None if variables else translated.get(key)
        if found is None:
            text = gettext(message)
            found = (Markup(text) if eval_context.autoescape else text) % variables
            if not variables:
                translated[key] = found
        return found

    @jinja2.pass_eval_context
    def cached_ngettext(eval_context: jinja2.nodes.EvalContext, singular: str, plural: str, count: Any,
                        **variables: Any) -> Any:
        # Kept by the count when it is a plain int, which is all the theme passes ("%(num)s" writes 1 and 1.0 apart).
        key = (singular, plural, count, eval_context.autoescape) if type(count) is int and not variables else None
        found = translated.get(key) if key is not None else None
        if found is None:
            variables.setdefault("num", count)
            text = ngettext(singular, plural, count)
            found = (Markup(text) if eval_context.autoescape else text) % variables
            if key is not None:
                translated[key] = found
        return found

    env.globals.update(gettext=cached_gettext, _=cached_gettext, ngettext=cached_ngettext)


def _build_date_words(value: str, language: str) -> str:
    """The build date in words when it is an ISO date, else as given (it is only shown, never computed)."""
    try:
        return dateformat.format_day(date.fromisoformat(value[:10]), language)
    except ValueError:
        return value
