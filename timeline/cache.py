"""The build cache: per-article results in an embedded SQLite file, so a rebuild redoes only what changed.

Each entry is keyed by a hash of the article's bytes and path, the settings that change per-article results, and a
fingerprint of the tool (its version and the source of every module under ``timeline/``), so editing the tagger or
the event rules can never serve stale events.  Values are JSON written by ``encode`` (never pickle: a cache file is
data, and loading it must not run code), each stored with its own checksum.

Several builds may share one cache at once: the file is in WAL mode with a busy timeout, and each build writes its
new entries in one transaction.  A cache that is not a database, fails SQLite's integrity check or holds an entry
whose checksum does not match is never trusted: the file is set aside and rebuilt, or the entry recomputed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem
from .model import Article, Event, EventDate, Mention, Source
from .timex import Span

CACHE_DIR = ".timeline-cache"
CACHE_FILE = "cache.sqlite3"
SCHEMA = 1
PACKAGE = Path(__file__).resolve().parent
# The only classes a cache entry may build: plain frozen dataclasses of the model, nothing that runs code.
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (Article, Mention, EventDate, Source, Event, Span, Problem)}
_NAMES_BY_CLASS: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in dataclasses.fields(cls))
                                                for cls in CLASSES.values()}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the tool's version and of every Python source file in the package."""
    digest = hashlib.sha256(f"timeline {__version__} schema {SCHEMA}\n".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_key(display: str, data: bytes, options: str) -> str:
    """The cache key of one article: its path, its bytes, the per-article options and the code fingerprint."""
    digest = hashlib.sha256()
    for part in (code_fingerprint().encode(), options.encode(), display.encode(), data):
        digest.update(len(part).to_bytes(8, "big") + part)  # length-prefixed, so parts cannot run together
    return digest.hexdigest()


def encode(value: Any) -> Any:
    """``value`` (model dataclasses, dates, tuples, str-keyed dicts, plain values) as JSON-ready data."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if kind is tuple or kind is list:
        return [encode(item) for item in value]
    if kind is date:
        return {"$date": value.isoformat()}
    if kind is dict and all(type(key) is str for key in value):
        # Pairs, not an object, so that every JSON object in an entry is tagged (see _object).
        return {"$dict": [[key, encode(item)] for key, item in value.items()]}
    if kind in _NAMES_BY_CLASS:
        encoded = {"$": kind.__name__}
        for name in _NAMES_BY_CLASS[kind]:
            encoded[name] = encode(getattr(value, name))
        return encoded
    raise TypeError(f"cannot cache a {kind.__name__}")


def _tuples(value: Any) -> Any:
    return tuple(_tuples(item) for item in value) if type(value) is list else value


def _object(data: dict[str, Any]) -> Any:
    """One JSON object of an entry, innermost first (json's object_hook): a date, a dict or a model value."""
    name = data.pop("$", None)
    if name is None:
        if data.keys() == {"$date"}:
            return date.fromisoformat(data["$date"])
        if data.keys() == {"$dict"}:
            return {key: _tuples(item) for key, item in data["$dict"]}
        raise ValueError(f"untagged object with keys {sorted(data)}")
    cls = CLASSES[name]  # KeyError for an unknown class: the entry is not trusted
    if data.keys() != _field_names(cls):
        raise ValueError(f"{cls.__name__} fields differ: {sorted(data.keys() ^ _field_names(cls))}")
    for key, item in data.items():
        if type(item) is list:
            data[key] = _tuples(item)  # the frozen dataclasses hold tuples
    # Every field is present and checked above, so the instance is complete; skipping __init__ keeps
    # loading 40,000 events fast (frozen dataclasses set each field through object.__setattr__).
    instance: Any = object.__new__(cls)
    instance.__dict__.update(data)
    return instance


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def dumps(value: Any) -> bytes:
    """``value`` as compact JSON bytes."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> Any:
    """The value ``dumps`` wrote; lists come back as tuples, as the frozen dataclasses hold them."""
    return _tuples(json.loads(data, object_hook=_object))


def _checksum(value: bytes) -> str:
    return hashlib.blake2b(value, digest_size=16).hexdigest()


class Cache:
    """Per-article results by key, in one SQLite file; every failure degrades to a miss, never to a wrong hit."""

    def __init__(self, folder: Path, *, readonly: bool = False):
        self.path = folder / CACHE_FILE
        self.readonly = readonly
        self.notes: list[str] = []  # what went wrong with the cache, for the build to report as warnings
        self._db: sqlite3.Connection | None = None
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
            if not self.readonly:
                db.execute("PRAGMA journal_mode = WAL")  # readers never block the one writer, nor it them
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, scope TEXT NOT NULL, "
                           "value BLOB NOT NULL, checksum TEXT NOT NULL)")
                db.execute("CREATE INDEX IF NOT EXISTS results_scope ON results (scope)")
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
        """Move a damaged file (and its WAL) out of the way, keeping it for a post-mortem."""
        for suffix in ("", "-wal", "-shm"):
            damaged = self.path.with_name(self.path.name + suffix)
            if damaged.exists():
                os.replace(damaged, damaged.with_name(damaged.name + f".damaged-{os.getpid()}"))

    @property
    def usable(self) -> bool:
        """Whether the cache is open."""
        return self._db is not None

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored values of those ``keys`` that are present and intact."""
        if self._db is None:
            return {}
        found: dict[str, bytes] = {}
        wanted = list(dict.fromkeys(keys))
        try:
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                for key, value, checksum in self._db.execute(
                        f"SELECT key, value, checksum FROM results WHERE key IN ({marks})", chunk):
                    if isinstance(value, bytes) and _checksum(value) == checksum:
                        found[key] = value
        except sqlite3.Error as error:
            self._give_up(error)
            return {}
        return found

    def put_many(self, entries: Mapping[str, tuple[str, bytes]]) -> None:
        """Store ``key -> (scope, value)`` in one transaction, dropping older entries of the same scopes."""
        if self._db is None or self.readonly or not entries:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("DELETE FROM results WHERE scope = ? AND key != ?",
                                     [(scope, key) for key, (scope, _) in entries.items()])
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                                     [(key, scope, value, _checksum(value)) for key, (scope, value) in entries.items()])
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

    def _give_up(self, error: sqlite3.Error) -> None:
        """Stop using a cache that failed mid-build; the next build checks it and rebuilds it if damaged."""
        self.notes.append(f"the build cache {self.path} failed ({error}); the rest of this build does without it")
        self.close()

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            try:
                self._db.close()
            finally:
                self._db = None


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
