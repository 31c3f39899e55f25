"""Editors' overrides: corrections to events, read from YAML and applied before ordering.

``content/overrides.yaml`` (and any ``content/overrides/*.yaml``) holds::

    events:                       # changes to events the articles produced, by id
      kursk-talks-3f9a1c2e:
        date: 12 March 2025       # a TIMEX3 value or a date in words
        title: Putin answers Trump
        text: Putin *responded* on Thursday.   # Markdown
        tags: [ceasefire]         # added to the event's tags
        hide: true                # leave the event out
    add:                          # events no article mentions
      - id: ceasefire-proposal
        date: 2025-03-11
        title: US proposes a 30-day ceasefire
        text: Optional Markdown.
        tags: [ceasefire]

Every problem is reported with its file and line: unknown fields (with the
closest known one), dates that cannot be read, ids that match no event.
The tool only reads these files; it never rewrites them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .articles import make_slug, read_text
from .config import did_you_mean
from .dateparse import timex_from_words
from .errors import InputError, Problem
from .model import Event, EventDate
from .timex import calendar_span
from .yamlio import YamlList, YamlMap, load_yaml

CHANGE_FIELDS = ("date", "title", "text", "tags", "hide")
NEW_EVENT_FIELDS = ("id", "date", "title", "text", "tags")
TOP_LEVEL = ("events", "add")


@dataclass(frozen=True)
class Where:
    """The file and line an override was written at."""

    path: str
    line: int
    column: int

    def problem(self, message: str) -> Problem:
        return Problem(self.path, message, self.line, self.column)


@dataclass(frozen=True)
class EventChange:
    """An editor's change to one event the articles produced."""

    id: str
    where: Where
    date: str | None = None
    title: str | None = None
    text: str | None = None
    tags: tuple[str, ...] = ()
    hide: bool = False


@dataclass(frozen=True)
class NewEvent:
    """An event that no article mentions, added by an editor."""

    id: str
    where: Where
    date: str
    title: str
    text: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overrides:
    """All the editors' overrides of a content folder."""

    changes: tuple[EventChange, ...] = ()
    additions: tuple[NewEvent, ...] = ()


def find_override_files(content_dir: Path) -> list[Path]:
    """``overrides.yaml`` (or ``.yml``) at the top of the content folder and YAML files in ``overrides/``."""
    files = [content_dir / name for name in ("overrides.yaml", "overrides.yml") if (content_dir / name).is_file()]
    folder = content_dir / "overrides"
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return files


def read_overrides(content_dir: Path) -> Overrides:
    """Every override file of the content folder, parsed and checked on its own (ids are checked later)."""
    changes: list[EventChange] = []
    additions: list[NewEvent] = []
    problems: list[Problem] = []
    for path in find_override_files(content_dir):
        display = path.relative_to(content_dir).as_posix()
        try:
            parsed = parse_overrides(read_text(path, display), display)
        except InputError as error:
            problems.extend(error.problems)
            continue
        changes.extend(parsed.changes)
        additions.extend(parsed.additions)
    problems += _duplicates(changes, additions)
    if problems:
        raise InputError(problems)
    return Overrides(tuple(changes), tuple(additions))


def parse_overrides(text: str, display: str) -> Overrides:
    """The overrides in one file's text; ``display`` names the file in messages."""
    data = load_yaml(text, display)
    if data is None:
        return Overrides()
    if not isinstance(data, YamlMap):
        raise InputError(Problem(display, "an overrides file must be a mapping with 'events:' and/or 'add:'", 1))
    problems: list[Problem] = []
    changes: list[EventChange] = []
    additions: list[NewEvent] = []
    for key in data:
        if key not in TOP_LEVEL:
            line, column = data.position(key)
            problems.append(Problem(display, f"unknown section {key!r}{did_you_mean(str(key), TOP_LEVEL)}; "
                                    "an overrides file has 'events:' and 'add:'", line, column))
    events = data.get("events")
    if events is not None:
        if not isinstance(events, YamlMap):
            problems.append(_at(display, data, "events", "'events' must map event ids to their changes"))
        else:
            for event_id, fields in events.items():
                where = Where(display, *events.position(event_id))
                changes.append(_parse_change(str(event_id), fields, where, problems))
    added = data.get("add")
    if added is not None:
        if not isinstance(added, YamlList):
            problems.append(_at(display, data, "add", "'add' must be a list of new events, each starting with '- id:'"))
        else:
            for fields, position in zip(added, added.positions):
                new = _parse_new_event(fields, Where(display, *position), problems)
                if new:
                    additions.append(new)
    if problems:
        raise InputError(problems)
    return Overrides(tuple(changes), tuple(additions))


def _at(display: str, mapping: YamlMap, key: str, message: str) -> Problem:
    line, column = mapping.position(key)
    return Problem(display, message, line, column)


def _parse_change(event_id: str, fields: Any, where: Where, problems: list[Problem]) -> EventChange:
    if not isinstance(fields, YamlMap):
        problems.append(where.problem(f"the changes to {event_id!r} must be a mapping, e.g. 'hide: true'"))
        return EventChange(event_id, where)
    values = _fields(fields, CHANGE_FIELDS, where, problems)
    hide = values.get("hide", False)
    if not isinstance(hide, bool):
        problems.append(_field_where(fields, "hide", where).problem("'hide' must be true or false"))
        hide = False
    return EventChange(event_id, where, values.get("date"), values.get("title"), values.get("text"),
                       values.get("tags", ()), hide)


def _parse_new_event(fields: Any, where: Where, problems: list[Problem]) -> NewEvent | None:
    if not isinstance(fields, YamlMap):
        problems.append(where.problem("each added event must be a mapping with id, date and title"))
        return None
    values = _fields(fields, NEW_EVENT_FIELDS, where, problems)
    missing = [name for name in ("id", "date", "title") if name not in fields]
    if missing:
        problems.append(where.problem("an added event needs " + ", ".join(repr(m) for m in missing)))
        return None
    if not all(name in values for name in ("id", "date", "title")):
        return None  # the field's own problem is already reported
    event_id = values["id"]
    if make_slug(event_id) != event_id:
        problems.append(_field_where(fields, "id", where).problem(
            f"an id may hold only a-z, 0-9 and '-'; try {make_slug(event_id)!r}"))
        return None
    return NewEvent(event_id, _field_where(fields, "id", where), values["date"], values["title"],
                    values.get("text"), values.get("tags", ()))


def _field_where(fields: YamlMap, key: str, where: Where) -> Where:
    line, column = fields.position(key)
    return Where(where.path, line, column) if key in fields else where


def _fields(fields: YamlMap, allowed: Sequence[str], where: Where, problems: list[Problem]) -> dict[str, Any]:
    """The known fields, checked and converted; a problem for each unknown or ill-typed one."""
    values: dict[str, Any] = {}
    for key, value in fields.items():
        at = _field_where(fields, key, where)
        if key not in allowed:
            problems.append(at.problem(f"unknown field {key!r}{did_you_mean(str(key), allowed)}; "
                                       "allowed here: " + ", ".join(allowed)))
        elif key == "date":
            timex = _read_date(value)
            if timex is None:
                problems.append(at.problem(f"cannot read {value!r} as a date; write a TIMEX3 value such as "
                                           "2025-03-12, 2024-08 or 2025-03-12TEV, or words such as 12 March 2025"))
            else:
                values[key] = timex
        elif key == "tags":
            tags = [value] if isinstance(value, str) else value
            if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
                problems.append(at.problem("'tags' must be a list of words, e.g. tags: [kursk, ceasefire]"))
            else:
                values[key] = tuple(dict.fromkeys(t.strip() for t in tags))
        elif key == "hide":
            values[key] = value
        elif not isinstance(value, str) or not value.strip():
            problems.append(at.problem(f"{key!r} must be a non-empty text"))
        else:
            values[key] = value.strip()
    return values


def _read_date(value: Any) -> str | None:
    """A TIMEX3 calendar value from YAML's date, a number (a year) or text."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999:
        return f"{value:04d}"
    if isinstance(value, str):
        timex = timex_from_words(value)
        return timex if timex and calendar_span(timex) else None
    return None


def _duplicates(changes: Sequence[EventChange], additions: Sequence[NewEvent]) -> list[Problem]:
    problems = []
    seen: dict[str, Where] = {}
    for item in [*changes, *additions]:
        first = seen.setdefault(item.id, item.where)
        if first is not item.where:
            problems.append(item.where.problem(
                f"{item.id!r} is already overridden at {first.path}:{first.line}; keep one entry per event"))
    return problems


def apply_overrides(events: Sequence[Event], overrides: Overrides) -> tuple[Event, ...]:
    """The events with the editors' changes applied, hidden ones left out and added ones appended."""
    by_id = {event.id: event for event in events}
    problems = []
    for change in overrides.changes:
        if change.id not in by_id:
            close = difflib.get_close_matches(change.id, list(by_id), n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(change.where.problem(f"no event has the id {change.id!r}{hint}; "
                                                 "`python build.py` lists ids in timeline.json"))
    for new in overrides.additions:
        if new.id in by_id:
            problems.append(new.where.problem(f"the id {new.id!r} is already an event's id; choose another"))
    if problems:
        raise InputError(problems)
    changes = {change.id: change for change in overrides.changes}
    result = [_changed(event, changes[event.id]) if event.id in changes else event for event in events]
    result += [_added(new) for new in overrides.additions]
    return tuple(event for event in result if event is not None)


def _changed(event: Event, change: EventChange) -> Event | None:
    if change.hide:
        return None
    updates: dict[str, Any] = {}
    if change.date:
        updates["date"] = _event_date(change.date)
    if change.title:
        updates["title"] = change.title
    if change.text:
        updates["text"], updates["text_is_markdown"] = change.text, True
    if change.tags:
        updates["tags"] = tuple(dict.fromkeys([*event.tags, *change.tags]))
    return replace(event, **updates)


def _added(new: NewEvent) -> Event:
    return Event(
        id=new.id,
        date=_event_date(new.date),
        title=new.title,
        text=new.text or "",
        sources=(),
        tags=new.tags,
        text_is_markdown=bool(new.text),
    )


def _event_date(value: str) -> EventDate:
    span = calendar_span(value)
    assert span is not None, "dates are checked when the overrides are read"
    return EventDate(value, span)
