"""The build cache: per-article results in an embedded SQLite file, so a rebuild redoes only what changed.

Each entry is keyed by a hash of the article's bytes and path, the settings that change per-article results, and a
fingerprint of the tool (its version and the source of every module under ``timeline/``), so editing the tagger or
the event rules can never serve stale events.  A value is one article's result as plain tuples in field order,
tagged with ``FORMAT`` and written by ``marshal`` (never pickle: a cache file is data, and loading it must not run
code; marshal builds only plain values, and ``load_result`` accepts nothing but the exact shape it writes).  Each
value is stored with a checksum, checked before it is decoded.

The cache also remembers the SHA-256 of the files a build read, beside their size, times and inode, as git's index
does, so an unchanged file is not read again (``file_digests``); kept as a blob (below), read whole.

What a build keeps for the next one (``set_blob``: its manifest, its merge's trace, its files' pieces, megabytes each)
is kept in files beside the database, each with its name, length and CRC-32 and replaced whole (``os.replace``), so a
reader sees the old bytes or the new ones, never a mix: SQLite took five times longer to write them page by page.

Several builds may share one cache at once: the file is in WAL mode with a busy timeout, and each build writes its
new entries in one transaction.  A cache that is not a database, fails SQLite's integrity check or holds an entry
whose checksum does not match is never trusted: the file is set aside and rebuilt, or the entry recomputed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import marshal
import mmap
import os
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .model import Article, Event, EventDate, Source
from .timex import Span

CACHE_DIR = ".timeline-cache"
CACHE_FILE = "cache.sqlite3"
SCHEMA = 1  # the tables; the values carry their own FORMAT
FORMAT = "timeline-result/4"
PACKAGE = Path(__file__).resolve().parent
# A file whose times are this close to the moment it was hashed may have changed again within the file system's
# timestamp granularity (2 s on FAT, a clock tick elsewhere) without its times changing: it is hashed again next
# time rather than trusted ("racily clean", as git calls it).
RACY_NS = 2_000_000_000
BLOB_FORMAT = b"timeline-blob/1\0"
SNAPSHOT = "timeline-rows/3"  # the format of a content folder's rows kept whole (``Cache.keep_rows``)
FILES = "timeline-files/1"  # the format of what the cache knows of the files it hashed (``Cache.file_digests``)
# The rows a rebuild's snapshot gave, kept once decoded rather than freed one object at a time (20 ms at 10,000
# articles, and no memory given back: the freed blocks stay in the heap among the results made of them); freed when
# the next get_rows starts, in a process that builds again.
_SPENT: list[Any] = []


def metadata_folders() -> list[tuple[str, str]]:
    """(folder on ``sys.path``, name) of every installed distribution's metadata folder ("Jinja2-3.1.4.dist-info"),
    in ``sys.path`` order and by name within a folder: their names tell the libraries' versions, read without
    importlib.metadata, which took a hundredth of a rebuild only to be imported."""
    found = []
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        found += [(entry or ".", name) for name in names if name.endswith((".dist-info", ".egg-info"))]
    return found


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the tool's version and of every Python source file in the package."""
    digest = hashlib.sha256(f"timeline {__version__} schema {SCHEMA} {FORMAT}\n".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_digest(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as the cache keys and the build fingerprint use it."""
    return hashlib.sha256(data).hexdigest()


def entry_key(display: str, digest: str, options: str) -> str:
    """The cache key of one article: its path, the digest of its bytes, the per-article options and the code."""
    return entry_keys([(display, digest)], options)[0]


def entry_keys(articles: Iterable[tuple[str, str]], options: str) -> list[str]:
    """``entry_key`` of each (display, digest), in order; what the keys share is hashed once."""
    start = _key_start(code_fingerprint(), options)
    keys = []
    for display, digest in articles:
        key = start.copy()
        key.update(_length_prefixed(display) + _length_prefixed(digest))
        keys.append(key.hexdigest())
    return keys


@lru_cache(maxsize=16)
def _key_start(code: str, options: str) -> hashlib._Hash:
    return hashlib.sha256(_length_prefixed(code) + _length_prefixed(options))


def _length_prefixed(part: str) -> bytes:
    encoded = part.encode()
    return len(encoded).to_bytes(8, "big") + encoded  # so parts cannot run together


# The fields each row holds, in order. Checked against the model when this module loads, so a field added to the
# model without a change here fails at once instead of leaving cached values without it.
_ARTICLE_FIELDS = ("path", "slug", "title", "dateline", "text", "body_start", "source", "url", "tags")
_SPAN_FIELDS = ("start", "end", "precision", "minute")
_DATE_FIELDS = ("value", "span", "mod")
_SOURCE_FIELDS = ("article", "title", "url", "dateline", "sentence", "sentence_start", "expression_text",
                  "expression_start", "expression_end", "reading", "value", "mod")
_EVENT_FIELDS = ("id", "date", "title", "text", "sources", "tags", "text_is_markdown", "position", "reported",
                 "as_of", "order", "merged", "review")
for _cls, _names in ((Article, _ARTICLE_FIELDS), (Span, _SPAN_FIELDS), (EventDate, _DATE_FIELDS),
                     (Source, _SOURCE_FIELDS), (Event, _EVENT_FIELDS)):
    if tuple(f.name for f in fields(_cls)) != _names:
        raise ImportError(f"cache.py does not know the fields of {_cls.__name__}; update its rows and FORMAT")

Result = tuple[Article, int, tuple[Event, ...]]
# The length of the row of an event with one source, as every event of one article has: its fields but the sources,
# then the source's. Two tuples fewer for each event, made and read: a tenth of the time a snapshot takes to load.
_ONE_SOURCE = len(_EVENT_FIELDS) - 1 + len(_SOURCE_FIELDS)


def dump_result(article: Article, expressions: int, events: Sequence[Event]) -> bytes:
    """One article's per-article result as a cache value."""
    days: dict[date, int] = {}  # each distinct date once, as a day number; rows hold its index in ``days``

    def day(value: date) -> int:
        if type(value) is not date:
            raise TypeError(f"cannot cache a {type(value).__name__} as a date")
        return days.setdefault(value, len(days))

    def source_row(s: Source) -> tuple[Any, ...]:
        return (s.article, s.title, s.url, day(s.dateline), s.sentence, s.sentence_start, s.expression_text,
                s.expression_start, s.expression_end, s.reading, s.value, s.mod)

    def event_row(e: Event) -> tuple[Any, ...]:
        span = e.date.span
        for value in (span.start, span.end):
            if type(value) is not date:
                raise TypeError(f"cannot cache a {type(value).__name__} as a date")
        # The date in one row, with the days as numbers: a build's events have few distinct dates, each made once.
        dated = (e.date.value, span.start.toordinal(), span.end.toordinal(), span.precision, span.minute, e.date.mod)
        if len(e.sources) == 1:  # as each event of an article is: its fields then its source's, in one row
            return (e.id, dated, e.title, e.text, tuple(e.tags), e.text_is_markdown, e.position, e.reported,
                    e.as_of, e.order, tuple(e.merged), tuple(e.review), *source_row(e.sources[0]))
        return (e.id, dated, e.title, e.text, tuple(source_row(s) for s in e.sources), tuple(e.tags),
                e.text_is_markdown, e.position, e.reported, e.as_of, e.order, tuple(e.merged), tuple(e.review))

    a = article
    article_row = (a.path, a.slug, a.title, day(a.dateline), a.text, a.body_start, a.source, a.url, tuple(a.tags))
    event_rows = tuple(event_row(e) for e in events)
    row = (FORMAT, tuple(value.toordinal() for value in days), article_row, expressions, event_rows)
    return marshal.dumps(row, 4)


def load_results(values: Iterable[bytes]) -> list[Result | None]:
    """Decode many values (``None`` for any that is not in the shape ``dump_result`` writes)."""
    with _collector_paused():
        return decode_rows([read_row(value) for value in values])


def load_result(value: bytes) -> Result:
    """One value ``dump_result`` wrote; ValueError if it is anything else."""
    result = load_results([value])[0]
    if result is None:
        raise ValueError("not a cached article result")
    return result


def read_row(value: bytes) -> Any:
    """The row a value holds, as ``decode_rows`` takes it (None when marshal cannot read it)."""
    try:
        return marshal.loads(value)
    except (ValueError, TypeError, EOFError):
        return None


def decode_rows(rows: Iterable[Any]) -> list[Result | None]:
    """The results of many rows (``None`` for any that is not in the shape ``dump_result`` writes)."""
    with _collector_paused():
        decoded: list[Result | None] = []
        dates: dict[tuple[Any, ...], EventDate] = {}  # one EventDate for every event of that date
        for row in rows:
            try:
                decoded.append(_decode(row, dates))
            except (ValueError, TypeError, EOFError, IndexError, OverflowError):
                decoded.append(None)
        return decoded


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector paused, and what was made meanwhile moved out of its way (``gc.freeze``).

    The rows and results of a large archive are hundreds of thousands of objects that live as long as the build and
    hold no reference cycles: collections while they are made would walk them again and again, and every later
    collection once more, for nothing.  A long-running process may give them back with ``gc.unfreeze`` when the
    build is done.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if collecting:
            gc.enable()


def _shared(rows: Iterable[Any]) -> list[Any]:
    """``rows`` with what many of them hold alike made one object for all: each event's date, and the texts that
    recur (the format, the articles' sources, the tags, the dates' readings, values and expressions).

    marshal writes an object met twice once, and reading it back makes it once: 45,000 events of a 10,000-article
    archive have 4,000 dates, and the rows of such an archive hold 600,000 values of which 200,000 repeat another,
    so a snapshot (``Cache.keep_rows``) read back makes a third fewer objects.  Each date is kept by its values and
    their types, as ``1 == True`` would let a date take another's; only texts are shared by their value (and a
    source's offset in the article, the same number as its event's position, by that).
    """
    dates: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    texts: dict[Any, Any] = {}

    def same(value: Any) -> Any:
        """One object for equal texts, and for equal tuples of texts."""
        kind = type(value)
        if kind is str or (kind is tuple and all(type(part) is str for part in value)):
            return texts.setdefault(value, value)
        return value

    def source_row(row: tuple[Any, ...], position: Any) -> tuple[Any, ...]:
        (s_article, s_title, s_url, s_dateline, sentence, sentence_start, expression_text, expression_start,
         expression_end, reading, value, mod) = row
        if type(sentence_start) is int and type(position) is int and sentence_start == position:
            sentence_start = position
        return (s_article, s_title, s_url, s_dateline, sentence, sentence_start, same(expression_text),
                expression_start, expression_end, same(reading), same(value), same(mod))

    shared = []
    own = _ONE_SOURCE - len(_SOURCE_FIELDS)  # the fields of an event's own in a row with its one source
    for tag, ordinals, article_row, expressions, event_rows in rows:
        path, slug, title, dateline, text, body_start, source, url, tags = article_row
        events = []
        for event_row in event_rows:
            if len(event_row) == _ONE_SOURCE:
                event_id, dated, event_title, event_text, event_tags, *rest = event_row[:own]
                source_rows, sources_apart = (event_row[own:],), False
            else:
                event_id, dated, event_title, event_text, source_rows, event_tags, *rest = event_row
                sources_apart = True
            sources = tuple(source_row(row, rest[1]) for row in source_rows)  # rest[1]: the event's position
            shared_date = dates.setdefault((dated, *map(type, dated)), dated)
            events.append((event_id, shared_date, event_title, event_text, sources, same(event_tags), *rest)
                          if sources_apart else
                          (event_id, shared_date, event_title, event_text, same(event_tags), *rest, *sources[0]))
        shared.append((same(tag), ordinals, (path, slug, title, dateline, text, body_start, same(source), url,
                                             same(tags)), expressions, tuple(events)))
    return shared


def _shared_keys(cls: type) -> dict[str, Any]:
    """A ``__dict__`` of ``cls`` with every field None, in field order, whose copies are what ``_decode`` fills.

    In CPython an instance's ``__dict__`` keeps its values apart from the names, which every instance of the class
    shares (a "split" table), and ``dict.copy`` keeps it so: each decoded value then holds its values alone, 170
    bytes for an event's 13 fields rather than the 460 of a dict of its own, which halves the memory that the
    results of a large archive take and the time spent getting it.  Elsewhere it is a plain dict, as good.
    """
    instance: Any = object.__new__(cls)
    for name in (f.name for f in fields(cls)):
        object.__setattr__(instance, name, None)
    return dict.copy(instance.__dict__)


_ARTICLE_DICT, _SPAN_DICT, _DATE_DICT, _SOURCE_DICT, _EVENT_DICT = map(_shared_keys,
                                                                       (Article, Span, EventDate, Source, Event))


def _decode(row: Any, dates: dict[tuple[Any, ...], EventDate]) -> Result:
    """The model values, built straight from the rows ``dump_result`` wrote.

    Events of the same date share one EventDate (and its Span), kept in ``dates`` by their row: 45,000 events of a
    10,000-article archive have 4,000 dates.  They are frozen values, so sharing one is the same as holding equal
    copies.

    Every row is unpacked, so a row of another length is refused; the values' types are those ``dump_result``
    wrote, since the checksum was checked and the key hashes the code and the article.  Each frozen dataclass is
    made complete without running its __init__, which sets every field through object.__setattr__ and is several
    times slower for the hundreds of thousands of values of a large archive: its ``__dict__`` is a copy of the
    class's (``_shared_keys``) with every field set, by name, in the order of the fields.
    """
    tag, ordinals, article_row, expressions, event_rows = row
    if tag != FORMAT or type(expressions) is not int:
        raise ValueError("not a cached article result")
    days = tuple(map(date.fromordinal, ordinals))  # ValueError for a day out of range
    new, set_dict = object.__new__, object.__setattr__
    new_source, new_event = _SOURCE_DICT.copy, _EVENT_DICT.copy
    made = _ARTICLE_DICT.copy()
    (made["path"], made["slug"], made["title"], dateline, made["text"], made["body_start"], made["source"],
     made["url"], made["tags"]) = article_row
    made["dateline"] = days[dateline]
    article = new(Article)
    set_dict(article, "__dict__", made)
    events = []
    for event_row in event_rows:
        made = new_event()
        if len(event_row) == _ONE_SOURCE:  # the event's fields, then its one source's (see dump_result)
            source = new_source()
            (made["id"], dated, made["title"], made["text"], made["tags"], made["text_is_markdown"], made["position"],
             made["reported"], made["as_of"], made["order"], made["merged"], made["review"], source["article"],
             source["title"], source["url"], dateline, source["sentence"], source["sentence_start"],
             source["expression_text"], source["expression_start"], source["expression_end"], source["reading"],
             source["value"], source["mod"]) = event_row
            source["dateline"] = days[dateline]
            item = new(Source)
            set_dict(item, "__dict__", source)
            made["sources"] = (item,)
        else:
            (made["id"], dated, made["title"], made["text"], source_rows, made["tags"], made["text_is_markdown"],
             made["position"], made["reported"], made["as_of"], made["order"], made["merged"],
             made["review"]) = event_row
            sources = []
            for source_row in source_rows:
                source = new_source()
                (source["article"], source["title"], source["url"], dateline, source["sentence"],
                 source["sentence_start"], source["expression_text"], source["expression_start"],
                 source["expression_end"], source["reading"], source["value"], source["mod"]) = source_row
                source["dateline"] = days[dateline]
                item = new(Source)
                set_dict(item, "__dict__", source)
                sources.append(item)
            made["sources"] = tuple(sources)
        event_date = dates.get(dated)  # TypeError for a row that is not a tuple of plain values
        if event_date is None:
            value, start, end, precision, minute, mod = dated
            span = new(Span)
            set_dict(span, "__dict__", _SPAN_DICT | {"start": date.fromordinal(start), "end": date.fromordinal(end),
                                                     "precision": precision, "minute": minute})
            event_date = new(EventDate)
            set_dict(event_date, "__dict__", _DATE_DICT | {"value": value, "span": span, "mod": mod})
            dates[dated] = event_date
        made["date"] = event_date
        event = new(Event)
        set_dict(event, "__dict__", made)
        events.append(event)
    return article, expressions, tuple(events)


def _checksum(value: bytes) -> str:
    return f"{zlib.crc32(value):08x}-{len(value)}"


def _blob_value(name: str, data: Any) -> Any:
    """The value in the bytes of a blob's file (or a memoryview of them: then a memoryview too), or None when they
    are not that blob's, or not intact."""
    head = _blob_head(name, b"")
    start = len(head) - 12  # the head without the length and CRC-32 of the value
    if len(data) < len(head) or data[:start] != head[:start]:
        return None
    value = data[len(head):]
    return value if data[start:len(head)] == _blob_head(name, value)[start:] else None


def _blob_head(name: str, value: Any) -> bytes:
    """What a blob's file holds before its bytes: the format, the blob's name, and its bytes' length and CRC-32."""
    encoded = name.encode()
    return (BLOB_FORMAT + len(encoded).to_bytes(4, "big") + encoded + len(value).to_bytes(8, "big")
            + zlib.crc32(value).to_bytes(4, "big"))


class Cache:
    """Per-article results by key, in one SQLite file; every failure degrades to a miss, never to a wrong hit."""

    def __init__(self, folder: Path, *, readonly: bool = False):
        self.path = folder / CACHE_FILE
        self.readonly = readonly
        self.notes: list[str] = []  # what went wrong with the cache, for the build to report as warnings
        self._db: sqlite3.Connection | None = None
        # path -> ((size, mtime, ctime, inode), digest): as stored, and as this build learnt them (_fresh_files)
        self._files: dict[str, tuple[tuple[int, int, int, int], str]] | None = None
        self._fresh_files: dict[str, bool] = {}  # path -> whether its record can be kept: stored on close
        self._seen_files: set[str] = set()  # the files this build looked at: the others' records go when it stores
        self._stored_count = 0  # how many records _stored_files found
        self._unknown = 0  # how many files looked at had none
        self._handed: dict[str, str] = {}  # path -> digest, from a file_digests call to the next one only
        # scope -> how many rows get_rows found in its snapshot, and the rows it gave, in order (None: not from it)
        self._snapshots: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self._listing: tuple[str, list[tuple[str, str]]] | None = None  # (folder, its files), to the next taker
        try:
            self._db = self._open(folder)
        except (sqlite3.Error, OSError) as error:
            self._db = None
            self.notes.append(f"the build cache in {folder} cannot be used ({error}); building without it")

    def _open(self, folder: Path) -> sqlite3.Connection | None:
        if self.readonly and not self.path.is_file():
            return None
        if not self.readonly:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# timeline's build cache: safe to delete, never commit it\n*\n", encoding="utf-8")
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if self.readonly:
                raise
            self.notes.append(f"the build cache {self.path} was damaged ({error}); it was set aside and rebuilt")
            self._set_aside()
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        # Read-only (``check``) opens the file as immutable: even a reader of a WAL database otherwise leaves -shm
        # and -wal files behind, and ``check`` writes nothing. A concurrent build's change it misses is only a miss.
        mode = "ro&immutable=1" if self.readonly else "rwc"
        uri = f"{self.path.absolute().as_uri()}?mode={mode}"
        db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA mmap_size = 1073741824")  # read values in place rather than copied page by page
            if not self.readonly:
                db.execute("PRAGMA journal_mode = WAL")  # readers never block the one writer, nor it them
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, scope TEXT NOT NULL, "
                           "value BLOB NOT NULL, checksum TEXT NOT NULL)")
                db.execute("CREATE INDEX IF NOT EXISTS results_scope ON results (scope)")
                if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'files'").fetchone():
                    db.execute("DROP TABLE files")  # where earlier versions kept the files' digests (now a blob)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            check = db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {check[0] if check else 'no answer'}")
            schema = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if schema is None or schema[0] != str(SCHEMA):
                raise sqlite3.DatabaseError(f"unknown cache schema {schema[0] if schema else None!r}")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        """Move a damaged file (and its WAL) out of the way, keeping it for a post-mortem; drop the blobs kept beside
        it, as nothing of a damaged cache is trusted."""
        for suffix in ("", "-wal", "-shm"):
            damaged = self.path.with_name(self.path.name + suffix)
            if damaged.exists():
                os.replace(damaged, damaged.with_name(damaged.name + f".damaged-{os.getpid()}"))
        for blob in self.path.parent.glob("blob-*"):
            with contextlib.suppress(OSError):
                blob.unlink()

    @property
    def usable(self) -> bool:
        """Whether the cache is open."""
        return self._db is not None

    def get_many(self, keys: Iterable[str], scope: str = "") -> dict[str, bytes]:
        """The stored values of those ``keys`` that are present and intact.

        Given ``scope``, the start that the scopes of most of these entries share (as ``put_many`` stored them), the
        entries under it are read in one pass over the scope index, twice as quick as a lookup per key at 10,000
        keys; a key not found there (an entry stored last under another scope) is looked up by itself.
        """
        if self._db is None:
            return {}
        wanted = set(keys)
        found: dict[str, bytes] = {}
        try:
            if scope:
                end = scope[:-1] + chr(ord(scope[-1]) + 1)  # the first text after every one that starts with scope
                rows = self._db.execute("SELECT key, value, checksum FROM results WHERE scope >= ? AND scope < ?",
                                        (scope, end))
                self._take(rows, wanted, found)
                wanted.difference_update(found)
            if wanted:
                self._take(self._db.execute("SELECT key, value, checksum FROM results "
                                            "WHERE key IN (SELECT value FROM json_each(?))",
                                            (json.dumps(list(wanted)),)), wanted, found)
        except sqlite3.Error as error:
            self._give_up(error)
            return {}
        return found

    @staticmethod
    def _take(rows: Iterable[tuple[Any, Any, Any]], wanted: set[str], found: dict[str, bytes]) -> None:
        """Keep each wanted row whose value is intact."""
        for key, value, checksum in rows:
            if key in wanted and isinstance(value, bytes) and _checksum(value) == checksum:
                found[key] = value

    def get_rows(self, articles: Sequence[tuple[str, str]], options: str, scope: str
                 ) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        """The cache key of each article of ``articles`` (display, digest), as ``entry_keys`` makes it, and its row
        (for ``decode_rows``), None where none is stored intact.

        The rows come from the snapshot ``keep_rows`` made for ``scope`` where it has them, in one read, one checksum
        and one ``marshal.loads`` for all: at 10,000 articles a third of the time of 10,000 entries looked up,
        checked and read one by one.  The snapshot names each row's article and digest beside its key, made with
        the same code and options, so the key of an article it holds is taken as it is rather than hashed again.
        The others are hashed and looked up by key (``get_many``).
        """
        _SPENT.clear()
        with _collector_paused():  # the snapshot is most of the objects of the build
            start = _key_start(code_fingerprint(), options).hexdigest()
            held = self._snapshot(scope, start)
            # In C: each article's name, then its key and row in the snapshot, by name.
            found: list[tuple[str, Any] | None] = list(map(held.get, map("\0".join, articles)))
            rest = [index for index, pair in enumerate(found) if pair is None]
            for index, key in zip(rest, entry_keys([articles[index] for index in rest], options), strict=True):
                found[index] = (key, None)
            keys, rows = map(tuple, zip(*found, strict=True)) if found else ((), ())
            self._snapshots[scope] = (len(held), rows)  # for keep_rows, to tell which rows it served
            if rest:
                # Most of them: one pass over the scope's entries is quicker than a lookup each.
                values = self.get_many([keys[index] for index in rest], scope if len(rest) > len(keys) // 2 else "")
                rows = tuple(read_row(values[key]) if row is None and key in values else row
                             for key, row in zip(keys, rows, strict=True))
        return keys, rows

    def _snapshot(self, scope: str, start: str) -> dict[str, tuple[str, Any]]:
        """The rows ``keep_rows`` kept for ``scope`` with their keys, by their article's name (``name``), or none
        when there are none, they are not intact, or their keys were made for another ``start`` (``_key_start``'s
        digest: other code or options).

        The file is mapped rather than read: 20 MB copied into fresh memory, twice, took longer than decoding them.
        """
        if self._db is None:
            return {}
        name = "rows:" + scope
        try:
            with open(self._blob_path(name), "rb") as file, \
                    mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped, memoryview(mapped) as data:
                value = _blob_value(name, data)
                if value is None:
                    return {}
                with value:
                    tag, made_for, names, keys, rows = marshal.loads(value)
        except (OSError, ValueError, TypeError, EOFError):  # ValueError: an empty file cannot be mapped
            return {}
        # A name that is not text is never looked up; a key that is not text is refused, in one pass made in C.
        if (tag != SNAPSHOT or made_for != start or not type(names) is type(keys) is type(rows) is tuple
                or not len(names) == len(keys) == len(rows) or not {str}.issuperset(map(type, keys))):
            return {}
        return dict(zip(names, zip(keys, rows, strict=True), strict=True))

    def keep_rows(self, scope: str, options: str, articles: Sequence[tuple[str, str]], keys: Sequence[str],
                  rows: Sequence[Any]) -> None:
        """Keep the rows of every result of ``scope``'s build (each a row, or the value it was read from) whole for
        the next ``get_rows``, with each one's key and article (display, digest), in ``articles``' order.

        Written again only when the snapshot read by ``get_rows`` lacked more than one in fifty of them, or held as
        many others: a rebuild after a few edits takes the few changed results by key, and rewriting 25 MB each time
        would cost more than it saves.  Whoever writes last wins, and either snapshot is right: a row is filed under
        its key, which hashes the article, the options and the code, and each key beside the name it was made of.
        """
        held, given = self._snapshots.pop(scope, (0, ()))
        # Served: kept as the snapshot gave it, so a row that did not decode, and was made again, counts as missing.
        served = sum(1 for row, was in zip(rows, given, strict=True) if row is was and row is not None) \
            if len(given) == len(rows) else 0
        slack = len(rows) // 50
        if len(rows) - served <= slack and held - served <= slack:
            _SPENT.append(given)
            return
        # Mostly new results (a first build, one after the code changed, or one whose snapshot was damaged): left to
        # the next build, which reads them from their entries as rows anyway; the old snapshot goes, so that it does.
        # Made here, 10,000 rows at once kept 60 MB of this build's memory to its end, which every forked render
        # worker counted again.
        if sum(1 for row in rows if type(row) is bytes) > len(rows) // 2:
            if self._db is not None and not self.readonly:
                with contextlib.suppress(OSError):
                    self._blob_path("rows:" + scope).unlink()
            return
        start = _key_start(code_fingerprint(), options).hexdigest()
        value = marshal.dumps((SNAPSHOT, start, tuple(map("\0".join, articles)), tuple(keys), tuple(_shared(
            read_row(row) if type(row) is bytes else row for row in rows))), 4)
        self.set_blob("rows:" + scope, value)

    def put_many(self, entries: Mapping[str, tuple[str, bytes]]) -> None:
        """Store ``key -> (scope, value)`` in one transaction, dropping older entries of the same scopes."""
        if self._db is None or self.readonly or not entries:
            return
        self._write([("DELETE FROM results WHERE scope = ? AND key != ?",
                      [(scope, key) for key, (scope, _) in entries.items()]),
                     ("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                      [(key, scope, value, _checksum(value)) for key, (scope, value) in entries.items()])])

    def _write(self, statements: Sequence[tuple[str, Sequence[tuple[Any, ...]]]]) -> None:
        """Run each (statement, rows) in one transaction, all or none; a failing cache is given up, never fatal."""
        assert self._db is not None
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement, rows in statements:
                    self._db.executemany(statement, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            self._give_up(error)

    def get_meta(self, name: str) -> str | None:
        """A value the build stored by name, or None."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        except sqlite3.Error as error:
            self._give_up(error)
            return None
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        """Store a named value (such as the last build's fingerprint)."""
        if self._db is None or self.readonly:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))
        except sqlite3.Error as error:
            self._give_up(error)

    def get_blob(self, name: str) -> bytes | None:
        """Bytes stored by ``set_blob``, or None when there are none or they are not intact."""
        if self._db is None:
            return None
        size = len(_blob_head(name, b""))
        try:
            with open(self._blob_path(name), "rb") as file:
                head = file.read(size)  # apart, so that the value is read into its own bytes, not copied out
                value = file.read()
        except OSError:
            return None
        return value if head == _blob_head(name, value) else None

    def set_blob(self, name: str, value: bytes) -> None:
        """Store named bytes with a checksum (such as what the last build's merge decided), replacing any before."""
        if self._db is None or self.readonly:
            return
        path = self._blob_path(name)
        # Unique to this writer, so two builds writing at once never write into one file; the last to finish wins.
        temporary = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            with open(temporary, "wb") as file:
                file.write(_blob_head(name, value))
                file.write(value)
            os.replace(temporary, path)
        except OSError as error:
            self.notes.append(f"the build cache could not keep {path.name} ({error}); the next build does without it")
            with contextlib.suppress(OSError):
                os.unlink(temporary)

    def _blob_path(self, name: str) -> Path:
        return self.path.with_name("blob-" + hashlib.sha256(name.encode()).hexdigest()[:32])

    def delete_meta(self, name: str) -> None:
        """Forget a named value."""
        if self._db is None or self.readonly:
            return
        try:
            self._db.execute("DELETE FROM meta WHERE name = ?", (name,))
        except sqlite3.Error as error:
            self._give_up(error)

    def _give_up(self, error: sqlite3.Error) -> None:
        """Stop using a cache that failed mid-build; the next build checks it and rebuilds it if damaged."""
        self.notes.append(f"the build cache {self.path} failed ({error}); the rest of this build does without it")
        self._fresh_files = {}
        if self._db is not None:
            db, self._db = self._db, None
            db.close()

    def file_digests(self, paths: Iterable[str], *, hand_on: bool = False) -> dict[str, str]:
        """The SHA-256 of each file's bytes, read again only when its size, times or inode changed since it was
        last hashed, or when it was hashed too soon after a change to tell (see RACY_NS).

        With ``hand_on``, the digests are handed on to the next call, and to it alone, which takes them as they are
        rather than look at those files again: a build's fingerprint hands them to its reading of the articles, so
        each file is looked at once per build, and the articles are keyed as the fingerprint saw them (a file changed
        in between is seen by the next build, whose fingerprint differs).  A file that cannot be read is left out;
        the caller reads it and reports why.
        """
        if self._files is None:
            self._files = self._stored_files()
            self._stored_count = len(self._files)
        known, handed = self._files, self._handed
        self._handed = {}
        unseen = paths
        if handed:  # seen by the call that handed them on
            paths = list(paths)
            handed = {path: handed[path] for path in paths if path in handed}
            unseen = [path for path in paths if path not in handed] if len(handed) < len(paths) else []
        digests: dict[str, str] = {}
        for path in unseen:
            try:
                status = os.stat(path)
            except OSError:
                continue
            stat = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
            record = known.get(path)
            if record is not None and record[0] == stat:
                digests[path] = record[1]
                continue
            hashed_at = time.time_ns()
            try:
                with open(path, "rb") as file:
                    digest = hashlib.file_digest(file, "sha256").hexdigest()
            except OSError:
                continue
            digests[path] = digest
            # Trusted next time only if the file's last change is clearly older than this reading; otherwise a
            # change within the same timestamp tick would keep the same stat, so it is hashed again.
            racy = max(status.st_mtime_ns, status.st_ctime_ns) >= hashed_at - RACY_NS
            self._unknown += record is None
            known[path] = (stat, digest)  # for the rest of this build
            self._fresh_files[path] = not racy
        self._seen_files.update(digests)
        if handed:
            digests.update(handed)
        if hand_on:
            self._handed = digests
        return digests

    def hand_on_listing(self, folder: str, listing: list[tuple[str, str]]) -> None:
        """Keep the files under ``folder`` ((relative path, path), sorted) for ``take_listing`` alone.

        A build's fingerprint walks the content folder and hands its walk to the articles' reading with the
        digests (``file_digests``), so the folder is walked once per build; only a walk that met nothing but
        folders and regular files is handed on, as the reading's own walk reports links and odd files.
        """
        self._listing = (folder, listing)

    def take_listing(self, folder: str) -> list[tuple[str, str]] | None:
        """The files ``hand_on_listing`` kept for ``folder``, once; None when it kept none, or another folder's."""
        handed, self._listing = self._listing, None
        return handed[1] if handed is not None and handed[0] == folder else None

    def _stored_files(self) -> dict[str, tuple[tuple[int, int, int, int], str]]:
        """What ``_store_files`` kept of the files hashed before, by path; none when it is not intact.

        One blob read whole: the 10,000 rows of a table took half the time of the stat of every file they spare.
        """
        stored = self.get_blob("files")
        if stored is None:
            return {}
        try:
            tag, paths, stats, digests = marshal.loads(stored)
        except (ValueError, TypeError, EOFError):
            return {}
        # Three columns, each checked in one pass made in C; a stat that is not four numbers never matches one.
        if (tag != FILES or not type(paths) is type(stats) is type(digests) is tuple
                or not len(paths) == len(stats) == len(digests)
                or not {str}.issuperset(map(type, paths)) or not {str}.issuperset(map(type, digests))
                or not {tuple}.issuperset(map(type, stats))):
            return {}
        return dict(zip(paths, zip(stats, digests, strict=True), strict=True))

    def _store_files(self) -> None:
        """Keep what this build learnt of files for the next one: the whole record, of the files it looked at (so
        that files gone, or a content folder moved, leave none), where one hashed too soon after a change is left
        out, so the next build hashes it again.

        Written again only when it learnt of more than one file in a hundred, or looked at that many fewer: after a
        few edits, those files are hashed again by the next builds (a few hundredths of a millisecond each) rather
        than 10,000 records rewritten each time (a hundredth of a second). A record kept of a file changed since
        never matches it again, as its ctime moved on.
        """
        if self._db is None or self.readonly or not self._fresh_files or self._files is None:
            return
        fresh, self._fresh_files = self._fresh_files, {}
        seen = self._seen_files
        slack = self._stored_count // 100
        if sum(fresh.values()) <= slack and self._stored_count - (len(seen) - self._unknown) <= slack:
            return
        kept = [(path, *record) for path, record in self._files.items() if path in seen and fresh.get(path, True)]
        self.set_blob("files", marshal.dumps((FILES, *map(tuple, zip(*kept, strict=True))) if kept
                                             else (FILES, (), (), ()), 4))

    def close(self) -> None:
        """Store what was learnt about files, and close the database."""
        if self._db is not None:
            try:
                self._store_files()
            finally:
                if self._db is not None:
                    db, self._db = self._db, None
                    db.close()
