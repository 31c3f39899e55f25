"""Precision and recall of the merge rule (timeline/merge.py) on labelled pairs of events.

    python benchmarks/merge.py                  # the figures, at the rule's threshold
    python benchmarks/merge.py --sweep          # and at other thresholds, to show why this one
    python benchmarks/merge.py --errors         # and every pair the rule gets wrong
    python benchmarks/merge.py --shared /path/to/shared    # or TIMELINE_SHARED=/path/to/shared

``benchmarks/data/merge_pairs.jsonl`` holds one labelled pair per line: ``same`` is true when the two events date
the same happening (the thing their dating expression dates, whatever else the sentence says). Each side is either
an example article (``article`` and the start of the ``sentence``, from ``content/``) or a TempEval-3 TBAQ document
(``doc`` and the sentence's ``start``/``end`` character offsets in its text). TBAQ is research-use data and is never
copied into the repository: its text is read from ``../shared`` at run time. When that folder is missing, only the
example pairs are scored and the script says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline import merge  # noqa: E402
from timeline.articles import read_articles  # noqa: E402
from timeline.events import make_events  # noqa: E402
from timeline.model import Article, Event  # noqa: E402
from timeline.temporal import tag  # noqa: E402

PAIRS = ROOT / "benchmarks" / "data" / "merge_pairs.jsonl"
DEFAULT_SHARED = ROOT.parent / "shared"
TBAQ = "corpora/tempeval3/TBAQ-cleaned"


@dataclass(frozen=True)
class Pair:
    """A labelled pair of events, or the reason it could not be built."""

    a: Event | None
    b: Event | None
    same: bool
    note: str
    source: str  # "content" or "tbaq"


def load_tbaq_doc(path: Path) -> tuple[str, date]:
    """A TimeML document's text (tags removed, as TempEval-3 scorers read it) and its creation date."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    dct = next(t.get("value", "") for t in root.iter() if t.tag.endswith("TIMEX3")
               and t.get("functionInDocument") == "CREATION_TIME")
    text_element = next(e for e in root if e.tag.endswith("TEXT"))
    digits = dct.replace("-", "")[:8]
    return "".join(text_element.itertext()), date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


class Library:
    """Events of the example articles and of TBAQ documents, made once each by the real pipeline stages."""

    def __init__(self, shared: Path):
        self.tbaq = shared / TBAQ
        self.content: dict[str, tuple[Event, ...]] = {}
        self.docs: dict[str, tuple[Event, ...]] = {}
        for article in read_articles(ROOT / "content"):
            self.content[article.path] = make_events(article, tag(article.body, article.dateline))

    def event(self, ref: dict[str, Any]) -> Event | None:
        """The event a reference points at, or None when the sentence no longer makes one."""
        if "article" in ref:
            return next((e for e in self.content.get(ref["article"], ()) if e.text.startswith(ref["sentence"])), None)
        doc = ref["doc"]
        if doc not in self.docs:
            text, dateline = load_tbaq_doc(self.tbaq / f"{doc}.tml")
            article = Article(doc, doc.rsplit("/", 1)[-1], doc, dateline, text, 0)
            self.docs[doc] = make_events(article, tag(text, dateline))
        return next((e for e in self.docs[doc] if e.position == ref["start"]), None)


    def weights(self, source: str) -> dict[str, float]:
        """Word weights over one collection, as a build of those articles would weigh them."""
        collection = self.content if source == "content" else self.docs
        return merge.word_weights(merge.words_of(e) for events in collection.values() for e in events)


def pairs(library: Library, with_tbaq: bool) -> Iterator[Pair]:
    """The labelled pairs, each side turned into its event."""
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        source = "content" if "article" in record["a"] else "tbaq"
        if source == "tbaq" and not with_tbaq:
            continue
        yield Pair(library.event(record["a"]), library.event(record["b"]), record["same"], record["note"], source)


def scores(pairs: list[Pair], weights: dict[str, dict[str, float]], threshold: float) -> dict[str, float]:
    """Counts, precision, recall and F1 of the rule at a threshold."""
    tp = fp = fn = tn = 0
    for pair in pairs:
        assert pair.a and pair.b
        guess = merge.same_event(pair.a, pair.b, weights[pair.source], threshold)
        tp += guess and pair.same
        fp += guess and not pair.same
        fn += not guess and pair.same
        tn += not guess and not pair.same
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("TIMELINE_SHARED", DEFAULT_SHARED)))
    parser.add_argument("--sweep", action="store_true", help="also score other thresholds")
    parser.add_argument("--errors", action="store_true", help="list the pairs the rule gets wrong")
    options = parser.parse_args()
    with_tbaq = (options.shared / TBAQ).is_dir()
    if not with_tbaq:
        print(f"note: {options.shared / TBAQ} is missing, so only the example-content pairs are scored; "
              "put the shared corpora beside the repository or pass --shared", file=sys.stderr)
    library = Library(options.shared)
    every = list(pairs(library, with_tbaq))
    usable = [p for p in every if p.a and p.b]
    weights = {name: library.weights(name) for name in ("content", "tbaq")}
    if len(usable) < len(every):
        print(f"note: {len(every) - len(usable)} pairs skipped: a sentence no longer makes an event "
              "(the tagger changed)", file=sys.stderr)
    print(f"merge rule: dates agree and weighted Dice of content words >= {merge.THRESHOLD} "
          f"(or >= {merge.STRONG} within {merge.DISAGREEMENT_DAYS} days, flagged)")
    print(f"{'pairs':12s} {'n':>4s} {'same':>5s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'tn':>4s} "
          f"{'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for name in ("content", "tbaq", "all"):
        chosen = [p for p in usable if name in ("all", p.source)]
        if not chosen:
            continue
        s = scores(chosen, weights, merge.THRESHOLD)
        print(f"{name:12s} {len(chosen):4d} {sum(p.same for p in chosen):5d} {s['tp']:4d} {s['fp']:4d} {s['fn']:4d} "
              f"{s['tn']:4d} {s['precision']:9.3f} {s['recall']:7.3f} {s['f1']:6.3f}")
    if options.sweep:
        print("\nthreshold  precision  recall     F1   (all pairs)")
        for step in range(15, 75, 5):
            s = scores(usable, weights, step / 100)
            mark = "  <- the rule" if abs(step / 100 - merge.THRESHOLD) < 0.025 else ""
            print(f"{step / 100:9.2f}  {s['precision']:9.3f}  {s['recall']:6.3f}  {s['f1']:5.3f}{mark}")
    if options.errors:
        print()
        for pair in usable:
            assert pair.a and pair.b
            if merge.same_event(pair.a, pair.b, weights[pair.source]) != pair.same:
                score = merge.similarity(merge.words_of(pair.a), merge.words_of(pair.b), weights[pair.source])
                kind = "missed" if pair.same else "false merge"
                print(f"{kind}: {pair.note} [{pair.a.date.value} / {pair.b.date.value}, words {score:.2f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
