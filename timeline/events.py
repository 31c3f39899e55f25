"""Turning an article's dated sentences into events.

The rule: every sentence that holds at least one calendar date or time (a
DATE or TIME whose value names a span of the calendar) becomes one event.
When a sentence holds several, the most precise one dates it ("As of
Wednesday evening, ... the territory occupied in August 2024" is dated
Wednesday evening), and among equally precise ones the first. Durations,
sets and vague references ("recently", "now") date nothing.

An event's id is the article's slug and a hash of the sentence's words, so it
survives rebuilds and edits elsewhere in the article; only rewording the
sentence itself (or renaming the file) gives a new id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from .articles import shorten
from .model import Article, Event, EventDate, Mention, Source
from .sentences import split_sentences
from .timex import PRECISION_RANK, Span, calendar_span

TITLE_LENGTH = 80
_LEADING_CLAUSE = re.compile(r"^[^,;:]{1,40},\s+")


def make_events(article: Article, mentions: Sequence[Mention]) -> tuple[Event, ...]:
    """The events of one article, in the order of its sentences; ``mentions`` have offsets into its body."""
    body = article.body
    events: list[Event] = []
    seen_ids: dict[str, int] = {}
    for start, end in split_sentences(body):
        dated = [(m, span) for m in mentions if start <= m.start and m.end <= end and (span := dating_span(m))]
        if not dated:
            continue
        mention, span = max(dated, key=lambda pair: (PRECISION_RANK[pair[1].precision], -pair[0].start))
        sentence = body[start:end]
        event_id = _unique(event_id_for(article.slug, sentence), seen_ids)
        source = Source(
            article=article.path,
            title=article.title,
            url=article.url,
            dateline=article.dateline,
            sentence=sentence,
            sentence_start=article.body_start + start,
            expression_text=mention.text,
            expression_start=mention.start - start,
            expression_end=mention.end - start,
            reading=mention.reading,
        )
        events.append(
            Event(
                id=event_id,
                date=EventDate(mention.value, span, mention.mod),
                title=make_title(sentence, mention.start - start, mention.end - start),
                text=sentence,
                sources=(source,),
                tags=article.tags,
                position=article.body_start + start,
            )
        )
    return tuple(events)


def dating_span(mention: Mention) -> Span | None:
    """The calendar span a mention can date an event by, or None when it cannot date one."""
    if mention.type not in ("DATE", "TIME"):
        return None
    return calendar_span(mention.value)


def event_id_for(slug: str, sentence: str) -> str:
    """A stable id from the article's slug and the sentence's words (case and spacing ignored)."""
    words = " ".join(sentence.casefold().split())
    digest = hashlib.sha1(words.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def _unique(event_id: str, seen: dict[str, int]) -> str:
    """The id, with -2, -3 ... when the same sentence occurs again in one article."""
    count = seen.get(event_id, 0) + 1
    seen[event_id] = count
    return event_id if count == 1 else f"{event_id}-{count}"


def make_title(sentence: str, expression_start: int, expression_end: int) -> str:
    """A short title: the sentence without a short opening clause that only dates it, cut to length."""
    text = " ".join(sentence.split())
    lead = _LEADING_CLAUSE.match(sentence)
    if lead and expression_end <= lead.end():
        rest = " ".join(sentence[lead.end() :].split())
        if rest:
            text = rest[0].upper() + rest[1:]
    return shorten(text.rstrip("."), TITLE_LENGTH)
