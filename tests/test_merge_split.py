"""A big merge shares its words and digests with a child process: the same merge, whatever the child does."""

from __future__ import annotations

import functools
import os
import random
from typing import Any

import pytest

from tests.test_merge_replay import keys_of, story_events
from timeline import merge, merge_split, merge_trace
from timeline.merge import Merged, MergeRules, merge_events
from timeline.model import Event


def stories() -> tuple[list[Event], list[tuple[str, int]]]:
    events = story_events(random.Random(3), 120)
    return events, keys_of(events)


def merged(events: list[Event], runs: list[tuple[str, int]], split_at: int, monkeypatch: pytest.MonkeyPatch
           ) -> Merged:
    monkeypatch.setattr(merge, "SPLIT_AT", split_at)
    return merge_events(events, articles=runs)


def assert_same(alone: Merged, shared: Merged) -> None:
    """The same events, and traces that hold the same (a bag of words read back may list its words in another
    order, so the bytes may differ)."""
    assert shared.events == alone.events
    assert dict(shared.merged_into) == dict(alone.merged_into)
    assert shared.recomputed == alone.recomputed
    old, new = merge_trace.load(alone.trace, MergeRules()), merge_trace.load(shared.trace, MergeRules())
    assert old is not None and new is not None
    for name in old._fields:
        if name == "records":
            assert vars(new.records) == vars(old.records)
        elif name not in ("segments", "sums"):
            assert getattr(new, name) == getattr(old, name), name


def test_the_child_works_out_the_words_of_the_last_events_and_the_digests_of_all() -> None:
    events, _ = stories()
    keyed = bytearray(b"\x01" * (len(events) - 7) + b"\x00" * 7)
    helper = merge_split.Helper.start(events, 200, functools.partial(merge._bags_of, same={}),
                                      functools.partial(merge_trace.digests, keyed=keyed))
    assert helper is not None and helper.pid not in (0, os.getpid())
    assert helper.words({}) == merge._bags_of(events[200:], {})
    assert helper.digests() == merge_trace.digests(events, keyed)
    assert helper.pid == 0 and helper.reader is None  # the child ended, and was waited for


def test_a_merge_shared_with_a_child_is_the_merge_made_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    events, runs = stories()
    started: list[merge_split.Helper | None] = []
    start = merge_split.Helper.start

    def counted(*args: Any) -> merge_split.Helper | None:
        started.append(start(*args))
        return started[-1]

    monkeypatch.setattr(merge_split.Helper, "start", counted)
    alone = merged(events, runs, len(events) + 1, monkeypatch)
    assert not started
    shared = merged(events, runs, len(events), monkeypatch)
    assert started
    assert_same(alone, shared)
    edited = events[:-1]
    assert merge_events(edited, previous=shared.trace, articles=[*runs[:-1], ("", runs[-1][1] - 1)]).events \
        == merge_events(edited).events


@pytest.mark.parametrize("failure", ["bad words", "no digests", "gone"])
def test_a_child_that_fails_leaves_the_merge_to_work_it_out(monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    events, runs = stories()
    alone = merged(events, runs, len(events) + 1, monkeypatch)
    build = os.getpid()
    if failure == "bad words":
        monkeypatch.setattr(merge_split, "_words_message", lambda bags: ((frozenset(["x"]),), b"\x05\x00\x00\x00"))
    elif failure == "no digests":
        digests = merge_trace.digests

        def failing(events: list[Event], keyed: bytes) -> bytes:
            if os.getpid() != build:
                raise MemoryError("the child ran out")
            return digests(events, keyed)

        monkeypatch.setattr(merge_trace, "digests", failing)
    else:
        monkeypatch.setattr(merge_split, "tell", lambda told, value: os._exit(3))
    assert_same(alone, merged(events, runs, 1, monkeypatch))


def test_a_merge_that_fails_leaves_no_child_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    events, runs = stories()
    helpers: list[merge_split.Helper] = []
    start = merge_split.Helper.start

    def started(*args: Any) -> merge_split.Helper | None:
        helper = start(*args)
        assert helper is not None
        helpers.append(helper)
        return helper

    def failing(*args: Any) -> tuple[int, float]:
        raise RuntimeError("a decision failed")

    monkeypatch.setattr(merge_split.Helper, "start", started)
    monkeypatch.setattr(merge, "_decide", failing)
    monkeypatch.setattr(merge, "SPLIT_AT", 1)
    with pytest.raises(RuntimeError, match="a decision failed"):
        merge_events(events, articles=runs)
    # The child, still to send its digests, was told to stop and waited for.
    assert helpers and helpers[0].pid == 0 and helpers[0].reader is None
