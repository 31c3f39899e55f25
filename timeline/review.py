"""Provenance for editors: ``explain`` tells how one event got its date, ``review`` lists what deserves a look.

Both read a finished build (``pipeline.Result``) and the overrides and return text; nothing is written.  What review
lists, each with a YAML stub ready to paste into ``content/overrides.yaml``:

- a guessed year: the tagger's reading says "no year" (a month or day without a year took the dateline's);
- an ambiguous tense: the reading says "no clear tense" (a bare weekday or month could be before or after);
- sources that disagree on the date (see ``merge.py``);
- an override whose event is gone (its sentence reworded, its article removed) or was merged into another.

An event whose date an editor has set is not listed for its reading: the editor has already decided.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import dateformat
from .errors import InputError, Problem
from .model import Event, Source
from .overrides import EventChange, Overrides
from .pipeline import Result

GUESSED_YEAR = "no year"  # words the tagger's readings use (timeline/temporal/resolve.py)
AMBIGUOUS_TENSE = "no clear tense"


@dataclass(frozen=True)
class ReviewItem:
    """One thing an editor should look at, with the override that would settle it."""

    event_id: str
    reason: str  # "guessed year", "ambiguous tense", "sources disagree", "override's event is gone", ...
    detail: str
    stub: str  # YAML, ready to paste under the overrides file's top level


def review_items(result: Result, overrides: Overrides) -> tuple[ReviewItem, ...]:
    """Everything worth an editor's look, in timeline order, then the overrides' problems."""
    dated_by_editor = {_target(c.id, result.merged_into) for c in overrides.changes if c.date}
    items: list[ReviewItem] = []
    for event in result.timeline.events:
        for reason in event.review:
            others = ", ".join(event.merged) or "other-id"
            items.append(ReviewItem(event.id, "sources disagree", reason, _stub(
                event.id, f"date: {event.date.value}    # the sources disagree (above): keep or correct",
                f"# or, if these are different happenings: distinct: [{others}]")))
        if event.id in dated_by_editor or not event.sources:
            continue
        source = _dating_source(event)
        for words, reason in ((GUESSED_YEAR, "guessed year"), (AMBIGUOUS_TENSE, "ambiguous tense")):
            if words in source.reading:
                other = ", ".join(_alternatives(event.date.value, reason))
                items.append(ReviewItem(event.id, reason, f"{source.expression_text!r}: {source.reading}", _stub(
                    event.id, f"date: {event.date.value}    # confirm, or write the right one" +
                    (f" (perhaps {other})" if other else ""))))
    changes = {(c.where.path, c.where.line): c for c in overrides.changes}
    for problem in result.warnings:
        change = changes.get((problem.path, problem.line or 0))
        if change is None:
            continue
        merged_to = result.merged_into.get(change.id)
        if merged_to:
            items.append(ReviewItem(change.id, "override's event was merged", str(problem),
                                    _stub(merged_to, *_fields(change), was=change)))
            continue
        known = sorted({e.id for e in result.merged} | set(result.merged_into))
        close = difflib.get_close_matches(change.id, known, n=1, cutoff=0.5)
        target = close[0] if close else "NEW-ID"
        items.append(ReviewItem(change.id, "override's event is gone", str(problem),
                                _stub(target, *_fields(change), was=change)))
    return tuple(items)


def format_review(items: Sequence[ReviewItem]) -> str:
    """The review list as text: a numbered item per problem, each with its stub indented below."""
    if not items:
        return "nothing to review"
    lines = [f"{len(items)} to review:"]
    for number, item in enumerate(items, 1):
        lines += ["", f"{number}. {item.reason}: {item.event_id}", f"   {item.detail}"]
        lines += ["   " + line for line in item.stub.splitlines()]
    return "\n".join(lines)


def explain(event_id: str, result: Result, overrides: Overrides, language: str = "en") -> str:
    """How one event got its date: the expression, the tagger's reading and the article of every source."""
    lines: list[str] = []
    merged_to = result.merged_into.get(event_id)
    if merged_to:
        lines.append(f"{event_id} was merged into {merged_to} (the same happening in another article)")
        event_id = merged_to
    published = {e.id: e for e in result.timeline.events}
    before = {e.id: e for e in result.merged}
    event = published.get(event_id) or before.get(event_id)
    if event is None:
        known = sorted(set(published) | set(before) | set(result.merged_into))
        close = difflib.get_close_matches(event_id, known, n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(Problem("explain", f"no event has the id {event_id!r}{hint}; ids are in timeline.json"))
    change = next((c for c in overrides.changes if _target(c.id, result.merged_into) == event_id), None)
    lines += [event_id, f"  title: {event.title}"]
    words = dateformat.format_event_date(event.date, language)
    date_line = f"  date: {event.date.value} ({event.date.precision}): {words}"
    if event.as_of:
        date_line += ", as of: the date a state held"
    if event.reported:
        date_line += ", reported: no date of its own, dated by the article's dateline"
    lines.append(date_line)
    if change and change.date:
        lines.append(f"  the date was set by an editor at {change.where.path}:{change.where.line}")
    if event_id not in published:
        hider = change.where if change and change.hide else None
        lines.append(f"  hidden by {hider.path}:{hider.line}" if hider else "  not published")
    if event.merged:
        lines.append(f"  merged from: {', '.join(event.merged)}")
    for reason in event.review:
        lines.append(f"  review: {reason}")
    if change:
        fields = [name for name in ("date", "title", "text", "tags", "hide", "order", "merge", "distinct")
                  if getattr(change, name) not in (None, (), False)]
        lines.append(f"  overrides: {change.where.path}:{change.where.line} ({', '.join(fields)})")
    lines.append(f"  sources ({len(event.sources)}):")
    for number, source in enumerate(event.sources, 1):
        lines += [f"  {number}. {source.article}: {source.title!r}, dateline {source.dateline.isoformat()}",
                  f"     sentence: {' '.join(source.sentence.split())}"]
        if source.expression_text:
            lines.append(f"     expression: {source.expression_text!r} -> {source.value or event.date.value}")
        lines.append(f"     reading: {source.reading or 'none recorded'}")
    return "\n".join(lines)


def _target(event_id: str, merged_into: Mapping[str, str]) -> str:
    return merged_into.get(event_id, event_id)


def _dating_source(event: Event) -> Source:
    """The source whose expression gives the event its date (the first with the event's value)."""
    return next((s for s in event.sources if s.value == event.date.value), event.sources[0])


def _alternatives(value: str, reason: str) -> list[str]:
    """Other readings an editor may mean: a year either side, or a week either side for a day."""
    if reason == "ambiguous tense" and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return []
        return [(day + dt.timedelta(days=d)).isoformat() + value[10:] for d in (-7, 7)]
    if value[:4].isdigit():
        year = int(value[:4])
        return [f"{y:04d}{value[4:]}" for y in (year - 1, year + 1)]
    return []


def _fields(change: EventChange) -> list[str]:
    """An override's fields as YAML lines (JSON strings are YAML strings)."""
    lines = []
    for name in ("date", "title", "text"):
        value = getattr(change, name)
        if value:
            lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    for name in ("tags", "merge", "distinct"):
        if getattr(change, name):
            lines.append(f"{name}: [{', '.join(getattr(change, name))}]")
    if change.hide:
        lines.append("hide: true")
    if change.order is not None:
        lines.append(f"order: {change.order}")
    return lines


def _stub(event_id: str, *fields: str, was: EventChange | None = None) -> str:
    """An ``events:`` entry for one id, ready to paste."""
    head = f"  {event_id}:" + (f"    # was {was.id} ({was.where.path}:{was.where.line})" if was else "")
    return "\n".join(["events:", head, *(f"    {field}" for field in fields)])


