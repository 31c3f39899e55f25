"""The build, one stage after another.

    read_articles -> tag -> make_events -> merge -> apply_overrides -> order -> render -> write

Only ``read_inputs`` reads files and only ``output.write_site`` writes them;
everything between takes values and returns new ones.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .articles import read_articles
from .errors import InputError, Problem
from .events import make_events
from .merge import merge_events
from .model import Article, Event, Timeline
from .order import order_events
from .overrides import Overrides, apply_checked_overrides, check_overrides, merge_rules, read_overrides
from .perarticle import ArticleResult, Runner, analyse_articles
from .render import CompiledTemplates, render_site, render_stream
from .reuse import Reuse
from .settings import Settings
from .splice import Chunks
from .themes import Theme


@dataclass(frozen=True)
class Inputs:
    """Everything read from the content folder."""

    articles: tuple[Article, ...]
    overrides: Overrides
    # The per-article stages' results, when read_inputs was given the settings and ran them (in parallel, cached).
    analysed: tuple[ArticleResult, ...] | None = None


@dataclass(frozen=True)
class Result:
    """The ordered timeline and the figures for the build's summary line."""

    timeline: Timeline
    articles: int
    expressions: int
    warnings: tuple[Problem, ...] = ()  # overrides naming events that are gone or merged; errors with --strict
    merged: tuple[Event, ...] = ()  # the events after merging, before the overrides (for explain and review)
    merged_into: Mapping[str, str] = field(default_factory=dict)  # merged-away id -> the id it lives on as
    # What the next build's merge replays of this one's (merge.merge_events), kept in the build cache.
    merge_trace: bytes = field(default=b"", compare=False, repr=False)


def read_inputs(content_dir: Path, settings: Settings | None = None, runner: Runner | None = None) -> Inputs:
    """The articles and overrides of ``content_dir``, with every problem in either reported at once.

    Given ``settings``, each article also goes through the per-article stages (``article_events``) with the
    runner's executor and cache, and ``make_timeline`` uses those results.
    """
    if not content_dir.is_dir():
        raise InputError(Problem(str(content_dir), "the content folder does not exist"))
    problems: list[Problem] = []
    articles: tuple[Article, ...] = ()
    analysed: tuple[ArticleResult, ...] | None = None
    overrides = Overrides()
    try:
        if settings is None:
            articles = read_articles(content_dir)
        else:
            analysed = analyse_articles(content_dir, settings, article_events, runner or Runner())
            articles = tuple(result.article for result in analysed)
    except InputError as error:
        problems.extend(error.problems)
    try:
        overrides = read_overrides(content_dir)
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return Inputs(articles, overrides, analysed)


def make_timeline(inputs: Inputs, settings: Settings, strict: bool = False, merge_trace: bytes | None = None
                  ) -> Result:
    """Tag every article, turn sentences into events, merge repeats, apply the overrides and order the result.

    With ``strict``, an override naming an event that is gone (or was merged) stops the build instead of warning.
    ``merge_trace`` is the last build's (``Result.merge_trace``): the merge replays what it can of it, with the
    same result as without it.
    """
    events: list[Event] = []
    expressions = 0
    analysed = inputs.analysed
    if analysed is None:  # read without settings: run the per-article stages here, in this process
        analysed = tuple(ArticleResult(article, *article_events(article, settings)) for article in inputs.articles)
    for result in analysed:
        expressions += result.expressions
        events.extend(result.events)
    # Each article's cache key names its events, so the merge finds an unchanged article's decisions by key.
    merged = merge_events(events, merge_rules(inputs.overrides), previous=merge_trace,
                          articles=[(result.key, len(result.events)) for result in analysed])
    # Checked once: errors, and with ``strict`` the warnings too, are reported together, all at once.
    problems = check_overrides(merged.events, inputs.overrides, merged.merged_into)
    warnings = tuple(p for p in problems if p.warning)
    errors = [replace(p, warning=False) if strict else p for p in problems if strict or not p.warning]
    if errors:
        raise InputError(errors)
    corrected = apply_checked_overrides(merged.events, inputs.overrides, merged.merged_into)
    timeline = Timeline(settings.title, settings.description, order_events(corrected))
    return Result(timeline, len(inputs.articles), expressions, warnings, merged.events, merged.merged_into,
                  merged.trace)


def article_events(article: Article, settings: Settings) -> tuple[int, tuple[Event, ...]]:
    """The per-article stages after reading: the article's number of date expressions and its events.

    Run in worker processes (or on Dask) and cached by article, so it must depend only on the article, the
    settings and the code.
    """
    from .temporal import tag  # here: a rebuild tags in a worker, and this process never compiles the tagger's rules

    mentions = tag(article.body, article.dateline)
    return len(mentions), make_events(article, mentions, settings.reported_events)


def render(result: Result, settings: Settings, theme: Theme, jobs: int = 1) -> dict[str, bytes]:
    """The site's files, by relative path, rendered by ``jobs`` processes."""
    return render_site(result.timeline, settings, theme.template_dirs, theme.static_dirs, jobs)


def render_again(result: Result, settings: Settings, theme: Theme, jobs: int, previous: Mapping[str, str],
                 reuse: Reuse | None = None, templates: CompiledTemplates | None = None
                 ) -> tuple[Iterator[tuple[str, bytes | Chunks | None]], dict[str, str], dict[str, Any]]:
    """The site's files as they are rendered, None for the pages whose key is still the one in ``previous``, every
    page's key, and the files' indexes of their pieces (filled as they come); ``reuse`` is the last build's, and
    ``templates`` the templates as compiled before."""
    return render_stream(result.timeline, settings, theme.template_dirs, theme.static_dirs, jobs, previous,
                         reuse, templates)
