"""A big merge's work on each event that no decision depends on, shared with a child process.

A merge from scratch reads every event's words (``merge.content_words``) before it decides anything, and its trace
keeps a digest of every event known by its article's key (``merge_trace._digest``).  Both are worked out from the
event alone, and a build merges in its main process while the other core idles: so a forked child reads the words
of the last events and sends them, then the digests of all of them, while the build reads the words of the first
events and then decides.  The child works them out with this very code from a copy of these very events, so the
merge is the same as the build's own; should the child fail or send anything unexpected, the build works out what
is missing itself.
"""

from __future__ import annotations

import contextlib
import gc
import os
from array import array
from collections.abc import Callable, Sequence

from .messages import heard, tell
from .model import Event

SPLIT_AT = 5000  # events: fewer are merged in a moment, and a fork costs a few milliseconds


class Helper:
    """A child process reading the words of ``events[split:]``, then the digests of all events."""

    def __init__(self, pid: int, reader: int, events: int, split: int) -> None:
        self.pid = pid
        self.reader: int | None = reader
        self.events = events
        self.split = split

    @classmethod
    def start(cls, events: Sequence[Event], split: int, read_words: Callable[[Sequence[Event]], list[frozenset[str]]],
              digests: Callable[[Sequence[Event]], bytes]) -> Helper | None:
        """Fork the child: ``read_words`` gives the bags of words of events and ``digests`` their digests, as the
        merge would; None where processes cannot fork."""
        if not hasattr(os, "fork"):
            return None
        parent = os.getpid()
        try:
            reader, writer = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return None
        if pid == 0:  # the child: work, tell, and leave without running anything of the parent's
            code = 1
            try:
                from .executors import die_with_parent

                die_with_parent(parent)
                gc.disable()  # (switched on by die_with_parent) a pass over the build's objects would copy them all
                os.close(reader)
                with open(writer, "wb") as told:
                    tell(told, _words_message(read_words(events[split:])))
                    tell(told, digests(events))
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        return cls(pid, reader, len(events), split)

    def words(self, same: dict[frozenset[str], frozenset[str]]) -> list[frozenset[str]] | None:
        """The bags of words of ``events[split:]``, one per event, equal bags one object (by ``same``); None if the
        child failed."""
        message = self._told()
        try:
            bags, numbers = message if type(message) is tuple and len(message) == 2 else (None, None)
            if type(bags) is not tuple or type(numbers) is not bytes:
                raise ValueError("not a message of words")
            places = array("i")
            places.frombytes(numbers)
            if len(places) != self.events - self.split or (places and not 0 <= min(places) <= max(places) < len(bags)):
                raise ValueError("words of other events")
            table = []
            for bag in bags:
                if type(bag) is not frozenset or not all(type(word) is str for word in bag):
                    raise ValueError("not a bag of words")
                table.append(same.setdefault(bag, bag))
        except ValueError:
            self.close()
            return None
        return list(map(table.__getitem__, places))

    def digests(self) -> bytes | None:
        """The digests of all events, one after another; None if the child failed."""
        message = self._told()
        self.close()
        return message if type(message) is bytes else None

    def _told(self) -> object:
        """The child's next message (None if there is none)."""
        if self.reader is None:
            return None
        try:
            return heard(self.reader)
        except (OSError, EOFError, ValueError, TypeError):
            self.close()
            return None

    def close(self) -> None:
        """Stop listening to the child, and wait for it to end."""
        if self.reader is not None:  # closed first: a child still telling stops instead of waiting
            os.close(self.reader)
            self.reader = None
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _words_message(bags: list[frozenset[str]]) -> tuple[tuple[frozenset[str], ...], bytes]:
    """Bags of words as the distinct bags and each one's place among them."""
    numbers: dict[frozenset[str], int] = {}
    places = array("i", [numbers.setdefault(bag, len(numbers)) for bag in bags])
    return tuple(numbers), places.tobytes()
