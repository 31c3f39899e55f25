"""The trace of a merge: what the next build's merge reads to replay its decisions (see ``merge_replay``).

A trace is ``marshal`` data (plain values only) behind a magic string and a checksum (crc32 and length, as the cache
checks its values): the format and a digest of the code, then a header (the editors' rules, n and each word's df, the
editors' groups, the next free label, the counts each segment's records were decided with, which records are alive,
each cluster's hint, each keyed article's key, count and records, and the summary of each cluster of events known by
key: what its merged event adds up from its members, see ``merge._merged``) and segments of records.  A record holds
its event's words as a bag number, the label of the cluster it joined, the labels it compared with, and its
closeness; a keyed article's event's record a digest of its data too; any other's its id and what its decision reads
(its position, dates, state, and each source's article, dateline, sentence, place in the article and expression,
which give its words), the strings a column each, the numbers packed a record after another.  A replay passes the old
segments through untouched, marks the records of events that are gone, changed or recomputed dead, and appends a
segment with their new records; a trace whose dead records or segments pile up is written afresh as one segment.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import operator
import os
import struct
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import accumulate, chain, compress, pairwise
from pathlib import Path
from typing import Any, NamedTuple

from . import merge
from .merge import (
    MergeRules,
    Summary,
    _reported_order,
)
from .model import Event, Source
from .timex import PRECISION_RANK

FORMAT = "timeline merge trace 6"
_MAGIC = b"TLMERGE\x06"
_DIGEST = 8  # after the magic string: the head's crc32 and the trace's length (as the cache checks its values)
_LABELS = 2**31 - 1  # numbers are stored as 32-bit integers; a merge that would pass this starts from scratch
_SEGMENTS = 16  # a trace of more segments, or with more than a quarter of its records dead, is written afresh

SpanKey = tuple[int, int, str, int | None]
_INTS = ("bags", "joined", "sizes")
_PACK = struct.Struct(f"{len(_INTS)}i").pack  # a trail's numbers for one event (struct.error when too large)
_SIZE = struct.calcsize(f"{len(_INTS)}i")  # bytes of a record's numbers
# What a decision reads of an event, compared packed (quicker than one by one): position, first and last day,
# minute, the first source's dateline, sentence start, expression start and end, sources * 2 + as_of.
_PRINT = struct.Struct("9i").pack
_PRINT_SIZE = struct.calcsize("9i")
_DIGEST_SIZE = 16
_ONE_SOURCE = struct.Struct("=14q").pack  # an event's numbers for its digest, as array("q") lays them out
_NO_DIGEST = bytes(_DIGEST_SIZE)  # a plain record's: its data is kept
_NOWHERE = Source("", "", None, date.min, "", 0, "", 0, 0)  # stands for the first source of an event with none


def _rules_value(rules: MergeRules) -> tuple[Any, ...]:
    """The editors' rules as plain values, equal exactly when the rules are."""
    return (tuple(tuple(group) for group in rules.groups),
            tuple(sorted(tuple(sorted(pair)) for pair in rules.distinct)))


@functools.cache
def _code_digest() -> bytes:
    """A digest of the code and tables the decisions depend on: another version's trace is not replayed."""
    digest = hashlib.blake2b(FORMAT.encode(), digest_size=16)
    try:
        for path in (Path(merge.__file__), Path(__file__).with_name("merge_replay.py"), Path(__file__),
                     Path(__file__).with_name("merge_split.py")):
            digest.update(path.read_bytes())
    except OSError:  # the source cannot be read: no trace can be shown to come from this code
        return os.urandom(16)
    # Numbers are stored as machine arrays: a trace from a machine that lays them out otherwise is not read.
    layout = (sys.byteorder, array("i").itemsize, array("d").itemsize, sorted(PRECISION_RANK.items()))
    digest.update(repr(layout).encode())
    return digest.digest()


def _later_sources(sources: Sequence[Source]) -> tuple[Any, ...]:
    """What merging reads of an event's sources after the first, in one flat tuple."""
    return tuple(part for s in sources[1:] for part in (s.dateline.toordinal(), s.article, s.sentence, s.sentence_start,
                                                       s.expression_start, s.expression_end))


class _Trail:
    """Decisions as a merge makes them, before they become records: each record's numbers packed (``_PACK``, in
    ``_INTS`` order), the labels it compared with and its closeness; and for an event not known by its article's
    key (see ``article_runs``), its strings and the numbers its decision reads (``_PRINT``)."""

    def __init__(self, later: bool = False) -> None:
        self.later = later  # the digests are given once every record is added (``digested``)
        self.ids: list[str] = []
        self.sentences: list[str] = []
        self.articles: list[str] = []
        self.precisions: list[str] = []
        self.prints: list[bytes] = []
        self.plain: list[int] = []  # the records kept with their event's data
        self.digests: list[bytes] = []  # each record's: the others' data as ``_digest``
        self.numbers: list[bytes] = []
        self.compared: list[int] = []  # lists: an array parses every number appended to it
        self.closeness: list[float] = []
        self.several: dict[int, tuple[Any, ...]] = {}  # plain record -> ``_later_sources`` of one with several
        self.broken = False  # a number too large to store: no trace
        self.shared: dict[str, str] = {}  # one object for equal sentences: marshal writes it once (recalls)

    def add(self, event: Event, key: SpanKey, bag: int, label: int, candidates: Sequence[int],
            closeness: float, keyed: bool = False) -> None:
        """An event with these words (by number) joined cluster ``label`` after comparing with ``candidates``;
        ``keyed``: its article's key stands for its data, which is not kept."""
        if not keyed:
            # Taken here, while the event is at hand: a later pass over 100,000 events costs its cache misses.
            sources = event.sources
            first = sources[0] if sources else _NOWHERE
            if len(sources) > 1:
                self.several[len(self.ids)] = _later_sources(sources)
            sentence = first.sentence
            self.plain.append(len(self.closeness))
            self.ids.append(event.id)
            self.sentences.append(self.shared.setdefault(sentence, sentence))
            self.articles.append(first.article)  # one object for an article's events already: written once
            self.precisions.append(key[2])
            minute = key[3]
            try:
                self.prints.append(_PRINT(event.position, key[0], key[1], -1 if minute is None else minute,
                                          first.dateline.toordinal(), first.sentence_start, first.expression_start,
                                          first.expression_end, len(sources) * 2 + event.as_of))
            except struct.error:
                self.broken = True
        if not self.later:
            self.digests.append((_digest(event) or _NO_DIGEST) if keyed else _NO_DIGEST)
        try:
            self.numbers.append(_PACK(bag, label, len(candidates)))
        except struct.error:
            self.broken = True
        self.compared.extend(candidates)
        self.closeness.append(closeness)


    def digested(self, places: Sequence[int], digests: bytes) -> None:
        """Give each record its digest: of the event at its place (``places``) in ``digests`` (see that)."""
        self.digests = [digests[at:at + _DIGEST_SIZE] for at in map(_DIGEST_SIZE.__mul__, places)]


def digests(events: Sequence[Event], keyed: bytes | bytearray) -> bytes:
    """The digest of each event whose article is known by its key (``keyed``, one byte each: 1 when it is), nothing
    (``_NO_DIGEST``) for the others', one after another."""
    return b"".join([(_digest(event) or _NO_DIGEST) if is_keyed else _NO_DIGEST
                     for event, is_keyed in zip(events, keyed, strict=True)])


class _Records:
    """Records of events' decisions, numbers packed (``_PACK``, a record after another); the records of events not
    known by their article's key (``plain``) also keep their event's data: strings a column each, numbers packed
    (``_PRINT``)."""

    def __init__(self) -> None:
        self.plain = array("i")  # the records with their event's data, in order; the columns below are theirs
        self.ids: list[str] = []
        self.sentences: list[str] = []  # the first source's ("" for an event without sources)
        self.articles: list[str] = []
        self.precisions: list[str] = []
        self.prints = bytearray()  # see _PRINT
        self.extras: dict[int, tuple[Any, ...]] = {}  # plain record -> ``_later_sources`` of an event with several
        self.numbers = bytearray()  # see _INTS, every record's
        self.digests = bytearray()  # every record's _digest (_NO_DIGEST for a plain one)
        self.compared = array("i")  # the labels of the clusters each compared with, one record after another
        self.closeness = array("d")  # as the weights of its segment's state gave it (see ``State``)

    def __len__(self) -> int:
        return len(self.closeness)

    def column(self, name: str) -> array[int]:
        """One of the numbers (see _INTS) of every record."""
        return array("i", self.numbers)[_INTS.index(name)::len(_INTS)]

    def extend(self, trail: _Trail) -> None:
        """Record the decisions of a trail (raises OverflowError for a number too large to store)."""
        if trail.broken:
            raise OverflowError("a number too large to store")
        base, plain = len(self), len(self.ids)
        self.plain.extend(base + record for record in trail.plain)
        self.ids += trail.ids
        self.sentences += trail.sentences
        self.articles += trail.articles
        self.precisions += trail.precisions
        self.prints += b"".join(trail.prints)
        self.extras.update((plain + event, value) for event, value in trail.several.items())
        self.numbers += b"".join(trail.numbers)
        self.digests += b"".join(trail.digests)
        self.compared.fromlist(trail.compared)  # 32-bit: OverflowError for a label too large
        self.closeness.fromlist(trail.closeness)

    def fits(self, plain: int, event: Event, key: SpanKey) -> bool:
        """Whether the plain record is of this event's data (its id aside): the same decision would read the same."""
        sources = event.sources
        first = sources[0] if sources else _NOWHERE
        at = plain * _PRINT_SIZE
        return (self.prints[at:at + _PRINT_SIZE] == _fingerprint(event, key, first)
                and self.precisions[plain] == key[2]
                and (not sources or (self.articles[plain] == first.article
                                     and self.sentences[plain] == first.sentence))
                and (len(sources) < 2 or self.extras.get(plain) == _later_sources(sources)))

    def encode(self, bags: Sequence[frozenset[str]]) -> bytes:
        """The records and the bags they add to the trace, as one segment."""
        return marshal.dumps((self.plain.tobytes(), tuple(self.ids), tuple(self.sentences), tuple(self.articles),
                              tuple(self.precisions), bytes(self.prints), self.extras, bytes(self.numbers),
                              bytes(self.digests), self.compared.tobytes(), self.closeness.tobytes(),
                              tuple(map(tuple, bags))), 4)

    @classmethod
    def decode(cls, data: bytes | memoryview) -> tuple[_Records, list[frozenset[str]]]:
        """A segment's records and bags (ValueError or TypeError unless in the shape ``encode`` writes)."""
        value = marshal.loads(data)
        if type(value) is not tuple or len(value) != 12:
            raise ValueError("not a segment")
        (plain, ids, sentences, articles, precisions, prints, extras, numbers, digests, compared, closeness,
         bags) = value
        records = cls()
        records.closeness = _array("d", closeness)
        count = len(records.closeness)
        records.plain = _array("i", plain)
        kept = len(records.plain)
        if not (_within(records.plain, 0, count - 1) and all(map(operator.lt, records.plain, records.plain[1:]))):
            raise ValueError("bad plain records")
        for name, strings in (("ids", ids), ("sentences", sentences), ("articles", articles),
                              ("precisions", precisions)):
            if type(strings) is not tuple or len(strings) != kept or not set(map(type, strings)) <= {str}:
                raise ValueError(f"bad column {name}")
            setattr(records, name, list(strings))
        if (type(numbers) is not bytes or len(numbers) != count * _SIZE or type(prints) is not bytes
                or len(prints) != kept * _PRINT_SIZE or type(digests) is not bytes
                or len(digests) != count * _DIGEST_SIZE):
            raise ValueError("bad numbers")
        records.numbers = bytearray(numbers)
        records.digests = bytearray(digests)
        records.prints = bytearray(prints)
        records.compared = _array("i", compared)
        if (type(extras) is not dict or type(bags) is not tuple
                or not all(type(k) is int and 0 <= k < kept and type(v) is tuple for k, v in extras.items())
                or not set(map(type, bags)) <= {tuple} or not set(map(type, chain.from_iterable(bags))) <= {str}):
            raise ValueError("bad segment")
        records.extras = extras
        return records, [frozenset(bag) for bag in bags]

    @classmethod
    def joined_up(cls, parts: Sequence[_Records]) -> _Records:
        """The records of several segments, one after another."""
        if len(parts) == 1:
            return parts[0]
        records = cls()
        for name in ("ids", "sentences", "articles", "precisions"):
            setattr(records, name, list(chain.from_iterable(getattr(part, name) for part in parts)))
        records.numbers = bytearray(b"".join(part.numbers for part in parts))
        records.digests = bytearray(b"".join(part.digests for part in parts))
        records.prints = bytearray(b"".join(part.prints for part in parts))
        base = plain = 0
        for part in parts:
            records.plain.extend(base + record for record in part.plain)
            records.extras.update((plain + record, value) for record, value in part.extras.items())
            records.compared.extend(part.compared)
            records.closeness.extend(part.closeness)
            base += len(part)
            plain += len(part.ids)
        return records

    def kept(self, keep: bytes, offsets: Sequence[int]) -> tuple[_Records, list[int]]:
        """Only the records ``keep`` marks (one byte each, 1 to keep), and each record's new number (of those kept);
        ``offsets`` locate their ``compared``."""
        renumber = [place - 1 for place in accumulate(keep)]
        records = _Records()
        plain_keep = bytes(map(keep.__getitem__, self.plain))
        for name in ("ids", "sentences", "articles", "precisions"):
            setattr(records, name, list(compress(getattr(self, name), plain_keep)))
        records.plain = array("i", map(renumber.__getitem__, compress(self.plain, plain_keep)))
        plains = list(compress(range(len(self.plain)), plain_keep))
        records.extras = {new: self.extras[old] for new, old in enumerate(plains) if old in self.extras}
        # Copied a run of kept records at a time: a trace written afresh keeps most of them, in long runs.
        runs, plain_runs = _runs(keep), _runs(plain_keep)
        prints, numbers, digests = memoryview(self.prints), memoryview(self.numbers), memoryview(self.digests)
        records.prints = bytearray(b"".join(prints[low * _PRINT_SIZE:high * _PRINT_SIZE] for low, high in plain_runs))
        records.numbers = bytearray(b"".join(numbers[low * _SIZE:high * _SIZE] for low, high in runs))
        records.digests = bytearray(b"".join(digests[low * _DIGEST_SIZE:high * _DIGEST_SIZE] for low, high in runs))
        closeness, compared = memoryview(self.closeness), memoryview(self.compared)
        records.closeness = _array("d", b"".join(closeness[low:high].tobytes() for low, high in runs))
        records.compared = _array("i", b"".join(compared[offsets[low]:offsets[high]].tobytes() for low, high in runs))
        return records, renumber


def _runs(keep: bytes) -> list[tuple[int, int]]:
    """The runs of ones in ``keep`` (one byte each, 0 or 1), as (first, end) places."""
    runs = []
    low = keep.find(1)
    while low >= 0:
        high = keep.find(0, low)
        if high < 0:
            high = len(keep)
        runs.append((low, high))
        low = keep.find(1, high)
    return runs


def _fingerprint(event: Event, key: SpanKey, first: Source) -> bytes:
    """The numbers of an event's record that say what its decision reads (``_PRINT`` packed; b"" when too large)."""
    try:
        return _PRINT(event.position, key[0], key[1], -1 if key[3] is None else key[3], first.dateline.toordinal(),
                      first.sentence_start, first.expression_start, first.expression_end,
                      len(event.sources) * 2 + event.as_of)
    except struct.error:
        return b""


def _digest(event: Event) -> bytes:
    """16 bytes standing for an event's id and all its decision reads (see ``_Records.fits``): equal exactly when
    those are, as far as blake2b can tell; b"" for a number too large to store."""
    sources = event.sources
    span = event.date.span
    minute = -1 if span.minute is None else span.minute
    if len(sources) == 1:  # nearly all: the bytes of the general case below, packed at once
        source = sources[0]
        strings: tuple[str, ...] = (event.id, span.precision, source.article, source.sentence)
        try:
            numbers = _ONE_SOURCE(event.position, span.start.toordinal(), span.end.toordinal(), minute, event.as_of,
                                  1, source.dateline.toordinal(), source.sentence_start, source.expression_start,
                                  source.expression_end, *map(len, strings))
        except struct.error:
            return b""
    else:
        strings = (event.id, span.precision, *chain.from_iterable((s.article, s.sentence) for s in sources))
        try:
            numbers = array("q", [event.position, span.start.toordinal(), span.end.toordinal(), minute, event.as_of,
                                  len(sources), *chain.from_iterable((s.dateline.toordinal(), s.sentence_start,
                                                                      s.expression_start, s.expression_end)
                                                                     for s in sources),
                                  *map(len, strings)]).tobytes()  # the lengths: where each string ends
        except OverflowError:
            return b""
    return hashlib.blake2b(numbers + "".join(strings).encode("utf-8", "surrogatepass"),
                           digest_size=_DIGEST_SIZE).digest()


def _array(kind: str, data: Any) -> array[Any]:
    if type(data) is not bytes:
        raise ValueError("not an array")
    values = array(kind)
    values.frombytes(data)  # ValueError unless whole items
    return values


def _within(values: array[Any], low: float, high: float) -> bool:
    return not values or (min(values) >= low and max(values) <= high)


# The counts the weights of a segment's records came from: n then, and the df then of each word whose df differs
# from the trace's (0: no event held it then).  A replay bounds how far each weight moved since (see merge_replay).
State = tuple[int, dict[str, int]]
Runs = list[tuple[str, int]]  # each article's key ("" for none) and how many of the events are its, in order
_UNKEYED = ((), b"", b"", b"")  # no article known by key: keys, counts, orders and records (see keyed_articles)


def article_runs(events: Sequence[Event], articles: Iterable[tuple[str, int]] | None) -> Runs | None:
    """``merge_events``'s ``articles`` checked: None unless their counts add up to the events; a key given to
    more than one article is no key."""
    if articles is None:
        return None
    runs = list(articles)
    if (not all(type(key) is str and type(count) is int and count >= 0 for key, count in runs)
            or sum(count for _, count in runs) != len(events)):
        return None
    keys = [key for key, _ in runs if key]
    if len(set(keys)) != len(keys):
        twice = {key for key, times in Counter(keys).items() if times > 1}
        runs = [("" if key in twice else key, count) for key, count in runs]
    return runs


def _keyable(events: Sequence[Event]) -> int:
    """-1 when an article's events cannot be known by its key (one has no sources to be decided by); else 1 when
    they are in reported order among themselves, 0 when not."""
    ordered, last = 1, None
    for event in events:
        if not event.sources:
            return -1
        first = event.sources[0]
        here = (first.dateline, first.article, event.position, event.id)
        if last is not None and not (here[:2] == last[:2] and here > last):
            ordered = 0
        last = here
    return ordered


def keyed_articles(events: Sequence[Event], runs: Runs | None, flags: Sequence[int], record_of: Sequence[int],
                   entries: Sequence[int] = (), old: tuple[Any, ...] = ((), (), b"", ()),
                   stretches: Mapping[int, tuple[int, int]] | None = None) -> tuple[Any, ...]:
    """The trace's table of the articles known by key: their keys, counts, orders and the records of their events,
    in the order of ``events`` (``record_of`` gives each event's record).

    An article's order says whether its events are in reported order among themselves (1, its ``_keyable``) and
    whether its first comes after the last event of the keyed articles before it (2): a replay that meets the
    articles in the same order need not read their events to know they are in order.  ``entries`` give each run's
    place in the ``old`` table (its keys, counts, orders and starts; -1: not there) and ``stretches`` the runs that
    found its articles ``e0`` to ``e1`` in a row, so that what is known already is copied, not found out again.
    """
    if runs is None:
        return _UNKEYED
    old_keys, old_counts, old_orders, old_starts = old
    stretches = stretches or {}
    keys: list[str] = []
    counts, table, records = array("i"), bytearray(), array("i")
    # The last keyed article's place in the old table and count, and the last event of the last one with events.
    k, entry, before, last = 0, -2, 0, -1
    run = 0
    while run < len(runs):
        key, count = runs[run]
        e0, e1 = stretches.get(run, (0, 0))
        if e1 - e0 > 1 and old_counts[e0]:  # in a row as they were, after one with events: their orders stand
            size = old_starts[e1] - old_starts[e0]
            keys += old_keys[e0:e1]
            counts += old_counts[e0:e1]
            first_after = last < 0 or _reported_order(events[k]) > _reported_order(events[last])
            table.append(old_orders[e0] & 1 | (2 if first_after else 0))
            table += old_orders[e0 + 1:e1]
            records.extend(record_of[k:k + size])
            k, run, entry, before, last = k + size, run + e1 - e0, e1 - 1, old_counts[e1 - 1], k + size - 1
            continue
        flag = flags[run]
        if key and flag >= 0:
            was = entries[run] if entries else -1
            if was >= 0 and was == entry + 1 and before:  # after the same article as before: the order it had
                order = old_orders[was]
            else:
                order = flag | (2 if not count or last < 0 or _reported_order(events[k]) > _reported_order(events[last])
                                else 0)
            keys.append(key)
            counts.append(count)
            table.append(order)
            records.extend(record_of[k:k + count])
            entry, before = (was if was >= 0 else -2), count
            if count:
                last = k + count - 1
        else:
            entry = -2
        k += count
        run += 1
    return tuple(keys), counts.tobytes(), bytes(table), records.tobytes()


class Trace:
    """A trace being written: records of decisions and the bags of words they refer to, numbered from ``base``."""

    def __init__(self, base: int = 0) -> None:
        self.records = _Records()
        self.base = base
        self.numbers: dict[frozenset[str], int] = {}
        self.bags: list[frozenset[str]] = []
        self.broken = False  # a number too large to store: no trace

    def add(self, event: Event, key: SpanKey, words: frozenset[str], label: int, candidates: Sequence[int],
            closeness: float, keyed: bool = False) -> int:
        """Record a decision: the event (with these words) joined cluster ``label``, -1 for none; the record's
        number among these.  ``keyed``: its article's key stands for its data (see ``article_runs``)."""
        bag = self.numbers.get(words, -1)
        if bag < 0:
            bag = self.numbers[words] = self.base + len(self.bags)
            self.bags.append(words)
        trail = _Trail()
        trail.add(event, key, bag, label, candidates, closeness, keyed)
        self.extend(trail)
        return len(self.records) - 1

    def extend(self, trail: _Trail) -> None:
        """Record the decisions of a trail, its events' words given by number."""
        try:
            self.records.extend(trail)
        except OverflowError:
            self.broken = True

    def encode(self, rules: MergeRules, n: int, frequencies: Mapping[str, int], groups: Sequence[tuple[str, ...]],
               next_label: int, hints: dict[int, int], keyed: tuple[Any, ...] = _UNKEYED,
               states: Sequence[State] = (), segments: Sequence[memoryview] = (), alive: bytes = b"",
               sums: Sequence[int] = (),
               summaries: Mapping[int, Summary] | None = None) -> bytes:
        """The trace as bytes: these records after the ``segments`` of an earlier trace (``alive`` marks which of
        their records still stand, one byte each; ``sums`` are the segments' crc32); ``hints`` are the clusters'
        (see merge._merged), by label, and ``summaries`` those of clusters of events known by key; ``keyed`` the
        records of the articles known by key (``keyed_articles``)."""
        if self.broken or next_label > _LABELS:
            return b""
        alive += b"\x01" * len(self.records)
        states = (*states, (n, {}))  # these records were decided with these very counts
        header = (_rules_value(rules), n, dict(frequencies), tuple(groups), next_label, states, alive, hints, keyed,
                  dict(summaries or {}))
        return _pack(header, [*segments, self.records.encode(self.bags)], sums)


def _pack(header: Any, segments: Sequence[bytes | memoryview], sums: Sequence[int] = ()) -> bytes:
    """The magic string, the head's checksum and length, the head (format, code digest, header, each segment's
    length and crc32) and the segments.  Each segment is copied once and summed once, as a trace is megabytes:
    ``sums`` are those of the first segments, passed through from an old trace."""
    sums = [*sums, *(zlib.crc32(segment) for segment in segments[len(sums):])]
    head = marshal.dumps((FORMAT, _code_digest(), header, tuple(zip(map(len, segments), sums, strict=True))), 4)
    length = len(head).to_bytes(4, "little")
    size = len(length) + len(head) + sum(map(len, segments))
    return b"".join([_MAGIC, _checksum(zlib.crc32(head, zlib.crc32(length)), size), length, head, *segments])


def _checksum(crc: int, size: int) -> bytes:
    return crc.to_bytes(4, "little") + (size & 0xFFFFFFFF).to_bytes(4, "little")


class _Previous(NamedTuple):
    """A trace read back and checked."""

    n: int
    frequencies: dict[str, int]
    groups: tuple[tuple[str, ...], ...]
    next_label: int
    states: tuple[State, ...]  # each segment's (see ``State``)
    bounds: list[int]  # where each segment's records start (and the last one's end)
    alive: bytes
    records: _Records
    offsets: array[int]  # where each record's labels start in ``records.compared`` (and the last one's end)
    bags: list[frozenset[str]]
    segments: tuple[memoryview, ...]
    hints: dict[int, int]  # label -> what merge._merged found out about the cluster
    event_bags: array[int]  # each record's bag number
    joined: array[int]  # each record's label
    sums: tuple[int, ...]  # each segment's crc32
    # The articles known by key (see ``keyed_articles``): each key's place in the table, each's count, order and
    # where its records start in ``keyed_records`` (and the last one's end).
    keyed: dict[str, int]
    keys: tuple[str, ...]
    counts: array[int]
    orders: bytes
    starts: list[int]
    keyed_records: array[int]
    summaries: dict[int, Summary]  # label -> what the merged event of a cluster of events known by key adds up


def load(data: bytes, rules: MergeRules) -> _Previous | None:
    """The trace in ``data``, or None unless it is exactly what ``Trace.encode`` writes, for these rules."""
    if type(data) is not bytes or not data.startswith(_MAGIC):
        return None
    body = memoryview(data)[len(_MAGIC) + _DIGEST:]  # views: the segments pass through to the next trace uncopied
    length = int.from_bytes(body[:4], "little")
    if (len(body) < 4 + length or data[len(_MAGIC):len(_MAGIC) + _DIGEST]
            != _checksum(zlib.crc32(body[4:4 + length], zlib.crc32(body[:4])), len(body))):
        return None
    try:
        value = marshal.loads(body[4:4 + length])
        if type(value) is not tuple or len(value) != 4 or value[:2] != (FORMAT, _code_digest()):
            return None
        header, sizes = value[2], value[3]
        if type(header) is not tuple or len(header) != 10 or header[0] != _rules_value(rules):
            return None
        _, n, frequencies, groups, next_label, states, alive, hints, (keys, counts, orders, keyed_records), \
            summaries = header
        if not _summaries(summaries):
            return None
        counts, keyed_records = _array("i", counts), _array("i", keyed_records)
        keyed = dict(zip(keys, range(len(keys)), strict=True))
        starts = list(accumulate(counts, initial=0))
        if (type(keys) is not tuple or not set(map(type, keys)) <= {str} or len(keyed) != len(keys)
                or len(counts) != len(keys) or not _within(counts, 0, _LABELS) or type(orders) is not bytes
                or len(orders) != len(keys) or starts[-1] != len(keyed_records)):
            return None
        if (type(sizes) is not tuple or not sizes or set(map(type, sizes)) != {tuple}
                or set(map(type, chain.from_iterable(sizes))) != {int} or set(map(len, sizes)) != {2}
                or min(chain.from_iterable(sizes)) < 0 or 4 + length + sum(size for size, _ in sizes) != len(body)):
            return None
        ends = list(accumulate((size for size, _ in sizes), initial=4 + length))
        segments = tuple(body[start:end] for start, end in pairwise(ends))
        sums = tuple(crc for _, crc in sizes)
        if any(zlib.crc32(segment) != crc for segment, crc in zip(segments, sums, strict=True)):
            return None
        parts, bags = [], []
        for segment in segments:
            part, new = _Records.decode(segment)
            parts.append(part)
            bags.extend(new)
        records = _Records.joined_up(parts)
        bounds = list(accumulate(map(len, parts), initial=0))
    except (EOFError, ValueError, TypeError):
        return None
    count = len(records)
    sizes, event_bags, joined = (records.column(name) for name in ("sizes", "bags", "joined"))
    offsets = array("i", accumulate(sizes, initial=0)) if _within(sizes, 0, _LABELS) else None
    if not (offsets is not None and offsets[-1] == len(records.compared) and type(n) is int
            and type(frequencies) is dict
            and all(type(word) is str and type(df) is int and 0 < df <= n for word, df in frequencies.items())
            and type(groups) is tuple and all(type(g) is tuple and all(type(i) is str for i in g) for g in groups)
            and type(next_label) is int and 0 <= next_label <= _LABELS and _states(states, len(segments))
            and type(alive) is bytes and len(alive) == count and alive.count(1) + alive.count(0) == count
            and type(hints) is dict and set(map(type, hints.items())) <= {tuple}
            and set(map(type, chain.from_iterable(hints.items()))) <= {int}
            # (a label compared with that no cluster has only stops that event's replay, so those are not read)
            and _within(event_bags, 0, len(bags) - 1) and _within(joined, -1, next_label - 1)
            and _within(keyed_records, 0, count - 1)
            and (not records.closeness or min(records.closeness) >= 0)):
        return None
    return _Previous(n, frequencies, groups, next_label, states, bounds, alive, records, offsets, bags, segments, hints,
                     event_bags, joined, sums, keyed, keys, counts, orders, starts, keyed_records, summaries)


def _summaries(value: Any) -> bool:
    """Whether a trace's summaries are in the shape ``Trace.encode`` writes (see merge.Summary)."""
    if type(value) is not dict or not set(map(type, value)) <= {int} or not set(map(type, value.values())) <= {tuple}:
        return False
    if not value:
        return True
    if set(map(len, value.values())) != {3}:
        return False
    lines, tags, reported = zip(*value.values(), strict=True)
    return (set(map(type, lines)) <= {str} and set(map(type, tags)) <= {tuple}
            and set(map(type, chain.from_iterable(tags))) <= {str} and set(map(type, reported)) <= {bool})


def _states(value: Any, segments: int) -> bool:
    """Whether a trace's segments' states are in the shape ``Trace.encode`` writes (see ``State``)."""
    return (type(value) is tuple and len(value) == segments
            and all(type(state) is tuple and len(state) == 2 and type(state[0]) is int and state[0] >= 0
                    and type(state[1]) is dict for state in value)
            and all(type(word) is str and type(df) is int and df >= 0
                    for _, counts in value for word, df in counts.items()))
