"""The example site, built and compared file by file with a stored copy (as Pelican's tests do).

Any change to what the site contains shows up here as a diff to review. After an
intended change, refresh the copy with

    TIMELINE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and commit tests/golden/ with the change that caused it.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "example"


def build_example(out: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(ROOT / "content"),
         "--config", str(ROOT / "timeline.yaml"), "--out", str(out), "--quiet", "--no-cache"],
        cwd=out.parent, capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_example_site_matches_the_stored_copy(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_example(out)
    built = files_of(out)
    if os.environ.get("TIMELINE_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    stored = files_of(GOLDEN)
    assert sorted(built) == sorted(stored), "files added or missing; see the module docstring to refresh"
    for name, data in built.items():
        if data != stored[name]:
            diff = difflib.unified_diff(
                stored[name].decode("utf-8", "replace").splitlines(),
                data.decode("utf-8", "replace").splitlines(),
                f"golden/{name}", f"built/{name}", lineterm="", n=2,
            )
            raise AssertionError("\n".join(list(diff)[:60]))
