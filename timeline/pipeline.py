"""The build, one stage after another.

    read_articles -> tag -> make_events -> merge -> apply_overrides -> order -> render -> write

Only ``read_inputs`` reads files and only ``output.write_site`` writes them;
everything between takes values and returns new ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .articles import read_articles
from .errors import InputError, Problem
from .events import make_events
from .model import Article, Event, Timeline
from .order import order_events
from .merge import merge_events
from .overrides import Overrides, apply_overrides, check_overrides, merge_rules, read_overrides
from .render import render_site
from .settings import Settings
from .temporal import tag
from .themes import Theme


@dataclass(frozen=True)
class Inputs:
    """Everything read from the content folder."""

    articles: tuple[Article, ...]
    overrides: Overrides


@dataclass(frozen=True)
class Result:
    """The ordered timeline and the figures for the build's summary line."""

    timeline: Timeline
    articles: int
    expressions: int
    warnings: tuple[Problem, ...] = ()  # overrides naming events that are gone or merged; errors with --strict
    merged: tuple[Event, ...] = ()  # the events after merging, before the overrides (for explain and review)
    merged_into: Mapping[str, str] = field(default_factory=dict)  # merged-away id -> the id it lives on as


def read_inputs(content_dir: Path) -> Inputs:
    """The articles and overrides of ``content_dir``, with every problem in either reported at once."""
    if not content_dir.is_dir():
        raise InputError(Problem(str(content_dir), "the content folder does not exist"))
    problems: list[Problem] = []
    articles: tuple[Article, ...] = ()
    overrides = Overrides()
    try:
        articles = read_articles(content_dir)
    except InputError as error:
        problems.extend(error.problems)
    try:
        overrides = read_overrides(content_dir)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return Inputs(articles, overrides)


def make_timeline(inputs: Inputs, settings: Settings, strict: bool = False) -> Result:
    """Tag every article, turn sentences into events, merge repeats, apply the overrides and order the result.

    With ``strict``, an override naming an event that is gone (or was merged) stops the build instead of warning.
    """
    events: list[Event] = []
    expressions = 0
    for article in inputs.articles:
        mentions = tag(article.body, article.dateline)
        expressions += len(mentions)
        events.extend(make_events(article, mentions, settings.reported_events))
    merged = merge_events(events, merge_rules(inputs.overrides))
    warnings = tuple(p for p in check_overrides(merged.events, inputs.overrides, merged.merged_into) if p.warning)
    if strict and warnings:
        raise InputError(replace(p, warning=False) for p in warnings)
    corrected = apply_overrides(merged.events, inputs.overrides, merged.merged_into)
    timeline = Timeline(settings.title, settings.description, order_events(corrected))
    return Result(timeline, len(inputs.articles), expressions, warnings, merged.events, merged.merged_into)


def render(result: Result, settings: Settings, theme: Theme) -> dict[str, bytes]:
    """The site's files, by relative path."""
    return render_site(result.timeline, settings, theme.template_dirs, theme.static_dirs)
