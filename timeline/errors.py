"""Errors in a user's input, each naming the file and, where there is one, the line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


class InputError(Exception):
    """Bad input: one or more problems a user can fix. The build stops and writes nothing."""

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = (problems,) if isinstance(problems, Problem) else tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def fail(path: str, message: str, line: int | None = None, column: int | None = None) -> InputError:
    """An InputError with a single problem, ready to raise."""
    return InputError(Problem(path, message, line, column))
