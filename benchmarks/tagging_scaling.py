"""Tagging time against article size, 1 KB to 10 MB: it should grow linearly (no catastrophic backtracking).

    .venv/bin/python benchmarks/tagging_scaling.py [--max-kb 10240] [--budget 300] [--kinds prose,...]

Each kind of text is tagged at 1 KB, 10 KB, 100 KB, 1 MB and 10 MB (up to ``--max-kb``): news-like prose made by
varying sentences, and hostile strings (long runs of digits, of spaces, of "Monday Monday ...", of punctuation,
of one long word, of ISO-looking dates). Each run is in a child process stopped after ``--budget`` seconds
(default 300), and a size whose time, predicted from the growth so far, would exceed the budget is skipped, so a
quadratic case reports itself instead of running for hours. The table gives seconds, microseconds per KB and the
growth exponent between one size and the previous (time ratio as a power of size ratio: 1.0 is linear, 2.0
quadratic).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline.temporal import tag

DATELINE = date(2025, 3, 15)
SIZES_KB = (1, 10, 100, 1024, 10240)
LINEAR_EXPONENT = 1.25  # allowance for noise and caches; quadratic growth shows as about 2

PLACES = ["Eastport", "Millbrook", "Harwick", "Stonebridge", "Redfield", "Alder Bay", "Northgate", "Kingsmere"]
ACTORS = ["the city council", "the port workers' union", "the water company", "the regional court",
          "the hospital trust", "the fire service", "Mayor Ruth Adeyemi", "the transport department"]
ACTIONS = ["approved the budget", "closed the bridge", "rejected the offer", "opened an inquiry", "held a vote",
           "delayed the decision", "published its report", "reopened the crossing", "announced 40 job cuts"]
WHENS = ["on Monday", "on Wednesday evening", "last week", "in August 2024", "on 12 March", "two years ago",
         "by the end of the year", "early next month", "in the 1990s", "since 2019", "on March 3, 2025",
         "this morning", "every Thursday", "for 30 days", "in the third quarter", "a year earlier", "in mid-July"]
CLAIMS = ["officials said", "according to the report", "a spokesperson confirmed", "residents told reporters",
          "the minutes show", "she added"]
FIGURES = ["$18 million", "40,000 vehicles a day", "86% of the territory", "7-2", "about 1,200 people", "3.5%"]


def prose(size: int, seed: int = 7) -> str:
    """News-like English of about ``size`` characters: varied sentences with dates, figures and quotes."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice([
            f"{rng.choice(ACTORS).capitalize()} {rng.choice(ACTIONS)} {rng.choice(WHENS)}, {rng.choice(CLAIMS)}.",
            f"In {rng.choice(PLACES)}, {rng.choice(ACTORS)} {rng.choice(ACTIONS)} {rng.choice(WHENS)}.",
            f"\u201cWe will not stop {rng.choice(WHENS)},\u201d {rng.choice(CLAIMS)}.",
            f"The plan, worth {rng.choice(FIGURES)}, was first proposed {rng.choice(WHENS)}.",
            f"{rng.choice(PLACES)} has waited {rng.choice(WHENS)} for news, and {rng.choice(FIGURES)} were affected.",
        ])
        parts.append(sentence + ("\n\n" if rng.random() < 0.2 else " "))
        length += len(parts[-1])
    return "".join(parts)[:size]


def repeat(unit: str) -> Callable[[int], str]:
    """A text of ``unit`` repeated to the size asked for."""
    return lambda size: (unit * (size // len(unit) + 1))[:size]


KINDS: dict[str, Callable[[int], str]] = {
    "prose": prose,
    "digits": repeat("1"),
    "spaces": repeat(" "),
    "Monday Monday": repeat("Monday "),
    "punctuation": repeat(".,;:!?-()'\""),
    "one long word": repeat("a"),
    "iso-like": repeat("2024-08-20 "),
    "numbers and words": repeat("12 13 May 2024 of 30 "),
}


def _timed(kind: str, size: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    text = KINDS[kind](size)
    tag(prose(2000), DATELINE)  # warm up, so the first size does not pay for lazily built tables
    started = time.perf_counter()
    mentions = tag(text, DATELINE)
    results.put((time.perf_counter() - started, len(mentions)))


def measure(kind: str, size: int, budget: float) -> tuple[float, int] | None:
    """(seconds, expressions found) for tagging one text, or None if it ran past ``budget`` seconds."""
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    child = multiprocessing.Process(target=_timed, args=(kind, size, results))
    child.start()
    child.join(budget)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return results.get(timeout=5) if not results.empty() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-kb", type=int, default=10240, help="largest size in KB (default 10240, 10 MB)")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds allowed per run (default 300)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds (default: all)")
    options = parser.parse_args()
    kinds = [kind.strip() for kind in options.kinds.split(",")]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        parser.error(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")
    sizes = [kb for kb in SIZES_KB if kb <= options.max_kb]
    print(f"tagging against a dateline of {DATELINE}; budget {options.budget:.0f} s per run; "
          f"growth exponent 1.0 = linear, 2.0 = quadratic")
    print(f"{'text':<18} {'size':>8} {'seconds':>9} {'us/KB':>9} {'exponent':>9} {'found':>8}")
    verdicts = []
    for kind in kinds:
        previous: tuple[int, float] | None = None
        worst = 0.0
        stopped = ""
        for kb in sizes:
            if previous and previous[1] > 0.01:
                exponent = max(worst, 1.0)
                predicted = previous[1] * (kb / previous[0]) ** exponent
                if predicted > options.budget:
                    stopped = f"{kb} KB skipped: predicted {predicted:,.0f} s at the growth so far"
                    print(f"{kind:<18} {_size(kb):>8} {'skipped':>9}  (predicted {predicted:,.0f} s)")
                    break
            result = measure(kind, kb * 1024, options.budget)
            if result is None:
                stopped = f"{kb} KB ran past the {options.budget:.0f} s budget"
                print(f"{kind:<18} {_size(kb):>8} {'>' + format(options.budget, '.0f'):>9}  (stopped)")
                break
            seconds, found = result
            exponent_text = ""
            if previous and previous[1] >= 0.005 and seconds >= 0.005:  # below that, timer noise rules
                exponent = math.log(seconds / previous[1]) / math.log(kb / previous[0])
                worst = max(worst, exponent)
                exponent_text = f"{exponent:.2f}"
            print(f"{kind:<18} {_size(kb):>8} {seconds:>9.3f} {seconds / kb * 1e6:>9.0f} {exponent_text:>9} "
                  f"{found:>8}", flush=True)
            previous = (kb, seconds)
        # A size skipped on a linear prediction is only slow; one that ran past the budget, or a steep exponent, is not.
        linear = worst <= LINEAR_EXPONENT and "ran past" not in stopped
        verdict = "linear" if linear else "NOT linear"
        if linear and stopped:
            verdict = f"linear as far as measured, up to {_size(previous[0]) if previous else 'nothing'}"
        verdicts.append(f"{kind}: {verdict} (worst growth exponent {worst:.2f}" + (f"; {stopped}" if stopped else "")
                        + ")")
    print("\n" + "\n".join(verdicts))
    return 0


def _size(kb: int) -> str:
    return f"{kb // 1024} MB" if kb >= 1024 else f"{kb} KB"


if __name__ == "__main__":
    sys.exit(main())
