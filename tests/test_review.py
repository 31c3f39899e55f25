"""`build.py review`: what deserves an editor's look, each with a ready-to-paste override; and orphan overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run

ARTICLES = {
    "ledger.md": "---\ntitle: Harbor Bridge reopens\ndate: 2025-03-04\n---\n"
                 "The Harbor Bridge reopened to traffic on Monday morning, six months after it closed.\n\n"
                 "Businesses say trade fell sharply in August.\n",
    "chronicle.md": "---\ntitle: Traffic returns\ndate: 2025-03-04\n---\n"
                    "The Harbor Bridge reopened to traffic on Tuesday morning after months of repairs.\n",
    "herald.md": "---\ntitle: Bridge open again\ndate: 2025-03-05\n---\n"
                 "The Harbor Bridge reopened to traffic on Monday after six months of repairs.\n",
}
REOPENED = "chronicle-bf7e33fa"  # the earliest report of the reopening (dateline, then path)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A project whose content has one story in three articles."""
    content = tmp_path / "content"
    content.mkdir()
    for name, text in ARTICLES.items():
        (content / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_merged_event_lists_every_source_and_both_readings(story: Path) -> None:
    done = run(cwd=story)
    assert done.returncode == 0, done.stderr
    events = json.loads((story / "public" / "timeline.json").read_text(encoding="utf-8"))["events"]
    (reopened,) = [e for e in events if e["title"].startswith("The Harbor Bridge reopened")]
    assert (reopened["id"], reopened["date"]["value"]) == (REOPENED, "2025-03-03TMO")  # what most sources say
    assert [(s["article"], s["expression"]["value"]) for s in reopened["sources"]] == [
        ("chronicle.md", "2025-03-04TMO"), ("ledger.md", "2025-03-03TMO"), ("herald.md", "2025-03-03")]
    assert reopened["sources"][1]["expression"]["reading"] == (
        "Monday, past tense: the last one on or before the dateline, Monday 3 March 2025, morning")
    assert reopened["review"] == ["sources disagree on the date: 2025-03-04TMO (chronicle.md); "
                                  "2025-03-03TMO (ledger.md); 2025-03-03 (herald.md)"]
    html = (story / "public" / "index.html").read_text(encoding="utf-8")
    assert "The sources disagree on the date" in html
    assert "Date found: “Monday morning”: Monday, past tense" in html


def test_review_lists_disagreements_and_guessed_years_with_stubs(story: Path) -> None:
    done = run("review", cwd=story)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"""\
2 to review:

1. guessed year: ledger-276f064d
   'August': August, no year, past tense: the last August on or before the dateline
   events:
     ledger-276f064d:
       date: 2024-08    # confirm, or write the right one (perhaps 2023-08, 2025-08)

2. sources disagree: {REOPENED}
   sources disagree on the date: 2025-03-04TMO (chronicle.md); 2025-03-03TMO (ledger.md); 2025-03-03 (herald.md)
   events:
     {REOPENED}:
       date: 2025-03-03TMO    # the sources disagree (above): keep or correct
       # or, if these are different happenings: distinct: [ledger-e8fb22a9, herald-41e91bf2]
"""


def test_an_editors_date_settles_the_review(story: Path) -> None:
    (story / "content" / "overrides.yaml").write_text(
        f"events:\n  {REOPENED}:\n    date: 2025-03-03TMO\n  ledger-276f064d:\n    date: 2024-08\n", encoding="utf-8")
    done = run("review", cwd=story)
    assert (done.returncode, done.stdout) == (0, "nothing to review\n")


def test_an_orphan_override_warns_suggests_and_is_listed_for_review(story: Path) -> None:
    (story / "content" / "overrides.yaml").write_text("events:\n  ledger-276f064e:\n    hide: true\n", encoding="utf-8")
    warning = ("overrides.yaml:2:3: warning: no event has the id 'ledger-276f064e' (did you mean 'ledger-276f064d'?); "
               "`python build.py` lists ids in timeline.json")
    built = run(cwd=story)
    assert (built.returncode, built.stderr) == (0, warning + "\n")
    strict = run("build", "--strict", "--out", "strict", cwd=story)
    assert (strict.returncode, strict.stderr) == (1, "error: " + warning.replace("warning: ", "") + "\n")
    assert not (story / "strict").exists()
    review = run("review", cwd=story)
    assert review.returncode == 0 and review.stderr == ""
    assert review.stdout.endswith(f"""\
3. override's event is gone: ledger-276f064e
   {warning}
   events:
     ledger-276f064d:    # was ledger-276f064e (overrides.yaml:2)
       hide: true
""")


def test_an_override_on_a_merged_away_event_moves_to_the_merged_event(story: Path) -> None:
    (story / "content" / "overrides.yaml").write_text("events:\n  herald-41e91bf2:\n    title: Reopened\n",
                                                      encoding="utf-8")
    done = run(cwd=story)
    assert done.returncode == 0
    assert done.stderr == (
        f"overrides.yaml:2:3: warning: 'herald-41e91bf2' was merged into '{REOPENED}' (the same happening in another "
        f"article); these changes apply to '{REOPENED}': write them under '{REOPENED}', or keep the two apart with "
        f"'distinct: [herald-41e91bf2]' under '{REOPENED}'\n")
    events = json.loads((story / "public" / "timeline.json").read_text(encoding="utf-8"))["events"]
    assert next(e for e in events if e["id"] == REOPENED)["title"] == "Reopened"
    assert run("check", "--strict", cwd=story).returncode == 1


def test_distinct_keeps_the_reports_apart(story: Path) -> None:
    (story / "content" / "overrides.yaml").write_text(
        f"events:\n  {REOPENED}:\n    distinct: [ledger-e8fb22a9, herald-41e91bf2]\n", encoding="utf-8")
    assert run(cwd=story).returncode == 0
    events = json.loads((story / "public" / "timeline.json").read_text(encoding="utf-8"))["events"]
    ids = {e["id"] for e in events}
    assert {REOPENED, "ledger-e8fb22a9"} <= ids


def test_an_ambiguous_tense_is_listed_with_a_week_either_side() -> None:
    import datetime as dt

    from timeline.model import Event, EventDate, Source, Timeline
    from timeline.overrides import Overrides
    from timeline.pipeline import Result
    from timeline.review import format_review, review_items
    from timeline.timex import calendar_span

    reading = "Friday, no clear tense: the nearest one, before the dateline, Friday 14 March 2025"
    source = Source("a.md", "A", None, dt.date(2025, 3, 15), "The talks end on Friday.", 0, "Friday", 17, 23,
                    reading, "2025-03-14")
    span = calendar_span("2025-03-14")
    assert span is not None
    event = Event("a-1", EventDate("2025-03-14", span), "The talks end on Friday", source.sentence, (source,))
    result = Result(Timeline("t", "", (event,)), 1, 1, merged=(event,))
    assert format_review(review_items(result, Overrides())) == f"""\
1 to review:

1. ambiguous tense: a-1
   'Friday': {reading}
   events:
     a-1:
       date: 2025-03-14    # confirm, or write the right one (perhaps 2025-03-07, 2025-03-21)"""
