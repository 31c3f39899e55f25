"""Editors' overrides: corrections to events, read from YAML and applied before ordering.

``content/overrides.yaml`` (and any ``content/overrides/*.yaml``) holds::

    events:                       # changes to events the articles produced, by id
      kursk-talks-3f9a1c2e:
        date: 12 March 2025       # a TIMEX3 value or a date in words
        title: Putin answers Trump
        text: Putin *responded* on Thursday.   # Markdown
        tags: [ceasefire]         # added to the event's tags
        hide: true                # leave the event out
        order: 2                  # rank among events of the same day and time (default 0; lower first)
        merge: [tass-5b1e0c9d]    # these events are this one: merged into it, this id kept
        distinct: [rt-77aa01b2]   # never merge these with this one
    add:                          # events no article mentions
      - id: ceasefire-proposal
        date: 2025-03-11
        title: US proposes a 30-day ceasefire
        text: Optional Markdown.
        tags: [ceasefire]

Every problem is reported with its file and line: unknown fields (with the
closest known one), dates that cannot be read.  An override whose event no
longer exists (its sentence was reworded, its article removed) is a warning
naming the closest current id; ``--strict`` makes it an error.  Changes
written for an event that was merged into another apply to the merged event,
with a warning.  The tool only reads these files; it never rewrites them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .articles import make_slug, read_text
from .config import did_you_mean
from .dateparse import timex_from_words
from .errors import InputError, Problem
from .merge import MergeRules
from .model import Event, EventDate
from .timex import calendar_span
from .yamlio import YamlList, YamlMap, load_yaml

CHANGE_FIELDS = ("date", "title", "text", "tags", "hide", "order", "merge", "distinct")
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
    order: int | None = None
    merge: tuple[str, ...] = ()
    distinct: tuple[str, ...] = ()


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
            for fields, position in zip(added, added.positions, strict=True):
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
                       values.get("tags", ()), hide, values.get("order"), values.get("merge", ()),
                       values.get("distinct", ()))


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
        elif key == "order":
            if not isinstance(value, int) or isinstance(value, bool):
                problems.append(at.problem("'order' must be a whole number, e.g. order: -1 to come first that day"))
            else:
                values[key] = value
        elif key in ("merge", "distinct"):
            ids = [value] if isinstance(value, str) else value
            if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i.strip() for i in ids):
                problems.append(at.problem(f"'{key}' must be a list of event ids, e.g. {key}: [id-1, id-2]"))
            else:
                values[key] = tuple(dict.fromkeys(i.strip() for i in ids))
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
    items: list[EventChange | NewEvent] = [*changes, *additions]
    for item in items:
        first = seen.setdefault(item.id, item.where)
        if first is not item.where:
            problems.append(item.where.problem(
                f"{item.id!r} is already overridden at {first.path}:{first.line}; keep one entry per event"))
    return problems


def merge_rules(overrides: Overrides) -> MergeRules:
    """The editors' ``merge`` and ``distinct`` decisions, for the merge stage."""
    groups = tuple((change.id, *change.merge) for change in overrides.changes if change.merge)
    distinct = frozenset(frozenset((change.id, other)) for change in overrides.changes
                         for other in change.distinct if other != change.id)
    return MergeRules(groups, distinct)


def check_overrides(events: Sequence[Event], overrides: Overrides,
                    merged_into: Mapping[str, str] | None = None) -> tuple[Problem, ...]:
    """What is wrong with the overrides given the events: errors, and warnings (ids gone, ids merged)."""
    merged_into = merged_into or {}
    ids = {event.id for event in events}

    # Every id, for the closest one to name in a message: sorted only when a message needs it (45,000 ids at 10,000
    # articles, sorted on every build for a message seldom written, took a hundredth of a rebuild).
    @functools.cache
    def known() -> list[str]:
        return sorted(ids | set(merged_into))

    direct = {change.id for change in overrides.changes if change.id in ids}
    hidden = {change.id: change.where for change in overrides.changes if change.hide}
    redirected: dict[str, EventChange] = {}
    problems: list[Problem] = []
    for change in overrides.changes:
        target = merged_into.get(change.id, change.id)
        if target not in ids:
            problems.append(orphan(change.where, change.id, known))
        elif target != change.id:
            first = redirected.setdefault(target, change)
            if target in direct or first is not change:
                other = "it" if target in direct else f"{first.id!r} ({first.where.path}:{first.where.line})"
                problems.append(change.where.problem(
                    f"{change.id!r} was merged into {target!r}, which has changes of its own in {other}; "
                    f"keep one entry, under {target!r}"))
            else:
                problems.append(replace(change.where.problem(
                    f"{change.id!r} was merged into {target!r} (the same happening in another article); these "
                    f"changes apply to {target!r}: write them under {target!r}, or keep the two apart with "
                    f"'distinct: [{change.id}]' under {target!r}"), warning=True))
        for key, named in (("merge", change.merge), ("distinct", change.distinct)):
            for other in named:
                if other not in ids and other not in merged_into:
                    problems.append(orphan(change.where, other, known, f"'{key}' under {change.id!r}: "))
                elif key == "merge" and other in hidden:
                    where = hidden[other]
                    problems.append(change.where.problem(
                        f"'merge' under {change.id!r} names {other!r}, which is hidden at {where.path}:{where.line}; "
                        "remove 'hide' there or take it out of this list"))
    for new in overrides.additions:
        if new.id in ids or new.id in merged_into:
            problems.append(new.where.problem(f"the id {new.id!r} is already an event's id; choose another"))
    return tuple(problems)


def orphan(where: Where, event_id: str, known: Callable[[], Sequence[str]], lead: str = "") -> Problem:
    """A warning for an override naming an event that does not exist, with the closest of the ids ``known()``."""
    close = difflib.get_close_matches(event_id, known(), n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return replace(where.problem(f"{lead}no event has the id {event_id!r}{hint}; "
                                 "`python build.py` lists ids in timeline.json"), warning=True)


def apply_overrides(events: Sequence[Event], overrides: Overrides,
                    merged_into: Mapping[str, str] | None = None) -> tuple[Event, ...]:
    """The events with the editors' changes applied, hidden ones left out and added ones appended.

    Errors stop the build; changes naming no event are skipped (``check_overrides`` warns of them).
    """
    merged_into = merged_into or {}
    errors = [p for p in check_overrides(events, overrides, merged_into) if not p.warning]
    if errors:
        raise InputError(errors)
    return apply_checked_overrides(events, overrides, merged_into)


def apply_checked_overrides(events: Sequence[Event], overrides: Overrides,
                            merged_into: Mapping[str, str]) -> tuple[Event, ...]:
    """``apply_overrides`` for overrides already found free of errors by ``check_overrides``."""
    changes: dict[str, EventChange] = {}
    for change in overrides.changes:
        changes.setdefault(merged_into.get(change.id, change.id), change)
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
    if change.date:
        updates["review"] = ()  # the editor has settled the date the sources disagreed on
    if change.text:
        updates["text"], updates["text_is_markdown"] = change.text, True
    if change.order is not None:
        updates["order"] = change.order
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
