"""Replaying a merge: given the previous build's trace, the very result of a merge from scratch, with less work."""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import math
import os
import random
import subprocess
import sys
from array import array
from dataclasses import replace
from itertools import groupby
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.test_merge import CHRONICLE, HERALD, LEDGER, VALUES, events_of, random_event, random_rules
from timeline import merge, merge_replay, merge_trace
from timeline.merge import MergeRules, merge_events
from timeline.model import Event, EventDate, Source
from timeline.timex import calendar_span

_READINGS = merge._readings


def replayed(events: list[Event], rules: MergeRules, previous: bytes,
             articles: list[tuple[str, int]] | None = None) -> tuple[int, bytes]:
    """Merge with the trace and from scratch, check the two agree, and give the replay's recomputed count and trace."""
    again = merge_events(events, rules, previous=previous, articles=articles)
    scratch = merge_events(events, rules)
    assert again.events == scratch.events
    assert dict(again.merged_into) == dict(scratch.merged_into)
    return again.recomputed, again.trace


def keys_of(events: list[Event]) -> list[tuple[str, int]]:
    """Each run of events from one article with a key naming them, as the build's cache keys name an article's."""
    runs = []
    for _, run in groupby(events, key=lambda e: e.sources[0].article if e.sources else None):
        mine = list(run)
        runs.append((hashlib.sha256(repr(mine).encode()).hexdigest(), len(mine)))
    return runs


def decided(events: list[Event], rules: MergeRules) -> int:
    """How many events a merge from scratch decides."""
    return merge_events(events, rules).recomputed


def _numbers(events: list[Event]) -> int:
    return max((int(e.id[1:]) for e in events if e.id[1:].isdigit()), default=0) + 1


def edit(rng: random.Random, events: list[Event]) -> list[Event]:
    """The events after one random edit of the kind a build sees between two runs."""
    events = list(events)
    articles = sorted({e.sources[0].article for e in events if e.sources})
    number = _numbers(events)
    kind = rng.choice(["remove article", "add article", "words", "date", "dateline", "many", "shuffle", "no sources",
                       "remove one", "as of", "two sources", "tags", "value", "reported"])
    if kind == "remove article" and articles:
        gone = rng.choice(articles)
        events = [e for e in events if not e.sources or e.sources[0].article != gone]
    elif kind == "add article":
        article = f"new{number}.md"
        events += [random_event(rng, number + i, article) for i in range(rng.randint(1, 4))]
    elif kind == "words" and events:  # the same id, another sentence (and so other words)
        place = rng.randrange(len(events))
        other = random_event(rng, number, events[place].sources[0].article if events[place].sources else None)
        events[place] = replace(other, id=events[place].id)
    elif kind == "date" and events:
        place = rng.randrange(len(events))
        value = rng.choice(VALUES)
        span = calendar_span(value)
        assert span is not None
        events[place] = replace(events[place], date=EventDate(value, span))
    elif kind == "dateline" and articles:  # an article redated: its events move in reported order
        moved = rng.choice(articles)
        day = dt.date(2024, 9, rng.randint(1, 9))
        events = [replace(e, sources=tuple(replace(s, dateline=day) for s in e.sources))
                  if e.sources and e.sources[0].article == moved else e for e in events]
    elif kind == "many":  # n crosses many values at once
        events += [random_event(rng, number + i) for i in range(rng.randint(5, 30))]
    elif kind == "shuffle":
        rng.shuffle(events)
    elif kind == "no sources":  # an editor's own event: no sources, but it counts among the events
        value = rng.choice(VALUES)
        span = calendar_span(value)
        assert span is not None
        events.append(Event(f"e{number}", EventDate(value, span), "Added", "Added", ()))
    elif kind == "remove one" and events:
        del events[rng.randrange(len(events))]
    elif kind == "as of" and events:
        place = rng.randrange(len(events))
        events[place] = replace(events[place], as_of=not events[place].as_of)
    elif kind == "two sources" and len(events) > 1:  # an event that already gathers two reports of itself
        one, other = rng.sample(events, 2)
        if one.sources and other.sources:
            events[events.index(one)] = replace(one, sources=(*one.sources, other.sources[0]))
    # What no decision reads but a merged event shows: its tags, its sources' readings, whether it was reported.
    elif kind == "tags" and events:
        place = rng.randrange(len(events))
        events[place] = replace(events[place], tags=(*events[place].tags, rng.choice(["fire", "flood", "vote"])))
    elif kind == "value" and events and events[place := rng.randrange(len(events))].sources:
        first, *rest = events[place].sources
        events[place] = replace(events[place], sources=(replace(first, value=first.value + "X"), *rest))
    elif kind == "reported" and events:
        place = rng.randrange(len(events))
        events[place] = replace(events[place], reported=not events[place].reported)
    return events


@pytest.mark.parametrize("seed", range(60))
def test_a_replay_after_random_edits_is_a_merge_from_scratch(seed: int) -> None:
    rng = random.Random(seed)
    events = [random_event(rng, number) for number in range(rng.randint(5, 80))]
    rules = random_rules(rng, [e.id for e in events]) if seed % 3 == 0 else MergeRules()
    trace = merge_events(events, rules).trace
    for _ in range(6):  # each build replays the trace of the build before, itself a replay
        events = edit(rng, events)
        _, trace = replayed(events, rules, trace)


@pytest.mark.parametrize("keyed", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_many_builds_in_a_row_replay_exactly(seed: int, keyed: bool) -> None:
    """Enough builds for the trace's segments to be written afresh and its wear to add up."""
    rng = random.Random(1000 + seed)
    events = [random_event(rng, number) for number in range(120)]
    trace = merge_events(events, articles=keys_of(events) if keyed else None).trace
    for _ in range(40):
        events = edit(rng, events) if rng.random() < 0.7 else events
        _, trace = replayed(events, MergeRules(), trace, keys_of(events) if keyed else None)
    previous = merge_trace.load(trace, MergeRules())
    assert previous is not None and len(previous.segments) <= merge_trace._SEGMENTS


SYLLABLES = "ka lo mi ru to na pi so du gi".split()
WORDS = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]  # made-up words, none a stop word
STORIES = [(" ".join(random.Random(story).sample(WORDS, 5)), f"2024-08-{1 + story % 28:02d}") for story in range(150)]
NOISE = "spokesperson officials residents statement city local".split()


def story_events(rng: random.Random, articles: int) -> list[Event]:
    """Articles each recalling a few of many stories, in their own words: what merging is for."""
    events = []
    for article in range(articles):
        dateline = dt.date(2024, 8, 29) + dt.timedelta(days=article // 10)
        for place, (words, value) in enumerate(rng.sample(STORIES, 4)):
            events.append(story_event(rng, f"s{article:03d}.md", dateline, place, words, value))
    return events


def story_event(rng: random.Random, article: str, dateline: dt.date, place: int, words: str, value: str) -> Event:
    chosen = rng.sample(words.split(), 4) + rng.sample(NOISE, rng.randint(0, 2))
    value = rng.choice([value, value, value[:7]])  # now and then only the month
    span = calendar_span(value)
    assert span is not None
    before = " ".join(chosen[:3])
    sentence = f"{before} on DATE {' '.join(chosen[3:])}."
    source = Source(article, "T", None, dateline, sentence, place * 100, "DATE", len(before) + 4, len(before) + 8,
                    value=value)
    return Event(f"{article}-{place}", EventDate(value, span), sentence, sentence, (source,), position=place * 100)


def test_what_clusters_of_unchanged_articles_add_up_to_is_read_from_the_trace(monkeypatch: pytest.MonkeyPatch
                                                                              ) -> None:
    rng = random.Random(5)
    events = []
    for number, event in enumerate(story_events(rng, 60)):  # some a day off: their clusters' sources disagree
        if number % 3 == 0 and event.date.span.precision == "day":
            day = event.date.span.start + dt.timedelta(days=1)
            span = calendar_span(day.isoformat())
            assert span is not None
            event = replace(event, date=EventDate(day.isoformat(), span),
                            sources=(replace(event.sources[0], value=day.isoformat()),))
        events.append(replace(event, tags=(event.sources[0].article,)))
    trace = merge_events(events, articles=keys_of(events)).trace
    added = [story_event(rng, "s999.md", dt.date(2024, 9, 30), 0, *STORIES[149])]
    summed: list[object] = []

    def readings(*args: Any) -> str:
        summed.append(args)
        return _READINGS(*args)

    monkeypatch.setattr(merge, "_readings", readings)
    merge_events(events + added)
    scratch = len(summed)
    summed.clear()
    _, after = replayed(events + added, MergeRules(), trace, keys_of(events + added))
    assert scratch > 10 and len(summed) - scratch < scratch / 4  # (replayed merges from scratch too)
    # An article whose tags, readings or reports changed (no decision reads them) has a new key: its clusters add up
    # their members again.
    changed = list(events + added)
    for place in (3, 10, 20):
        one = changed[place]
        changed[place] = replace(one, tags=("other",), reported=not one.reported,
                                 sources=(replace(one.sources[0], value=one.sources[0].value + "?"),))
    replayed(changed, MergeRules(), after, keys_of(changed))


def test_after_one_article_is_edited_only_a_few_decisions_are_recomputed() -> None:
    rng = random.Random(7)
    events = story_events(rng, 150)
    first = merge_events(events)
    assert first.recomputed == len(events)  # from scratch, every event is decided
    recomputed, _ = replayed(events, MergeRules(), first.trace)
    assert recomputed == 0  # nothing changed, nothing to decide
    middle = sorted({e.sources[0].article for e in events})[75]
    words, value = STORIES[3]
    followup = story_event(rng, middle, next(e.sources[0].dateline for e in events
                                             if e.sources[0].article == middle), 9, words, value)
    recomputed, _ = replayed([*events, followup], MergeRules(), first.trace)
    assert 0 < recomputed < len(events) // 20  # the clusters the new event touches, and what they touch


def test_editors_changing_their_rules_merge_from_scratch() -> None:
    rng = random.Random(3)
    events = story_events(rng, 30)
    trace = merge_events(events).trace
    rules = MergeRules(distinct=frozenset({frozenset((events[0].id, events[5].id))}))
    recomputed, _ = replayed(events, rules, trace)
    assert recomputed == decided(events, rules)


def _damaged_traces(trace: bytes) -> dict[str, bytes]:
    """The trace broken in ways a stored value can be, and rewritten (checksum and all) in shapes it never has."""
    body = trace[len(merge_trace._MAGIC) + merge_trace._DIGEST:]
    length = int.from_bytes(body[:4], "little")
    _, _, header, sizes = marshal.loads(body[4:4 + length])
    segments = [body[4 + length:4 + length + sizes[0][0]]]

    def packed(header: object, segments: list[bytes], code: bytes | None = None, form: str | None = None) -> bytes:
        with pytest.MonkeyPatch.context() as patch:
            if code is not None:
                patch.setattr(merge_trace, "_code_digest", lambda: code)
            if form is not None:
                patch.setattr(merge_trace, "FORMAT", form)
            return merge_trace._pack(header, segments)

    flipped = bytearray(trace)
    flipped[len(trace) // 2] ^= 0x40
    return {
        "empty": b"",
        "truncated": trace[: len(trace) // 2],
        "flipped": bytes(flipped),
        "flipped in the head": bytes(trace[:30]) + bytes([trace[30] ^ 1]) + trace[31:],
        "foreign": b"\x80\x04\x95 not a trace at all",
        "magic only": merge_trace._MAGIC,
        "another format": packed(header, segments, form="timeline merge trace 0"),
        "another code": packed(header, segments, code=b"0" * 16),
        "bad header": packed((1, 2), segments),
        "bad segment": packed(header, [b"\x00\x01"]),
        "no segments": packed(header, []),
        "alive too short": packed((*header[:6], header[6][:-1], *header[7:]), segments),
        "hints not numbers": packed((*header[:7], {"a": 1}, *header[8:]), segments),
        "labels past the next": packed((*header[:4], 0, *header[5:]), segments),
        "rules of others": packed((((("x", "y"),), ()), *header[1:]), segments),
    }


def test_a_damaged_or_foreign_trace_is_ignored() -> None:
    rng = random.Random(5)
    events = story_events(rng, 20)
    trace = merge_events(events).trace
    for name, damaged in _damaged_traces(trace).items():
        recomputed, _ = replayed(events, MergeRules(), damaged)
        assert recomputed == len(events), name  # merged from scratch


def test_a_trace_of_other_events_still_gives_the_merge_of_these() -> None:
    rng = random.Random(11)
    mine, theirs = story_events(rng, 40), story_events(rng, 40)
    replayed(mine, MergeRules(), merge_events(theirs).trace)
    replayed(events_of(("ledger.md", LEDGER), ("herald.md", HERALD), ("chronicle.md", CHRONICLE)), MergeRules(),
             merge_events(mine).trace)


@pytest.mark.parametrize("grouped", [False, True])
def test_repeated_ids_merge_from_scratch_and_leave_no_trace(grouped: bool) -> None:
    rng = random.Random(2)
    events = story_events(rng, 10)
    rules = MergeRules(groups=((events[3].id, events[8].id),)) if grouped else MergeRules()
    trace = merge_events(events, rules).trace
    twice = [*events, replace(events[3], position=events[3].position + 1)]
    assert merge_events(twice, rules).trace == b""
    recomputed, after = replayed(twice, rules, trace)
    assert after == b"" and recomputed == decided(twice, rules)


def test_editors_groups_are_replayed_with_their_members() -> None:
    rng = random.Random(9)
    events = story_events(rng, 40)
    rules = MergeRules(groups=((events[0].id, events[7].id, events[30].id),),
                       distinct=frozenset({frozenset((events[1].id, events[2].id))}))
    trace = merge_events(events, rules).trace
    recomputed, trace = replayed(events, rules, trace)
    assert recomputed == 0
    changed = list(events)
    changed[7] = replace(changed[7], as_of=True)  # a member of the group changes
    replayed(changed, rules, trace)


def test_the_example_articles_replay_after_an_edit() -> None:
    events = events_of(("ledger.md", LEDGER), ("herald.md", HERALD))
    trace = merge_events(events).trace
    edited = LEDGER + "\nA follow-up meeting was held on 3 March 2025, a spokesperson said.\n"
    replayed(events_of(("ledger.md", edited), ("herald.md", HERALD), ("chronicle.md", CHRONICLE)), MergeRules(),
             trace)


def test_a_number_too_large_to_store_leaves_no_trace_but_the_same_merge() -> None:
    rng = random.Random(4)
    events = story_events(rng, 20)
    trace = merge_events(events).trace
    huge = [replace(events[0], position=2**40), *events[1:]]
    assert merge_events(huge).trace == b""
    replayed(huge, MergeRules(), trace)


REPLAY_IN_ANOTHER_RUN = """
import random, sys
from dataclasses import replace
from tests.test_merge_replay import story_events, story_event, STORIES
from timeline.merge import merge_events
events = story_events(random.Random(21), 60)
if sys.argv[1] == "write":
    open(sys.argv[2], "wb").write(merge_events(events).trace)
else:
    events.append(story_event(random.Random(5), "s030.md", events[120].sources[0].dateline, 9, *STORIES[7]))
    events[7] = replace(events[7], as_of=True)
    again = merge_events(events, previous=open(sys.argv[2], "rb").read())
    scratch = merge_events(events)
    print(again.events == scratch.events, dict(again.merged_into) == dict(scratch.merged_into),
          0 < again.recomputed < len(events))
"""


def test_a_trace_is_replayed_the_same_in_another_run(tmp_path: Path) -> None:
    """Each build is a process of its own, where sets hold their words in another order."""
    trace = tmp_path / "trace"
    for step, seed in (("write", "1"), ("replay", "2")):
        done = subprocess.run([sys.executable, "-c", REPLAY_IN_ANOTHER_RUN, step, str(trace)], cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
                              check=True, timeout=120)
    assert done.stdout.split() == ["True", "True", "True"]


@pytest.mark.parametrize("seed", range(40))
def test_a_replay_by_article_keys_after_random_edits_is_a_merge_from_scratch(seed: int) -> None:
    """Builds with the articles' keys, now and then one without (a build without a cache): always exact."""
    rng = random.Random(500 + seed)
    events = [random_event(rng, number) for number in range(rng.randint(5, 80))]
    rules = random_rules(rng, [e.id for e in events]) if seed % 3 == 0 else MergeRules()
    trace = merge_events(events, rules, articles=keys_of(events)).trace
    for _ in range(8):
        events = edit(rng, events)
        articles = keys_of(events) if rng.random() < 0.8 else None
        _, trace = replayed(events, rules, trace, articles)


def test_articles_with_the_keys_they_had_are_replayed_whole() -> None:
    rng = random.Random(31)
    events = story_events(rng, 60)
    first = merge_events(events, articles=keys_of(events))
    assert first.events == merge_events(events).events
    assert len(first.trace) < len(merge_events(events).trace) * 2 / 3  # no ids, sentences or articles kept
    recomputed, trace = replayed(events, MergeRules(), first.trace, keys_of(events))
    assert recomputed == 0
    recomputed, _ = replayed(events, MergeRules(), trace, keys_of(events))
    assert recomputed == 0


def test_an_article_with_a_new_key_is_looked_at_event_by_event() -> None:
    """Its unchanged events are found by what they are, so the edit costs what it costs without keys."""
    rng = random.Random(32)
    events = story_events(rng, 150)
    plain, keyed = merge_events(events).trace, merge_events(events, articles=keys_of(events)).trace
    middle = sorted({e.sources[0].article for e in events})[75]
    at = max(k for k, e in enumerate(events) if e.sources[0].article == middle) + 1
    followup = story_event(rng, middle, events[at - 1].sources[0].dateline, 9, *STORIES[3])
    edited = [*events[:at], followup, *events[at:]]
    without, _ = replayed(edited, MergeRules(), plain)
    with_keys, _ = replayed(edited, MergeRules(), keyed, keys_of(edited))
    assert 0 < with_keys == without < len(events) // 20


def test_a_key_with_another_count_of_events_is_not_trusted() -> None:
    """A key names an article's events; the count is checked, and an article that gave one more event than its key
    had is looked at event by event."""
    rng = random.Random(33)
    events = story_events(rng, 40)
    articles = keys_of(events)
    trace = merge_events(events, articles=articles).trace
    extra = story_event(rng, events[3].sources[0].article, events[3].sources[0].dateline, 9, *STORIES[5])
    edited = [*events[:4], extra, *events[4:]]
    stale = [(articles[0][0], articles[0][1] + 1), *articles[1:]]  # the first article's key, kept in error
    recomputed, _ = replayed(edited, MergeRules(), trace, stale)
    assert recomputed > 0


@pytest.mark.parametrize("articles", [
    "counts that do not add up", "a key given to two articles", "empty keys", "not keys at all"])
def test_articles_that_do_not_fit_the_events_are_no_keys(articles: str) -> None:
    rng = random.Random(34)
    events = story_events(rng, 30)
    keys = keys_of(events)
    given: dict[str, list[Any]] = {
        "counts that do not add up": [(key, count + 1) for key, count in keys],
        "a key given to two articles": [(keys[0][0], count) for _, count in keys],
        "empty keys": [("", count) for _, count in keys],
        "not keys at all": [(1, count) for _, count in keys],
    }
    trace = merge_events(events, articles=given[articles]).trace
    assert trace == merge_events(events).trace  # every event kept with its data
    recomputed, _ = replayed(events, MergeRules(), trace, keys)
    assert recomputed == 0


def test_a_trace_made_with_keys_is_replayed_in_a_build_without_them() -> None:
    rng = random.Random(35)
    events = story_events(rng, 40)
    trace = merge_events(events, articles=keys_of(events)).trace
    recomputed, trace = replayed(events, MergeRules(), trace)  # found by digest
    assert recomputed == 0
    recomputed, _ = replayed(events, MergeRules(), trace, keys_of(events))
    assert recomputed == 0


@pytest.mark.parametrize("seed", range(20))
def test_articles_found_by_key_in_another_order_still_merge_exactly(seed: int) -> None:
    """Articles known by key come in another order, with articles that gave no events among them."""
    rng = random.Random(700 + seed)
    events = story_events(rng, rng.randint(5, 40))
    articles = [list(run) for _, run in groupby(events, key=lambda e: e.sources[0].article)]
    empty = [(f"empty{number}", []) for number in range(rng.randint(0, 4))]
    named = [(hashlib.sha256(repr(run).encode()).hexdigest(), run) for run in articles] + empty
    trace = b""
    for _ in range(5):
        if rng.random() < 0.5:
            rng.shuffle(named)
        else:  # a few articles swap places, the rest stay in a row
            one, other = rng.randrange(len(named)), rng.randrange(len(named))
            named[one], named[other] = named[other], named[one]
        events = [event for _, run in named for event in run]
        _, trace = replayed(events, MergeRules(), trace, [(key, len(run)) for key, run in named])


def story_and_followup() -> tuple[list[Event], Event]:
    """150 events of stories, and one more report from the article in the middle, to add and take away in turn."""
    rng = random.Random(41)
    events = story_events(rng, 150)
    middle = sorted({e.sources[0].article for e in events})[75]
    followup = story_event(rng, middle, next(e.sources[0].dateline for e in events
                                             if e.sources[0].article == middle), 9, *STORIES[3])
    return events, followup


def test_an_article_edited_back_and_forth_leaves_no_more_to_recompute_each_time() -> None:
    """The bound on a replayed decision is how far the weights moved since it was made: an edit undone moved none,
    so the decisions that came close are not recomputed more and more often as builds go by."""
    events, followup = story_and_followup()
    trace = merge_events(events).trace
    counts = []
    for build in range(24):
        recomputed, trace = replayed([*events, followup] if build % 2 == 0 else events, MergeRules(), trace)
        counts.append(recomputed)
    assert max(counts[-4:]) <= max(counts[:4])


def test_a_close_decision_stands_when_no_word_it_reads_moved_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    """A decision that came close is bounded by the moves of the words its event and candidates hold, not of every
    word whose df changed since it was made."""
    events, followup = story_and_followup()
    trace = merge_events(events).trace
    for build in range(3):
        _, trace = replayed([*events, followup] if build % 2 == 0 else events, MergeRules(), trace)
    by_what_they_read, _ = replayed([*events, followup], MergeRules(), trace)
    monkeypatch.setattr(merge_replay._Replay, "_near_enough", lambda *args: False)
    by_every_word, _ = replayed([*events, followup], MergeRules(), trace)
    assert by_what_they_read < by_every_word


@pytest.mark.parametrize(("now", "then", "top"), [(44791, 44790, 1568), (140, 100, 60), (3, 5, 3), (1000, 999, 1)])
def test_the_words_whose_df_stayed_are_bounded_by_the_one_of_largest_df(now: int, then: int, top: int) -> None:
    """With n alone moving, a weight log(1 + n / df) moves the more the larger its df: the bound the replay takes
    for them is that of the largest df, every other within it, and tighter than n_now / n_then."""
    frequencies = {"common": top, "rare": 1}
    weights = merge._weights(frequencies, now)
    old = SimpleNamespace(records=SimpleNamespace(closeness=array("d", [0.5])), alive=b"\x01", bounds=[0, 1])
    _, _, rests, _ = merge_replay._cut(old, [(then, {})], frequencies, weights, now)  # type: ignore[arg-type]
    moves = [abs(math.log(1 + now / df) / math.log(1 + then / df) - 1) for df in range(1, top + 1)]
    assert max(moves) <= rests[0] * (1 + 1e-12)
    assert rests[0] < abs(now / then - 1)


def _merges_from_scratch(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the merges from scratch ``merge_events`` makes from now on (one each when a replay gives up)."""
    calls: list[int] = []
    scratch = merge._merge

    def counted(*args: Any) -> merge.Merged:
        calls.append(1)
        return scratch(*args)

    monkeypatch.setattr(merge, "_merge", counted)
    return calls


@pytest.mark.parametrize("keyed", [False, True])
@pytest.mark.parametrize("change", ["a tenth of the articles gone", "a tenth more articles", "other articles"])
def test_a_replay_after_a_big_change_gives_up_for_a_merge_from_scratch(monkeypatch: pytest.MonkeyPatch, change: str,
                                                                       keyed: bool) -> None:
    """Most decisions would be recomputed, each dearer than in a merge from scratch: the replay gives up early."""
    rng = random.Random(13)
    events = story_events(rng, 400)
    names = sorted({e.sources[0].article for e in events})
    some = set(random.Random(1).sample(names, len(names) // 10))
    fewer = [e for e in events if e.sources[0].article not in some]
    before, after = {"a tenth of the articles gone": (events, fewer), "a tenth more articles": (fewer, events),
                     "other articles": (story_events(rng, 400), events)}[change]
    trace = merge_events(before, articles=keys_of(before) if keyed else None).trace
    calls = _merges_from_scratch(monkeypatch)
    again = merge_events(after, previous=trace, articles=keys_of(after) if keyed else None)
    assert calls == [1]
    assert again.recomputed == decided(after, MergeRules())
    assert again.events == merge_events(after).events
    replayed(before, MergeRules(), again.trace)  # the trace it leaves replays as any other


@pytest.mark.parametrize("change", ["an event added", "an article gone"])
def test_a_replay_after_a_small_change_does_not_give_up(monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    rng = random.Random(13)
    events = story_events(rng, 400)
    middle = sorted({e.sources[0].article for e in events})[200]
    if change == "an event added":
        after = [*events, story_event(rng, middle, next(e.sources[0].dateline for e in events
                                                        if e.sources[0].article == middle), 9, *STORIES[3])]
    else:
        after = [e for e in events if e.sources[0].article != middle]
    trace = merge_events(events).trace
    calls = _merges_from_scratch(monkeypatch)
    recomputed, _ = replayed(after, MergeRules(), trace)
    assert calls == [1]  # the merge from scratch ``replayed`` compares with, and no other
    assert 0 < recomputed < len(events) // 10
