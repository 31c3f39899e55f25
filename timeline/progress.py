"""A progress bar for long builds: on a terminal only, never in pipes, logs or CI."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30
MINIMUM = 200  # articles; smaller builds finish before a bar would be read
INTERVAL = 0.1  # seconds between redraws, so drawing costs nothing next to the work


def wanted(stream: TextIO) -> bool:
    """Whether to draw a bar on ``stream``: it is a terminal and this is not a CI job."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress_bar(stream: TextIO, label: str = "articles") -> Callable[[int, int], None] | None:
    """A callback drawing ``done/total`` as a bar on ``stream``, or None when no bar should be drawn."""
    if not wanted(stream):
        return None
    last = 0.0

    def draw(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if total < MINIMUM or (done < total and now - last < INTERVAL):
            return
        last = now
        filled = WIDTH * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {label}")
        if done >= total:
            stream.write("\r" + " " * (WIDTH + 2 * len(str(total)) + len(label) + 5) + "\r")  # leave no trace
        stream.flush()

    return draw
