"""The values that flow through the build, each complete when it is made.

read_articles -> tag -> make_events -> merge -> apply_overrides -> order -> render -> write
    Article      Mention    Event        Event     Event            Timeline
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .timex import Span


@dataclass(frozen=True)
class Article:
    """One file of content: its metadata and its text exactly as read."""

    path: str  # relative to the content folder, with forward slashes
    slug: str  # unique within the content folder; used in event ids
    title: str
    dateline: date
    text: str  # the whole file, so offsets are offsets into the file
    body_start: int  # where the prose begins (after front matter or the dateline)
    source: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@dataclass(frozen=True)
class Mention:
    """A temporal expression found in a text, with its TIMEX3 normalisation.

    ``start``/``end`` are character offsets into the text that was tagged.
    ``reading`` says in words how the value was reached (for provenance).
    """

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION or SET
    value: str  # TIMEX3 value
    mod: str | None = None  # TIMEX3 mod: START, MID, END, APPROX, ...
    reading: str = ""


@dataclass(frozen=True)
class EventDate:
    """The date of an event: a TIMEX3 value and the calendar span it covers."""

    value: str
    span: Span
    mod: str | None = None

    @property
    def start(self) -> date:
        return self.span.start

    @property
    def end(self) -> date:
        return self.span.end

    @property
    def precision(self) -> str:
        return self.span.precision


@dataclass(frozen=True)
class Source:
    """Where an event was reported: the article, the sentence and the date expression in it.

    ``expression_start``/``expression_end`` are offsets into ``sentence``;
    ``sentence_start`` is the sentence's offset in the article's text.
    """

    article: str  # the article's path in the content folder
    title: str
    url: str | None
    dateline: date
    sentence: str
    sentence_start: int
    expression_text: str
    expression_start: int
    expression_end: int
    reading: str = ""
    value: str = ""  # the TIMEX3 value this source gives the event ("" for an editor's source-less event)
    mod: str | None = None


@dataclass(frozen=True)
class Event:
    """One dated event of the timeline."""

    id: str
    date: EventDate
    title: str
    text: str  # the sentence, or an editor's Markdown when text_is_markdown
    sources: tuple[Source, ...]
    tags: tuple[str, ...] = ()
    text_is_markdown: bool = False
    position: int = 0  # offset of the sentence in its article, for stable ordering
    reported: bool = False  # no date of its own: dated by the article's dateline, the time of the report
    as_of: bool = False  # the date is when a state held ("as of Wednesday, 86% ..."), not when something happened
    order: int | None = None  # an editor's rank among events of the same day and time
    merged: tuple[str, ...] = ()  # ids of the other events merged into this one
    review: tuple[str, ...] = ()  # why an editor should look at it, e.g. sources that disagree on the date


@dataclass(frozen=True)
class Timeline:
    """The ordered events and the site-wide metadata, ready to render."""

    title: str
    description: str
    events: tuple[Event, ...]
