"""Score our temporal tagger on TempEval-3 (and tweets, WikiWars) beside HeidelTime, with the TempEval-3 scorer.

    python benchmarks/te3.py                      # the full table
    python benchmarks/te3.py --corpus tbaq --errors 40   # and our first 40 mistakes on TBAQ
    python benchmarks/te3.py --shared /path/to/shared    # or TIMELINE_SHARED=/path/to/shared

The corpora and the scorer live in ``../shared`` beside the repository (never copied into it). When that folder is
missing the script says so and exits with status 1.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeline.temporal import tag

DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# name, gold path under shared/corpora, HeidelTime's stored output (or None), whether all four scores are shown
CORPORA = [
    ("tbaq", "tempeval3/TBAQ-cleaned", "reference-outputs/heideltime-tbaq.jsonl", True),
    ("platinum", "tempeval3/te3-platinum", "reference-outputs/heideltime-te3-platinum.jsonl", True),
    ("tweets", "tweets-syntime/testset", None, False),
    ("wikiwars", "wikiwars-timex3/tml", None, False),
]


def load_scorer(shared: Path) -> ModuleType:
    """Import te3score.py from the shared tools folder."""
    sys.path.insert(0, str(shared / "tools"))
    return importlib.import_module("te3score")


def dateline_of(dct: str) -> date:
    """The gold DCT as a date ("1998-03-22T10:00" or "19980322" both work)."""
    digits = dct.replace("-", "")[:8]
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def run_tagger(gold: dict[str, Any], scorer: ModuleType) -> tuple[dict[str, list[Any]], float]:
    """Our timexes for every gold document, in the scorer's Timex form, and the seconds taken."""
    started = time.perf_counter()
    out: dict[str, list[Any]] = {}
    for doc, g in gold.items():
        out[doc] = [scorer.Timex(m.start, m.end, m.text, m.type, m.value) for m in tag(g.text, dateline_of(g.dct))]
    return out, time.perf_counter() - started


def write_jsonl(path: Path, system: dict[str, list[Any]]) -> None:
    """Our output in the scorer's JSON-lines form, so te3score.py can be run on it by hand."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for doc, timexes in system.items():
            for t in timexes:
                row = {"doc": doc, "start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def print_errors(errors: list[Any], limit: int) -> None:
    """Our first ``limit`` mistakes, in the scorer's own wording."""
    for e in errors[:limit]:
        if e[0] == "VALUE":
            _, doc, g, s = e
            print(f"  VALUE {doc}: gold {g.text!r} {g.type} {g.value} | ours {s.text!r} {s.type} {s.value}")
        else:
            kind, doc, t = e
            print(f"  {kind} {doc}: {t.text!r} [{t.start},{t.end}) {t.type} {t.value}")


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table; exit 1 when the shared corpora are not there."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("TIMELINE_SHARED", DEFAULT_SHARED)),
        help="the shared folder with corpora/ and tools/ (default: ../shared, or $TIMELINE_SHARED)",
    )
    ap.add_argument(
        "--corpus", choices=[c[0] for c in CORPORA], action="append", help="score only this corpus (repeatable)"
    )
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print our first N mistakes per corpus")
    ap.add_argument("--out", type=Path, help="also write our output as JSON lines into this folder")
    args = ap.parse_args(argv)

    corpora_dir = args.shared / "corpora"
    if not (args.shared / "tools" / "te3score.py").is_file() or not corpora_dir.is_dir():
        print(
            f"{args.shared}: shared corpora and scorer not found, nothing to benchmark "
            "(give the folder with --shared or TIMELINE_SHARED)",
            file=sys.stderr,
        )
        return 1
    scorer = load_scorer(args.shared)

    print(
        f"{'corpus':10s} {'system':11s} {'docs':>5s} {'gold':>5s} {'sys':>5s} "
        f"{'strict':>7s} {'relaxed':>7s} {'type':>7s} {'value':>7s} {'secs':>6s}"
    )
    for name, gold_path, reference, full in CORPORA:
        if args.corpus and name not in args.corpus:
            continue
        gold = scorer.load_gold(str(corpora_dir / gold_path))
        ours, seconds = run_tagger(gold, scorer)
        if args.out:
            write_jsonl(args.out / f"ours-{name}.jsonl", ours)
        errors: list[Any] | None = [] if args.errors else None
        rows = [("ours", scorer.score(gold, ours, errors)[0].scores(), f"{seconds:6.1f}")]
        if reference and (corpora_dir / reference).is_file():
            theirs = scorer.load_system(str(corpora_dir / reference))
            rows.append(("HeidelTime", scorer.score(gold, theirs)[0].scores(), "     -"))
        for system, s, secs in rows:
            scores = [
                f"{100 * s[k + '_F1']:7.2f}" if full or k == "value" else f"{'-':>7s}"
                for k in ("strict", "relaxed", "type", "value")
            ]
            print(f"{name:10s} {system:11s} {len(gold):5d} {s['gold']:5d} {s['system']:5d} {' '.join(scores)} {secs}")
        if errors:
            print_errors(errors, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
