"""Skipping a build when nothing changed: what counts as a change, and what a skipped build does not load."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUILD = str(ROOT / "build.py")


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, BUILD, "build", "--jobs", "1", *args], cwd=project, capture_output=True,
                          text=True, timeout=120)


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_a_build_with_nothing_to_do_loads_no_stage(seed_content: Path) -> None:
    project = seed_content.parent
    assert build(project).returncode == 0
    site = inodes(project / "public")
    code = ("import sys; from timeline.cli import main; status = main(['build', '--jobs', '1', '-q']); "
            "print(status, sorted(m for m in ('jinja2', 'babel', 'dateparser', 'yaml', 'timeline.temporal', "
            "'timeline.pipeline') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
    assert inodes(project / "public") == site  # not a file written


def test_a_rebuild_that_reads_no_yaml_does_not_load_pyyaml(seed_content: Path) -> None:
    project = seed_content.parent
    assert build(project).returncode == 0
    seed = seed_content / "seed.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe bridge opened on 3 March 2025.\n", encoding="utf-8")
    code = ("import sys; from timeline.cli import main; status = main(['build', '--jobs', '1', '-q']); "
            "print(status, 'timeline.pipeline' in sys.modules, 'yaml' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "0 True False", done.stdout + done.stderr  # built, without PyYAML


@pytest.mark.parametrize("change", ["overrides", "settings", "template", "hidden file in content", "new article"])
def test_every_input_is_noticed(seed_content: Path, change: str) -> None:
    project = seed_content.parent
    (project / "timeline.yaml").write_text("title: One\n", encoding="utf-8")
    (project / "templates").mkdir()
    first = build(project)
    assert first.returncode == 0, first.stderr
    before = (project / "public" / "index.html").read_bytes()
    if change == "overrides":
        (seed_content / "overrides.yaml").write_text("add:\n  - id: by-hand\n    date: 2024-01-05\n    title: By hand\n"
                                                     "    text: Added by hand.\n",
                                                     encoding="utf-8")
    elif change == "settings":
        (project / "timeline.yaml").write_text("title: Two\n", encoding="utf-8")
    elif change == "template":
        base = (ROOT / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
        (project / "templates" / "base.html").write_text(base.replace("<body", "<!-- mine -->\n<body", 1),
                                                         encoding="utf-8")
    elif change == "hidden file in content":
        (seed_content / ".notes").write_text("not an article", encoding="utf-8")
    else:
        (seed_content / "second.txt").write_text("date 2024-09-01\nIt rained on 3 August 2024.\n", encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.stderr
    after = (project / "public" / "index.html").read_bytes()
    fresh = build(project, "--no-cache", "--out", "fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert after == (project / "fresh" / "index.html").read_bytes()  # whatever changed, the site is a full build's
    if change != "hidden file in content":
        assert after != before


def test_after_one_edit_only_its_files_are_written_and_the_site_is_a_fresh_builds(tmp_path: Path) -> None:
    project = tmp_path
    content = project / "content"
    content.mkdir()
    # More sources than every page lists (render.FILTER_LIST_LIMIT): below that, each page shows every source's
    # count of events, so an edit that changes one count rightly changes every page.
    for number in range(70):
        (content / f"story-{number}.md").write_text(
            f"---\ntitle: Story {number}\ndate: 2025-03-{10 + number % 10}\ntags: [town-{number % 7}]\n---\n"
            f"The council of town {number} met on {1 + number % 28} February 2025 about its budget.\n",
            encoding="utf-8")
    first = build(project)
    assert first.returncode == 0, first.stderr
    before = inodes(project / "public")
    edited = content / "story-2.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "The mayor of town two resigned in June 2024.\n",
                      encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.stderr
    after = inodes(project / "public")
    written = {path for path, inode in after.items() if before.get(path) != inode}
    assert "sources/story-2.html" in written and "index.html" in written and "timeline.json" in written
    assert "tags/town-2.html" in written
    assert "sources/story-4.html" not in written and "tags/town-4.html" not in written
    assert "static/style.css" not in written
    fresh = build(project, "--no-cache", "--out", "fresh")
    assert fresh.returncode == 0, fresh.stderr
    made = {p.relative_to(project / "public").as_posix(): p.read_bytes() for p in (project / "public").rglob("*")
            if p.is_file()}
    assert made == {p.relative_to(project / "fresh").as_posix(): p.read_bytes()
                    for p in (project / "fresh").rglob("*") if p.is_file()}


def test_a_rebuild_replays_the_last_merge_and_keeps_a_new_trace(tmp_path: Path) -> None:
    from timeline import incremental
    from timeline.cache import CACHE_DIR, Cache
    from timeline.merge import merge_events
    from timeline.overrides import merge_rules
    from timeline.pipeline import article_events, read_inputs
    from timeline.settings import Settings

    content = tmp_path / "content"
    content.mkdir()
    for number in range(12):
        (content / f"story-{number}.md").write_text(
            f"---\ntitle: Story {number}\ndate: 2025-03-{10 + number % 5}\n---\n"
            f"The council of town {number % 3} met on {1 + number % 4} February 2025 about its budget.\n",
            encoding="utf-8")
    assert build(tmp_path).returncode == 0
    cache = Cache(tmp_path / CACHE_DIR)
    first = incremental.last_merge(cache, tmp_path / "public")
    cache.close()
    assert first
    (content / "story-3.md").write_text((content / "story-3.md").read_text(encoding="utf-8")
                                        + "The mayor resigned in June 2024.\n", encoding="utf-8")
    assert build(tmp_path).returncode == 0
    cache = Cache(tmp_path / CACHE_DIR)
    second = incremental.last_merge(cache, tmp_path / "public")
    cache.close()
    assert second and second != first
    # The trace the first build kept is one this build's merge replays, with the same result as from scratch.
    inputs = read_inputs(content)
    events = [event for article in inputs.articles for event in article_events(article, Settings())[1]]
    rules = merge_rules(inputs.overrides)
    replayed = merge_events(events, rules, previous=first)
    assert replayed.events == merge_events(events, rules).events
    assert replayed.recomputed < len(events)


def test_a_record_of_another_shape_is_not_taken(tmp_path: Path) -> None:
    import marshal

    from timeline import incremental
    from timeline.cache import Cache

    out = tmp_path / "public"
    cache = Cache(tmp_path / "cache")
    summary = incremental.Summary(3, 4, 5, ("a warning",))
    manifest = {"index.html": (10, 20, 30, 40, "ab12")}
    incremental.remember(cache, out, "fingerprint", "default", manifest, summary, {"index.html": "key"})
    assert incremental.last_build(cache, out) == incremental.Record("fingerprint", "default", manifest, summary,
                                                                    {"index.html": "key"})
    slot = "build:" + incremental._slot(out)
    good = (incremental.RECORD, "fingerprint", "default", manifest, 3, 4, 5, ("a warning",), {"index.html": "key"})
    def changed(at: int, value: object) -> tuple[object, ...]:
        return (*good[:at], value, *good[at + 1:])

    entry = manifest["index.html"]
    for forged in (good[:-1], changed(0, "timeline-build/0"), changed(3, {"index.html": [10, 20, 30, 40, "ab12"]}),
                   changed(3, {"index.html": (10, 20, 30, "40", "ab12")}), changed(3, {"index.html": 10}),
                   changed(3, {"index.html": entry[:4]}), changed(3, {"index.html": (*entry, 1)}),
                   changed(3, {"index.html": (10, True, 30, 40, "ab12")}),
                   changed(3, {"index.html": (10, 20, 30, 40, b"ab12")}), changed(3, {**manifest, 7: entry}),
                   changed(3, []), changed(4, 3.0), changed(7, ("a warning", 1)), changed(8, {"index.html": 1}),
                   changed(8, {1: "key"})):
        cache.set_blob(slot, marshal.dumps(forged))
        assert incremental.last_build(cache, out) is None, forged
    for taken in (good, changed(3, {}), changed(8, {})):  # in any version of marshal
        for version in (2, 4):
            cache.set_blob(slot, marshal.dumps(taken, version))
            assert incremental.last_build(cache, out) is not None, (taken, version)
    cache.set_blob(slot, b"not marshal data")
    assert incremental.last_build(cache, out) is None
    cache.close()
