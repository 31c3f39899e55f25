"""The render stage: a Timeline and Settings in, the site's files out as bytes (nothing is written here).

This is the only module that imports Jinja2. Templates are looked up in the given folders in order, so a
user's own folder placed before the theme's overrides single templates without copying the theme.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from . import dateformat, markup
from .errors import InputError, Problem
from .exports import timeline_json
from .feeds import atom_feed, sitemap_xml
from .filters import Filter, Filters, collect_filters
from .ical import icalendar_file
from .model import Event, EventDate, Source, Timeline
from .settings import Settings
from .timelinejs import timelinejs_json

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
    name: str  # "August", for the navigation under its year
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
                name=dateformat.format_month_name(month_firsts[month_key], language),
                datetime=month_key.removeprefix("month-"),
                events=tuple(month_events),
            )
            for month_key, month_events in months.items()
        )
        groups.append(YearGroup(id=key, label=label, datetime=when, events=tuple(coarse), months=month_groups))
    return tuple(groups)


# Up to this many tags and sources, every page lists them all; past it, the lists stand on filters.html alone.
FILTER_LIST_LIMIT = 60


def render_site(
    timeline: Timeline,
    settings: Settings,
    template_dirs: Sequence[Path],
    static_dirs: Sequence[Path],
) -> dict[str, bytes]:
    """The site's files, relative posix path to bytes: pages, data formats and the static files."""
    dateformat.locale_for(settings.language)  # fail early, with a clear message, on an unknown language
    try:
        return _render_files(timeline, settings, template_dirs, static_dirs)
    except jinja2.TemplateSyntaxError as error:
        # A mistake in a user's own template: report it with its file and line, as for any input.
        raise InputError(Problem(error.filename or error.name or "template", error.message or "syntax error",
                                 error.lineno)) from None
    except jinja2.TemplateError as error:
        raise InputError(Problem("templates", f"{error.__class__.__name__}: {error}")) from None


def _render_files(
    timeline: Timeline,
    settings: Settings,
    template_dirs: Sequence[Path],
    static_dirs: Sequence[Path],
) -> dict[str, bytes]:
    filters = collect_filters(timeline.events)
    statics = static_files(static_dirs)
    env = _environment(template_dirs, settings.language, filters)
    full_filters = len(filters.all()) <= FILTER_LIST_LIMIT
    common = {"timeline": timeline, "settings": settings, "filters": filters, "formats": data_formats(settings),
              "full_filters": full_filters, "filters_page": False}
    files: dict[str, bytes] = {"index.html": _page(env, common, None, timeline.events)}
    for page_filter, kept in _events_by_filter(timeline.events, filters):
        files[page_filter.path] = _page(env, common, page_filter, kept)
    if not full_filters:
        files["filters.html"] = env.get_template("filters.html").render(
            **{**common, "full_filters": True, "filters_page": True}, current=None, root="",
        ).encode("utf-8")
    if "404.html" in env.list_templates():  # a theme of one's own may leave it out
        css = statics.get("static/style.css", b"").decode("utf-8")
        files["404.html"] = env.get_template("404.html").render(
            **{**common, "formats": ()}, current=None, root="", home=_home_path(settings.base_url),
            inline_css=_inline_css(css),
        ).encode("utf-8")
    files.update(export_files(timeline, settings, filters))
    for path, content in statics.items():
        files.setdefault(path, content)
    return dict(sorted(files.items()))


def _events_by_filter(events: Sequence[Event], filters: Filters) -> list[tuple[Filter, tuple[Event, ...]]]:
    """Each filter with its events in timeline order, found in one pass over the events (not one per filter)."""
    by_tag = {f.key: f for f in filters.tags}
    by_source = {f.key: f for f in filters.sources}
    kept: dict[str, list[Event]] = {f.path: [] for f in filters.all()}
    for event in events:
        pages = [by_tag[t].path for t in event.tags] + [by_source[s.article].path for s in event.sources]
        for path in dict.fromkeys(pages):
            kept[path].append(event)
    return [(f, tuple(kept[f.path])) for f in filters.all()]


def data_formats(settings: Settings) -> tuple[tuple[str, str, str], ...]:
    """The data files a page links to: (path, label, media type). The feed needs ``base_url``."""
    formats = [
        ("timeline.json", "JSON", "application/json"),
        ("timelinejs.json", "TimelineJS", "application/json"),
        ("timeline.ics", "iCalendar", "text/calendar"),
    ]
    if settings.base_url:
        formats.append(("feed.atom", "Atom feed", "application/atom+xml"))
    return tuple(formats)


def export_files(timeline: Timeline, settings: Settings, filters: Filters) -> dict[str, bytes]:
    """The same timeline in other formats; the feed and sitemap only with a ``base_url`` to make URLs from."""
    files = {
        "timeline.json": timeline_json(timeline),
        "timelinejs.json": timelinejs_json(timeline, settings.language),
        "timeline.ics": icalendar_file(timeline, settings),
    }
    if settings.base_url:
        files["feed.atom"] = atom_feed(timeline, settings)
        files["sitemap.xml"] = sitemap_xml(settings.base_url, ["", *(f.path for f in filters.all())])
    return files


def _page(env: jinja2.Environment, common: dict[str, object], page_filter: Filter | None,
          events: tuple[Event, ...]) -> bytes:
    """One timeline page: all events (the index) or those of one tag or source, one folder down."""
    settings = common["settings"]
    assert isinstance(settings, Settings)
    root = "" if page_filter is None else "../"
    html = env.get_template("index.html").render(
        **common,
        groups=group_events(events, settings.language),
        current=page_filter,
        root=root,  # the path from this page to the site's root, so every link stays relative
        page_base="" if page_filter is None else root + "index.html",  # where permalinks point
        event_count=len(events),
    )
    return html.encode("utf-8")


def _home_path(base_url: str) -> str:
    """The 404 page's link home: the site's path when known (it is served at any depth), else index.html."""
    path = urlsplit(base_url).path if base_url else ""
    return path if path.startswith("/") else "index.html"


def _inline_css(css: str) -> Markup:
    """The style sheet for inlining in the 404 page, which hosts serve at any depth where no relative link works."""
    # The theme's own file, but "</style" inside it would end the element early.
    return Markup(css.replace("</", "<\\/"))


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


def _environment(template_dirs: Sequence[Path], language: str, filters: Filters) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # one build reads each template once; checking the disk on every include cost seconds
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

    # An event with k sources is shown on k source pages; looking its sources up there through an index built once
    # per event keeps that linear, where scanning them on every page grew with k squared.
    by_article: dict[int, dict[str, tuple[Source, ...]]] = {}

    def sources_shown(event: Event, current: Filter | None) -> tuple[Source, ...]:
        if current is None or current.kind != "source":
            return event.sources
        index = by_article.get(id(event))
        if index is None:
            grouped: dict[str, list[Source]] = {}
            for source in event.sources:
                grouped.setdefault(source.article, []).append(source)
            index = by_article[id(event)] = {article: tuple(found) for article, found in grouped.items()}
        return index.get(current.key, ())

    quoted: dict[int, bool] = {}

    def text_is_quoted(event: Event) -> bool:
        """True when the event's text is one of its sources' sentences (shown with that source, not twice)."""
        found = quoted.get(id(event))
        if found is None:
            found = quoted[id(event)] = event.text in {source.sentence for source in event.sources}
        return found

    def marked_sentence(source: Source) -> Markup:
        return markup.mark_expression(source.sentence, source.expression_start, source.expression_end)

    _install_messages(env, language)
    tag_pages = {f.key: f for f in filters.tags}
    source_pages = {f.key: f for f in filters.sources}
    env.globals.update(tag_page=tag_pages.get, source_page=source_pages.get,
                       event_fragment=_fragment_renderer(env))
    env.filters.update(
        date_words=date_words,
        day_words=day_words,
        datetime_attr=dateformat.datetime_attribute,
        markdown=markup.render_markdown,
        marked_sentence=marked_sentence,
        sources_shown=sources_shown,
        text_is_quoted=text_is_quoted,
        link_url=markup.safe_link_url,
        build_date_words=lambda value: _build_date_words(value, language),
    )
    return env


def _fragment_renderer(env: jinja2.Environment) -> Any:
    """``event_fragment(event, level)`` for templates: ``partials/event.html`` rendered once per event and context.

    An event looks the same on the index and on every tag page one folder down, so each is rendered once per
    (root, permalink base, heading level) and reused; on a source's page, which shows that source's quote alone,
    once per source too. ``current`` inside the fragment is therefore the page's source, or None on other pages.
    """
    fragments: dict[tuple[object, ...], Markup] = {}

    @jinja2.pass_context
    def event_fragment(context: jinja2.runtime.Context, event: Event, level: int) -> Markup:
        current = context.get("current")
        source = current if isinstance(current, Filter) and current.kind == "source" else None
        key = (id(event), level, context.get("root"), context.get("page_base"), source and source.path)
        found = fragments.get(key)
        if found is None:
            values = {**context.get_all(), "event": event, "level": level, "current": source}
            found = fragments[key] = Markup(env.get_template("partials/event.html").render(values))
        return found

    return event_fragment


def load_messages(env: jinja2.Environment, language: str) -> dict[str, Any]:
    """The theme's words in the site's language, from ``messages/<language>.json`` beside its templates.

    Found through the template folders, so a user's own ``templates/messages/fr.json`` wins. Keys are
    the English text; a plural entry maps CLDR plural categories ("one", "other"…) to texts. A missing
    file or word falls back to English.
    """
    assert env.loader is not None
    for name in dateformat.language_names(language):
        try:
            source, filename, _ = env.loader.get_source(env, f"messages/{name}.json")
        except jinja2.TemplateNotFound:
            continue
        try:
            messages = json.loads(source)
        except json.JSONDecodeError as error:
            raise InputError(Problem(filename or name, f"not valid JSON: {error.msg}", error.lineno,
                                     error.colno)) from None
        if not isinstance(messages, dict):
            raise InputError(Problem(filename or name, "expected an object of English text to translation"))
        return messages
    return {}


def _install_messages(env: jinja2.Environment, language: str) -> None:
    """``_()`` and ``ngettext()`` in templates, translating the theme's own words (never the content)."""
    messages = load_messages(env, language)

    def gettext(message: str) -> str:
        found = messages.get(message)
        return found if isinstance(found, str) else message

    def ngettext(singular: str, plural: str, count: int) -> str:
        found = messages.get(singular)
        if isinstance(found, dict):
            text = found.get(dateformat.plural_category(count, language), found.get("other"))
            if isinstance(text, str):
                return text
        return singular if count == 1 else plural

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]


def _build_date_words(value: str, language: str) -> str:
    """The build date in words when it is an ISO date, else as given (it is only shown, never computed)."""
    try:
        return dateformat.format_day(date.fromisoformat(value[:10]), language)
    except ValueError:
        return value
