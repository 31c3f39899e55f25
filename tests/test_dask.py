"""The per-article stages on a Dask cluster give byte for byte the site a local build gives."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_TEXT

distributed = pytest.importorskip(
    "distributed", reason="Dask is not installed (optional: pip install -r requirements-dask.txt)")

BUILD = str(ROOT / "build.py")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A local cluster on 127.0.0.1: a scheduler and two single-threaded worker processes, like a small farm."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, worker_dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}  # so the workers' unpickling finds the package
    return subprocess.run([sys.executable, BUILD, "build", "--no-cache", *args], cwd=project, capture_output=True,
                          text=True, timeout=300, env=environment)


def test_a_dask_build_is_byte_identical_to_a_local_one(tmp_path: Path, scheduler: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for index in range(80):  # several batches, so the cluster's results must be put back in order
        text = SEED_TEXT.replace("2025-03-15", f"2025-03-{1 + index % 28:02d}").replace("Kiev", f"Kiev {index}")
        (content / f"article-{index:03d}.txt").write_text(text, encoding="utf-8")
    local = build(tmp_path, "--jobs", "1", "--out", "local")
    assert local.returncode == 0, local.stderr
    remote = build(tmp_path, "--executor", "dask", "--scheduler", scheduler, "--out", "dask")
    assert remote.returncode == 0, remote.stderr
    assert tree(tmp_path / "dask") == tree(tmp_path / "local")


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    done = build(tmp_path, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: --scheduler tcp://127.0.0.1:9: cannot reach the Dask scheduler")


def test_scheduler_without_dask_executor_is_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    done = build(tmp_path, "--scheduler", "tcp://127.0.0.1:8786")
    assert done.returncode == 1
    assert done.stderr == "error: --scheduler: is only used with --executor dask; add --executor dask\n"
