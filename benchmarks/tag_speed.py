"""Tagging throughput on the 256 TBAQ documents: our tagger against dateparser's search_dates, in the same run.

    python benchmarks/tag_speed.py                 # 5 runs of ours, 3 of search_dates (English), medians
    python benchmarks/tag_speed.py --runs 3 --default-sample 8
    python benchmarks/tag_speed.py --shared /path/to/shared   # or TIMELINE_SHARED=/path/to/shared

Each document is given with its gold DCT as the dateline (ours) or RELATIVE_BASE (dateparser), exactly the text the
TempEval-3 scorer scores.  search_dates is timed twice: told the language is English (its fastest setting, the
fair peer) on all 256 documents, and with its defaults (it detects the language of every candidate, which is far
slower) on an evenly spaced sample.  HeidelTime is not run: its stored timing (about 3.3 s a document, almost all
JVM and TreeTagger start-up, ../shared/corpora/README.md) is quoted beside the figures.

The corpora live in ``../shared`` beside the repository; when that folder is missing the script says so and exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline.temporal import tag

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HEIDELTIME_SECONDS_PER_DOC = 3.3  # ../shared/corpora/README.md and ../shared/tools/README.md


def dateline_of(dct: str) -> dt.date:
    """The gold DCT as a date ("1998-03-22T10:00" or "19980322" both work)."""
    digits = dct.replace("-", "")[:8]
    return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def timed(function: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """The median of ``runs`` timings of ``function`` in seconds, and all of them."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main(argv: Sequence[str] | None = None) -> int:
    """Time both taggers and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("TIMELINE_SHARED", DEFAULT_SHARED)))
    parser.add_argument("--runs", type=int, default=5, help="runs of our tagger (default 5)")
    parser.add_argument("--peer-runs", type=int, default=3, help="runs of search_dates in English (default 3)")
    parser.add_argument("--default-sample", type=int, default=8,
                        help="documents for search_dates with its defaults (default 8; 0 to skip)")
    options = parser.parse_args(argv)
    corpus = options.shared / "corpora" / "tempeval3" / "TBAQ-cleaned"
    scorer = options.shared / "tools" / "te3score.py"
    if not corpus.is_dir() or not scorer.is_file():
        print(f"error: the shared corpora are missing: expected {corpus} and {scorer}; "
              "give their folder with --shared or TIMELINE_SHARED", file=sys.stderr)
        return 1
    sys.path.insert(0, str(scorer.parent))
    import te3score
    from dateparser.search import search_dates

    gold: dict[str, Any] = te3score.load_gold(str(corpus))
    docs = [(g.text, dateline_of(g.dct)) for _, g in sorted(gold.items())]
    characters = sum(len(text) for text, _ in docs)
    print(f"{len(docs)} TBAQ documents, {characters:,} characters ({corpus})")

    def ours(sample: Sequence[tuple[str, dt.date]] = docs) -> None:
        for text, dateline in sample:
            tag(text, dateline)

    def peer(sample: Sequence[tuple[str, dt.date]], **kwargs: Any) -> None:
        for text, dateline in sample:
            base = dt.datetime.combine(dateline, dt.time())
            search_dates(text, settings={"RELATIVE_BASE": base}, **kwargs)

    search_dates("warm up on Monday", languages=["en"])  # loading its data is not tagging
    ours(docs[:5])
    mine, mine_runs = timed(ours, options.runs)
    english, english_runs = timed(lambda: peer(docs, languages=["en"]), options.peer_runs)
    rows = [
        ("timeline.temporal.tag", mine, len(docs), mine_runs),
        ("dateparser search_dates, languages=['en']", english, len(docs), english_runs),
    ]
    if options.default_sample:
        step = max(1, len(docs) // options.default_sample)
        sample = docs[::step][: options.default_sample]
        sample_mine, _ = timed(lambda: ours(sample), options.runs)
        default, default_runs = timed(lambda: peer(sample), 1)
        rows.append((f"timeline.temporal.tag, same {len(sample)}-document sample", sample_mine, len(sample), []))
        rows.append((f"dateparser search_dates, defaults, {len(sample)}-document sample", default, len(sample),
                     default_runs))
    print(f"{'tagger':<58} {'median s':>9} {'ms/doc':>8} {'docs/s':>8}  runs (s)")
    for name, seconds, count, runs in rows:
        print(f"{name:<58} {seconds:>9.3f} {1000 * seconds / count:>8.2f} {count / seconds:>8.1f}  "
              + " ".join(f"{r:.2f}" for r in runs))
    print(f"{'HeidelTime (stored timing, not run)':<58} {HEIDELTIME_SECONDS_PER_DOC * len(docs):>9.1f} "
          f"{1000 * HEIDELTIME_SECONDS_PER_DOC:>8.0f} {1 / HEIDELTIME_SECONDS_PER_DOC:>8.2f}")
    print(f"ours vs search_dates (English): {english / mine:.1f}x faster (target: at least 20x)")
    if options.default_sample:
        print(f"ours vs search_dates (defaults, sample): {default / sample_mine:.0f}x faster")
    print(f"ours vs HeidelTime (stored): {HEIDELTIME_SECONDS_PER_DOC * len(docs) / mine:.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
