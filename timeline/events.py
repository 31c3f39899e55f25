"""Turning an article's dated sentences into events.

The rule: every sentence that holds at least one calendar date or time (a
DATE or TIME whose value names a span of the calendar) becomes one event.
When a sentence holds several, the most precise one dates it ("As of
Wednesday evening, ... the territory occupied in August 2024" is dated
Wednesday evening), and among equally precise ones the first. Durations,
sets and vague references ("recently", "now") date nothing.

"As of Wednesday evening, 86% of the area had been retaken" dates a state,
not an action: such an event is marked ``as_of``.  A sentence with no date
of its own that reports a statement ("The minister responded that she was
aware of the request") can become a *reported* event, dated by the article's
dateline (the time of the report, the latest the statement can have been
made); ``reported_events`` chooses whether it does.

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
# "as of", "as at", "as at the end of": the words right before an expression that make it date a state.
_AS_OF = re.compile(r"\bas\s+(?:of|at)\s+(?:the\s+(?:end|close)\s+of\s+)?$", re.IGNORECASE)
# Statements in the past tense: the verbs that make an undated sentence a report of something said or done.
_REPORTING = re.compile(
    r"\b(?:said|told|responded|replied|stated|announced|added|noted|stressed|emphasi[sz]ed|confirmed|denied|"
    r"warned|urged|declared|acknowledged|insisted|claimed|promised|pledged|vowed|threatened|called\s+for|"
    r"asked|demanded|rejected|agreed|refused|admitted|explained|wrote|posted)\b",
    re.IGNORECASE,
)


def make_events(article: Article, mentions: Sequence[Mention], reported: bool = False) -> tuple[Event, ...]:
    """The events of one article, in the order of its sentences; ``mentions`` have offsets into its body.

    With ``reported``, undated sentences that report a statement become events on the dateline.
    """
    body = article.body
    events: list[Event] = []
    seen_ids: dict[str, int] = {}
    for start, end in split_sentences(body):
        dated = [(m, span) for m in mentions if start <= m.start and m.end <= end and (span := dating_span(m))]
        if not dated:
            if reported and _REPORTING.search(body, start, end):
                events.append(reported_event(article, start, end, seen_ids))
            continue
        mention, span = max(dated, key=lambda pair: (PRECISION_RANK[pair[1].precision], -pair[0].start))
        sentence = body[start:end]
        event_id = _unique(event_id_for(article.slug, sentence), seen_ids)
        source = _source(article, start, sentence, mention.reading, mention.value, mention, mention.mod)
        events.append(
            Event(
                id=event_id,
                date=EventDate(mention.value, span, mention.mod),
                title=make_title(sentence, mention.start - start, mention.end - start),
                text=sentence,
                sources=(source,),
                tags=article.tags,
                position=article.body_start + start,
                as_of=bool(_AS_OF.search(body, start, mention.start)),
            )
        )
    return tuple(events)


def reported_event(article: Article, start: int, end: int, seen_ids: dict[str, int]) -> Event:
    """An undated statement as an event on the article's dateline, marked as reported."""
    sentence = article.body[start:end]
    value = article.dateline.isoformat()
    span = calendar_span(value)
    assert span is not None, "a dateline is a calendar day"
    reading = (f"no date of its own: reported in the article of {article.dateline:%A %-d %B %Y}, "
               "so it was said or done on or before that day")
    source = _source(article, start, sentence, reading, value)
    return Event(
        id=_unique(event_id_for(article.slug, sentence), seen_ids),
        date=EventDate(value, span),
        title=make_title(sentence, len(sentence), len(sentence)),  # no date clause to drop
        text=sentence,
        sources=(source,),
        tags=article.tags,
        position=article.body_start + start,
        reported=True,
    )


def _source(article: Article, start: int, sentence: str, reading: str, value: str,
            mention: Mention | None = None, mod: str | None = None) -> Source:
    """Where an event was reported: the sentence at ``start`` in the body, and the expression in it if any."""
    return Source(
        article=article.path,
        title=article.title,
        url=article.url,
        dateline=article.dateline,
        sentence=sentence,
        sentence_start=article.body_start + start,
        expression_text=mention.text if mention else "",
        expression_start=mention.start - start if mention else 0,
        expression_end=mention.end - start if mention else 0,
        reading=reading,
        value=value,
        mod=mod,
    )


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
