"""Export files assembled from one piece per event, reusing the previous build's bytes for unchanged events.

An export is ``head``, then its pieces with ``separator`` between them, then ``tail``. A piece's key names
what its bytes depend on: the export's ``salt`` (shared by every piece, so it goes in as a short hash), the
caller's key of its event and its ``extra`` (what it depends on besides the event), each framed by its length.
``splice`` returns the file and an index of (key, start, end, CRC-32) per piece; given them back on the next
build, it copies every piece whose key it finds instead of making it again. The previous file and index are only
ever a shortcut: a piece is copied only when its bytes are still the ones the index describes, so the result is
always the bytes of ``assemble``.

That is proven piece by piece (each one's CRC-32), or for the whole file at once: an index stored ``seal``ed with the
SHA-256 of the file it was made for, and found again beside that file (its digest in the manifest of the build that
wrote it, and its status as that build recorded it, see ``output.previous_file``), comes back as a ``ProvenIndex``,
whose pieces are copied without reading each one again: at 10,000 articles, the CRCs of the three exports' 56 MB were
a twentieth of a second of a rebuild after one edit.
"""

from __future__ import annotations

import hashlib
import operator
import zlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

IndexEntry = tuple[str, int, int, int]  # a piece's key, where its bytes start and end, and a CRC-32 of them
Chunks = list[bytes | memoryview]  # a file as the chunks that make it, one after the other (``splice_chunks``)

# A sealed index's first entry is (SEAL + the file's SHA-256 in hex, 0, 0, 0). No piece has that key: a piece key
# starts with a hash in hex, and "s" is no hex digit, so an index whose seal is not checked lends nothing by it.
SEAL = "sha256:"


class ProvenIndex(list[IndexEntry]):
    """The index of a previous file whose bytes are proven to be those it was made for (``prove``), so that its pieces
    are copied without a CRC of each. Only ``prove`` makes one: an index read back from storage is a plain list."""


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
    """Each piece's key: the salt's hash, then the event key and the extra, each after its length, so that no two
    triples share one.  Made as text rather than hashed piece by piece: at 10,000 articles the hashing was most of
    the work of splicing the exports after one edit, and a key is only ever compared."""
    # surrogatepass: a salt is only hashed, so even a string that is not valid Unicode must give one.
    salted = hashlib.blake2b(salt.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return [f"{salted}{len(key)}:{key}{len(extra)}:{extra}" for key, extra in zip(event_keys, extras, strict=True)]


def seal(index: Sequence[IndexEntry], digest: str) -> list[IndexEntry]:
    """``index`` (of a file ``splice`` made) sealed with the SHA-256 in hex of that file's bytes, to be stored."""
    return [(SEAL + digest, 0, 0, 0), *index]


def prove(index: object, digest: str) -> ProvenIndex | None:
    """The entries of a sealed ``index`` if its seal names ``digest``, else None.

    The caller vouches for the bytes it will give ``splice`` with the result: they must be proven to have this
    SHA-256 (``output.previous_file`` gives the bytes of a file only as the build that wrote them recorded them).
    """
    if type(index) is not list or not index:
        return None
    first = index[0]
    if type(first) not in (tuple, list) or len(first) != 4 or first[0] != SEAL + digest:
        return None
    return ProvenIndex(index[1:])


def splice(parts: Parts, event_keys: Sequence[str],
           previous: tuple[bytes, Sequence[IndexEntry]] | None) -> tuple[bytes, list[IndexEntry]]:
    """The file ``assemble(parts)`` and its index, copying from ``previous`` (bytes, index) every piece it holds.

    ``event_keys[i]`` must change whenever piece i's event changes. An index entry names its piece by the
    piece's key and holds a CRC-32 of its bytes: a piece is copied only when its bytes in ``previous`` still
    have that CRC, so a file that was edited, cut short or written by another build than its index gives no
    wrong piece; with a ``ProvenIndex``, the whole file was proven to be the one the index describes, and no CRC
    is checked. An index that is not a list of (str, int, int, int) is ignored as a whole.
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
    proven = bool(spans) and previous is not None and isinstance(previous[1], ProvenIndex)  # well formed: a pair
    chunks: Chunks = [parts.head]
    index: list[IndexEntry] = []
    position = len(parts.head)
    separator, gap = parts.separator, len(parts.separator)
    run_start = run_end = -1  # the stretch of ``old`` being copied, pieces and the separators between them
    for i, key in enumerate(keys):
        if i:
            position += gap
        span = spans.get(key)
        if span is not None and (proven or zlib.crc32(old[span[0]:span[1]]) == span[2]):
            start, end, crc = span
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
        index.append((key, position, position + size, crc))
        position += size
    if run_start >= 0:
        chunks.append(old[run_start:run_end])
    chunks.append(parts.tail)
    return chunks, index


def _spans(previous: object) -> tuple[memoryview, dict[str, tuple[int, int, int]]]:
    """The previous bytes, and each piece key's start, end and CRC in them; none unless the index is well formed.

    Well formed: bytes, and a list of (key, start, end, crc) with ``0 <= start <= end`` and a CRC of 32 bits.
    Entries that end past the bytes are left out: a truncated file still holds the pieces before its end. The
    entries are checked column by column, in C: one by one, they were a tenth of a second at 10,000 articles.
    """
    nothing: tuple[memoryview, dict[str, tuple[int, int, int]]] = (memoryview(b""), {})
    if not isinstance(previous, (tuple, list)) or len(previous) != 2:
        return nothing
    data, index = previous
    if not isinstance(data, bytes) or not isinstance(index, (tuple, list)):
        return nothing
    if not index:
        return memoryview(data), {}
    # Entries may come back as lists (from JSON); ``type(...) is int`` keeps out bools and floats.
    if not set(map(type, index)) <= {tuple, list} or set(map(len, index)) != {4}:
        return nothing
    keys, starts, ends, crcs = zip(*index, strict=True)
    if set(map(type, keys)) != {str} or set(map(type, starts)) | set(map(type, ends)) | set(map(type, crcs)) != {int}:
        return nothing
    if min(starts) < 0 or not all(map(operator.le, starts, ends)) or min(crcs) < 0 or max(crcs) > 0xFFFFFFFF:
        return nothing
    spans = dict(zip(keys, zip(starts, ends, crcs, strict=True), strict=True))
    size = len(data)
    if max(ends) > size:
        spans = {key: span for key, span in spans.items() if span[1] <= size}
    return memoryview(data), spans
