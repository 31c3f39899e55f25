"""End to end: run build.py as a user would, in a folder of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_TEXT

BUILD = str(ROOT / "build.py")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    return subprocess.run([sys.executable, BUILD, *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def events_of(site: Path) -> list[dict]:
    return json.loads((site / "timeline.json").read_text(encoding="utf-8"))["events"]


def test_seed_builds_into_ordered_events(seed_content: Path) -> None:
    done = run(cwd=seed_content.parent)
    assert done.returncode == 0, done.stderr
    summary = done.stdout.strip()
    assert summary.startswith("1 articles read, ") and summary.endswith(f"{Path('public') / 'index.html'}")
    events = events_of(seed_content.parent / "public")
    dated = [(e["date"]["value"], e["sources"][0]["sentence"]) for e in events]
    values = [value for value, _ in dated]
    assert values == sorted(values, key=lambda v: (v[:10]))  # chronological
    by_value = {value: sentence for value, sentence in dated}
    assert by_value["2024-08"].startswith("Kiev launched a major offensive into the Kursk area in August 2024")
    assert by_value["2025-03-12TEV"].startswith("As of Wednesday evening")
    assert "86%" in by_value["2025-03-12TEV"]
    assert by_value["2025-03-13"].startswith("Speaking on Thursday")
    assert values.index("2024-08") < values.index("2025-03-12TEV") < values.index("2025-03-13")
    for event in events:
        expression = event["sources"][0]["expression"]
        assert expression["text"].lower() not in ("we", "[we]", "86%")
        assert event["sources"][0]["sentence"][expression["start"] : expression["end"]] == expression["text"]
    evening = next(e for e in events if e["date"]["value"] == "2025-03-12TEV")
    assert evening["date"] == {"value": "2025-03-12TEV", "start": "2025-03-12", "end": "2025-03-12",
                               "precision": "partofday"}
    html = (seed_content.parent / "public" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2024-08"' in html and "August 2024" in html
    assert "<mark>Wednesday evening</mark>" in html


def test_tag_prints_offsets_into_the_file(seed_content: Path) -> None:
    done = run("tag", str(seed_content / "seed.txt"), cwd=seed_content.parent)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    for record in records:
        assert set(record) == {"start", "end", "text", "type", "value"}
        assert SEED_TEXT[record["start"] : record["end"]] == record["text"]
    dates = [(r["text"], r["value"]) for r in records if r["type"] in ("DATE", "TIME")]
    assert dates == [("August 2024", "2024-08"), ("Wednesday evening", "2025-03-12TEV"),
                     ("August 2024", "2024-08"), ("Thursday", "2025-03-13")]
    assert not any(r["text"].strip("[]").lower() in ("we", "86%") for r in records)


def test_tag_with_several_files_and_a_given_dateline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("They met on Monday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2025-03-15 They will meet on Monday.\n", encoding="utf-8")
    done = run("tag", "--dct", "2025-03-15", "a.txt", "b.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["file"], r["value"]) for r in records] == [("a.txt", "2025-03-10"), ("b.txt", "2025-03-17")]
    assert records[1]["start"] == len("date 2025-03-15 They will meet on ")


def test_tag_without_any_dateline_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("They met on Monday.\n", encoding="utf-8")
    done = run("tag", "a.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("error: a.txt: no dateline in this file")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_broken_overrides_fail_cleanly_and_keep_the_previous_site(seed_content: Path) -> None:
    project = seed_content.parent
    assert run(cwd=project).returncode == 0
    before = tree(project / "public")
    (seed_content / "overrides.yaml").write_text("events:\n  seed-x:\n    hide: [true\n", encoding="utf-8")
    done = run(cwd=project)
    assert done.returncode == 1
    assert done.stderr.startswith("error: overrides.yaml:4:1: this is not valid YAML")
    assert "Traceback" not in done.stderr
    assert tree(project / "public") == before
    # the build cache stays (it is kept between builds); no staging folder or half-written site does
    assert sorted(p.name for p in project.iterdir() if p.name != ".timeline-cache") == ["content", "public"]


def test_override_naming_no_event_is_reported_and_nothing_written(seed_content: Path) -> None:
    (seed_content / "overrides.yaml").write_text("events:\n  seed-00000000:\n    hide: true\n", encoding="utf-8")
    done = run("--strict", cwd=seed_content.parent)
    assert done.returncode == 1
    assert done.stderr.startswith("error: overrides.yaml:2:3: no event has the id 'seed-00000000'")
    assert not (seed_content.parent / "public").exists()


def test_override_naming_no_event_is_a_warning_by_default(seed_content: Path) -> None:
    (seed_content / "overrides.yaml").write_text("events:\n  seed-00000000:\n    hide: true\n", encoding="utf-8")
    done = run(cwd=seed_content.parent)
    assert done.returncode == 0
    assert done.stderr == ("overrides.yaml:2:3: warning: no event has the id 'seed-00000000'; "
                           "`python build.py` lists ids in timeline.json\n")
    assert (seed_content.parent / "public" / "index.html").is_file()


def test_overrides_change_the_published_timeline(seed_content: Path) -> None:
    project = seed_content.parent
    assert run(cwd=project).returncode == 0
    events = events_of(project / "public")
    offensive = next(e for e in events if e["date"]["value"] == "2024-08")
    thursday = next(e for e in events if e["date"]["value"] == "2025-03-13")
    (seed_content / "overrides.yaml").write_text(
        f"events:\n  {offensive['id']}:\n    date: 6 August 2024\n    tags: [kursk]\n"
        f"  {thursday['id']}:\n    hide: true\n"
        "add:\n  - id: ceasefire-proposal\n    date: 2025-03-11\n    title: US proposes a ceasefire\n"
        "    text: 'Talks in **Jeddah**. <script>alert(1)</script>'\n",
        encoding="utf-8",
    )
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    after = {e["id"]: e for e in events_of(project / "public")}
    assert after[offensive["id"]]["date"]["value"] == "2024-08-06"
    assert "kursk" in after[offensive["id"]]["tags"]
    assert thursday["id"] not in after
    assert after["ceasefire-proposal"]["date"]["start"] == "2025-03-11"
    html = (project / "public" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Jeddah</strong>" in html and "<script>alert(1)</script>" not in html


def test_check_validates_and_writes_nothing(seed_content: Path) -> None:
    done = run("check", cwd=seed_content.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: 1 articles")
    assert sorted(p.name for p in seed_content.parent.iterdir()) == ["content"]


def test_check_reports_every_problem_at_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.txt").write_text("no dateline\n", encoding="utf-8")
    (content / "b.md").write_text("---\ndate: 2024-13-01\n---\nText.\n", encoding="utf-8")
    (content / "overrides.yaml").write_text("events:\n  x:\n    dat: 2024\n", encoding="utf-8")
    done = run("check", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:3]] == ["a.txt", "b.md", "overrides.yaml"]
    assert lines[-1] == "3 problems; nothing was written."


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert run("build", "--no-such-flag", cwd=tmp_path).returncode == 2
    assert run("tag", cwd=tmp_path).returncode == 2
    assert run("tag", "--dct", "15 March", "x.txt", cwd=tmp_path).returncode == 2


def test_missing_content_folder(tmp_path: Path) -> None:
    done = run("build", "--content", "nowhere", cwd=tmp_path)
    assert (done.returncode, done.stderr.strip()) == (1, "error: nowhere: the content folder does not exist")


def test_two_builds_are_byte_identical(seed_content: Path, tmp_path: Path) -> None:
    project = seed_content.parent
    assert run("build", "--out", str(tmp_path / "one"), cwd=project).returncode == 0
    assert run("build", "--out", str(tmp_path / "two"), cwd=project).returncode == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_build_date_comes_only_from_source_date_epoch(seed_content: Path) -> None:
    project = seed_content.parent
    assert run(cwd=project, env={"SOURCE_DATE_EPOCH": "1742000000"}).returncode == 0
    assert "2025-03-15" in (project / "public" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("flag", ["--config", "--theme"])
def test_other_folders_settings_and_theme(seed_content: Path, tmp_path: Path, flag: str) -> None:
    config = tmp_path / "site.yaml"
    config.write_text("title: Kursk, as reported\nlanguage: fr\n", encoding="utf-8")
    args = ["build", "--content", str(seed_content), "--out", str(tmp_path / "site")]
    args += ["--config", str(config)] if flag == "--config" else ["--theme", "default"]
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    if flag == "--config":
        assert "Kursk, as reported" in html and 'lang="fr"' in html and "août 2024" in html


def test_unknown_theme_lists_the_available_ones(seed_content: Path) -> None:
    done = run("build", "--theme", "nosuch", cwd=seed_content.parent)
    assert done.returncode == 1
    assert "unknown theme 'nosuch'; available themes: default" in done.stderr


def test_the_example_content_builds(tmp_path: Path) -> None:
    done = run("build", "--content", str(ROOT / "content"), "--config", str(ROOT / "timeline.yaml"),
               "--out", str(tmp_path / "site"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    events = events_of(tmp_path / "site")
    assert len(events) >= 10
    assert len({source["article"] for e in events for source in e["sources"]}) == 7


def test_strict_reports_errors_and_warnings_together(seed_content: Path) -> None:
    project = seed_content.parent
    assert run(cwd=project).returncode == 0
    taken = events_of(project / "public")[0]["id"]
    (seed_content / "overrides.yaml").write_text(
        "events:\n  seed-00000000:\n    hide: true\n"
        f"add:\n  - id: {taken}\n    date: 2025-03-11\n    title: Clash\n",
        encoding="utf-8",
    )
    done = run("build", "--strict", cwd=project)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("error: overrides.yaml:2:3: no event has the id 'seed-00000000'")
    assert lines[1].startswith(f"error: overrides.yaml:5:5: the id '{taken}' is already an event's id")
    assert lines[-1] == "2 problems; nothing was written."


def test_rebuilds_retire_the_last_site_into_the_cache_and_a_build_after_them_has_nothing_to_do(
        seed_content: Path) -> None:
    project = seed_content.parent
    (seed_content / "second.md").write_text("---\ntitle: Second\ndate: 2025-03-20\n---\nThe bridge opened on "
                                            "3 March 2025.\n", encoding="utf-8")
    assert run("build", "--jobs", "1", cwd=project).returncode == 0
    for day in (4, 5):  # two edits: the second build removes the site the first one retired
        (seed_content / "second.md").write_text(f"---\ntitle: Second\ndate: 2025-03-20\n---\nThe bridge opened on "
                                                f"{day} March 2025.\n", encoding="utf-8")
        done = run("build", "--jobs", "1", cwd=project)
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in project.iterdir()) == [".timeline-cache", "content", "public"]
        retired = [site for folder in (project / ".timeline-cache" / "trash").iterdir() for site in folder.iterdir()]
        assert len(retired) == 1
    site = tree(project / "public")
    assert f"{5} March 2025" in site["sources/second.html"].decode()
    # The manifest holds every file's change time as it stood after the trash was emptied: nothing to do now.
    code = "import sys; from timeline.cli import main; main(['build', '-q']); print('timeline.pipeline' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "False", done.stdout + done.stderr
    assert tree(project / "public") == site


def test_a_rebuild_makes_its_page_keys_while_the_last_site_is_linked(seed_content: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import cli, output, render

    project = seed_content.parent
    monkeypatch.chdir(project)
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0
    (seed_content / "second.md").write_text("---\ntitle: Second\ndate: 2025-03-20\n---\nThe bridge opened on "
                                            "3 March 2025.\n", encoding="utf-8")
    steps: list[str] = []
    linked, keys = output.Prelinked.linked, render._Site.keys
    monkeypatch.setattr(output.Prelinked, "linked", lambda self: steps.append("linked") or linked(self))
    monkeypatch.setattr(render._Site, "keys", lambda self, tasks: steps.append("keys") or keys(self, tasks))
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0
    # The build waits for the child linking the last site's files only once its keys are made, not before.
    assert steps[:2] == ["keys", "linked"]
    assert cli.main(["build", "--jobs", "1", "-q", "--no-cache", "--out", "fresh"]) == 0
    assert tree(project / "public") == tree(project / "fresh")


def test_the_collector_is_paused_from_the_check_of_the_last_build_and_back_on_after(
        seed_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from timeline import cli, incremental

    monkeypatch.chdir(seed_content.parent)
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0
    collecting: list[bool] = []
    last_build = incremental.last_build
    monkeypatch.setattr(incremental, "last_build", lambda *args: collecting.append(gc.isenabled()) or last_build(*args))
    assert gc.isenabled()
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0  # nothing to do: the check alone
    assert collecting == [False] and gc.isenabled()


def test_a_rebuild_splices_the_exports_through_indexes_sealed_with_their_files_digests(
        seed_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An export's stored index names the SHA-256 of its file; found again beside that file, its pieces are copied
    without a CRC of each. Sealed for another file, each piece is checked, and the site is a fresh build's still."""
    import marshal
    import zlib

    from timeline import cli, incremental, splice
    from timeline.cache import CACHE_DIR, Cache
    from timeline.reuse import dump_indexes

    project = seed_content.parent
    monkeypatch.chdir(project)
    out = Path("public")
    crcs: list[int] = []
    monkeypatch.setattr(splice, "zlib", type("Zlib", (), {"crc32": staticmethod(
        lambda piece: crcs.append(len(piece)) or zlib.crc32(piece))}))

    def stored() -> tuple[dict[str, bytes], incremental.Record]:
        cache = Cache(project / CACHE_DIR)
        try:
            record = incremental.last_build(cache, out)
            assert record is not None
            return incremental.last_pieces(cache, out), record
        finally:
            cache.close()

    def edit(title: str) -> None:
        (seed_content / "second.md").write_text(f"---\ntitle: {title}\ndate: 2025-03-20\n---\nThe bridge opened on "
                                                "3 March 2025.\n", encoding="utf-8")

    happenings = ["The port reopened", "Elections were held", "A storm hit the coast", "The museum closed",
                  "Farmers marched on the capital", "The central bank raised rates", "A new school was built",
                  "The festival drew crowds"]
    for day, happening in enumerate(happenings, 1):
        (seed_content / f"extra{day}.md").write_text(f"---\ntitle: Extra {day}\ndate: 2025-06-20\n---\n{happening} "
                                                     f"on {day * 3} May 2025.\n", encoding="utf-8")
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0
    pieces, record = stored()
    index = marshal.loads(pieces["timeline.json"])
    assert index[0] == (splice.SEAL + record.manifest["timeline.json"][4], 0, 0, 0)
    events = len(index) - 1
    assert events > 8
    edit("Second")
    crcs.clear()
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0
    proven = len(crcs)  # the pieces made
    pieces, record = stored()
    cache = Cache(project / CACHE_DIR)
    exports = {"timeline.json", "timelinejs.json", "timeline.ics", "feed.atom"} & pieces.keys()
    assert len(exports) >= 3
    try:  # every export's index sealed for another file
        forged = {path: marshal.dumps([(splice.SEAL + "0" * 64, 0, 0, 0), *marshal.loads(index)[1:]], 4)
                  if path in exports else index for path, index in pieces.items()}
        cache.set_blob("pieces:" + incremental._slot(out), dump_indexes(forged))
    finally:
        cache.close()
    edit("Third")
    crcs.clear()
    assert cli.main(["build", "--jobs", "1", "-q"]) == 0
    assert len(crcs) >= proven + len(exports) * (events - 2)  # besides those made, each piece copied, in each export
    assert cli.main(["build", "--jobs", "1", "-q", "--no-cache", "--out", "fresh"]) == 0
    assert tree(project / "public") == tree(project / "fresh")
