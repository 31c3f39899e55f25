"""The render stage: a Timeline and Settings in, the site's files out as bytes (nothing is written here).

This is the only module that imports Jinja2. Templates are looked up in the given folders in order, so a
user's own folder placed before the theme's overrides single templates without copying the theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import dateformat, markup
from .exports import timeline_json
from .model import Event, EventDate, Source, Timeline
from .settings import Settings

# Precisions shown at the top of their year, before the months: they cover several months.
YEAR_LEVEL = frozenset({"year", "half", "season", "quarter"})
# Precisions that get a group of their own ("the 1990s"), since filing them under their first year
# would claim they happened in that year.
SPAN_LEVEL = frozenset({"decade", "century"})


@dataclass(frozen=True)
class MonthGroup:
    """The events of one month, in timeline order."""

    id: str  # "month-2024-08", the fragment the page links to
    label: str  # "August 2024", in the site's language
    datetime: str  # "2024-08"
    events: tuple[Event, ...]


@dataclass(frozen=True)
class YearGroup:
    """One year (or one decade or century): its year-level events, then its months."""

    id: str  # "year-2024", "decade-1990", "century-1900"
    label: str  # "2024", "the 1990s"
    datetime: str  # the HTML datetime value of the group's heading
    events: tuple[Event, ...]  # events coarser than a month, shown before the months
    months: tuple[MonthGroup, ...]


def group_events(events: Sequence[Event], language: str = "en") -> tuple[YearGroup, ...]:
    """Events grouped by year then month, each group placed where its first event comes in the order."""
    # Plain dicts keep first-insertion order, which is what keeps the timeline's own order.
    years: dict[str, tuple[str, str, list[Event], dict[str, list[Event]]]] = {}
    month_firsts: dict[str, date] = {}
    for event in events:
        precision, start = event.date.precision, event.date.start
        if precision in SPAN_LEVEL:
            # Keyed by the span, so two mentions of the 1990s share one group; the label has no modifier.
            size = 10 if precision == "decade" else 100
            key = f"{precision}-{start.year // size * size:04d}"
            plain = EventDate(event.date.value, event.date.span)
            label = dateformat.format_event_date(plain, language)
            years.setdefault(key, (label, f"{start.year:04d}", [], {}))[2].append(event)
            continue
        key = f"year-{start.year:04d}"
        year_label = dateformat.format_year(start, language)
        _, _, coarse, months = years.setdefault(key, (year_label, f"{start.year:04d}", [], {}))
        if precision in YEAR_LEVEL:
            coarse.append(event)
        else:
            # A week filed under the month of its Monday, as its words ("week of 30 December 2024") say.
            month_key = f"month-{start.year:04d}-{start.month:02d}"
            months.setdefault(month_key, []).append(event)
            month_firsts.setdefault(month_key, start)
    groups = []
    for key, (label, when, coarse, months) in years.items():
        month_groups = tuple(
            MonthGroup(
                id=month_key,
                label=dateformat.format_month(month_firsts[month_key], language),
                datetime=month_key.removeprefix("month-"),
                events=tuple(month_events),
            )
            for month_key, month_events in months.items()
        )
        groups.append(YearGroup(id=key, label=label, datetime=when, events=tuple(coarse), months=month_groups))
    return tuple(groups)


def render_site(
    timeline: Timeline,
    settings: Settings,
    template_dirs: Sequence[Path],
    static_dirs: Sequence[Path],
) -> dict[str, bytes]:
    """The site's files, relative posix path to bytes: index.html, timeline.json and the static files."""
    dateformat.locale_for(settings.language)  # fail early, with a clear message, on an unknown language
    env = _environment(template_dirs, settings.language)
    index = env.get_template("index.html").render(
        timeline=timeline,
        settings=settings,
        groups=group_events(timeline.events, settings.language),
        root="",  # the path from this page to the site's root; pages in subfolders would pass "../"
    )
    files: dict[str, bytes] = {"index.html": index.encode("utf-8"), "timeline.json": timeline_json(timeline)}
    for path, content in static_files(static_dirs).items():
        files.setdefault(path, content)
    return dict(sorted(files.items()))


def static_files(static_dirs: Sequence[Path]) -> dict[str, bytes]:
    """Files under the static folders as ``static/<path>``; an earlier folder's file wins, hidden files skipped."""
    found: dict[str, bytes] = {}
    for folder in static_dirs:
        if not folder.is_dir():  # a user's static folder is optional
            continue
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.setdefault("static/" + relative.as_posix(), path.read_bytes())
    return found


def _environment(template_dirs: Sequence[Path], language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def date_words(event_date: EventDate) -> str:
        return dateformat.format_event_date(event_date, language)

    def day_words(day: date) -> str:
        return dateformat.format_day(day, language)

    def marked_sentence(source: Source) -> Markup:
        return markup.mark_expression(source.sentence, source.expression_start, source.expression_end)

    env.filters.update(
        date_words=date_words,
        day_words=day_words,
        datetime_attr=dateformat.datetime_attribute,
        markdown=markup.render_markdown,
        marked_sentence=marked_sentence,
        link_url=markup.safe_link_url,
        build_date_words=lambda value: _build_date_words(value, language),
    )
    return env


def _build_date_words(value: str, language: str) -> str:
    """The build date in words when it is an ISO date, else as given (it is only shown, never computed)."""
    try:
        return dateformat.format_day(date.fromisoformat(value[:10]), language)
    except ValueError:
        return value
