"""How soon a large timeline's site shows its first events in headless Chromium.

    python benchmarks/browser_first_events.py                    # 5,000 events, and 1,000 as the peer, 5 runs each
    python benchmarks/browser_first_events.py --events 5000 20000 --runs 7

For each size a site is rendered with the default theme from a made-up timeline (one event a day or so over
ten years, five from each made-up article, so nothing is merged), written to a temporary folder and opened from
disk in a fresh browser page.  Each size is built twice: on one page (``year_pages_after: 0``, every event in
index.html: the worst case) and as the default builds it (a page per year past 500 events), where the index lists
the years and the largest year's page is measured too.  Measured from the start of navigation
(``performance.timeOrigin``):

* first event: when the first ``article.event`` is in the page and visible, found by a MutationObserver that the
  page is given before any of its own script runs;
* first contentful paint, DOMContentLoaded and load, from the browser's own performance entries.

Chromium is /usr/bin/chromium (override with --chromium), driven by Playwright; nothing is downloaded.  The figure
to compare with the target (first events within 1 s) is the median of the runs; TimelineJS3 takes 14.4 s for 5,000
events and 3.6 s for 1,000 on this machine (issue 6).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.model import Event, EventDate, Source, Timeline  # noqa: E402
from timeline.output import write_site  # noqa: E402
from timeline.render import render_site  # noqa: E402
from timeline.settings import Settings  # noqa: E402
from timeline.themes import find_theme  # noqa: E402
from timeline.timex import calendar_span  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
# Installed before the page's own scripts: note when the first event is attached and rendered visible.
WATCH = """
window.__firstEvent = null;
new MutationObserver((_, observer) => {
  const event = document.querySelector('article.event');
  if (event && window.__firstEvent === null) {
    window.__firstEvent = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
MEASURE = """
() => new Promise(resolve => requestAnimationFrame(() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const nav = performance.getEntriesByType('navigation')[0];
  const event = document.querySelector('article.event');
  const box = event ? event.getBoundingClientRect() : null;
  resolve({
    first_event: window.__firstEvent,
    visible: !!box && box.width > 0 && box.height > 0 && box.top < window.innerHeight,
    fcp: paint ? paint.startTime : null,
    dcl: nav ? nav.domContentLoadedEventEnd : null,
    load: nav ? nav.loadEventEnd : null,
    events_on_page: document.querySelectorAll('article.event').length,
  });
}))
"""


def made_up_timeline(count: int) -> Timeline:
    """``count`` events on successive days from 2015, five from each made-up article (as the generated archives)."""
    events = []
    for index in range(count):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=index * 3650 // max(count, 1))
        span = calendar_span(day.isoformat())
        assert span is not None
        sentence = f"The council in district {index % 97} approved plan {index} on {day:%d %B %Y}, officials said."
        start = sentence.index(f"{day:%d}")
        article = index // 5
        source = Source(f"articles/{article:05d}.md", "Plans approved", f"https://example.org/{article}",
                        day + dt.timedelta(days=1), sentence, 0, f"{day:%d %B %Y}", start,
                        start + len(f"{day:%d %B %Y}"))
        events.append(Event(f"article-{index:05d}-{index:08x}", EventDate(day.isoformat(), span),
                            f"The council in district {index % 97} approved plan {index}", sentence, (source,),
                            (f"district-{index % 97}",), position=0))
    return Timeline(f"A timeline of {count:,} events", "Made up for the browser benchmark.", tuple(events))


def main(argv: Sequence[str] | None = None) -> int:
    """Render the sites, open each in Chromium several times and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    options = parser.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("error: Playwright for Python is not installed (pip install -r requirements-dev.txt)", file=sys.stderr)
        return 1
    if not Path(options.chromium).is_file():
        print(f"error: no Chromium at {options.chromium}; give one with --chromium", file=sys.stderr)
        return 1
    theme = find_theme("default", ROOT)
    rows = []
    with tempfile.TemporaryDirectory(prefix="timeline-browser-") as work, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=ARGS, headless=True)
        for count in options.events:
            timeline = made_up_timeline(count)
            for layout, limit in (("one page", 0), ("by year", Settings().year_pages_after)):
                site = Path(work) / f"site-{count}-{limit}"
                files = render_site(timeline, Settings(title=f"{count} events", year_pages_after=limit),
                                    theme.template_dirs, theme.static_dirs)
                write_site(files, site)
                pages = ["index.html"]
                years = sorted((p for p in files if p.startswith("years/")), key=lambda p: -len(files[p]))
                pages += years[:1]  # the largest year's page
                for name in pages:
                    results = []
                    for _ in range(options.runs):
                        page = browser.new_page()
                        page.add_init_script(WATCH)
                        page.goto((site / name).as_uri(), wait_until="load", timeout=120_000)
                        results.append(page.evaluate(MEASURE))
                        page.close()
                    rows.append((count, layout, name, len(files[name]), results))
        browser.close()
    print(f"{'events':>7} {'layout':>8} {'page':>16} {'size':>8} {'events':>6} | {'first event ms':>14} {'FCP ms':>7} "
          f"{'DCL ms':>7} {'load ms':>8} | runs of first event (ms)")
    for count, layout, name, size, results in rows:
        def median(key: str, results: list[dict[str, float]] = results) -> float | None:
            found = [r[key] for r in results if r[key] is not None]
            return statistics.median(found) if found else None

        def shown(value: float | None, width: int) -> str:
            return f"{value:>{width}.0f}" if value is not None else f"{'-':>{width}}"

        first = " ".join(f"{r['first_event']:.0f}" for r in results if r["first_event"] is not None) or "-"
        misplaced = any(r["events_on_page"] and not r["visible"] for r in results)
        print(f"{count:>7} {layout:>8} {name:>16} {size / 2**20:>6.2f}MB {results[0]['events_on_page']:>6} | "
              f"{shown(median('first_event'), 14)} {shown(median('fcp'), 7)} {shown(median('dcl'), 7)} "
              f"{shown(median('load'), 8)} | {first}" + ("  (first event not on screen!)" if misplaced else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
