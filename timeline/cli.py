"""The command line: ``python build.py [build|tag|check|explain|review] ...``.

Exit status: 0 on success, 1 on bad input (each message names the file and,
where there is one, the line), 2 on bad usage. A user's mistake never shows
a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import importlib
import json
import marshal
import os
import sys
import time
from collections.abc import Callable, ItemsView, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__, incremental
from .cache import CACHE_DIR, CACHE_FILE, Cache
from .errors import InputError, Problem
from .executors import default_jobs
from .output import Manifest, Prelinked, check_output_dir, previous_file, recover_output_dir, reusable_files, write_site
from .settings import Settings
from .splice import prove, seal
from .themes import BUILT_IN, Theme, find_theme

# The stages (tagger, dateparser, Babel, Jinja2, PyYAML) are imported where they are used, so a build with nothing
# to do, which needs none of them, starts in a fraction of the time.
if TYPE_CHECKING:
    from .perarticle import Runner
    from .pipeline import Inputs

T = TypeVar("T")

COMMANDS = ("build", "serve", "tag", "check", "explain", "review")

# What the last build made, kept rather than freed one object at a time as its last act (at 10,000 articles, the
# articles' results alone took 35 ms to free): build.py then ends the process without tearing it down, and a
# process that builds again (serve, the tests) frees it when the next build starts.
_SPARED: list[object] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")  # `python build.py --out site` means build
    parser = _parser()
    options = parser.parse_args(args)  # exits with 2 on bad usage
    try:
        status: int = options.run(options)
        return status
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}" if not problem.warning else str(problem), file=sys.stderr)
        count = sum(not p.warning for p in error.problems)
        if count > 1:
            print(f"{count} problems; nothing was written.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Turn news articles into a dated, sourced event timeline site.",
        epilog="With no command, `build` is run: ./content is built into ./public.",
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site (the default command)")
    _content_options(build)
    build.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: ./public)")
    build.add_argument("--theme", help="theme name, overriding the settings file")
    build.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    _speed_options(build)
    build.set_defaults(run=run_build)

    check = commands.add_parser("check", help="validate the content and overrides; write nothing")
    _content_options(check)
    _speed_options(check)
    check.set_defaults(run=run_check)

    explain = commands.add_parser("explain", help="print how one event got its date: expression, reading, article")
    _content_options(explain)
    explain.add_argument("id", metavar="ID", help="the event's id (from timeline.json or the page's #anchor)")
    explain.set_defaults(run=run_explain)

    review = commands.add_parser("review", help="list what deserves an editor's look, with override stubs")
    _content_options(review)
    review.set_defaults(run=run_review)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload when inputs change")
    _content_options(serve)
    serve.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: ./public)")
    serve.add_argument("--theme", help="theme name, overriding the settings file")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free one)")
    serve.set_defaults(run=run_serve, quiet=False)

    tag_cmd = commands.add_parser("tag", help="print the temporal expressions of files as JSON lines")
    tag_cmd.add_argument("--dct", type=_iso_date, help="the dateline YYYY-MM-DD (default: read from each file)")
    tag_cmd.add_argument("files", nargs="+", type=Path, metavar="FILE")
    tag_cmd.set_defaults(run=run_tag)
    return parser


def _content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: ./content)")
    parser.add_argument("--config", type=Path, help="settings file (default: ./timeline.yaml when it exists)")
    parser.add_argument("--strict", action="store_true",
                        help="an override naming an event that is gone or merged is an error, not a warning")


def _speed_options(parser: argparse.ArgumentParser) -> None:
    jobs = default_jobs()
    parser.add_argument("--jobs", "-j", type=_positive, default=jobs, metavar="N",
                        help=f"processes for the per-article stages (default: {jobs}, the cores here)")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="where the per-article stages run: local processes, or a Dask cluster (--scheduler)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help=f"neither read nor update the build cache ({CACHE_DIR}/ in the project folder)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of processes, 1 or more")
    return value


@contextlib.contextmanager
def _runner(options: argparse.Namespace, project: Path, *, readonly: bool = False) -> Iterator[Runner]:
    """The executor and cache the options ask for, closed when the build is done; cache problems are warnings."""
    with _cache(options, project, readonly=readonly) as cache, _runner_with(options, cache) as runner:
        yield runner


@contextlib.contextmanager
def _cache(options: argparse.Namespace, project: Path, *, readonly: bool = False) -> Iterator[Cache | None]:
    """The build cache, unless --no-cache; closed at the end, and its problems printed as warnings."""
    cache = Cache(project / CACHE_DIR, readonly=readonly) if getattr(options, "cache", True) else None
    try:
        yield cache
    finally:
        if cache is not None:
            cache.close()
            for note in cache.notes:
                print(f"warning: {note}", file=sys.stderr)


@contextlib.contextmanager
def _runner_with(options: argparse.Namespace, cache: Cache | None) -> Iterator[Runner]:
    """The executor the options ask for, with ``cache``; the executor is closed at the end."""
    from .executors import make_executor
    from .perarticle import Runner
    from .progress import progress_bar

    if getattr(options, "scheduler", None) and getattr(options, "executor", "local") != "dask":
        raise InputError(Problem("--scheduler", "is only used with --executor dask; add --executor dask"))
    executor = make_executor(getattr(options, "executor", "local"), getattr(options, "jobs", default_jobs()),
                             getattr(options, "scheduler", None))
    quiet = getattr(options, "quiet", False)
    try:
        yield Runner(executor, cache, None if quiet else progress_bar(sys.stderr))
    finally:
        executor.close()


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _settings(options: argparse.Namespace) -> tuple[Settings, Path]:
    """The settings and the project folder (where the settings file is, or the current folder)."""
    config, project = _settings_file(options)
    settings = Settings(build_date=_build_date())
    if config is not None:
        from .config import load_settings

        settings = load_settings(config, str(config), settings)
    if getattr(options, "theme", None):
        settings = replace(settings, theme=options.theme)
    return settings, project


def _settings_file(options: argparse.Namespace) -> tuple[Path | None, Path]:
    """The settings file (None when there is none) and the project folder (its folder, or the current one)."""
    config: Path | None = options.config
    if config is None and Path("timeline.yaml").is_file():
        config = Path("timeline.yaml")
    elif config is not None and not config.is_file():
        raise InputError(Problem(str(config), "the settings file does not exist"))
    return config, (config.parent if config else Path("."))


def _build_date() -> str:
    """The build date to show, from SOURCE_DATE_EPOCH only: without it none is shown, so builds repeat."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ""
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise InputError(Problem("SOURCE_DATE_EPOCH", f"{epoch!r} is not a number of seconds since 1970")) from None


def _read(options: argparse.Namespace, settings: Settings, project: Path, *, readonly: bool = False) -> Inputs:
    """The inputs, with the per-article stages run as the options ask (jobs, executor, cache)."""
    from .pipeline import read_inputs

    with _runner(options, project, readonly=readonly) as runner:
        return read_inputs(options.content, settings, runner)


def run_build(options: argparse.Namespace) -> int:
    """Build the site and print a one-line summary; when nothing changed since the last build, only the summary."""
    started = time.perf_counter()
    _SPARED.clear()
    config, project = _settings_file(options)
    build_options = [f"strict={options.strict}", f"theme={options.theme}",
                     f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH')}"]
    # The cyclic collector is paused for the build, from the check of the last one on: its values hold no cycles
    # worth finding, and its passes over them cost (after one edit of 10,000 articles, over the objects made since
    # the cached results, a tenth of the build; over the last build's record and what the cache knows of the files,
    # a hundredth). Worker processes switch it back on (executors.die_with_parent).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with contextlib.ExitStack() as stack:
            cache = None
            summary = None
            known: tuple[Theme, str | None] | None = None  # the theme and the fingerprint the skip check took
            if getattr(options, "cache", True) and (project / CACHE_DIR / CACHE_FILE).is_file():
                cache = stack.enter_context(_cache(options, project))
            record = incremental.last_build(cache, options.out) if cache is not None and cache.usable else None
            if record is not None and cache is not None:
                # Nothing changed since the last build and its site is untouched: there is nothing to do. The settings
                # file is unchanged if the fingerprint is, so the theme is the one that build used.
                with contextlib.suppress(InputError):
                    check_output_dir(options.out, options.content)
                    recover_output_dir(options.out)
                    theme = find_theme(options.theme or record.theme, project)
                    build = incremental.fingerprint(cache, options.content, config, theme, build_options)
                    known = (theme, build)
                    summary = incremental.unchanged(record, options.out, build)
            if summary is None:
                summary = _build(options, stack, cache, record, build_options, known)
            else:
                for warning in summary.warnings:
                    print(warning, file=sys.stderr)
        if not options.quiet:
            seconds = time.perf_counter() - started
            print(f"{summary.articles} articles read, {summary.expressions} date expressions found, "
                  f"{summary.events} events published in {seconds:.2f} s: {options.out / 'index.html'}")
    finally:
        # Switched back on as the last act: the next object made then starts a pass over every object the build
        # made (a few milliseconds after one edit of 10,000 articles), which build.py, ending here, never makes.
        if collecting:
            gc.enable()
    return 0


def _build(options: argparse.Namespace, stack: contextlib.ExitStack, cache: Cache | None,
           record: incremental.Record | None, build_options: list[str],
           known: tuple[Theme, str | None] | None = None) -> incremental.Summary:
    """Build the site in full (the stages, then the files whose bytes changed) and remember it in the cache."""
    from .pipeline import make_timeline, read_inputs, render, render_again
    from .render import CompiledTemplates, export_names
    from .reuse import Reuse

    settings, project = _settings(options)
    theme = find_theme(settings.theme, project)
    check_output_dir(options.out, options.content)
    recover_output_dir(options.out)  # before reading anything, so a killed build's site is back even if this one fails
    if cache is None and getattr(options, "cache", True):
        cache = stack.enter_context(_cache(options, project))
    config, _ = _settings_file(options)
    # Taken before the inputs are read, so that anything changed during the build is seen by the next one.
    if known is not None and known[0] == theme:  # the skip check hashed the same inputs a moment ago
        build = known[1]
    else:
        build = incremental.fingerprint(cache, options.content, config, theme, build_options) \
            if cache is not None and cache.usable else None
    # A child process links the last build's files into the new site's folder meanwhile (output.Prelinked), each
    # only if it is still as that build wrote it: those it linked are the intact ones.
    # It also removes the site the last build retired into the cache's trash (see output.py).
    trash = _trash(cache, options.out)
    prelinked = Prelinked(options.out, record.manifest, trash) if record is not None else None
    if prelinked is not None:
        stack.callback(prelinked.discard)  # the build stopped before writing: the folder goes
    stages = contextlib.ExitStack()  # the per-article stages' executor: closed once they are done
    runner = stack.enter_context(stages).enter_context(_runner_with(options, cache))
    if record is not None:  # a rebuild: a worker loads the tagger now, ready for the articles that changed
        runner.executor.prepare(functools.partial(importlib.import_module, "timeline.temporal"))
    try:
        with stages:
            trace = incremental.last_merge(cache, options.out) if cache is not None else None
            inputs = read_inputs(options.content, settings, runner)
            result = make_timeline(inputs, settings, options.strict, trace)
            if runner.hits * 2 > len(inputs.articles):  # a rebuild: spared. A first build frees them now, before
                _SPARED.append(inputs)  # the render workers fork (each would count them again: 100 MB at 10,000)
            del inputs
        _print_warnings(result.warnings)
        jobs = getattr(options, "jobs", default_jobs())
        # Pages whose inputs are those of the last build, and whose file that build wrote is still as it was, are
        # not rendered again but linked (see render.render_changes); the page keys are kept with the manifest.
        # Pages and exports rendered again copy what they show unchanged from the last build's files (reuse.py).
        # The intact files are known once the child has linked them all; the page keys need none of them, so they
        # are asked for only when the keys are compared, and the child links while the keys are made (a few tenths
        # of a second at 10,000 articles, where the build waited for it before).
        previous: Mapping[str, str] = {}
        reuse = None
        exports = frozenset(export_names(settings))
        if record is not None:
            intact = _intact(options.out, record.manifest, prelinked)
            previous = _among(record.pages, intact)
            if cache is not None:  # the indexes of all its files: one of a file not intact is idle, as read gives none
                recorded = record.manifest
                reuse = Reuse(lambda relative: previous_file(options.out, recorded, intact(), relative),
                              _proven(incremental.last_pieces(cache, options.out), recorded, exports))
        templates = CompiledTemplates(cache.get_blob("templates") if cache is not None else None)
        files, pages, indexes = render_again(result, settings, theme, jobs, previous, reuse, templates)
        whole: dict[str, bytes] = {}

        def rendered(path: str) -> bytes:  # a reused file changed under the build: render the site after all
            if not whole:
                whole.update(render(result, settings, theme, jobs))
            return whole[path]

        manifest = write_site(files, options.out, record.manifest if record else None, rendered, prelinked, trash)
    finally:
        gc.unfreeze()  # the cache froze the per-article results for the build (see cache.load_results)
    summary = incremental.Summary(result.articles, result.expressions, len(result.timeline.events),
                                  tuple(str(problem) for problem in result.warnings))
    if cache is not None:
        if templates.changed:
            cache.set_blob("templates", templates.dump())
        incremental.remember(cache, options.out, build, theme.name, manifest, summary, pages,
                             _sealed(indexes, manifest, exports), result.merge_trace)
    _SPARED.extend((result, files, pages, indexes, manifest, record, reuse, prelinked))
    return summary


def _proven(indexes: dict[str, Any], manifest: Manifest, exports: frozenset[str]) -> dict[str, Any]:
    """The last build's indexes (as ``incremental.last_pieces`` gives them), each export's as a ``splice.ProvenIndex``
    when its seal names the SHA-256 that build recorded for the file (``Reuse`` then reads the file through
    ``previous_file``, which gives it only as that build recorded it); any other stays as it was, its pieces checked
    one by one."""
    proven = {}
    for path in exports & indexes.keys():
        entry = manifest.get(path)
        if entry is None:
            continue
        try:
            index = prove(marshal.loads(indexes[path]), entry[4])
        except (ValueError, TypeError, EOFError):
            continue
        if index is not None:
            proven[path] = index
    return {**indexes, **proven}


def _sealed(indexes: Mapping[str, Any], manifest: Manifest, exports: frozenset[str]) -> dict[str, Any]:
    """The indexes of the files in ``manifest`` (the new site's), to be stored: each export's that this build made
    or proved (a list) sealed with the SHA-256 of the file it describes, for the next build to prove it."""
    return {path: seal(index, manifest[path][4]) if path in exports and isinstance(index, list) else index
            for path, index in indexes.items() if path in manifest}


def _intact(out_dir: Path, manifest: Manifest, prelinked: Prelinked | None) -> Callable[[], frozenset[str]]:
    """The files of the last build still as it wrote them, found when first asked for: those ``prelinked``'s child
    linked, once it has linked them all, or those ``reusable_files`` finds."""

    @functools.cache
    def intact() -> frozenset[str]:
        linked = prelinked.linked() if prelinked is not None else None
        return frozenset(linked if linked is not None else reusable_files(out_dir, manifest))

    return intact


def _among(mapping: Mapping[str, T], files: Callable[[], frozenset[str]]) -> _Deferred[T]:
    """The entries of ``mapping`` whose path is one of ``files()``, in its order, found when first read."""

    def among() -> dict[str, T]:
        kept = files()
        return {path: value for path, value in mapping.items() if path in kept}

    return _Deferred(among)


class _Deferred(Mapping[str, T]):
    """A mapping made by ``make`` when it is first read, so that what it waits for is waited for only then."""

    def __init__(self, make: Callable[[], dict[str, T]]):
        self._make: Callable[[], dict[str, T]] | None = make
        self._made: dict[str, T] = {}

    def _mapping(self) -> dict[str, T]:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made

    def __getitem__(self, key: str) -> T:
        return self._mapping()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._mapping()

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())

    def get(self, key: str, default: Any = None) -> Any:
        return self._mapping().get(key, default)

    def items(self) -> ItemsView[str, T]:
        return self._mapping().items()


def _trash(cache: Cache | None, out_dir: Path) -> Path | None:
    """Where the builds into ``out_dir`` retire the sites they replace, for the next one to remove: in the cache, one
    folder for each output folder (by a hash of its path), as removing one moves the change times of the files it
    shares with that output folder only."""
    if cache is None or not cache.usable or cache.readonly:
        return None
    import hashlib

    name = hashlib.sha256(os.fsencode(out_dir.resolve())).hexdigest()[:16]
    return cache.path.parent / "trash" / name


def run_check(options: argparse.Namespace) -> int:
    """Validate everything a build would read, and write nothing."""
    from .pipeline import make_timeline

    settings, project = _settings(options)
    find_theme(settings.theme, project)
    result = make_timeline(_read(options, settings, project, readonly=True), settings, options.strict)
    _print_warnings(result.warnings)
    print(f"ok: {result.articles} articles, {result.expressions} date expressions, "
          f"{len(result.timeline.events)} events; overrides valid")
    return 0


def run_explain(options: argparse.Namespace) -> int:
    """Print how one event got its date."""
    from .pipeline import make_timeline, read_inputs
    from .review import explain

    settings, _ = _settings(options)
    inputs = read_inputs(options.content)
    result = make_timeline(inputs, settings, options.strict)
    print(explain(options.id, result, inputs.overrides, settings.language))
    return 0


def run_review(options: argparse.Namespace) -> int:
    """Print what deserves an editor's look, each with an override stub."""
    from .pipeline import make_timeline, read_inputs
    from .review import format_review, review_items

    settings, _ = _settings(options)
    inputs = read_inputs(options.content)
    result = make_timeline(inputs, settings, options.strict)
    print(format_review(review_items(result, inputs.overrides)))
    return 0


def _print_warnings(warnings: Sequence[Problem]) -> None:
    """Warnings go to stderr, where they are seen without spoiling a build's one-line summary."""
    for problem in warnings:
        print(str(problem), file=sys.stderr)


def run_serve(options: argparse.Namespace) -> int:
    """Build as `build` does, serve the result on 127.0.0.1 and rebuild on every change until Ctrl-C."""
    from .serve import read_site, serve_site, watch_paths

    config = options.config or Path("timeline.yaml")
    project = config.parent

    def build() -> dict[str, bytes]:
        run_build(options)  # the same build, written to --out as usual; served as it was written
        return read_site(options.out)

    def watched() -> list[Path]:
        return watch_paths(options.content, config, project, [BUILT_IN])  # every theme: cheap, and never misses one

    return serve_site(build, watched, options.port, log=lambda line: print(line, flush=True))


def run_tag(options: argparse.Namespace) -> int:
    """Print each temporal expression as a JSON object on its own line."""
    from .articles import read_text
    from .temporal import tag

    several = len(options.files) > 1
    problems: list[Problem] = []
    lines: list[str] = []
    for path in options.files:
        display = str(path)
        try:
            text = read_text(path, display)
            body_start, dateline = _prose_and_dateline(text, display, options.dct)
        except InputError as error:
            problems.extend(error.problems)
            continue
        for mention in tag(text[body_start:], dateline):
            record = {
                "start": body_start + mention.start,
                "end": body_start + mention.end,
                "text": mention.text,
                "type": mention.type,
                "value": mention.value,
            }
            if several:
                record = {"file": display, **record}
            lines.append(json.dumps(record, ensure_ascii=False))
    if problems:
        raise InputError(problems)
    if lines:
        print("\n".join(lines))
    return 0


def _prose_and_dateline(text: str, display: str, dct: dt.date | None) -> tuple[int, dt.date]:
    """Where the prose starts in ``text`` and the dateline to resolve it against."""
    from .articles import parse_article

    try:
        article = parse_article(text, display)
    except InputError:
        if dct is None:
            raise InputError(Problem(display, "no dateline in this file: it must open with 'date YYYY-MM-DD' "
                                     "(or front matter with 'date:'), or give one with --dct YYYY-MM-DD")) from None
        return 0, dct
    return article.body_start, dct or article.dateline
