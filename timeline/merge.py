"""Merging: the same happening reported by several articles becomes one event with every source.

The rule.  Two events from different articles are the same happening when

1. their dates are compatible: the calendar spans overlap (so "August 2024" agrees with "19 August 2024", a coarser
   recall of the same thing), their precisions are at most ``MAX_PRECISION_GAP`` steps apart (a year and a month
   agree, "early 2025" and "Monday morning" do not), and when both give a time of day the times are at most three
   hours apart; an "as of" event (a state) only merges with another; and
2. their words are similar: the weighted Dice coefficient of the content words around the date expression (see
   ``content_words``) is at least ``THRESHOLD``.  Each word weighs its inverse document frequency among the events
   being merged, so in a story where every sentence names "the bridge", sharing "bridge" counts for little.

Events are taken in the order they were reported (dateline, article, position) and each joins the cluster it is most
similar to, when its date agrees with every member's and no member comes from its own article (an article does not
report one happening twice as news).  A pair whose words are nearly the same (``STRONG``) but whose dates do not
overlap, at most ``DISAGREEMENT_DAYS`` apart, is merged too and flagged: the sources disagree on the date, both readings
stay visible, and the event is listed for review.

The merged event keeps the id, title and text of its earliest source event (so overrides written for it keep
working), the most precise date among the sources that agree with the reading most sources agree with, every
source ordered by dateline, and
in ``merged`` the ids of the events it absorbed.  Editors force a merge with ``merge: [ids]`` and keep events apart
with ``distinct: [ids]`` in the overrides; those apply before the rule.

The threshold is measured by ``benchmarks/merge.py`` on labelled pairs from the example content and TempEval-3.

A merge also returns a trace of its decisions; given the previous build's, ``merge_events`` replays the decisions
that provably stand and decides the others, for the very result of a merge from scratch (see ``merge_replay``).
A big merge from scratch shares the work on each event that no decision depends on (its words, its digest for the
trace) with a child process, on the core the build leaves idle meanwhile (see ``merge_split``).
"""

from __future__ import annotations

import functools
import math
import operator
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, repeat
from typing import NamedTuple

from .merge_split import SPLIT_AT, Helper
from .model import Event, Source
from .timex import PRECISION_RANK, Span

THRESHOLD = 0.25
STRONG = 0.6
DISAGREEMENT_DAYS = 7
MAX_PRECISION_GAP = 4  # steps of timex.PRECISIONS: year-month, month-day, day-minute
MAX_TIME_GAP = 180  # minutes: "Monday morning" and "7:30 a.m." agree, "morning" and "evening" do not
LOOKUP_WORDS = 4  # an event's rarest words, by which it looks for clusters to join
WINDOW = 4  # content words each side of the date expression: what it dates is named next to it

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Function words, reporting verbs and date words: they say nothing about which happening a sentence reports.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where which while who whom why
    will with would you your yours s t don ll re ve d m o y upon since still yet among per via whether though although
    said say says saying told tell tells according added adding stated noted reported reports report
    mr mrs ms dr
    today yesterday tomorrow tonight day days week weeks weekend month months year years morning afternoon evening
    night noon midnight early late earlier later last next ago recently now then time times
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    spring summer autumn fall winter
    one two three four five six seven eight nine ten first second third
    """.split()
)
_SOURCE_ORDER = operator.attrgetter("dateline", "article", "sentence_start")
_ID, _SOURCES, _TAGS, _REPORTED, _POSITION, _SENTENCE_START, _SPAN = map(
    operator.attrgetter, ("id", "sources", "tags", "reported", "position", "sentence_start", "date.span"))
_SPAN_FIELDS = operator.attrgetter("start", "end", "precision", "minute")
_VALUE, _ARTICLE, _AS_OF_VALUE = map(operator.attrgetter, ("value", "article", "as_of"))
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s", "ly")


@dataclass(frozen=True)
class MergeRules:
    """The editors' merge decisions: events to force together and pairs to keep apart."""

    groups: tuple[tuple[str, ...], ...] = ()  # each group's first id is kept
    distinct: frozenset[frozenset[str]] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Merged:
    """The merged events and, for every id merged into another event, the id it lives on as."""

    events: tuple[Event, ...]
    merged_into: Mapping[str, str]
    # What the next build's merge needs to replay this one's decisions (``merge_events(previous=...)``).
    trace: bytes = b""
    recomputed: int = 0  # events decided by comparing them with clusters; the others replayed the previous build's


@functools.lru_cache(maxsize=1 << 16)  # a story repeats its words; stemming each once keeps big builds fast
def stem(word: str) -> str:
    """A crude English stem, enough to match "closed", "closure" and "closing" or "bombs" and "bombings"."""
    if word.endswith("ure") and len(word) > 6:
        return word[:-3]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)].rstrip("e")
    return word.rstrip("e") if len(word) > 4 else word


def content_words(source: Source) -> frozenset[str]:
    """The stems of the content words near the source's date expression (the expression itself left out).

    A recall such as "... since the closure in August" names its happening next to the date, so the words of the
    rest of a long sentence are left out: they are about something else.
    """
    sentence = source.sentence
    if source.expression_end <= source.expression_start:  # a reported event: no expression, the whole sentence
        before, after = _WORD.findall(sentence.casefold()), []
    else:
        before = _WORD.findall(sentence[: source.expression_start].casefold())
        after = _WORD.findall(sentence[source.expression_end :].casefold())
    return frozenset(_nearest(reversed(before)) + _nearest(after))


def _nearest(words: Iterable[str]) -> list[str]:
    """The stems of the first WINDOW content words (read no further: a long sentence has many more)."""
    found = []
    for word in words:
        stemmed = _content_word(word)
        if stemmed is not None:
            found.append(stemmed)
            if len(found) == WINDOW:
                break
    return found


@functools.lru_cache(maxsize=1 << 16)  # decided once per distinct word, as stem is
def _content_word(word: str) -> str | None:
    """The stem of a content word; None for a function word, a number or a single letter."""
    if word in STOPWORDS or word.isdigit() or len(word) <= 1:
        return None
    return stem(word.replace("’", "'").split("'")[0])


def similarity(a: frozenset[str], b: frozenset[str], weights: Mapping[str, float] | None = None) -> float:
    """The weighted Dice coefficient of two sets of words: 2 w(A∩B) / (w(A) + w(B)); unweighted without weights."""
    if not a or not b:
        return 0.0
    # fsum: the same words give the same score whatever order a set holds them in (it differs from run to run),
    # so equal scores tie exactly and the earlier cluster wins every time.
    weight = (lambda words: math.fsum(weights.get(w, 1.0) for w in words)) if weights else len
    return 2 * weight(a & b) / (weight(a) + weight(b))


def word_weights(bags: Iterable[frozenset[str]]) -> dict[str, float]:
    """Each word's inverse document frequency, log(1 + n / df), over a collection of bags of words."""
    bags = list(bags)
    counts: dict[str, int] = {}
    for bag in bags:
        for word in bag:
            counts[word] = counts.get(word, 0) + 1
    return {word: math.log(1 + len(bags) / count) for word, count in counts.items()}


def dates_agree(a: Span, b: Span) -> bool:
    """True when two spans can name the same happening: they overlap, at close precisions, times of day close."""
    if a.end < b.start or b.end < a.start:
        return False
    if abs(PRECISION_RANK[a.precision] - PRECISION_RANK[b.precision]) > MAX_PRECISION_GAP:
        return False
    if a.minute is not None and b.minute is not None and a.start == b.start == a.end == b.end:
        return abs(a.minute - b.minute) <= MAX_TIME_GAP
    return True


def days_apart(a: Span, b: Span) -> int:
    """The days between two spans that do not overlap (0 when they do)."""
    return max((b.start - a.end).days, (a.start - b.end).days, 0)


def same_event(a: Event, b: Event, weights: Mapping[str, float] | None = None,
               threshold: float = THRESHOLD) -> bool:
    """The pairwise rule (see the module's docstring): True to merge, flagged when the dates disagree."""
    if a.as_of != b.as_of:
        return False
    score = similarity(words_of(a), words_of(b), weights)
    if dates_agree(a.date.span, b.date.span):
        return score >= threshold
    return score >= STRONG and days_apart(a.date.span, b.date.span) <= DISAGREEMENT_DAYS


def words_of(event: Event) -> frozenset[str]:
    """The content words of every source of an event."""
    return frozenset().union(*(content_words(s) for s in event.sources)) if event.sources else frozenset()


def _bags_of(events: Iterable[Event], same: dict[frozenset[str], frozenset[str]]) -> list[frozenset[str]]:
    """``words_of`` each event, in order; a sentence recalled by many articles is read once, and equal bags are one
    object (``same`` keeps them): quicker to find in dicts and sets."""
    near: dict[tuple[str, int, int], frozenset[str]] = {}
    words = []
    for event in events:
        bags = []
        for source in event.sources:
            key = (source.sentence, source.expression_start, source.expression_end)
            bag = near.get(key)
            if bag is None:
                bag = content_words(source)
                bag = near[key] = same.setdefault(bag, bag)
            bags.append(bag)
        if len(bags) == 1:  # most events: the bag is the shared object already
            words.append(bags[0])
        else:
            bag = frozenset().union(*bags)
            words.append(same.setdefault(bag, bag))
    return words


def _frequencies(bags: Iterable[frozenset[str]]) -> dict[str, int]:
    """How many of the bags hold each word (a bag repeated is counted each time), counted once per distinct bag."""
    frequencies: dict[str, int] = {}
    for bag, count in Counter(bags).items():
        for word in bag:
            frequencies[word] = frequencies.get(word, 0) + count
    return frequencies


def _weights(frequencies: Mapping[str, int], n: int) -> dict[str, float]:
    """``word_weights`` from document frequencies among ``n`` bags."""
    return {word: math.log(1 + n / count) for word, count in frequencies.items()}


def _reported_order(event: Event) -> tuple[object, ...]:
    first = event.sources[0]
    return (first.dateline, first.article, event.position, event.id)


def _editor_clusters(by_id: Mapping[str, Event], rules: MergeRules) -> tuple[list[list[Event]], set[str]]:
    """The clusters the editors' ``merge:`` groups force, and the ids placed in them."""
    clusters: list[list[Event]] = []
    placed: set[str] = set()
    for group in rules.groups:
        members = [by_id[i] for i in dict.fromkeys(group) if i in by_id and i not in placed]
        if len(members) > 1 or (members and members[0].id == group[0]):
            clusters.append(members)
            placed.update(e.id for e in members)
    return clusters, placed


def _distinct_of(rules: MergeRules) -> dict[str, frozenset[str]]:
    """For each id the editors keep apart from others, those others."""
    distinct_of: dict[str, frozenset[str]] = {}
    for pair in rules.distinct:
        for one in pair:
            distinct_of[one] = distinct_of.get(one, frozenset()) | (pair - {one})
    return distinct_of


def merge_events(events: Sequence[Event], rules: MergeRules = MergeRules(), previous: bytes | None = None,
                 articles: Iterable[tuple[str, int]] | None = None) -> Merged:
    """Events reported by several articles merged into one (see the module's docstring for the rule).

    ``previous`` is the ``trace`` of an earlier build's merge: the decisions it proves unchanged are replayed
    instead of worked out again, for the same result.  A trace that does not fit (another version, other editors'
    rules, damaged) is ignored.

    ``articles`` may say which article gave which events: each article's key and how many events it gave, in the
    order of ``events``.  A key names an article's events: an article with the key and the count it had when the
    trace was made gave the very events it gave then, so they are found in the trace by key and not compared field
    by field (a cache key does: it hashes the article's bytes, the settings and the code).  An empty key says
    nothing; an article whose key or count changed is checked event by event, as when ``articles`` is not given.
    """
    from .merge_replay import replay  # imported here: merge_replay and merge_trace build on this module
    from .merge_trace import article_runs

    runs = article_runs(events, articles)
    if previous:
        merged = replay(events, rules, previous, runs)
        if merged is not None:
            return merged
    return _merge(events, rules, runs)


def _merge(events: Sequence[Event], rules: MergeRules, runs: list[tuple[str, int]] | None = None) -> Merged:
    """``merge_events`` from scratch, with the trace of every decision (``runs``: see ``article_runs``)."""
    from .merge_trace import _keyable, digests  # merge_trace builds on this module

    flags: list[int] = []  # each article's _keyable, -1 without a key
    keyed = bytearray(len(events))  # whether each event is known by its article's key
    start = 0
    for key, count in runs or ():
        flags.append(_keyable(events[start:start + count]) if key else -1)
        if flags[-1] >= 0:
            keyed[start:start + count] = b"\x01" * count
        start += count
    # A big merge's words and digests are shared with a child process (see merge_split): the other core idles.
    helper = Helper.start(events, len(events) // 2, functools.partial(_bags_of, same={}),
                          functools.partial(digests, keyed=keyed)) if len(events) >= SPLIT_AT else None
    try:
        return _merged_events(events, rules, runs, flags, keyed, helper)
    finally:
        if helper is not None:
            helper.close()


def _merged_events(events: Sequence[Event], rules: MergeRules, runs: list[tuple[str, int]] | None, flags: list[int],
                   keyed: bytearray, helper: Helper | None) -> Merged:
    """``_merge`` given each article's ``_keyable`` (``flags``), whether each event is known by its article's key
    (``keyed``), and the child working out the words and digests of a big merge."""
    from .merge_trace import _DIGEST_SIZE, Trace, _Trail, digests, keyed_articles

    split = helper.split if helper is not None else len(events)
    # The words first: each process copies the memory of the events it reads before the other (a forked child
    # shares it until either writes, and reading an object writes its count of references), so this process reads
    # the first half's while the child reads the last half's, and takes over those the child copied for nothing.
    same: dict[frozenset[str], frozenset[str]] = {}
    bags_of = _bags_of(events[:split], same)
    rest = helper.words(same) if helper is not None else None
    bags_of += rest if rest is not None else _bags_of(events[split:], same)
    words = dict(zip(map(_ID, events), bags_of, strict=True))
    by_id = {event.id: event for event in events}
    clusters, placed = _editor_clusters(by_id, rules)
    groups = [tuple(e.id for e in cluster) for cluster in clusters]
    frequencies = _frequencies(words.values())
    weights = _weights(frequencies, len(words))
    bags: dict[frozenset[str], _Bag] = {}
    readings: dict[tuple[object, ...], int] = {}
    dice = _Similarity(weights)
    # Kept as plain numbers: a hundred thousand kept containers would wake the garbage collector.  The digests are
    # given at the end (the child's, or worked out then).
    trail = _Trail(later=True)
    order = dict(zip(map(_ID, events), range(len(events)), strict=True))
    places: list[int] = []  # each record's event, by its place in ``events``
    # An event is compared only with clusters sharing one of its rarest words whose every date is within
    # DISAGREEMENT_DAYS of its own (no other cluster could take it): 100,000 events must not compare every pair.
    # (Those are the clusters a lookup by (month, rare word) finds, less the ones their dates rule out.)
    # Each cluster keeps what joining it is decided by (its articles, ids, distinct word bags and distinct date
    # spans), so a story recalled by a thousand articles is not re-read member by member.
    filed = _Index()
    profiles: list[_Profile] = []
    for number, cluster in enumerate(clusters):
        profiles.append(_Profile())
        for member in cluster:
            arrival = _arrival(member, _bag(bags, words[member.id], weights), readings)
            profiles[number].add(member.id, arrival)
            filed.add(number, arrival, words[member.id])
            places.append(order[member.id])
            trail.add(member, arrival.span_key, arrival.bag.number, number, (), 0.0, keyed[places[-1]] == 1)
    distinct_of = _distinct_of(rules)
    decided = 0
    for event in sorted((e for e in events if e.id not in placed and e.sources), key=_reported_order):
        bag = _bag(bags, words[event.id], weights)
        arrival = _arrival(event, bag, readings, distinct_of.get(event.id, frozenset()))
        candidates = filed.candidates(arrival.first, arrival.last, bag.rare)
        chosen, closeness = _decide(arrival, candidates, profiles, dice)
        if chosen < 0:
            clusters.append([event])
            profiles.append(_Profile())
            chosen = len(clusters) - 1
        else:
            clusters[chosen].append(event)
        profiles[chosen].add(event.id, arrival)
        filed.add(chosen, arrival, bag.words)
        placed.add(event.id)
        places.append(order[event.id])
        trail.add(event, arrival.span_key, bag.number, chosen, candidates, closeness, keyed[places[-1]] == 1)
        decided += 1
    others = [e for e in events if e.id not in placed]
    for event in others:
        places.append(order[event.id])
        trail.add(event, _span_key(event.date.span), _bag(bags, words[event.id], weights).number, -1, (), 0.0,
                  keyed[places[-1]] == 1)
    known = helper.digests() if helper is not None else None
    if known is None or len(known) != len(events) * _DIGEST_SIZE:
        known = digests(events, keyed)
    trail.digested(places, known)
    positions = [order[cluster[0].id] for cluster in clusters] + [order[event.id] for event in others]
    result, merged_into, hints, made = _result(clusters, others, positions, len(groups), (),
                                               [profile.dates.values() for profile in profiles])
    unique = len(by_id) == len(events)  # replaying decisions by id needs ids that say which event is which
    encoded = b""
    if unique:
        trace = Trace()
        trace.bags = [bag.words for bag in bags.values()]  # numbered as bag.number
        trace.extend(trail)
        found = {label: hint for label, hint in enumerate(hints) if hint >= 0}
        record_of = [0] * len(events)
        for record, place in enumerate(places):
            record_of[place] = record
        # Clusters of events known by key: the next merge finds them the same by key, so their summaries stand.
        summaries = {label: _summary(event, hints[label]) for label, event in enumerate(made)
                     if event.merged and all(keyed[order[i]] for i in (event.id, *event.merged))}
        encoded = trace.encode(rules, len(words), frequencies, groups, len(clusters), found,
                               keyed_articles(events, runs, flags, record_of), summaries=summaries)
    return Merged(result, merged_into, encoded, decided)


def _result(clusters: Iterable[list[Event]], others: list[Event], positions: Sequence[int], groups: int,
            hints: Sequence[int] = (), dates: Sequence[Iterable[_Dated] | None] = (),
            known: Sequence[Summary | None] = ()) -> tuple[tuple[Event, ...], dict[str, str], list[int], list[Event]]:
    """The merged events in input order, where each merged-away id went, each cluster's hint (see _merged) and its
    merged event.

    ``others`` are the events in no cluster; ``positions`` the place in the input of each cluster's first member,
    then of each of the others.  The first ``groups`` clusters are the editors' groups.  ``hints`` may give the
    hint a cluster of the same members with the same data had (-1: none), ``dates`` its distinct spans and
    ``known`` its summary (see _merged).
    """
    # An editor's group keeps the order it was written in; the others are in reported order, the order they joined.
    result: list[Event] = []
    made = []
    for number, cluster in enumerate(clusters):
        hint, summary = (hints[number], known[number]) if known else (-1, None)
        if summary is not None and hint >= 0 and hint & 1 and len(cluster) > 1:
            # What ``_merged`` makes of a cluster whose every finding stands, sources in order: made here without a
            # call, as a replay has thousands of them.
            first = cluster[0]
            fields = dict(first.__dict__)
            fields.update(date=cluster[hint >> 2].date, sources=tuple(chain.from_iterable(map(_SOURCES, cluster))),
                          tags=summary[1], reported=summary[2], merged=tuple(map(_ID, islice(cluster, 1, None))),
                          review=(*first.review, summary[0]) if hint & 2 else first.review)
            event = object.__new__(Event)
            object.__setattr__(event, "__dict__", fields)
        else:
            event, hint = _merged(cluster, number >= groups, hints[number] if hints else -1,
                                  dates[number] if dates else None, summary)
        result.append(event)
        made.append(hint)
    merged = result[:]
    result += others  # editors' added events have no sources to compare
    merged_into = dict(chain.from_iterable(zip(event.merged, repeat(event.id)) for event in merged if event.merged))
    return (tuple(map(result.__getitem__, sorted(range(len(result)), key=positions.__getitem__))), merged_into, made,
            merged)


def _decide(arrival: _Arrival, candidates: Sequence[int], profiles: Sequence[_Profile] | Mapping[int, _Profile],
            dice: _Similarity) -> tuple[int, float]:
    """The candidate the event joins (-1: none, it starts a cluster) and how close that choice came to another.

    Closeness is the largest ratio lesser / greater over the comparisons the choice rests on: the chosen fit against
    its limit (THRESHOLD, or STRONG when the dates disagree), every other fit against the chosen one, every rejected
    score against its limit.  1 is a tie; scores that all move by a factor within (1 / closeness) ** 0.5 cannot
    change the choice (see ``merge_replay``).
    """
    best, chosen, least = 0.0, -1, 0.0  # the chosen fit, its cluster and its limit
    rejected = 0.0  # the closest a fit too weak to join came to its limit
    fits = []  # the fits strong enough to join (few)
    as_of, articles, distinct, reading = arrival.as_of, arrival.articles, arrival.distinct, arrival.reading
    for number in candidates:
        # The fits known already taken here, without a call: a big merge asks for 200,000 fits, and most are known
        # or ruled out by the checks.
        profile = profiles[number]
        if (profile.as_of is as_of and profile.articles.isdisjoint(articles)
                and (not distinct or profile.ids.isdisjoint(distinct))):
            known = profile._fits.get(reading)
            score, limit = known[1] if known is not None and known[0] == profile.version else \
                profile.fit(arrival, dice, known)
            if score < limit:
                near = score / limit
                if near > rejected:
                    rejected = near
            else:
                fits.append((number, score))
                if score > best:
                    best, chosen, least = score, number, limit
    if chosen < 0:
        return chosen, rejected
    closeness = least / best
    if rejected > closeness:
        closeness = rejected
    if len(fits) > 1:
        for number, score in fits:
            if number != chosen:
                near = score / best
                if number > chosen and near > _FAR:  # it loses ties: only bags the chosen cluster lacks count
                    near = _lead(arrival, profiles[chosen], profiles[number], dice, best)
                if near > closeness:
                    closeness = near
    return chosen, closeness


_FAR = 0.99  # a later fit closer than this to the chosen one is looked at bag by bag


def _lead(arrival: _Arrival, chosen: _Profile, other: _Profile, dice: _Similarity, best: float) -> float:
    """How close a later cluster's fit comes to the chosen one's ``best``, counting only bags the chosen lacks.

    A bag both clusters hold scores at most ``best`` under any weights, and a tie goes to the earlier cluster.
    Stories recalled with dates read two ways often make two clusters with the same sentences.
    """
    own = chosen._bag_numbers
    return max((dice(arrival.bag, bag) for bag in other.bags if bag.number not in own), default=0.0) / best


def _weight(bag: frozenset[str], weights: Mapping[str, float]) -> float:
    return math.fsum(map(weights.__getitem__, bag))  # every word has its weight; fsum: see similarity


class _Bag(NamedTuple):
    """A distinct bag of words, with what merging reads of it worked out once."""

    words: frozenset[str]
    weight: float
    rare: tuple[str, ...]  # its rarest words, by which it looks for clusters to join
    number: int  # its place among the distinct bags


def _bag(bags: dict[frozenset[str], _Bag], words: frozenset[str], weights: Mapping[str, float]) -> _Bag:
    bag = bags.get(words)
    if bag is None:
        # Looked up by its rarest words only: a match shares enough weight to share one of them.
        rare = tuple(sorted(words, key=lambda w: (-weights[w], w))[:LOOKUP_WORDS])
        bag = bags[words] = _Bag(words, _weight(words, weights), rare, len(bags))
    return bag


# Days per bucket of each level of the index: a cluster's words are filed at the finest level where its window
# touches at most _SPREAD buckets; the last level has one bucket for every date.
_LEVELS = (16, 256, 4096, 1 << 22)
_SPREAD = 4
_LEVEL_STEP = 1 << 23  # bucket numbers of different levels kept apart: level * _LEVEL_STEP + day // days


class _Index:
    """The clusters an event may join by its dates and words, found without looking at the others.

    A cluster can take an event only when every member's date is within DISAGREEMENT_DAYS of the event's: when the
    event's span meets the cluster's window, from DISAGREEMENT_DAYS before its latest first day to DISAGREEMENT_DAYS
    after its earliest last day.  The window only narrows as members join, so a cluster filed under a word in the
    buckets of its window then is still found there by every event that meets its window now.
    """

    def __init__(self) -> None:
        self.filed: dict[tuple[str, int], list[int]] = {}  # (word, bucket) -> clusters
        self.levels: list[int] = []  # the levels that hold a cluster
        self.words: list[set[str]] = []  # each cluster's words: every member's
        self.low: list[int] = []  # each cluster's window, first and last day as ordinals
        self.high: list[int] = []

    def add(self, number: int, member: _Arrival, bag: frozenset[str]) -> None:
        """Cluster ``number`` (a new one when it is the next number) gains a member with these dates and words."""
        low, high = member.first - DISAGREEMENT_DAYS, member.last + DISAGREEMENT_DAYS
        if number == len(self.words):
            self.words.append(set())
            self.low.append(low)
            self.high.append(high)
        else:
            low = self.low[number] = max(self.low[number], low)
            high = self.high[number] = min(self.high[number], high)
        new = bag - self.words[number]
        if not new:
            return
        self.words[number] |= new
        if low > high:
            # Members too far apart for any event of a day or so (an editors' group): only an event whose span
            # reaches across the gap between them meets the window, and every such event looks in the gap's buckets.
            low, high = high, low
        level = next(level for level, days in enumerate(_LEVELS) if high // days - low // days < _SPREAD)
        if level not in self.levels:
            self.levels = sorted((*self.levels, level))
        for bucket in _buckets(level, low, high):
            for word in new:
                self.filed.setdefault((word, bucket), []).append(number)

    def candidates(self, first: int, last: int, words: Sequence[str]) -> list[int]:
        """The clusters, in the order they were made, under one of ``words`` whose window meets the days (ordinals)."""
        filed = self.filed
        found = {number for level in self.levels for bucket in _buckets(level, first, last) for word in words
                 for number in filed.get((word, bucket), ())}
        low, high = self.low, self.high
        return [n for n in sorted(found) if low[n] <= last and high[n] >= first]


def _buckets(level: int, first: int, last: int) -> range:
    days = _LEVELS[level]
    return range(level * _LEVEL_STEP + first // days, level * _LEVEL_STEP + last // days + 1)


class _Arrival(NamedTuple):
    """An event looking for a cluster to join, with what ``_Profile.fit`` reads of it worked out once."""

    span: Span
    span_key: tuple[int, int, str, int | None]  # the span as a tuple, quicker to hash than a Span
    first: int  # the span's first and last days, as ordinals
    last: int
    articles: frozenset[str]
    as_of: frozenset[bool]  # one of the _AS_OF values, so compared by identity
    distinct: frozenset[str]  # ids the editors keep apart from it
    bag: _Bag
    reading: int  # its (bag, span) among those seen: the part of a fit that depends on the event
    days: _Days


# What the date rules read of a span: its first and last days as ordinals, its precision's rank and its minute.
_Days = tuple[int, int, int, int | None]


def _arrival(event: Event, bag: _Bag, readings: dict[tuple[object, ...], int],
             distinct: frozenset[str] = frozenset()) -> _Arrival:
    span = event.date.span
    first, last = span.start.toordinal(), span.end.toordinal()
    span_key = (first, last, span.precision, span.minute)
    reading = readings.setdefault((bag.number, span_key), len(readings))
    return _Arrival(span, span_key, first, last, frozenset([s.article for s in event.sources]), _AS_OF[event.as_of],
                    distinct, bag, reading, (first, last, PRECISION_RANK[span.precision], span.minute))


def _span_key(span: Span) -> tuple[int, int, str, int | None]:
    """A span as a tuple (first and last days as ordinals), quicker to hash than a Span and plain data."""
    return (span.start.toordinal(), span.end.toordinal(), span.precision, span.minute)


_AS_OF = {True: frozenset((True,)), False: frozenset((False,))}
_MIXED = frozenset((True, False))


class _Similarity:
    """The weighted Dice coefficient of an event's bag and a cluster's, each ordered pair of bags worked out once."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.weight = weights.__getitem__  # every word of every event has its weight
        self.known: dict[int, float] = {}

    def __call__(self, bag: _Bag, other: _Bag) -> float:
        key = bag.number << 32 | other.number
        score = self.known.get(key)
        if score is None:
            score = self.known[key] = 2 * math.fsum(map(self.weight, bag.words & other.words)) / (
                bag.weight + other.weight)  # fsum: see similarity
        return score


@dataclass(slots=True)
class _Dated:
    """A distinct span of a cluster's members: how many members give it, and the first that does (by position)."""

    span: Span
    count: int
    first: int


class _Profile:
    """What deciding whether an event joins a cluster needs, kept up to date as members join.

    ``fit`` gives exactly what comparing the event with every member would give: the best similarity over the
    members' distinct word bags, and the date rules over their distinct spans.  A story's events repeat their words
    and dates, so each reading's answer is kept, and extended only by the bags and spans the cluster gains after.
    """

    __slots__ = ("_bag_numbers", "_fits", "articles", "as_of", "bags", "dates", "days", "ids", "size", "version")

    def __init__(self) -> None:
        self.articles: set[str] = set()
        self.ids: set[str] = set()
        self.as_of: frozenset[bool] = frozenset()  # empty, one of the _AS_OF values, or _MIXED
        self.bags: list[_Bag] = []  # each distinct non-empty bag of words
        self.days: list[_Days] = []  # each distinct span's, in the order of ``dates``
        self.dates: dict[tuple[int, int, str, int | None], _Dated] = {}  # each distinct span, by its key
        self.size = 0  # members
        self._bag_numbers: set[int] = set()
        self.version = 0  # counts the changes to ``bags`` and ``days``: a fit worked out at the same is still true
        # reading -> (version, the fit, bags compared, best similarity, spans compared, whether all agree)
        self._fits: dict[int, tuple[int, tuple[float, float], int, float, int, bool]] = {}

    def add(self, event_id: str, member: _Arrival) -> None:
        """Take in a member (the next in the cluster's order)."""
        self.articles |= member.articles
        self.ids.add(event_id)
        if self.as_of is not member.as_of:
            self.as_of = _MIXED if self.as_of else member.as_of
        bag = member.bag
        if bag.words and bag.number not in self._bag_numbers:
            self._bag_numbers.add(bag.number)
            self.bags.append(bag)
            self.version += 1
        dated = self.dates.get(member.span_key)
        if dated is None:
            self.dates[member.span_key] = _Dated(member.span, 1, self.size)
            self.days.append(member.days)
            self.version += 1
        else:
            dated.count += 1
        self.size += 1

    def extend(self, members: Sequence[Event], words: Sequence[frozenset[str]],
               bag: Callable[[frozenset[str]], _Bag], ids: bool = True) -> tuple[int, int]:
        """Take in members (the next in the cluster's order, with their words) as ``add`` would one by one; their
        ids only with ``ids`` (no event is kept apart from others by the editors: ``fit`` reads none).  Gives the
        latest first day and the earliest last day of their spans, as ordinals.

        Worked out in C but for each distinct bag and span object: a replay works out a big cluster at once.
        """
        if ids:
            self.ids.update(map(_ID, members))
        self.articles.update(map(_ARTICLE, chain.from_iterable(map(_SOURCES, members))))
        for as_of in set(map(_AS_OF_VALUE, members)):
            if self.as_of is not _AS_OF[as_of]:
                self.as_of = _MIXED if self.as_of else _AS_OF[as_of]
        own = self._bag_numbers
        for distinct in dict.fromkeys(words):
            if distinct:
                found = bag(distinct)
                if found.number not in own:
                    own.add(found.number)
                    self.bags.append(found)
                    self.version += 1
        spans = list(map(_SPAN, members))
        objects = list(map(id, spans))  # events of the same date share one Span, as a rule
        latest, earliest = -sys.maxsize, sys.maxsize
        firsts = sorted(dict(zip(reversed(objects), range(len(objects) - 1, -1, -1), strict=True)).values())
        # Each distinct object counted in C: a Counter costs more for the few a story's dates make.
        count = Counter(objects).__getitem__ if len(firsts) > 8 else objects.count
        for first in firsts:
            span = spans[first]
            key = _span_key(span)
            latest, earliest = max(latest, key[0]), min(earliest, key[1])
            dated = self.dates.get(key)
            members_of = count(objects[first])
            if dated is None:
                self.dates[key] = _Dated(span, members_of, self.size + first)
                self.days.append((key[0], key[1], PRECISION_RANK[key[2]], key[3]))
                self.version += 1
            else:
                dated.count += members_of
        self.size += len(members)
        return latest, earliest

    def fit(self, arrival: _Arrival, dice: _Similarity,
            known: tuple[int, tuple[float, float], int, float, int, bool] | None) -> tuple[float, float]:
        """The event's best similarity to the cluster and the least it needs to join, extending ``known`` (what
        ``_fits`` holds for its reading, None for nothing).

        Only for an event that may join the cluster (``_decide`` checks its state, articles and the editors' rules)
        and a cluster whose every date is within DISAGREEMENT_DAYS of the event's (``_Index.candidates``).
        """
        if known is None:
            compared, best, checked, agree = 0, 0.0, 0, True
        elif known[0] == self.version:
            return known[1]
        else:
            _, _, compared, best, checked, agree = known
        bags, days = self.bags, self.days
        bag = arrival.bag
        if bag.words and compared < len(bags):
            scores, number = dice.known, bag.number << 32
            for other in bags[compared:]:
                score = scores.get(number | other.number)
                if score is None:
                    score = dice(bag, other)
                if score > best:
                    best = score
        if agree and checked < len(days):
            # dates_agree, written out on the spans' numbers: a fit reads thousands of pairs
            first, last, rank, minute = arrival.days
            for other_first, other_last, other_rank, other_minute in days[checked:]:
                if (last < other_first or other_last < first or abs(rank - other_rank) > MAX_PRECISION_GAP
                        or (minute is not None and other_minute is not None and first == other_first == last
                            == other_last and abs(minute - other_minute) > MAX_TIME_GAP)):
                    agree = False
                    break
        # The dates are close (see above): a flagged merge needs STRONG words unless every date agrees.
        fit = (best, THRESHOLD if agree else STRONG)
        self._fits[arrival.reading] = (self.version, fit, len(bags), best, len(days), agree)
        return fit


def _merged(members: list[Event], reported: bool = False, hint: int = -1,
            dates: Iterable[_Dated] | None = None, known: Summary | None = None) -> tuple[Event, int]:
    """One event from a cluster: the first event's id and words, every source, the best date; and its hint.

    ``reported``: the members are in reported order.  The hint (-1 for a single member) says what was found out
    from the members' spans, positions and sources: which member gives the date (hint >> 2), whether the sources
    disagree on it (bit 1), whether the sources were in order (bit 0).  Given the hint of the same members with the
    same data, that is not found out again.  ``dates`` may give the members' distinct spans, each with how many
    members give it and the first that does (a cluster's profile keeps them).  ``known`` may give the summary
    (see ``_summary``) of the merged event of the very same members, with its hint: it is not added up again.
    """
    first = members[0]
    if len(members) == 1:
        return first, -1
    sources = list(chain.from_iterable(map(_SOURCES, members)))
    if hint < 0:
        hint = _hint(members, sources, reported, dates)
    if known is None:
        review = first.review
        if hint & 2:
            review += (f"sources disagree on the date: {_readings(members, sources)}",)
        tags = tuple(dict.fromkeys(chain.from_iterable(map(_TAGS, members))))
        everyone_reported = all(map(_REPORTED, members))
    else:
        line, tags, everyone_reported = known
        review = (*first.review, line) if hint & 2 else first.review
    if not hint & 1:
        sources.sort(key=_SOURCE_ORDER)
    # Made as cache._decode makes events: __init__ (or replace) sets each field through object.__setattr__, and a
    # build makes thousands of merged events.
    fields = dict(first.__dict__)
    fields.update(date=members[hint >> 2].date, sources=tuple(sources), tags=tags, reported=everyone_reported,
                  merged=tuple(map(_ID, islice(members, 1, None))), review=review)
    event = object.__new__(Event)
    object.__setattr__(event, "__dict__", fields)
    return event, hint


# What a merged event adds up from all its members, besides their sources and ids: the line of its review on the
# sources' readings of the date ("" when they agree), its tags, and whether every member was reported.
Summary = tuple[str, tuple[str, ...], bool]


def _summary(event: Event, hint: int) -> Summary:
    """The summary of a merged event (see ``_merged``) with that hint."""
    return (event.review[-1] if hint & 2 else "", event.tags, event.reported)


def _readings(members: list[Event], sources: list[Source]) -> str:
    """Every source's reading of the date and its article, in the members' order (``sources`` as they come)."""
    if len(sources) == len(members) and all(values := list(map(_VALUE, sources))):  # one source each, all valued
        return "; ".join(map("{} ({})".format, values, map(_ARTICLE, sources)))
    return "; ".join(f"{_value(s, e)} ({s.article})" for e in members for s in e.sources)


def _hint(members: list[Event], sources: list[Source], reported: bool, dates: Iterable[_Dated] | None) -> int:
    """What ``_merged`` finds out from the members' spans, positions and sources (see there)."""
    # In reported order, one source each starting at its event's position, the sources are in order already
    # (equal keys in the members' order, as sorting keeps them): checked in C, as sorting is a tenth of a merge.
    ordered = int(reported and len(sources) == len(members)
                  and all(map(operator.eq, map(_SENTENCE_START, sources), map(_POSITION, members))))
    readings = list(dates) if dates is not None else _dated(members)
    if len(readings) == 1:
        return ordered
    # The reading most sources agree with (the earliest on a tie), then the most precise date among those sources.
    # Counted over distinct spans, as a story recalled a thousand times has only a few readings of its date.
    spans = [dated.span for dated in readings]
    size = len(spans)
    agree = [[False] * size for _ in spans]
    for i in range(size):
        for j in range(i, size):  # dates_agree gives the same either way round
            agree[i][j] = agree[j][i] = dates_agree(spans[i], spans[j])
    support = [sum(dated.count for dated, ok in zip(readings, row, strict=True) if ok) for row in agree]
    most = max(support)
    anchor = min((i for i, count in enumerate(support) if count == most), key=lambda i: readings[i].first)
    rank = [PRECISION_RANK[span.precision] if agree[i][anchor] else -1 for i, span in enumerate(spans)]
    top = max(rank)
    best = min(dated.first for dated, r in zip(readings, rank, strict=True) if r == top)
    return best << 2 | (not all(map(all, agree))) << 1 | ordered


def _dated(members: list[Event]) -> list[_Dated]:
    """The members' distinct spans as ``_Profile`` counts them, for a cluster without one (worked out in C)."""
    spans = list(map(_SPAN, members))
    keys = list(map(_SPAN_FIELDS, spans))  # equal exactly when the spans are, and quicker to compare
    return [_Dated(spans[first], keys.count(key), first) for key in dict.fromkeys(keys) for first in (keys.index(key),)]


def _value(source: Source, event: Event) -> str:
    return source.value or event.date.value

