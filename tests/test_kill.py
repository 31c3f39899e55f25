"""Never half a site: a build killed at any moment leaves the previous site whole, and the next build tidies up."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import run, tree
from timeline import output
from timeline.output import MARKER, exchange_paths, recover_output_dir, write_site

# Enough articles that writing the site takes a while (a page per source), so a kill can land during the writing.
ARTICLES = 120


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def site(folder: Path, text: bytes) -> Path:
    """A complete site as a build leaves it: a page and the marker."""
    folder.mkdir()
    (folder / "index.html").write_bytes(text)
    (folder / MARKER).write_bytes(output.MARKER_TEXT)
    return folder


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    if output._renameat2() is None:
        pytest.skip("this C library has no renameat2; builds fall back to two renames")
    site(tmp_path / "a", b"a")
    site(tmp_path / "b", b"b")
    assert exchange_paths(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "index.html").read_bytes() == b"b"
    assert (tmp_path / "b" / "index.html").read_bytes() == b"a"


def test_the_output_folder_is_swapped_without_a_moment_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if output._renameat2() is None:
        pytest.skip("this C library has no renameat2; builds fall back to two renames")
    out = tmp_path / "public"
    write_site({"index.html": b"one"}, out)

    def no_rename(*args: object) -> None:
        raise AssertionError("a rename would leave a moment with no output folder")

    monkeypatch.setattr(os, "rename", no_rename)
    write_site({"index.html": b"two"}, out)
    assert (out / "index.html").read_bytes() == b"two"
    assert sorted(os.listdir(tmp_path)) == ["public"]


def test_without_exchange_two_renames_still_replace_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "exchange_paths", lambda first, second: False)
    out = tmp_path / "public"
    write_site({"index.html": b"one"}, out)
    write_site({"index.html": b"two", "static/a.css": b"a"}, out)
    assert tree(out) == {"index.html": b"two", "static/a.css": b"a", MARKER: output.MARKER_TEXT}
    assert sorted(os.listdir(tmp_path)) == ["public"]


def test_recovery_puts_back_the_site_a_killed_build_retired(tmp_path: Path) -> None:
    pid = dead_pid()
    site(tmp_path / f".public.old-{pid}-abc123", b"previous")
    site(tmp_path / f".public.new-{pid}-def456", b"half")
    recover_output_dir(tmp_path / "public")
    assert (tmp_path / "public" / "index.html").read_bytes() == b"previous"
    assert sorted(os.listdir(tmp_path)) == ["public"]


def test_recovery_removes_only_folders_of_builds_no_longer_running(tmp_path: Path) -> None:
    out = site(tmp_path / "public", b"current")
    dead, alive = dead_pid(), os.getppid()
    for name in (f".public.new-{dead}-aaa", f".public.old-{dead}-bbb",  # a killed build's: removed
                 f".public.new-{alive}-ccc", f".public.old-{alive}-ddd",  # a build still running: kept
                 f".public.new-{os.getpid()}-eee",  # this process's own
                 ".public.new-x1y2z3", ".public.notes", f".site.new-{dead}-fff"):  # not ours by name: kept
        (tmp_path / name).mkdir()
    recover_output_dir(out)
    assert sorted(os.listdir(tmp_path)) == sorted([
        "public", f".public.new-{alive}-ccc", f".public.old-{alive}-ddd", f".public.new-{os.getpid()}-eee",
        ".public.new-x1y2z3", ".public.notes", f".site.new-{dead}-fff"])
    assert (out / "index.html").read_bytes() == b"current"


def test_a_retired_folder_without_the_marker_is_never_made_the_site(tmp_path: Path) -> None:
    (tmp_path / f".public.old-{dead_pid()}-abc").mkdir()
    recover_output_dir(tmp_path / "public")
    assert os.listdir(tmp_path) == []


def write_articles(content: Path, count: int, first: int = 0) -> None:
    """``count`` small articles, each with a few dated sentences."""
    content.mkdir(exist_ok=True)
    start = dt.date(2020, 1, 1)
    for number in range(first, first + count):
        day = start + dt.timedelta(days=number)
        (content / f"story-{number:05d}.txt").write_text(
            f"date {day.isoformat()} The council of town {number} met on Monday to discuss the harbour. "
            f"The vote was held in {day:%B %Y}, officials said. Work will start next week.\n",
            encoding="utf-8",
        )


def kill_group(pid: int) -> None:
    """Stop what the killed build left running (its worker processes), so the test leaves nothing behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def staging_folders(parent: Path, pid: int) -> list[Path]:
    return [parent / name for name in os.listdir(parent) if name.startswith(f".public.new-{pid}-")]


def test_a_build_killed_while_writing_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    project = tmp_path
    content = project / "content"
    write_articles(content, 2)
    assert run(cwd=project).returncode == 0
    previous = tree(project / "public")
    write_articles(content, ARTICLES, first=2)
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for _attempt in range(3):
        build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--quiet"], cwd=project, env=environment,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 600
            staging: list[Path] = []
            while build.poll() is None and time.monotonic() < deadline:
                staging = staging_folders(project, build.pid)
                if staging and any(name != MARKER for name in os.listdir(staging[0])):
                    break  # the new site is being written
                time.sleep(0.001)
            build.send_signal(signal.SIGKILL)
        finally:
            build.kill()
            build.wait()
            kill_group(build.pid)
        leftover = staging_folders(project, build.pid)
        if build.returncode == -signal.SIGKILL and leftover and not (leftover[0] / MARKER).exists():
            break  # killed mid-write: the half-written staging folder is still there, without its marker
        # The kill came too late (after the swap); put the previous site back and try again.
        for path in [*leftover, project / "public"]:
            subprocess.run(["rm", "-rf", str(path)], check=True)
        (project / "public").mkdir()
        for relative, data in previous.items():
            (project / "public" / relative).parent.mkdir(parents=True, exist_ok=True)
            (project / "public" / relative).write_bytes(data)
    else:
        pytest.fail("the build was never killed while it was writing the site; make ARTICLES larger")
    assert tree(project / "public") == previous  # whole, and byte for byte the previous site

    done = run(cwd=project)  # the next build removes the killed build's staging folder and succeeds
    assert done.returncode == 0, done.stderr
    assert not staging_folders(project, build.pid)
    assert sorted(n for n in os.listdir(project) if n != ".timeline-cache") == ["content", "public"]
    assert len(tree(project / "public")) > len(previous)


KILL_BETWEEN_RENAMES = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, sys.argv[1])
    from timeline import output
    from timeline.cli import main
    output.exchange_paths = lambda first, second: False  # as on a system without renameat2
    real_rename = os.rename
    def rename(source, target):
        real_rename(source, target)
        if os.path.basename(str(target)).startswith(".public.old-"):
            os.kill(os.getpid(), signal.SIGKILL)  # the worst moment: the previous site retired, the new not yet in
    os.rename = rename
    sys.exit(main(sys.argv[2:]))
""")


def test_a_build_killed_between_the_two_renames_loses_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_articles(content, 2)
    assert run(cwd=tmp_path).returncode == 0
    previous = tree(tmp_path / "public")
    write_articles(content, 1, first=2)
    killed = subprocess.Popen([sys.executable, "-c", KILL_BETWEEN_RENAMES, str(ROOT), "--quiet"], cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = killed.communicate(timeout=300)
    finally:
        killed.kill()
        killed.wait()
        kill_group(killed.pid)
    assert killed.returncode == -signal.SIGKILL, stderr
    assert not (tmp_path / "public").exists()  # the moment a plain two-rename swap leaves no site
    (content / "broken.txt").write_text("no dateline\n", encoding="utf-8")
    done = run(cwd=tmp_path)  # even a build that fails on its input first puts the previous site back
    assert done.returncode == 1
    assert tree(tmp_path / "public") == previous
    assert sorted(n for n in os.listdir(tmp_path) if n != ".timeline-cache") == ["content", "public"]


def test_two_builds_at_once_into_the_same_folder_both_succeed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_articles(content, 30)
    assert run(cwd=tmp_path).returncode == 0
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    builds = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--quiet"], cwd=tmp_path, env=environment,
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [build.communicate(timeout=300)[1] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], errors
    # Neither removed the other's staging folder; the site is whole and nothing is left beside it.
    assert sorted(n for n in os.listdir(tmp_path) if n != ".timeline-cache") == ["content", "public"]
    assert (tmp_path / "public" / MARKER).is_file() and (tmp_path / "public" / "index.html").is_file()
