"""A timeline of 100,000 events builds: generate the articles, run build.py as a user would, report time and size.

    .venv/bin/python benchmarks/timeline_100k.py [--articles 10000] [--per-article 10] [--keep DIR] [-- BUILD ARGS]
    .venv/bin/python benchmarks/timeline_100k.py --stages [--events 100000]

Each article has ``--per-article`` sentences, each dated on its own day and naming its own made-up people and plan,
so every sentence is one event and no two are the same happening (nothing merges). Prints the build's own summary
line, the wall time, the peak memory of the build process and the size of the site. Arguments after ``--`` go to
``build.py build`` (for example ``-- --jobs 2 --no-cache``).

``--stages`` times the stages after the per-article ones in this process, on events made directly (no tagging):
merging at 500, 1,000 and 2,000 events with its growth exponent and what that predicts for ``--events``, then
ordering, rendering and writing all ``--events`` events without merging.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "ni", "pra", "zu", "mek", "ol", "fi", "gar", "hes"]
VERBS = ["signed", "opened", "approved", "closed", "inspected", "funded", "rejected", "finished"]


def name(number: int) -> str:
    """A made-up proper name unique to ``number``, so no two sentences share their distinctive words."""
    letters = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        letters.append(SYLLABLES[digit])
        if number == 0:
            break
    return "".join(letters).capitalize()


def write_articles(content: Path, articles: int, per_article: int) -> None:
    """``articles`` plain-text articles of ``per_article`` dated sentences each, all different events."""
    first = dt.date(1900, 1, 1)
    for number in range(articles):
        dateline = first + dt.timedelta(days=number * per_article + per_article)
        sentences = []
        for index in range(per_article):
            serial = number * per_article + index
            day = first + dt.timedelta(days=serial)
            sentences.append(f"{name(3 * serial)} {VERBS[serial % len(VERBS)]} the {name(3 * serial + 1)} "
                             f"{name(3 * serial + 2)} plan on {day.day} {day:%B %Y}.")
        path = content / f"{number // 1000:03d}" / f"report-{number:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"date {dateline.isoformat()} " + " ".join(sentences) + "\n", encoding="utf-8")


def make_events(count: int) -> list:  # type: ignore[type-arg]
    """``count`` events as the per-article stages would make them: one source each, all different happenings."""
    from timeline.model import Event, EventDate, Source
    from timeline.timex import calendar_span

    first = dt.date(1900, 1, 1)
    events = []
    for serial in range(count):
        day = first + dt.timedelta(days=serial)
        value = day.isoformat()
        span = calendar_span(value)
        assert span is not None
        expression = f"{day.day} {day:%B %Y}"
        sentence = (f"{name(3 * serial)} {VERBS[serial % len(VERBS)]} the {name(3 * serial + 1)} "
                    f"{name(3 * serial + 2)} plan on {expression}.")
        article = f"{serial // 10000:03d}/report-{serial // 10:06d}.txt"
        source = Source(article, f"Report {serial // 10}", None, day + dt.timedelta(days=10), sentence, 0,
                        expression, sentence.index(expression), sentence.index(expression) + len(expression),
                        value=value)
        events.append(Event(f"report-{serial // 10:06d}-{serial:08x}", EventDate(value, span), sentence, sentence,
                            (source,), ("bench",), position=serial % 10))
    return events


def stages(count: int) -> int:
    """Time merge (at growing sizes), then order, render and write ``count`` events, in this process."""
    sys.path.insert(0, str(ROOT))
    from timeline.merge import merge_events
    from timeline.model import Timeline
    from timeline.order import order_events
    from timeline.output import write_site
    from timeline.render import render_site
    from timeline.settings import Settings
    from timeline.themes import find_theme

    timings = []
    for size in (500, 1000, 2000):
        sample = make_events(size)
        started = time.perf_counter()
        merged = merge_events(sample)
        timings.append((size, time.perf_counter() - started))
        print(f"merge {size:>7,} events: {timings[-1][1]:8.2f} s ({len(merged.events):,} after merging)", flush=True)
    exponent = math.log(timings[-1][1] / timings[-2][1]) / math.log(2)
    predicted = timings[-1][1] * (count / timings[-1][0]) ** exponent
    print(f"merge growth exponent {exponent:.2f}; predicted for {count:,} events: {predicted:,.0f} s "
          f"({predicted / 3600:,.1f} h)")
    events = make_events(count)
    started = time.perf_counter()
    ordered = order_events(events)
    print(f"order  {count:>7,} events: {time.perf_counter() - started:8.2f} s", flush=True)
    settings = Settings()
    theme = find_theme(settings.theme, ROOT)
    started = time.perf_counter()
    files = render_site(Timeline("Benchmark", "", ordered), settings, theme.template_dirs, theme.static_dirs)
    size_mb = sum(len(data) for data in files.values()) / 1e6
    print(f"render {count:>7,} events: {time.perf_counter() - started:8.2f} s ({len(files):,} files, "
          f"{size_mb:,.1f} MB)", flush=True)
    with tempfile.TemporaryDirectory(prefix="timeline-100k-") as temporary:
        started = time.perf_counter()
        write_site(files, Path(temporary) / "public")
        print(f"write  {count:>7,} events: {time.perf_counter() - started:8.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak_mb:,.0f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--stages", action="store_true", help="time merge, order, render and write in-process")
    parser.add_argument("--events", type=int, default=100_000, help="events for --stages (default 100,000)")
    parser.add_argument("build_args", nargs="*", help="extra arguments for build.py build, after --")
    options = parser.parse_args()
    if options.stages:
        return stages(options.events)
    with tempfile.TemporaryDirectory(prefix="timeline-100k-") as temporary:
        project = options.keep or Path(temporary)
        content, out = project / "content", project / "public"
        started = time.perf_counter()
        write_articles(content, options.articles, options.per_article)
        print(f"wrote {options.articles:,} articles, {options.articles * options.per_article:,} dated sentences, "
              f"in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                               "--out", str(out), *options.build_args], cwd=project, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode != 0:
            print(f"build failed (exit {done.returncode}) after {seconds:.1f} s:\n{done.stderr[-3000:]}")
            return 1
        events = len(json.loads((out / "timeline.json").read_text(encoding="utf-8"))["events"])
        files = [p for p in out.rglob("*") if p.is_file()]
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no summary line)")
        print(f"{events:,} events in timeline.json; build took {seconds:.1f} s wall, peak memory {peak_mb:,.0f} MB; "
              f"site: {len(files):,} files, {size_mb:,.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
