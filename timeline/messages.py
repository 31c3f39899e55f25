"""Values a forked child tells its parent over a pipe: each one's length in 8 bytes, then its ``marshal`` bytes.

Used by the build's helper processes (the linking child of ``output``, the merge's child of ``merge_split``), which
send plain values only: ``marshal`` runs no code when loading, and a message cut short raises ``EOFError``.
"""

from __future__ import annotations

import marshal
import os
from typing import Any, BinaryIO

_SIZE = 8  # bytes telling a message's length


def tell(told: BinaryIO, value: Any) -> None:
    """Send ``value`` (of types ``marshal`` knows) down the pipe ``told``."""
    data = marshal.dumps(value)
    told.write(len(data).to_bytes(_SIZE, "big") + data)
    told.flush()


def heard(descriptor: int) -> object:
    """The next value told down the pipe read at ``descriptor``; EOFError if it ends first, ValueError, TypeError or
    EOFError from ``marshal`` for bytes that are no value."""
    return marshal.loads(_read_exactly(descriptor, int.from_bytes(_read_exactly(descriptor, _SIZE), "big")))


def _read_exactly(descriptor: int, size: int) -> bytes:
    """``size`` bytes from a pipe; EOFError if it ends first."""
    chunks = []
    while size > 0:
        chunk = os.read(descriptor, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the child's message ended early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
