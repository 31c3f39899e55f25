"""Export files assembled from one piece per event, reusing the previous build's bytes for unchanged events.

An export is ``head``, then its pieces with ``separator`` between them, then ``tail``. A piece's key hashes
what its bytes depend on: the export's ``salt`` (shared by every piece), the caller's key of its event and
its ``extra`` (what it depends on besides the event). ``splice`` returns the file and an index of
(key, start, end) per piece; given them back on the next build, it copies every piece whose key it finds
instead of making it again. The previous file and index are only ever a shortcut: a piece is copied only
when its bytes are still the ones the index describes, so the result is always the bytes of ``assemble``.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

IndexEntry = tuple[str, int, int]  # "key:crc" (a piece's key, a CRC-32 of its bytes), where its bytes start, end
Chunks = list[bytes | memoryview]  # a file as the chunks that make it, one after the other (``splice_chunks``)


def joined(data: bytes | Chunks) -> bytes:
    """A file given as bytes or as ``Chunks``, as bytes."""
    return data if isinstance(data, bytes) else b"".join(data)


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

    ``event_keys[i]`` must change whenever piece i's event changes. An index entry names its piece by the
    piece's key and a CRC-32 of its bytes ("key:crc"): a piece is copied only when its bytes in ``previous``
    still have that CRC, so a file that was edited, cut short or written by another build than its index
    gives no wrong piece. An index that is not a list of (str, int, int) is ignored as a whole.
    """
    chunks, index = splice_chunks(parts, event_keys, previous)
    return b"".join(chunks), index


def splice_chunks(parts: Parts, event_keys: Sequence[str], previous: tuple[bytes, Sequence[IndexEntry]] | None
                  ) -> tuple[Chunks, list[IndexEntry]]:
    """``splice``'s file as the chunks that make it, one after the other, and its index.

    Pieces copied in a row from ``previous`` come as one view of its bytes, separators included: after one edit,
    a file of tens of MB is a handful of chunks, written as they are rather than first assembled in memory.
    """
    if len(event_keys) != len(parts.extras):
        raise ValueError(f"{len(event_keys)} event keys for {len(parts.extras)} pieces: give one per piece")
    keys = piece_keys(parts.salt, event_keys, parts.extras)
    old, spans = _spans(previous)
    chunks: Chunks = [parts.head]
    index: list[IndexEntry] = []
    position = len(parts.head)
    separator, gap = parts.separator, len(parts.separator)
    run_start = run_end = -1  # the stretch of ``old`` being copied, pieces and the separators between them
    for i, key in enumerate(keys):
        if i:
            position += gap
        copied = False
        span = spans.get(key)
        if span is not None:
            start, end, crc = span
            copied = zlib.crc32(old[start:end]) == crc
        if copied:
            if not (i and run_start >= 0 and start == run_end + gap and old[run_end:start] == separator):
                if run_start >= 0:
                    chunks.append(old[run_start:run_end])
                if i:
                    chunks.append(separator)
                run_start = start
            run_end = end
            size = end - start
        else:
            if run_start >= 0:
                chunks.append(old[run_start:run_end])
                run_start = -1
            if i:
                chunks.append(separator)
            piece = parts.piece(i)
            crc = zlib.crc32(piece)
            chunks.append(piece)
            size = len(piece)
        index.append((f"{key}:{crc:08x}", position, position + size))
        position += size
    if run_start >= 0:
        chunks.append(old[run_start:run_end])
    chunks.append(parts.tail)
    return chunks, index


def _spans(previous: object) -> tuple[memoryview, dict[str, tuple[int, int, int]]]:
    """The previous bytes, and each piece key's start, end and CRC in them; none unless the index is well formed.

    Well formed: bytes, and a list of ("key:crc", start, end) with ``0 <= start <= end``. Entries that end
    past the bytes are left out: a truncated file still holds the pieces before its end.
    """
    nothing: tuple[memoryview, dict[str, tuple[int, int, int]]] = (memoryview(b""), {})
    if not isinstance(previous, (tuple, list)) or len(previous) != 2:
        return nothing
    data, index = previous
    if not isinstance(data, bytes) or not isinstance(index, (tuple, list)):
        return nothing
    size = len(data)
    spans: dict[str, tuple[int, int, int]] = {}
    for entry in index:
        # Entries may come back as lists (from JSON); ``type(...) is int`` keeps out bools and floats.
        if not isinstance(entry, (tuple, list)) or len(entry) != 3:
            return nothing
        name, start, end = entry
        if not isinstance(name, str) or type(start) is not int or type(end) is not int or not 0 <= start <= end:
            return nothing
        key, colon, crc = name.rpartition(":")
        if not colon or len(crc) != 8 or crc.strip("0123456789abcdef"):
            return nothing
        if end <= size:
            spans[key] = (start, end, int(crc, 16))
    return memoryview(data), spans
