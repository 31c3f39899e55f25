"""The style guide's checks, run with the tests: ruff for lint and mypy (strict) for types.

Settings live in pyproject.toml. A finding fails the test with the tool's own report.
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = run_tool("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing() -> None:
    done = run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
