"""`build.py explain ID`: how one event got its date, from every source."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import run
from tests.test_review import REOPENED, story  # noqa: F401  (the fixture)


def test_explain_prints_expression_reading_and_article_of_every_source(story: Path) -> None:  # noqa: F811
    done = run("explain", "herald-41e91bf2", cwd=story)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"""\
herald-41e91bf2 was merged into {REOPENED} (the same happening in another article)
{REOPENED}
  title: The Harbor Bridge reopened to traffic on Tuesday morning after months of repairs
  date: 2025-03-03TMO (partofday): Monday, March 3, 2025, morning
  merged from: ledger-e8fb22a9, herald-41e91bf2
  review: sources disagree on the date: 2025-03-04TMO (chronicle.md); 2025-03-03TMO (ledger.md); 2025-03-03 (herald.md)
  sources (3):
  1. chronicle.md: 'Traffic returns', dateline 2025-03-04
     sentence: The Harbor Bridge reopened to traffic on Tuesday morning after months of repairs.
     expression: 'Tuesday morning' -> 2025-03-04TMO
     reading: Tuesday, past tense: the last one on or before the dateline, Tuesday 4 March 2025, morning
  2. ledger.md: 'Harbor Bridge reopens', dateline 2025-03-04
     sentence: The Harbor Bridge reopened to traffic on Monday morning, six months after it closed.
     expression: 'Monday morning' -> 2025-03-03TMO
     reading: Monday, past tense: the last one on or before the dateline, Monday 3 March 2025, morning
  3. herald.md: 'Bridge open again', dateline 2025-03-05
     sentence: The Harbor Bridge reopened to traffic on Monday after six months of repairs.
     expression: 'Monday' -> 2025-03-03
     reading: Monday, past tense: the last one on or before the dateline, Monday 3 March 2025
"""


def test_explain_names_the_override_that_hid_or_changed_an_event(story: Path) -> None:  # noqa: F811
    (story / "content" / "overrides.yaml").write_text(
        "events:\n  ledger-276f064d:\n    hide: true\n    date: 2024-08-12\n", encoding="utf-8")
    done = run("explain", "ledger-276f064d", cwd=story)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[2:6] == ["  date: 2024-08 (month): August 2024",
                          "  the date was set by an editor at overrides.yaml:2",
                          "  hidden by overrides.yaml:2",
                          "  overrides: overrides.yaml:2 (date, hide)"]
    assert lines[-1] == "     reading: August, no year, past tense: the last August on or before the dateline"


def test_explain_an_unknown_id_suggests_the_closest(story: Path) -> None:  # noqa: F811
    done = run("explain", "herald-41e91bf3", cwd=story)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("error: explain: no event has the id 'herald-41e91bf3' (did you mean 'herald-41e91bf2'?); "
                           "ids are in timeline.json\n")


def test_explain_a_reported_event(story: Path) -> None:  # noqa: F811
    (story / "timeline.yaml").write_text("reported_events: true\n", encoding="utf-8")
    (story / "content" / "minister.md").write_text(
        "---\ntitle: Minister\ndate: 2025-03-15\n---\nThe minister responded that she was aware of the request.\n",
        encoding="utf-8")
    done = run("explain", "minister-5a8d7fff", cwd=story)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2:3] == [
        "  date: 2025-03-15 (day): March 15, 2025, reported: no date of its own, dated by the article's "
        "dateline"]
    assert done.stdout.endswith("     reading: no date of its own: reported in the article of Saturday 15 March 2025, "
                                "so it was said or done on or before that day\n")


def test_as_of_and_reported_events_are_marked_in_json_and_page(tmp_path: Path) -> None:
    import json

    content = tmp_path / "content"
    content.mkdir()
    (content / "kursk.md").write_text(
        "---\ntitle: Kursk\ndate: 2025-03-15\n---\nAs of Wednesday evening, 86% of the area had been retaken.\n\n"
        "The minister responded that she was aware of the request.\n", encoding="utf-8")
    assert run(cwd=tmp_path).returncode == 0
    events = json.loads((tmp_path / "public" / "timeline.json").read_text(encoding="utf-8"))["events"]
    assert [(e["date"]["value"], e.get("as_of"), e.get("reported")) for e in events] == [("2025-03-12TEV", True, None)]
    (tmp_path / "timeline.yaml").write_text("reported_events: true\n", encoding="utf-8")
    assert run(cwd=tmp_path).returncode == 0
    events = json.loads((tmp_path / "public" / "timeline.json").read_text(encoding="utf-8"))["events"]
    assert [(e["date"]["value"], e.get("as_of"), e.get("reported")) for e in events] == [
        ("2025-03-12TEV", True, None), ("2025-03-15", None, True)]
    html = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert '<span class="as-of">as of</span> <time' in html and '<span class="reported">reported</span> <time' in html
    (tmp_path / "timeline.yaml").write_text("reported_events: yes please\n", encoding="utf-8")
    done = run(cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        1, "error: timeline.yaml:1:1: setting 'reported_events' must be true or false\n")
