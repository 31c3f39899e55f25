"""The per-article stages (parse, tag, make events) over a whole content folder: in parallel, and cached.

Each article's result depends only on its path, its bytes, the settings that per-article stages read and the
tool's code, so it is looked up in the cache by those (see ``cache.entry_key``) and only the misses are computed,
by the executor, in batches.  Results come back in the articles' order whatever ran them, so the timeline is the
same byte for byte with one job, many, or a Dask cluster.

The fast path reads valid articles only.  When any article has a problem, the content folder is read again by
``articles.read_articles``, whose messages are the reference, so a user sees the same errors either way.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .articles import articles_listed, find_articles, parse_article, read_articles
from .cache import Cache, decode_rows, dump_result, entry_key, file_digest, read_row
from .errors import InputError, Problem
from .executors import Executor, SerialExecutor
from .model import Article, Event
from .settings import Settings

# Settings only the site-wide stages read; every other setting (including ones added later) is part of the
# per-article cache key, so a new setting can never serve results computed without it.
SITE_SETTINGS = frozenset({"title", "description", "base_url", "theme", "language", "build_date", "year_pages_after"})

# tag + make_events for one article: (number of date expressions, events).
ArticleStages = Callable[[Article, Settings], tuple[int, tuple[Event, ...]]]


@dataclass(frozen=True)
class ArticleResult:
    """What the per-article stages made of one article."""

    article: Article
    expressions: int
    events: tuple[Event, ...]
    # The cache key the result is stored under (it hashes the article, the options and the code), "" without a
    # cache: a name for the result that is the same from build to build exactly when the result is.
    key: str = ""


@dataclass
class Runner:
    """How to run the per-article stages: the executor, the cache (if any) and a progress callback."""

    executor: Executor = field(default_factory=SerialExecutor)
    cache: Cache | None = None
    progress: Callable[[int, int], None] | None = None  # (articles done, articles in all)
    hits: int = 0  # articles served from the cache in the last run, for benchmarks and tests


def article_options(settings: Settings) -> str:
    """The settings that per-article stages may read, as text for the cache key."""
    kept = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.name not in SITE_SETTINGS}
    return repr(sorted(kept.items()))


def analyse_article(item: tuple[str, bytes], settings: Settings, stages: ArticleStages) -> bytes:
    """One article's result as a cache value, or b"" when the article has a problem (reported by the slow path)."""
    display, data = item
    try:
        text = data.decode("utf-8")
        if "\0" in text:
            return b""
        article = parse_article(text, display)
    except (UnicodeDecodeError, InputError):
        return b""
    expressions, events = stages(article, settings)
    return dump_result(article, expressions, events)


def analyse_articles(content_dir: Path, settings: Settings, stages: ArticleStages,
                     runner: Runner) -> tuple[ArticleResult, ...]:
    """Every article of ``content_dir`` through the per-article stages, from the cache where it can be."""
    cache = runner.cache if runner.cache is not None and runner.cache.usable else None
    absolute = content_dir.absolute()  # absolute paths: the cache knows files by their path
    listing = cache.take_listing(str(absolute)) if cache is not None else None  # the fingerprint's walk
    if listing is not None:
        found = articles_listed(listing)
    else:
        try:
            found = find_articles(absolute)
        except InputError:
            read_articles(content_dir)  # reports every problem of the folder, as a plain build would
            raise
    options = article_options(settings)
    results: list[ArticleResult | None] = [None] * len(found)
    keys: list[str] = [""] * len(found)
    rows: list[Any] = [None] * len(found)  # each result's row, or the value it was read from
    named: list[tuple[str, str]] = [("", "")] * len(found)  # (display, digest) of the bytes each result is made of
    folder = content_dir.resolve().as_posix()  # resolved once: it walks the path's every component
    scope = f"{folder}\0"  # what each entry's scope starts with (see below)
    if cache is not None:
        # Files unchanged since they were last hashed are not read: their digests come from the cache.
        digests = cache.file_digests(path for _, path in found)
        if len(digests) == len(found):
            named = [(display, digests[path]) for display, path in found]
            keys[:], rows[:] = cache.get_rows(named, options, scope)
        else:  # some cannot be read: read() below reports them as the slow path does
            known = [index for index, (_, path) in enumerate(found) if path in digests]
            for index in known:
                named[index] = (found[index][0], digests[found[index][1]])
            for index, key, row in zip(known, *cache.get_rows([named[index] for index in known], options, scope),
                                       strict=True):
                keys[index], rows[index] = key, row
    hits = [index for index, row in enumerate(rows) if row is not None]
    missing = [index for index, row in enumerate(rows) if row is None] if len(hits) < len(rows) else []

    def read(indices: Sequence[int]) -> list[tuple[str, bytes]]:
        items = []
        for index in indices:
            display, path = found[index]
            try:
                with open(path, "rb") as file:
                    data = file.read()
            except OSError:
                read_articles(content_dir)
                raise
            items.append((display, data))
            if cache is not None:
                named[index] = (display, file_digest(data))  # the bytes this result is made of
                keys[index] = entry_key(*named[index], options)
        return items

    work = functools.partial(analyse_article, settings=settings, stages=stages)
    items = read(missing)
    # Handed out before the cached results are decoded, so that after an edit a worker tags the changed articles
    # (importing the tagger, a good part of such a build) while this process decodes the others.
    produced: Iterator[bytes] = runner.executor.map(work, items, overlap=bool(hits))
    undecoded = []
    for index, decoded in zip(hits, decode_rows(rows if not missing else [rows[index] for index in hits]),
                              strict=True):
        if decoded is None:  # an entry that does not decode is recomputed and replaced, never trusted
            undecoded.append(index)
        else:
            results[index] = _result(*decoded, keys[index])
    if undecoded:
        again = read(undecoded)
        produced = itertools.chain(produced, runner.executor.map(work, again))
        missing, items = missing + undecoded, items + again
    runner.hits = len(found) - len(missing)
    done = runner.hits
    if runner.progress:
        runner.progress(done, len(found))
    fresh: dict[str, tuple[str, bytes]] = {}
    failed = False
    for index, item, data in zip(missing, items, produced, strict=True):
        done += 1
        if runner.progress:
            runner.progress(done, len(found))
        if not data:
            failed = True
            continue
        row = read_row(data)
        decoded = decode_rows([row])[0]
        if decoded is None:
            raise ValueError("not a cached article result")
        results[index] = _result(*decoded, keys[index])
        # A fresh result goes to the snapshot as its bytes, read into a row only while the snapshot is written:
        # holding 10,000 rows through a full build kept 60 MB of the build's memory that every forked render
        # worker then counted too.
        rows[index] = data
        fresh[keys[index]] = (f"{folder}\0{item[0]}", data)  # scope: what the entry is the latest result for
    if failed or _duplicate_slugs([r.article for r in results if r is not None]):
        read_articles(content_dir)  # raises with every problem, in the reader's own words
        raise InputError(Problem(str(content_dir), "some articles could not be read"))  # only if the two disagree
    if cache is not None:
        cache.put_many(fresh)
        cache.keep_rows(scope, options, named, keys, rows)
    return tuple(r for r in results if r is not None)


def _result(article: Article, expressions: int, events: tuple[Event, ...], key: str) -> ArticleResult:
    """``ArticleResult(article, expressions, events, key)``, made without the __init__ of a frozen dataclass, which
    sets each field through object.__setattr__: a tenth of the time, 10,000 times in a rebuild."""
    result = object.__new__(ArticleResult)
    object.__setattr__(result, "__dict__", {"article": article, "expressions": expressions, "events": events,
                                             "key": key})
    return result


def _duplicate_slugs(articles: Sequence[Article]) -> bool:
    return len({article.slug for article in articles}) != len(articles)
