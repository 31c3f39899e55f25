"""Export files assembled from one piece per event, reusing the previous build's bytes for unchanged events.

An export is ``head``, then its pieces with ``separator`` between them, then ``tail``. A piece's key hashes
what its bytes depend on: the export's ``salt`` (shared by every piece), the caller's key of its event and
its ``extra`` (what it depends on besides the event). ``splice`` returns the file and an index of
(key, start, end) per piece; given them back on the next build, it copies every piece whose key it finds
instead of making it again. The previous file and index are only ever a shortcut: anything that does not
look like what ``splice`` wrote is ignored, so the bytes are always those of ``assemble``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

IndexEntry = tuple[str, int, int]  # a piece's key, and where its bytes start and end in the file


class Parts(NamedTuple):
    """An export cut into per-event pieces: ``head + separator.join(pieces) + tail`` is the file."""

    head: bytes
    separator: bytes  # between two pieces
    tail: bytes
    extras: Sequence[str]  # per piece: what it depends on besides its event (a unique id, a page)
    salt: str  # what every piece depends on besides its event (the export's name, its language)
    piece: Callable[[int], bytes]  # the bytes of piece i


def assemble(parts: Parts) -> bytes:
    """The whole file, every piece made afresh."""
    pieces = [parts.piece(i) for i in range(len(parts.extras))]
    return b"".join((parts.head, parts.separator.join(pieces), parts.tail))


def piece_keys(salt: str, event_keys: Sequence[str], extras: Sequence[str]) -> list[str]:
    """Each piece's key: a hash of (salt, event key, extra), each length-prefixed so no two triples share one."""
    salted = hashlib.blake2b(_framed(salt), digest_size=16)
    keys = []
    for event_key, extra in zip(event_keys, extras, strict=True):
        digest = salted.copy()
        digest.update(_framed(event_key) + _framed(extra))
        keys.append(digest.hexdigest())
    return keys


def _framed(text: str) -> bytes:
    # surrogatepass: a key is only hashed, so even a string that is not valid Unicode must give one.
    data = text.encode("utf-8", "surrogatepass")
    return b"%d:%b" % (len(data), data)


def splice(parts: Parts, event_keys: Sequence[str],
           previous: tuple[bytes, Sequence[IndexEntry]] | None) -> tuple[bytes, list[IndexEntry]]:
    """The file ``assemble(parts)`` and its index, copying from ``previous`` (bytes, index) every piece it holds.

    ``event_keys[i]`` must change whenever piece i's event changes. A ``previous`` that is not a well-formed
    index of its bytes is ignored, and index entries past the end of the bytes (a truncated file) are dropped.
    """
    if len(event_keys) != len(parts.extras):
        raise ValueError(f"{len(event_keys)} event keys for {len(parts.extras)} pieces: give one per piece")
    keys = piece_keys(parts.salt, event_keys, parts.extras)
    old, spans = _reusable(previous, parts.separator)
    chunks: list[bytes | memoryview] = [parts.head]
    index: list[IndexEntry] = []
    position = len(parts.head)
    separator, gap = parts.separator, len(parts.separator)
    for i, key in enumerate(keys):
        if i:
            chunks.append(separator)
            position += gap
        span = spans.get(key)
        # A view, not a slice: the bytes are copied once, by the join below.
        piece = parts.piece(i) if span is None else old[span[0]:span[1]]
        end = position + len(piece)
        chunks.append(piece)
        index.append((key, position, end))
        position = end
    chunks.append(parts.tail)
    return b"".join(chunks), index


def _reusable(previous: object, separator: bytes) -> tuple[memoryview, dict[str, tuple[int, int]]]:
    """The previous bytes and where each key's piece lies in them; no pieces unless ``previous`` is well formed.

    Well formed: bytes and a list of (str, int, int) entries in file order, not overlapping, with exactly
    ``separator`` between one piece and the next, as ``splice`` writes them. Entries that end past the bytes
    are dropped (the ones before them are intact in a truncated file).
    """
    nothing: tuple[memoryview, dict[str, tuple[int, int]]] = (memoryview(b""), {})
    if not isinstance(previous, (tuple, list)) or len(previous) != 2:
        return nothing
    data, index = previous
    if not isinstance(data, bytes) or not isinstance(index, (tuple, list)):
        return nothing
    old = memoryview(data)
    size, gap = len(data), len(separator)
    spans: dict[str, tuple[int, int]] = {}
    last_end = -1  # no piece yet
    for entry in index:
        # Entries may come back as lists (from JSON); ``type(...) is int`` keeps out bools and floats.
        if not isinstance(entry, (tuple, list)) or len(entry) != 3:
            return nothing
        key, start, end = entry
        if not isinstance(key, str) or type(start) is not int or type(end) is not int or not 0 <= start <= end:
            return nothing
        if end > size:
            break  # this piece and every later one lie past the end of a truncated file
        if last_end >= 0 and (start - last_end != gap or old[last_end:start] != separator):
            return nothing
        spans[key] = (start, end)
        last_end = end
    return old, spans
