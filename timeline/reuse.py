"""Pieces of the last build's files that a rebuild copies instead of rendering them again.

A page whose key changed is rendered again (``render.render_stream``), but most of what it shows are events that did
not change: after one edit, a year's page holds hundreds of events and only one of them is new. So each page records
where its event fragments are in its bytes (an ``Index``: each fragment's key, first and last byte, and a CRC-32), and
the next build copies a fragment with the same key out of the last build's file rather than render it. A fragment's
key hashes everything it is made of (the page keys' common part: code, libraries, settings, templates; the event in
full, with the pages it links to; the heading level, the page's root and source, the event's permalink), so the same
key means the same bytes; the CRC-32 guards against a file that is not the one its index describes. Only files the
last build wrote and that are still as it wrote them are read (the caller's ``read`` checks that); anything else,
and every doubt, means rendering the fragment again. The data exports are spliced the same way, per event
(``splice.py``), with indexes of their own kept beside these.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FORMAT = "timeline-pieces/2"

# Where a piece is in a file: (key, first byte, end, CRC-32 of the bytes).
Entry = tuple[bytes, int, int, int]


@dataclass(frozen=True)
class Reuse:
    """What the last build wrote that this one may copy from: its files (through ``read``) and their indexes."""

    read: Callable[[str], bytes | None]  # the last build's file at a path, or None unless it is as that build wrote it
    # path -> that file's index (a page's list of Entry; an export's, splice's own), or its bytes as
    # ``load_indexes`` gives them, decoded when first used (``index``)
    indexes: Mapping[str, Any]
    _files: dict[str, bytes | None] = field(default_factory=dict, compare=False, repr=False)
    _decoded: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _found: dict[bytes, tuple[str, int, int, int]] = field(default_factory=dict, compare=False, repr=False)
    _searched: set[str] = field(default_factory=set, compare=False, repr=False)

    def gather(self, paths: Iterable[str]) -> None:
        """Offer the fragments recorded in these pages' indexes (the first page that holds a key gives it).

        A build offers those of the pages it renders again: they hold nearly everything such a page can copy, and
        reading every page's index cost a tenth of a second at 10,000 articles for the few pages one edit touches.
        """
        found = self._found
        for path in paths:
            if path in self._searched:
                continue
            self._searched.add(path)
            index = self.index(path) if path.endswith(".html") else None
            if index is None:
                continue
            try:
                for key, start, end, crc in index:  # each value is checked when it is used (``fragment``)
                    if key not in found:
                        found[key] = (path, start, end, crc)
            except (TypeError, ValueError):
                continue

    def index(self, path: str) -> Any:
        """The index of the last build's file at ``path``; None when there is none, or its bytes are not one."""
        if path not in self._decoded:
            index = self.indexes.get(path)
            if isinstance(index, bytes):
                try:
                    index = marshal.loads(index)
                except (ValueError, TypeError, EOFError):
                    index = None
            self._decoded[path] = index if isinstance(index, list) else None
        return self._decoded[path]

    @property
    def fragments(self) -> dict[bytes, tuple[str, int, int, int]]:
        """The fragments offered, by key: where they are. Those of every page unless ``gather`` chose some."""
        if not self._searched:
            self.gather(self.indexes)
        return self._found

    def fragment(self, key: bytes) -> str | None:
        """The fragment with this key, as the last build wrote it, or None."""
        where = self.fragments.get(key)
        if where is None:
            return None
        path, start, end, crc = where
        data = self.file(path)
        try:
            if data is None or not 0 <= start <= end <= len(data) or type(start) is not int or type(end) is not int:
                return None
        except TypeError:  # not numbers
            return None
        piece = data[start:end]
        if zlib.crc32(piece) != crc:
            return None
        try:
            return piece.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def file(self, path: str) -> bytes | None:
        """The last build's file at ``path`` (read once), or None."""
        if path not in self._files:
            self._files[path] = self.read(path)
        return self._files[path]


def locate(data: bytes, placed: Iterable[tuple[bytes, bytes]]) -> list[Entry]:
    """Where each of a page's fragments (key, bytes, in the order the page shows them) is in the page's bytes.

    A fragment the template changed or left out is not found, and so not recorded: it can only be rendered again.
    """
    index: list[Entry] = []
    position = 0
    for key, piece in placed:
        # Most fragments follow the last one straight away or after a newline (a list's items): compared there
        # first, which is several times quicker than searching for them.
        if data.startswith(piece, position):
            start = position
        elif data.startswith(piece, position + 1):
            start = position + 1
        else:
            start = data.find(piece, position)
        if start < 0:
            continue
        position = start + len(piece)
        index.append((key, start, position, zlib.crc32(piece)))
    return index


def dump_indexes(indexes: Mapping[str, Any]) -> bytes:
    """The indexes of a build's files, for the next build: each as bytes of its own, so that the next build decodes
    only those of the files it makes again; an index given as ``load_indexes`` gave it (bytes) is kept as it is."""
    return marshal.dumps((FORMAT, {path: index if isinstance(index, bytes) else marshal.dumps(index, 4)
                                   for path, index in indexes.items()}), 4)


def load_indexes(value: bytes | None) -> dict[str, bytes]:
    """What ``dump_indexes`` wrote, each file's index still as bytes (``Reuse.index`` decodes one when it is used);
    empty for anything else (every piece is then made again)."""
    if not value:
        return {}
    try:
        tag, indexes = marshal.loads(value)
    except (ValueError, TypeError, EOFError):
        return {}
    if tag != FORMAT or not isinstance(indexes, dict):
        return {}
    # Each page's entries are checked when they are first used (``Reuse.fragments``): most pages are not rendered
    # again, and decoding 10,000 indexes here took a tenth of a rebuild.
    return {path: index for path, index in indexes.items() if isinstance(path, str) and isinstance(index, bytes)}

