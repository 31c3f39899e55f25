"""Merging: one event per happening, with every article that reported it."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.articles import parse_article
from timeline.events import make_events
from timeline.merge import MergeRules, content_words, dates_agree, merge_events, same_event, similarity
from timeline.model import Article, Event
from timeline.temporal import tag
from timeline.timex import calendar_span

LEDGER = """---
title: Harbor Bridge reopens
date: 2025-03-04
---
The Harbor Bridge reopened to traffic on Monday morning, six months after inspectors closed it in August 2024.

The council voted on the budget on Monday.
"""
HERALD = """---
title: Bridge open again
date: 2025-03-05
---
The Harbor Bridge reopened to traffic on Monday after six months of repairs.

Commuters returned to the Harbor Bridge on Tuesday, a day after it reopened.
"""
CHRONICLE = """---
title: Traffic returns
date: 2025-03-04
---
The Harbor Bridge reopened to traffic on Tuesday morning after months of repairs.
"""


def events_of(*articles: tuple[str, str]) -> list[Event]:
    result: list[Event] = []
    for path, text in articles:
        article = parse_article(text, path)
        result.extend(make_events(article, tag(article.body, article.dateline)))
    return result


def by_text(events: tuple[Event, ...] | list[Event], start: str) -> Event:
    return next(e for e in events if e.text.startswith(start))


def span(value: str):  # type: ignore[no-untyped-def]
    result = calendar_span(value)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("2024-08", "2024-08-19", True),  # a month recalls a day in it
        ("2021", "2021-03", True),
        ("2025-03-03TMO", "2025-03-03T07:30", True),  # morning and 7:30 a.m.
        ("2025-03-03TMO", "2025-03-03TEV", False),  # morning and evening
        ("2025-03-03", "2025-03-04", False),
        ("2025", "2025-03-03TMO", False),  # "early 2025" is too coarse to be "Monday morning"
        ("1998-W32", "1998-08-07", True),
    ],
)
def test_dates_agree_when_spans_overlap_at_close_precisions(a: str, b: str, agree: bool) -> None:
    assert dates_agree(span(a), span(b)) is agree
    assert dates_agree(span(b), span(a)) is agree


def test_content_words_leave_out_the_date_function_words_and_far_words() -> None:
    (event,) = events_of(("a.md", "---\ntitle: T\ndate: 2024-08-20\n---\n"
                          "Inspectors closed the Harbor Bridge on Monday after finding cracks in two of its steel "
                          "supports, the city's transport department said.\n"))
    words = content_words(event.sources[0])
    assert {"inspector", "clos", "harbor", "bridg", "find", "crack"} <= words
    assert not words & {"monday", "on", "the", "transport", "department"}  # the date, stop words, far words


def test_similarity_is_weighted_dice() -> None:
    a, b = frozenset({"bridg", "reopen", "traffic"}), frozenset({"bridg", "reopen", "commut"})
    assert similarity(a, b) == pytest.approx(2 * 2 / 6)
    assert similarity(a, b, {"bridg": 0.1}) < similarity(a, b)  # a word every sentence has counts for little
    assert similarity(a, frozenset()) == 0.0


def test_the_same_happening_in_two_articles_becomes_one_event_with_both_sources() -> None:
    events = events_of(("ledger.md", LEDGER), ("herald.md", HERALD))
    merged = merge_events(events)
    ledger = by_text(events, "The Harbor Bridge reopened")
    herald = by_text([e for e in events if e.sources[0].article == "herald.md"], "The Harbor Bridge reopened")
    assert same_event(ledger, herald)
    event = by_text(merged.events, "The Harbor Bridge reopened")
    assert event.id == ledger.id  # the earliest report's id, so overrides written for it keep working
    assert [s.article for s in event.sources] == ["ledger.md", "herald.md"]  # ordered by dateline
    assert event.date.value == "2025-03-03TMO"  # the most precise of the agreeing readings
    assert event.merged == (herald.id,)
    assert merged.merged_into == {herald.id: ledger.id}
    assert event.review == ()
    assert len(merged.events) == len(events) - 1


def test_other_happenings_the_same_day_stay_apart() -> None:
    merged = merge_events(events_of(("ledger.md", LEDGER), ("herald.md", HERALD)))
    assert by_text(merged.events, "The council voted").merged == ()
    assert by_text(merged.events, "Commuters returned").merged == ()


def test_sources_that_disagree_on_the_date_keep_both_readings_and_are_flagged() -> None:
    events = events_of(("ledger.md", LEDGER), ("chronicle.md", CHRONICLE))
    event = by_text(merge_events(events).events, "The Harbor Bridge reopened")
    assert [(s.article, s.value) for s in event.sources] == [("chronicle.md", "2025-03-04TMO"),
                                                             ("ledger.md", "2025-03-03TMO")]
    assert event.review == ("sources disagree on the date: 2025-03-04TMO (chronicle.md); "
                            "2025-03-03TMO (ledger.md)",)
    assert all(s.reading for s in event.sources)


def test_editors_force_a_merge_and_keep_events_distinct() -> None:
    events = events_of(("ledger.md", LEDGER), ("herald.md", HERALD))
    vote = by_text(events, "The council voted")
    reopened = [e for e in events if e.text.startswith("The Harbor Bridge reopened")]
    forced = merge_events(events, MergeRules(groups=((vote.id, reopened[1].id),)))
    event = next(e for e in forced.events if e.id == vote.id)
    assert event.merged == (reopened[1].id,) and len(event.sources) == 2
    apart = merge_events(events, MergeRules(distinct=frozenset({frozenset((reopened[0].id, reopened[1].id))})))
    assert {e.id for e in apart.events} >= {reopened[0].id, reopened[1].id}
    assert apart.merged_into == {}


def test_as_of_states_do_not_merge_with_actions() -> None:
    events = events_of(
        ("a.md", "---\ntitle: A\ndate: 2025-03-15\n---\nAs of Wednesday evening, forces had retaken 86% of Kursk.\n"),
        ("b.md", "---\ntitle: B\ndate: 2025-03-15\n---\nForces retook 86% of Kursk on Wednesday evening.\n"),
    )
    assert [e.as_of for e in events] == [True, False]
    assert len(merge_events(events).events) == 2


def test_one_article_never_merges_with_itself() -> None:
    article = Article("a.md", "a", "A", dt.date(2025, 3, 4), "The bridge reopened on Monday. The bridge reopened on "
                      "Monday to cheers.", 0)
    events = make_events(article, tag(article.body, article.dateline))
    assert len(merge_events(events).events) == len(events) == 2
