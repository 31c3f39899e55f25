"""Replaying a merge: the previous build's decisions that provably stand are taken again without comparing.

``merge_events`` decides events one at a time in reported order; each decision reads the event's words and dates,
the clusters it could join (by their dates and its rarest words) and weighted Dice scores, whose weights
log(1 + n / df) change a little whenever any article changes.  A build after editing one article would redo the
whole pass for the few decisions that could come out differently.  The trace a merge returns records, per event,
what its decision read and how close it came to going another way, so the next merge can tell which decisions
cannot have changed:

1. Ordering an event's words by weight is ordering them by df (the weight strictly falls as df grows, whatever n),
   ties broken by the word, so its rarest words change only when the df of one of its own words does.
2. When n and df change, each weight changes by a factor worked out exactly from the old and new counts.  When every
   weight a score reads moved by a factor within 1 ± rho, the score moved by a factor within
   f ** ±0.5 = (1 + rho) / (1 - rho) and its inverse, so a comparison whose closeness (lesser / greater) times f
   stays below 1 comes out the same.  Words that moved further (the edited articles' own words, as a rule) make
   the events and clusters holding them dirty instead.  A replayed decision keeps its record, and reads the very
   bags it read when the record was made (see 3), so what bounds it is how far the weights moved since then, not
   the sum of every build's moves: the trace keeps the counts each segment's records were decided with (n and the
   df of the words whose df differs now, see ``merge_trace.State``), and a word whose df went back and forth, as an
   article edited and edited back does, has not moved at all.  A word whose df is unchanged moves with n only,
   by a factor between 1 and n_now / n_then, the nearer the latter the larger its df (see ``_cut``).
3. The events are replayed in reported order.  A cluster is clean while its members are the members it had at the
   same point of the previous merge (same data, nothing dirty); any difference makes it dirty from then on.  An
   event whose data is unchanged and not dirty, whose closeness passes, whose previous candidates are all clean,
   and which no dirty cluster is a candidate for now, sees the same candidates in the same state, so it makes the
   same decision: it joins the cluster it joined, found through that cluster's label (a cluster keeps its label
   from build to build; the event that starts a cluster gives it its label).
4. Every other event is decided as ``merge_events`` decides it, against profiles of its candidates worked out when
   first needed.  Editors' rules changed, another version of this code, or a trace not in the shape written here:
   the merge starts from scratch.
5. A big change (many articles gone, added or edited) leaves few decisions standing: each dirty cluster dirties the
   clusters its events go to instead, and a recomputed decision costs about ``_RECOMPUTE_COST`` of a merge from
   scratch's.  So the replay gives up and merges from scratch as soon as, at the rate it has recomputed decisions
   so far (once it has recomputed enough of them to tell), the decisions still to come would cost more than a
   whole merge from scratch.  Recomputed decisions are spread over the reported order (moved weights and dirty
   clusters are), so the rate is known early: a big change costs a merge from scratch and a few percent more.
   Events without a record are all recomputed: when they alone would cost more than a merge from scratch, the
   replay gives up as soon as it has found them.  It never gives up before ``_EVIDENCE``
   decisions are known to be recomputed.

A cluster still clean at the end has the members it had, with the same data, so what was found out about its
merged event (which member gives the date, whether the sources disagree, whether they were in order) stands too;
when its members are the very events they were (found by key, below), so does what they add up to (the review line
on their readings of the date, their tags, whether all were reported), kept in the trace.

Most events are replayed: they are taken a stretch at a time, checked and joined to their clusters in C, and a
cluster worked out for a recomputed event takes the members it gains only when it is looked at again.

Events are found again by their article's key when the build gives them (``merge_events``'s ``articles``: the
cache key of each article, which names its events), else by id and data.  An article with the key and the number of
events it had gave the very events it gave then: their records are taken whole, nothing compared.  The events of an
article whose key is new (the edited one) are found by a digest of their data, the others' by id and checked field
by field.

The trace's format, what it keeps and how it is read back are ``merge_trace``'s.
"""

from __future__ import annotations

import math
import operator
import struct
import sys
from array import array
from bisect import bisect_right
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from itertools import accumulate, compress, groupby, pairwise, repeat
from typing import Any

from . import merge
from .merge import (
    _ID,
    DISAGREEMENT_DAYS,
    LOOKUP_WORDS,
    Merged,
    MergeRules,
    Summary,
    _arrival,
    _Bag,
    _bag,
    _decide,
    _distinct_of,
    _editor_clusters,
    _Profile,
    _reported_order,
    _result,
    _Similarity,
    _summary,
    _weights,
    content_words,
)
from .merge_trace import (
    _DIGEST_SIZE,
    _INTS,
    _LABELS,
    _PRINT,
    _PRINT_SIZE,
    _SEGMENTS,
    Runs,
    SpanKey,
    State,
    Trace,
    _digest,
    _keyable,
    _Previous,
    _Records,
    keyed_articles,
    load,
)
from .model import Event

_EDGE = 1 - 1e-9  # a replayed decision's worn closeness stays below this (float rounding is far smaller)
_SAMPLE = 8  # every _SAMPLE-th closeness is enough to estimate how many decisions a bound would leave to recompute
_WEAR = 1e6  # weights moved this far leave little to replay: merge from scratch
_LOOKUPS = 32  # events looked up by digest one by one; more, by a table
_LABEL = struct.Struct("i").pack  # a label as ``compared`` lays it out in bytes
_LABEL_SIZE = struct.calcsize("i")
_SEARCHED = 16  # labels searched for one by one among the bytes of the labels compared with; more, number by number
# A recomputed decision costs about this many of a merge from scratch's (profiles worked out when first needed, dirty
# clusters looked up); measured at 10,000 articles, 2.7 to 3.4.
_RECOMPUTE_COST = 3
# Recomputed decisions before the replay may give up: their rate is trusted by then, and a merge of fewer events is
# quick either way (so small merges, as the tests make, are always replayed).
_EVIDENCE = 256


class _Mismatch(Exception):
    """The trace contradicts itself (a label started twice, a clean cluster never started): merge from scratch."""


class _Overrun(Exception):
    """So many decisions are recomputed that finishing the replay would cost more than a merge from scratch."""


def replay(events: Sequence[Event], rules: MergeRules, data: bytes, runs: Runs | None = None) -> Merged | None:
    """``merge_events(events, rules)``, replaying the decisions of the merge that wrote ``data`` where they stand;
    ``runs`` are the events' articles (``article_runs``).

    None when the trace cannot be used at all (the caller merges from scratch).
    """
    previous = load(data, rules)
    if previous is None:
        return None
    groups: list[list[Event]] = []
    placed: set[str] = set()
    if rules.groups:
        groups, placed = _editor_clusters({event.id: event for event in events}, rules)
    if tuple(tuple(e.id for e in group) for group in groups) != previous.groups:
        return None
    try:
        return _Replay(events, rules, previous, groups, placed, runs).run()
    except (_Mismatch, _Overrun):
        return None


def _restated(old: _Previous, frequencies: Mapping[str, int], changed: Iterable[str]) -> list[State]:
    """The old segments' states (see ``merge_trace.State``) told against the new counts: a word whose df changed now
    differs from, or agrees again with, the df each segment's records were decided with."""
    states = []
    for count, then in old.states:
        now = dict(then)
        for word in changed:
            df = then.get(word, old.frequencies.get(word, 0))
            if df == frequencies.get(word, 0):
                now.pop(word, None)
            else:
                now[word] = df
        states.append((count, now))
    return states


def _cut(old: _Previous, states: Sequence[State], frequencies: Mapping[str, int], weights: Mapping[str, float],
         n: int) -> tuple[frozenset[str], list[float], list[float], list[dict[str, float]]]:
    """The words to treat as dirty and, for each old segment, how much nearer its records' comparisons may have come
    (``factor``) by the other words' moves since they were made; and for each, the move of every word with n alone
    and the moves of the words whose df changed, but those cut.

    Dirty words cost the decisions of every event holding them; a larger move left to the bound costs every
    decision that came closer.  Of the cuts between the words that moved, the cheapest is taken.  A word no event
    held then or holds now is read by no replayed comparison (those read the very bags they read then).
    """
    rests: list[float] = []
    ranked: list[list[tuple[str, float]]] = []  # each segment's moves, largest first
    largest: dict[str, float] = {}
    # A word whose df stayed moved with n alone, the more the larger its df: log(1 + n / df) / log(1 + m / df) goes
    # from 1 towards n / m as df grows (log(1 + x) / x falls as x grows), so the largest df bounds them all.
    top = max(frequencies.values(), default=0)
    for count, then in states:
        # (a segment of no events has no comparisons)
        rests.append(abs(math.log(1 + n / top) / math.log(1 + count / top) - 1) if count and top else 0.0)
        moves = {word: abs(weights[word] / math.log(1 + count / df) - 1) for word, df in then.items()
                 if df and word in weights}
        for word, move in moves.items():
            largest[word] = max(largest.get(word, 0.0), move)
        ranked.append(sorted(moves.items(), key=lambda item: (-item[1], item[0])))
    order = sorted(largest, key=lambda word: (-largest[word], word))
    closeness, alive = old.records.closeness, old.alive
    samples = [sorted(compress(closeness[low:high:_SAMPLE], alive[low:high:_SAMPLE]))
               for low, high in pairwise(old.bounds)]
    at = [0] * len(states)  # each segment's largest move not cut yet
    cut_words: set[str] = set()
    factors, closes = [1.0] * len(states), [0] * len(states)

    def bound(number: int) -> None:  # a segment's factor and its records estimated close, by its largest move left
        ranks = ranked[number]
        while at[number] < len(ranks) and ranks[at[number]][0] in cut_words:
            at[number] += 1
        rho = max(rests[number], ranks[at[number]][1]) if at[number] < len(ranks) else rests[number]
        factors[number] = factor(rho)
        sample = samples[number]
        closes[number] = (len(sample) - bisect_right(sample, _EDGE / factors[number])) * _SAMPLE

    for number in range(len(states)):
        bound(number)
    holding: dict[str, list[int]] = {}  # word -> the segments it moved in (cutting it changes only their bounds)
    for number, ranks in enumerate(ranked):
        for word, _ in ranks:
            holding.setdefault(word, []).append(number)
    best: tuple[float, int, list[float]] | None = None
    held = 0  # events holding the words cut so far
    for cut in range(len(order) + 1):
        cost = 2 * held + sum(closes)  # a dirty word also dirties the clusters of its events
        if best is None or cost < best[0]:
            best = (cost, cut, list(factors))
        if cut < len(order):
            cut_words.add(order[cut])
            held += frequencies[order[cut]]
            if 2 * held >= best[0]:
                break  # cutting more costs more whatever the bound saves
            for number in holding[order[cut]]:
                bound(number)
    assert best is not None
    _, cut, factors = best
    cut_words = set(order[:cut])
    return (frozenset(cut_words), factors, rests,
            [{word: move for word, move in ranks if word not in cut_words} for ranks in ranked])


def factor(rho: float) -> float:
    """How much nearer a comparison may come when every weight it reads moved by a factor within 1 ± rho.

    A score then moves by a factor within (1 + rho) / (1 - rho) either way, so the ratio of two compared values
    (lesser / greater) moves by at most the square of that.
    """
    return math.inf if rho >= 1 else ((1 + rho) / (1 - rho)) ** 2


class _Live:
    """A cluster worked out for the normal path: its profile, its members' words, its window (see merge._Index)."""

    __slots__ = ("high", "low", "profile", "words")

    def __init__(self, profile: _Profile, words: set[str], low: int, high: int) -> None:
        self.profile = profile
        self.words = words
        self.low = low
        self.high = high


# How an event may be decided: replayed when the checks pass; recomputed with the candidates the trace names plus
# the dirty ones (its words moved); recomputed looking everywhere (new or changed data, or other rarest words).
_REPLAY, _KNOWN, _GENERAL = 0, 1, 2


class _Replay:
    """One replayed merge: the state of the new merge as it goes, and the old merge it follows.

    Events are known by their place in ``events``; clusters by number (the order they were made) and label.
    """

    def __init__(self, events: Sequence[Event], rules: MergeRules, old: _Previous, groups: list[list[Event]],
                 placed: set[str], runs: Runs | None = None) -> None:
        self.events = events
        self.runs = runs
        self.keyed = bytearray(len(events))  # whether each event's article is known by its key
        self.by_key = bytearray(len(events))  # whether each event was found by its article's key (see _take)
        self.flags: list[int] = []  # each run's ``_keyable`` (-1 for one without a key)
        self.entries: list[int] = []  # each run's place in the old table of keyed articles, -1 when not found there
        self.stretches: dict[int, tuple[int, int]] = {}  # run -> the old table's articles found from it in a row
        self.rules = rules
        self.old = old
        self.groups = groups
        self.placed = placed
        self.words: list[frozenset[str]] = []  # each event's
        self.records: list[int] = []  # each event's old record, -1 when there is none with its data
        self.added: list[tuple[int, int]] = []  # events given a new record, and its number among the new ones
        self.lookups = 0  # events looked up by digest
        self.digest_table: dict[bytes, list[int]] | None = None  # alive records by digest, when looked up often
        self.trace = Trace(len(old.bags))
        self.dead: list[int] = []  # old records that no longer stand
        self.bags: dict[frozenset[str], _Bag] = {}
        self.readings: dict[tuple[object, ...], int] = {}
        self.distinct_of = _distinct_of(rules)
        self.members: list[list[int]] = []  # each cluster's events
        self.labels: list[int] = []
        self.number_of: dict[int, int] = {}  # label -> number
        self.lives: list[_Live | None] = []
        self.dirty: set[int] = set()  # numbers of the dirty clusters
        self.bad: set[int] = set()  # labels of clusters not clean: dirty, or not to be started as they were
        self.filed: dict[str, list[int]] = {}  # word -> dirty clusters holding it
        self.next_label = old.next_label
        self.recomputed = 0
        # The events to decide, and the decisions recomputed before the replay may give up (see _decide_one).
        self.to_decide = 0
        self.evidence = 0
        self.compared_bytes = old.records.compared.tobytes()

    def run(self) -> Merged | None:
        """Replay the old merge's decisions where they stand, decide the others, and gather the result."""
        order = self._match()
        if order is None:
            return None
        frequencies, self.changed = self._frequencies()
        n = len(self.events)
        self.weights = _weights(frequencies, n)
        self.states = _restated(self.old, frequencies, self.changed)
        moved, self.factors, self.rests, self.moves = _cut(self.old, self.states, frequencies, self.weights, n)
        self.moved = moved.union(w for w in self.changed if w not in self.old.frequencies)  # and the new words
        self.frequencies = frequencies
        if not max(self.factors, default=1.0) < _WEAR:
            return None
        self.dice = _Similarity(self.weights)
        self._soil_moved()
        for number, group in enumerate(self.groups):
            for place, member in enumerate(group):
                k = self._place[member.id]
                if place == 0:
                    self._start(k, number)
                else:
                    self._join(number, k)
                if self.records[k] < 0:
                    self.added.append((k, self.trace.add(member, self._key(k), self.words[k], number, (), 0.0,
                                                         bool(self.keyed[k]))))
        self._decide_all(order)
        record_of = list(self.records)  # each event's record in the new trace: new ones after the old
        for k, record in self.added:
            record_of[k] = len(self.old.records) + record
        events = self.events
        # Each cluster's members made when it is merged: an event read twice far apart is read from memory twice.
        clusters = (list(map(events.__getitem__, members)) for members in self.members)
        positions = [members[0] for members in self.members] + self.others
        # A cluster still clean has the members it had, with the same data: what was found out about it stands.
        old = self.old.hints
        hints = [old.get(label, -1) if label not in self.bad and old.get(label, -1) >> 2 < len(members) else -1
                 for label, members in zip(self.labels, self.members, strict=True)]
        dates = [None if live is None or live.profile.size < len(members) else live.profile.dates.values()
                 for live, members in zip(self.lives, self.members, strict=True)]
        # ... and when its members are the very events they were (found by key), so does what they add up to.
        summaries, by_key = self.old.summaries, self.by_key
        known = [summaries.get(label) if hint >= 0 and label in summaries and all(map(by_key.__getitem__, members))
                 else None for label, hint, members in zip(self.labels, hints, self.members, strict=True)]
        result, merged_into, hints, made = _result(clusters, [events[k] for k in self.others], positions,
                                                   len(self.groups), hints, dates, known)
        ids = set(map(_ID, result))
        if len(ids) != len(result) or len(merged_into) != n - len(result) or not merged_into.keys().isdisjoint(ids):
            return None  # ids repeat (checked here, where they are read anyway): decisions were found again by id
        found = {label: hint for label, hint in zip(self.labels, hints, strict=True) if hint >= 0}
        # The summaries of clusters of events known by key, for the next merge (see merge._merged).
        keyed, summed = self.keyed, {}
        for label, event, hint, members, summary in zip(self.labels, made, hints, self.members, known, strict=True):
            if summary is not None:
                summed[label] = summary
            elif hint >= 0 and all(map(keyed.__getitem__, members)):
                summed[label] = _summary(event, hint)
        return Merged(result, merged_into, self._encode(n, frequencies, found, record_of, summed), self.recomputed)

    def _match(self) -> list[int] | None:
        """Find each event's old record, and the events to decide in reported order; None when the trace is not
        one this code wrote (ids that repeat are found out at the end, see ``run``).

        An article whose key names records in the trace, as many as its events, gave the events those records were
        made of (a key names an article's events: ``article_runs``); the others' events are found by id and checked
        field by field.
        """
        events, old = self.events, self.old
        records = old.records
        alive = old.alive
        plain_alive = bytes(map(alive.__getitem__, records.plain))
        index = dict(zip(compress(records.ids, plain_alive), compress(range(len(records.ids)), plain_alive),
                         strict=True))  # id -> plain record
        if len(index) != plain_alive.count(1):
            return None  # two records standing for one id: not a trace this code wrote
        plain_records = records.plain
        seen = bytearray(len(records))
        digested = len(plain_records) < len(records)  # records known by digest (see _by_digest)
        near: dict[tuple[str, int, int], frozenset[str]] = {}
        same: dict[frozenset[str], frozenset[str]] = {}
        words, matched, keyed, flags = self.words, self.records, self.keyed, self.flags
        placed, trace, bags, event_bags = self.placed, self.trace, old.bags, old.event_bags
        self._place: dict[str, int] = {}
        self.others: list[int] = []  # events in no cluster
        decided: list[int] = []
        missing = 0  # events to decide without a record: each is recomputed
        # A build gives events article by article in reported order: checked as they come, and sorted only if not.
        in_order, last_day, last_article, last_position, last_id = True, date.min, "", -1, ""
        sentences, articles, precisions, prints, extras = (records.sentences, records.articles, records.precisions,
                                                           records.prints, records.extras)
        table, counts, orders, starts = old.keyed, old.counts, old.orders, old.starts
        # Articles found by key one after another as they were in the old table: taken together (see _take).
        k0 = e0 = e1 = r0 = 0

        def take() -> bool:
            nonlocal in_order, last_day, last_article, last_position, last_id
            if not self._take(k0, k0 + starts[e1] - starts[e0], e0, e1, seen, decided):
                return False
            self.stretches[r0] = (e0, e1)
            if in_order and starts[e1] > starts[e0]:
                # In order within the stretch, as the table says; after what came before, as its first event says.
                in_order = (orders[e0] & 1 == 1 and orders[e0 + 1:e1].count(3) == e1 - e0 - 1
                            and _reported_order(events[k0]) > (last_day, last_article, last_position, last_id))
                final = events[k0 + starts[e1] - starts[e0] - 1]
                last_day, last_article = final.sources[0].dateline, final.sources[0].article
                last_position, last_id = final.position, final.id
            return True

        start = 0
        for run, (key, count) in enumerate(self.runs or [("", len(events))]):
            stop = start + count
            entry = table.get(key, -1) if key else -1
            if entry >= 0 and counts[entry] == count:
                flags.append(orders[entry] & 1)
                self.entries.append(entry)
                if entry != e1 or e1 == e0:  # not right after the last one found by key
                    if e1 > e0 and not take():
                        return None
                    k0, e0, r0 = start, entry, run
                e1 = entry + 1
                start = stop
                continue
            self.entries.append(-1)
            if e1 > e0 and not take():
                return None
            e0 = e1 = 0
            flag = _keyable(events[start:stop]) if key else -1
            flags.append(flag)
            if flag >= 0:
                keyed[start:stop] = b"\x01" * count
            for k in range(start, stop):
                event = events[k]
                span = event.date.span
                event_id = event.id
                plain = index.get(event_id, -1)
                sources = event.sources
                if len(sources) == 1:
                    first = sources[0]
                    day = first.dateline
                    # records.fits, written out for the one-source events nearly all are
                    if (plain >= 0 and sentences[plain] == first.sentence and articles[plain] == first.article
                            and precisions[plain] == span.precision and plain not in extras):
                        minute = span.minute
                        try:
                            mine_print = _PRINT(event.position, span.start.toordinal(), span.end.toordinal(),
                                                -1 if minute is None else minute, day.toordinal(),
                                                first.sentence_start, first.expression_start, first.expression_end,
                                                2 + event.as_of)
                        except struct.error:
                            mine_print = b""
                        at = plain * _PRINT_SIZE
                        if prints[at:at + _PRINT_SIZE] != mine_print:
                            plain = -1
                    else:
                        plain = -1
                    if plain >= 0:
                        record = plain_records[plain]
                        if seen[record]:
                            return None  # a record of an article known by key too: not a trace this code wrote
                    else:
                        record = self._by_digest(event, seen) if digested else -1
                    if record >= 0:
                        seen[record] = 1
                        words.append(bags[event_bags[record]])
                    else:
                        words.append(_words_of(event, near, same))
                    matched.append(record)
                    if event_id in placed:
                        self._place[event_id] = k
                        continue
                    decided.append(k)
                    missing += record < 0
                    if in_order:
                        position, article = event.position, first.article
                        if day == last_day and article == last_article:
                            in_order = position > last_position or (position == last_position and event_id > last_id)
                        else:
                            in_order = (day, article) > (last_day, last_article)
                            last_day, last_article = day, article
                        last_position, last_id = position, event_id
                    continue
                key_span = (span.start.toordinal(), span.end.toordinal(), span.precision, span.minute)
                if plain >= 0 and records.fits(plain, event, key_span) and not seen[plain_records[plain]]:
                    record = plain_records[plain]
                else:
                    record = self._by_digest(event, seen) if digested else -1
                if record >= 0:
                    seen[record] = 1
                    words.append(bags[event_bags[record]])
                else:
                    words.append(_words_of(event, near, same))
                matched.append(record)
                if event_id in placed:
                    self._place[event_id] = k
                elif sources:
                    decided.append(k)
                    missing += record < 0
                    in_order = False  # (rare: sorted below)
                else:
                    self.others.append(k)
                    if record < 0:
                        self.added.append((k, trace.add(event, key_span, words[k], -1, (), 0.0)))
            if missing > _EVIDENCE and missing * _RECOMPUTE_COST > len(events):  # dearer than from scratch already
                raise _Overrun(f"{missing} events without a record")
            start = stop
        if e1 > e0 and not take():
            return None
        if not in_order:
            decided.sort(key=lambda k: _reported_order(events[k]))
        # The records of events gone or changed: alive and not seen (one byte each, 0 or 1, so worked out in C).
        gone = int.from_bytes(old.alive, "little") & ~int.from_bytes(seen, "little")
        self.dead = list(compress(range(len(records)), gone.to_bytes(len(records), "little")))
        # Clusters that lost or changed a member are never clean.
        self.bad.update(old.joined[r] for r in self.dead)
        self.bad.discard(-1)
        return decided

    def _take(self, k0: int, k1: int, e0: int, e1: int, seen: bytearray, decided: list[int]) -> bool:
        """Take events ``k0`` to ``k1`` as those of the old table's articles ``e0`` to ``e1``, found by key; False when
        the table names a record twice or one gone (not a trace this code wrote)."""
        old, events = self.old, self.events
        mine = old.keyed_records[old.starts[e0]:old.starts[e1]]
        # Their records marked seen a stretch of consecutive ones at a time (one, when written in one go).
        ends = [*compress(range(1, len(mine)), map(operator.ne, mine[1:], map((1).__add__, mine))), len(mine)]
        alive = old.alive
        for first, end in pairwise([0, *ends] if mine else ()):
            low, high = mine[first], mine[end - 1] + 1
            if seen.count(0, low, high) != high - low or alive.count(1, low, high) != high - low:
                return False
            seen[low:high] = b"\x01" * (high - low)
        self.records += mine
        self.words += map(old.bags.__getitem__, map(old.event_bags.__getitem__, mine))
        self.keyed[k0:k1] = self.by_key[k0:k1] = b"\x01" * (k1 - k0)
        placed = self.placed
        if placed:
            for k in range(k0, k1):
                if events[k].id in placed:
                    self._place[events[k].id] = k
                else:
                    decided.append(k)
        else:
            decided += range(k0, k1)
        return True

    def _by_digest(self, event: Event, seen: bytearray) -> int:
        """The record of an event of an article whose key is new (edited, as a rule) made of the very same data, by
        its ``_digest``; -1 when there is none not taken yet."""
        digest = _digest(event)
        alive, digests = self.old.alive, self.old.records.digests
        self.lookups += 1
        if self.lookups > _LOOKUPS:  # many: worth a table of them
            if self.digest_table is None:
                self.digest_table = {}
                for record in compress(range(len(alive)), alive):
                    self.digest_table.setdefault(bytes(digests[record * _DIGEST_SIZE:(record + 1) * _DIGEST_SIZE]),
                                                 []).append(record)
            found: Iterable[int] = self.digest_table.get(digest, ())
        else:
            found = []
            at = digests.find(digest) if digest else -1
            while at >= 0:
                if at % _DIGEST_SIZE == 0:
                    found.append(at // _DIGEST_SIZE)
                at = digests.find(digest, at + 1)
        return next((record for record in found if alive[record] and not seen[record]), -1)

    def _frequencies(self) -> tuple[dict[str, int], frozenset[str]]:
        """Each word's df among the new events (the old counts, less the events gone, plus the new ones), and the
        words whose df changed (gone ones too)."""
        old = self.old.frequencies
        frequencies = dict(old)
        bags, old_bags = self.old.event_bags, self.old.bags
        touched: set[str] = set()
        for record in self.dead:
            touched |= old_bags[bags[record]]
            for word in old_bags[bags[record]]:
                count = frequencies[word] - 1
                if count:
                    frequencies[word] = count
                else:
                    del frequencies[word]
        for k in compress(range(len(self.events)), [record < 0 for record in self.records]):
            touched |= self.words[k]
            for word in self.words[k]:
                frequencies[word] = frequencies.get(word, 0) + 1
        return frequencies, frozenset(word for word in touched if old.get(word, 0) != frequencies.get(word, 0))

    def _soil_moved(self) -> None:
        """Clusters holding a word that moved too far to bound are never clean."""
        words = self.moved & self.old.frequencies.keys()  # a word new in this build is in no old bag
        if not words:
            return
        moved = {number for number, bag in enumerate(self.old.bags) if not words.isdisjoint(bag)}
        for record in self.records:
            if record >= 0 and self.old.event_bags[record] in moved:
                self.bad.add(self.old.joined[record])
        self.bad.discard(-1)

    def _bag(self, words: frozenset[str]) -> _Bag:
        return _bag(self.bags, words, self.weights)

    def _key(self, k: int) -> SpanKey:
        """An event's span as a tuple (worked out when needed: replaying needs none)."""
        span = self.events[k].date.span
        return (span.start.toordinal(), span.end.toordinal(), span.precision, span.minute)

    def _live(self, number: int) -> _Live:
        """The cluster's profile, words and window, worked out from its members when needed (and brought up to date
        with the members it gained since: a cluster takes them only when looked at again, see ``_join``)."""
        live = self.lives[number]
        if live is None:
            live = self.lives[number] = _Live(_Profile(), set(), -sys.maxsize, sys.maxsize)
        members = self.members[number]
        if live.profile.size < len(members):
            ks = members[live.profile.size:]
            events = list(map(self.events.__getitem__, ks))
            words = list(map(self.words.__getitem__, ks))
            first, last = live.profile.extend(events, words, self._bag, bool(self.distinct_of))
            live.low = max(live.low, first - DISAGREEMENT_DAYS)
            live.high = min(live.high, last + DISAGREEMENT_DAYS)
            new = set().union(*dict.fromkeys(words)) - live.words
            if number in self.dirty:
                for word in new:
                    self.filed.setdefault(word, []).append(number)
            live.words |= new
        return live

    def _window(self, number: int) -> tuple[int, int]:
        """The cluster's window: the days an event must meet to be within DISAGREEMENT_DAYS of every member's."""
        live = self.lives[number]
        if live is not None:
            live = self._live(number)
            return live.low, live.high
        first, last = _days(map(self.events.__getitem__, self.members[number]))
        return first - DISAGREEMENT_DAYS, last + DISAGREEMENT_DAYS

    def _soil(self, number: int) -> None:
        """Make a cluster dirty: events it may be a candidate for are recomputed from now on."""
        self.bad.add(self.labels[number])
        if number not in self.dirty:
            self.dirty.add(number)
            for word in self._live(number).words:
                self.filed.setdefault(word, []).append(number)

    def _start(self, k: int, label: int) -> int:
        """A new cluster of one event, with that label."""
        if label in self.number_of or label >= _LABELS:
            raise _Mismatch(f"cluster {label} started twice, or too many labels")
        number = len(self.members)
        self.members.append([k])
        self.labels.append(label)
        self.number_of[label] = number
        self.lives.append(None)
        if label in self.bad:
            self._soil(number)
        return number

    def _join(self, number: int, k: int) -> None:
        """Cluster ``number`` gains a member; a dirty one takes it at once (its words are filed), any other when
        looked at again."""
        self.members[number].append(k)
        if number in self.dirty:
            self._live(number)

    def _dirty_candidates(self, rare: Iterable[str], first: int, last: int) -> set[int]:
        """The dirty clusters holding one of the words whose window meets the days."""
        lives = self.lives
        return {number for word in rare for number in self.filed.get(word, ())
                if (live := lives[number]) is not None and live.low <= last and live.high >= first}

    def _kind(self, bag: frozenset[str]) -> int:
        """How an unchanged event with these words may be decided (see _REPLAY)."""
        if not self.changed.isdisjoint(bag):
            old, new = self.old.frequencies, self.frequencies
            before = sorted(bag, key=lambda w: (old[w], w))[:LOOKUP_WORDS]
            if before != sorted(bag, key=lambda w: (new[w], w))[:LOOKUP_WORDS]:
                return _GENERAL  # other rarest words: other clusters may be candidates
        return _REPLAY if self.moved.isdisjoint(bag) else _KNOWN

    def _decide_all(self, order: list[int]) -> None:
        """Decide each event in reported order, replaying where the checks pass: a stretch of events at a time
        where nothing can have changed (see _stretch), the others one by one."""
        old, words, matched = self.old, self.words, self.records
        closeness = old.records.closeness
        self.to_decide, self.evidence = len(order), max(_EVIDENCE, len(order) // 64)
        # Worked out in C for every event, by place in reported order: its old record (-1: none) and its words.
        if len(order) == len(matched) and order == list(range(len(order))):  # as a build gives them, as a rule
            recs, bags = matched, words
        else:
            recs, bags = list(map(matched.__getitem__, order)), list(map(words.__getitem__, order))
        # The few places that are not ready to replay, found in C: events without a record, decisions that came
        # close (by record), and words whose df changed (by bag).
        places = range(len(order))
        unmatched = list(compress(places, map((0).__gt__, recs)))
        # Only the bags holding a word whose df changed or that moved may be decided otherwise than replayed.
        touched = self.changed | self.moved
        distinct = list(set(compress(bags, map((-1).__lt__, recs)))) if touched else []
        kinds = {bag: kind for bag in compress(distinct, map(operator.not_, map(touched.isdisjoint, distinct)))
                 if (kind := self._kind(bag)) != _REPLAY}
        close: set[int] = set()
        for (low, high), moved in zip(pairwise(old.bounds), self.factors, strict=True):
            edge = _EDGE / moved  # each segment's records against how far the weights moved since it was made
            close.update(compress(range(low, high), map(edge.__le__, closeness[low:high])))
        ready = bytearray(b"\x01") * len(order)
        for found in (unmatched, compress(places, map(kinds.__contains__, bags)) if kinds else ()):
            for place in found:
                ready[place] = 0
        nearly = set()  # the places not ready only for coming close: the moves of the words they read may pass
        for place in compress(places, map(close.__contains__, recs)) if close else ():
            if ready[place]:
                nearly.add(place)
                ready[place] = 0
        # Where the records stop following one another (a stretch reads its records' labels as one slice).
        breaks = list(accumulate(len(list(same)) for _, same in groupby(map(operator.sub, recs, places))))
        general = sorted({*unmatched, *(compress(places, map(_GENERAL.__eq__, map(kinds.get, bags, repeat(-1))))
                                        if _GENERAL in kinds.values() else ())})
        postings, in_groups = self._postings(bags, general)
        joined_at: list[int] = []  # the cluster of each decided event, by place in reported order
        place, at = 0, 0
        while place < len(order):
            end = ready.find(0, place)
            while breaks[at] <= place:
                at += 1
            end = min(breaks[at], len(order) if end < 0 else end)
            if end > place:
                place = self._stretch(order, bags, place, end, recs[place], joined_at)
            if place < len(order):
                self._decide_one(place, order[place], bool(ready[place]), place in nearly, kinds, postings, in_groups,
                                 joined_at)
                place += 1

    def _stretch(self, order: list[int], bags: list[frozenset[str]], start: int, end: int, first: int,
                 joined_at: list[int]) -> int:
        """Replay the events at places ``start`` to ``end`` (ready, their records ``first`` on in a row) up to the
        first one whose candidates may have changed; where that one is.

        Up to there no cluster becomes dirty, so ``bad`` and the dirty clusters stay as they are: the events are
        checked together and joined to their clusters in C, as nearly all events are replayed.
        """
        old, bad = self.old, self.bad
        offsets = old.offsets
        low, high = offsets[first], offsets[first + end - start]
        hit = self._compared_with(bad, low, high)
        if hit < high:  # the first event that compared with a cluster not clean stops the stretch
            end = start + bisect_right(offsets, hit, first, first + end - start) - 1 - first
        labels = old.joined[first:first + end - start]
        number_of, members = self.number_of, self.members
        numbers: list[Any] = list(map(number_of.get, labels))  # None for a cluster not started: see below
        # The events of clusters not started yet: the old merge started each at the first of them.
        fresh = list(compress(range(len(labels)), map(operator.is_, numbers, repeat(None))))
        if fresh and bad:  # a cluster started dirty files its words: the events after it are looked at one by one
            dirty = next(compress(fresh, map(bad.__contains__, map(labels.__getitem__, fresh))), None)
            if dirty is not None:
                end = start + dirty
        filed = self.filed
        if filed:  # an event holding a dirty cluster's word among its rarest may be a candidate for it
            words = set(filed)  # (a set's isdisjoint reads the hashes a bag keeps: quicker than a dict's keys)
            rare: dict[frozenset[str], bool] = {}  # whether each bag's rarest words hold one (a story repeats bags)
            for i in compress(range(end - start), map(operator.not_, map(words.isdisjoint, bags[start:end]))):
                bag = bags[start + i]
                held = rare.get(bag)
                if held is None:
                    held = rare[bag] = not words.isdisjoint(self._bag(bag).rare)
                if held and self._dirty_candidates(self._bag(bag).rare, *self._key(order[start + i])[:2]):
                    end = start + i
                    break
        if end == start:
            return start
        del numbers[end - start:]
        compared = old.records.compared
        for i in fresh:
            if i >= end - start:
                break
            label = labels[i]
            number = number_of.get(label)
            if number is None:  # _start (not twice, not dirty), its first member appended below
                if label in compared[offsets[first + i]:offsets[first + i + 1]]:
                    raise _Mismatch(f"cluster {label} started by an event that compared with it")
                number = number_of[label] = len(members)
                members.append([])
                self.labels.append(label)
                self.lives.append(None)
            numbers[i] = number
        deque(map(list.append, map(members.__getitem__, numbers), order[start:end]), 0)  # each joins its cluster
        joined_at += numbers
        return end

    def _compared_with(self, labels: Collection[int], low: int, high: int) -> int:
        """The first place from ``low`` to ``high`` in the records' ``compared`` that holds one of the labels
        (``high`` when none does)."""
        if len(labels) > _SEARCHED:
            span = self.old.records.compared[low:high]
            return next(compress(range(low, high), map(labels.__contains__, span)), high)
        found, data = high, self.compared_bytes
        for label in labels:  # searched for as bytes: quicker than reading each number
            at = data.find(_LABEL(label), low * _LABEL_SIZE, found * _LABEL_SIZE)
            while at >= 0 and at % _LABEL_SIZE:
                at = data.find(_LABEL(label), at + 1, found * _LABEL_SIZE)
            if at >= 0:
                found = at // _LABEL_SIZE
        return found

    def _decide_one(self, place: int, k: int, ready: bool, nearly: bool, kinds: Mapping[frozenset[str], int],
                    postings: Mapping[str, list[int]], in_groups: Mapping[str, set[int]], joined_at: list[int]
                    ) -> None:
        """Decide the event at this place in reported order: replayed when the checks pass, else recomputed.
        ``nearly``: it would be ready but for how close its decision came (see ``_near_enough``)."""
        old, words, record = self.old, self.words, self.records[k]
        if ready or nearly:
            before = old.records.compared[old.offsets[record]:old.offsets[record + 1]]
            filed = self.filed
            if self.bad.isdisjoint(before) and (not filed or filed.keys().isdisjoint(words[k])
                                                or not self._dirty_candidates(self._bag(words[k]).rare,
                                                                              *self._key(k)[:2])) \
                    and (ready or self._near_enough(k, record, before)):
                # The same candidates in the same state, scores too far apart to change order: same choice.
                label = old.joined[record]
                if label in before:
                    number = self.number_of.get(label, -1)
                    if number < 0:
                        raise _Mismatch(f"cluster {label} joined before it was started")
                    self._join(number, k)
                else:
                    number = self._start(k, label)
                joined_at.append(number)
                return
        self.recomputed += 1
        if self.recomputed > self.evidence and self.recomputed * _RECOMPUTE_COST * (self.to_decide - place) > \
                self.to_decide * (place + 1):
            raise _Overrun(f"{self.recomputed} of the first {place + 1} decisions recomputed")
        kind = _GENERAL if record < 0 else kinds.get(words[k], _REPLAY)
        number, candidates, near = self._recompute(place, k, kind, postings, in_groups, joined_at)
        joined_at.append(number)
        if record >= 0:
            self.dead.append(record)
        self.added.append((k, self.trace.add(self.events[k], self._key(k), words[k], self.labels[number],
                                             [self.labels[c] for c in candidates], near,
                                             bool(self.keyed[k]))))

    def _near_enough(self, k: int, record: int, before: Sequence[int]) -> bool:
        """Whether a decision that came close stands by the moves of the words it reads alone: its event's and its
        candidates' members' (it has the candidates it had, in the state they had: checked before), rather than of
        every word whose df changed since its record was made."""
        segment = bisect_right(self.old.bounds, record) - 1
        rho, moves = self.rests[segment], self.moves[segment]
        if moves:
            words = self.words
            bags = [words[k]]
            for label in before:
                number = self.number_of.get(label, -1)
                if number < 0:
                    return False  # (recomputing it finds out what is wrong)
                bags += map(words.__getitem__, self.members[number])
            for word, move in moves.items():
                if move > rho and any(map(operator.contains, bags, repeat(word))):
                    rho = move
        return self.old.records.closeness[record] * factor(rho) < _EDGE

    def _postings(self, bags: list[frozenset[str]], general: list[int]
                  ) -> tuple[dict[str, list[int]], dict[str, set[int]]]:
        """For the rarest words of the events to recompute looking everywhere (at places ``general`` in reported
        order): the events holding each (by place), and the editors' groups holding each."""
        wanted: set[str] = set()
        last = general[-1] if general else 0  # the events after the last such event need no posting
        for place in general:
            wanted.update(self._bag(bags[place]).rare)
        postings: dict[str, list[int]] = {word: [] for word in wanted}
        in_groups: dict[str, set[int]] = {}
        if wanted:
            for place in compress(range(last), map(operator.not_, map(wanted.isdisjoint, bags[:last]))):
                for word in wanted.intersection(bags[place]):
                    postings[word].append(place)
            for number, group in enumerate(self.groups):
                for member in group:
                    for word in wanted.intersection(self.words[self._place[member.id]]):
                        in_groups.setdefault(word, set()).add(number)
        return postings, in_groups

    def _recompute(self, place: int, k: int, kind: int, postings: Mapping[str, list[int]],
                   in_groups: Mapping[str, set[int]], joined_at: list[int]) -> tuple[int, list[int], float]:
        """Decide an event as ``merge_events`` does: the cluster it joins, the candidates and the closeness."""
        old, event, record = self.old, self.events[k], self.records[k]
        first, last = self._key(k)[:2]
        bag = self._bag(self.words[k])
        arrival = _arrival(event, bag, self.readings, self.distinct_of.get(event.id, frozenset()))
        found: set[int] = set()
        before = old.records.compared[old.offsets[record]:old.offsets[record + 1]] if record >= 0 else array("i")
        if kind == _GENERAL:  # every cluster holding one of its rarest words, by the events holding it
            for word in bag.rare:
                for other in postings[word]:
                    if other >= place:
                        break
                    found.add(joined_at[other])
                found.update(in_groups.get(word, ()))
            found = {number for number in found if (window := self._window(number))[0] <= last and window[1] >= first}
        else:  # clean candidates are the old ones (same words, same state); any other is dirty
            for label in before:
                if label not in self.bad:
                    number = self.number_of.get(label, -1)
                    if number < 0:
                        raise _Mismatch(f"cluster {label} compared with before it was started")
                    found.add(number)
            found |= self._dirty_candidates(bag.rare, first, last)
        candidates = sorted(found)
        profiles = {number: self._live(number).profile for number in candidates}
        chosen, near = _decide(arrival, candidates, profiles, self.dice)
        # Clusters whose members now differ from the old merge's at this point become dirty (see the docstring).
        label = old.joined[record] if record >= 0 else -1
        started = record >= 0 and label not in before  # the old merge started a cluster with it
        if chosen < 0:
            if started:  # as before (dirty already when the old cluster lost a member later)
                return self._start(k, label), candidates, near
            number = self._start(k, self._fresh())
            self._soil(number)
        else:
            number = chosen
            self._join(number, k)
            if record >= 0 and not started and self.number_of.get(label) == number:
                return number, candidates, near  # as before
            self._soil(number)
        if label >= 0:  # the old cluster lost this member (or, when it started with it, will never be started)
            self.bad.add(label)
            if label in self.number_of:
                self._soil(self.number_of[label])
        return number, candidates, near

    def _table(self, record_of: Sequence[int]) -> tuple[Any, ...]:
        old = self.old
        return keyed_articles(self.events, self.runs, self.flags, record_of, self.entries,
                              (old.keys, old.counts, old.orders, old.starts), self.stretches)

    def _fresh(self) -> int:
        label = self.next_label
        self.next_label += 1
        return label

    def _encode(self, n: int, frequencies: Mapping[str, int], hints: dict[int, int], record_of: list[int],
                summaries: Mapping[int, Summary]) -> bytes:
        """The new trace: the old segments with this merge's records after them, or all afresh when worn out."""
        old, trace = self.old, self.trace
        alive = bytearray(old.alive)
        for record in self.dead:
            alive[record] = 0
        groups = [tuple(e.id for e in group) for group in self.groups]
        if len(old.segments) < _SEGMENTS and 4 * alive.count(0) <= len(alive):
            return trace.encode(self.rules, n, frequencies, groups, self.next_label, hints,
                                self._table(record_of), self.states, old.segments,
                                bytes(alive), old.sums, summaries)
        # Afresh: the records that stand and the new ones in one segment, with only the bags they use, all told
        # against these counts: each standing record's closeness as near as the moves since it was made may bring it.
        closeness = array("d")
        for (low, high), moved in zip(pairwise(old.bounds), self.factors, strict=True):
            part = old.records.closeness[low:high]
            closeness += part if moved == 1 else array("d", [near * moved for near in part])
        old.records.closeness = closeness  # (read no more)
        kept, moved_to = old.records.kept(bytes(alive), old.offsets)
        base = alive.count(1) - len(old.records)
        record_of = [moved_to[r] if r < len(moved_to) else r + base for r in record_of]
        records = _Records.joined_up([kept, trace.records])
        table = [*old.bags, *trace.bags]
        numbers = array("i", records.numbers)
        field = _INTS.index("bags")
        used = sorted(set(numbers[field::len(_INTS)]))
        renumber = dict(zip(used, range(len(used)), strict=True))
        numbers[field::len(_INTS)] = array("i", map(renumber.__getitem__, numbers[field::len(_INTS)]))
        records.numbers = bytearray(numbers.tobytes())
        fresh = Trace()
        fresh.records, fresh.bags = records, [table[number] for number in used]
        return fresh.encode(self.rules, n, frequencies, groups, self.next_label, hints,
                            self._table(record_of), summaries=summaries)


def _days(events: Iterable[Event]) -> tuple[int, int]:
    """The latest first day and the earliest last day of the events' spans, as ordinals."""
    every = list(map(merge._SPAN, events))
    spans = dict(zip(map(id, every), every, strict=True)).values()  # events of one date share a Span, as a rule
    return max(span.start for span in spans).toordinal(), min(span.end for span in spans).toordinal()


def _words_of(event: Event, near: dict[tuple[str, int, int], frozenset[str]],
              same: dict[frozenset[str], frozenset[str]]) -> frozenset[str]:
    """``merge.words_of``, reading each sentence once."""
    bags = []
    for source in event.sources:
        key = (source.sentence, source.expression_start, source.expression_end)
        bag = near.get(key)
        if bag is None:
            bag = near[key] = content_words(source)
        bags.append(bag)
    bag = bags[0] if len(bags) == 1 else frozenset().union(*bags)
    return same.setdefault(bag, bag)
