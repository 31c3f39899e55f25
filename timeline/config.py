"""Reading ``timeline.yaml`` into Settings, reporting every problem with its line."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .dateformat import locale_for
from .errors import InputError, Problem
from .settings import COUNT_NAMES, SETTING_NAMES, SWITCH_NAMES, Settings
from .yamlio import YamlMap, load_yaml


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """' (did you mean 'x'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_settings(path: Path | None, display: str, defaults: Settings | None = None) -> Settings:
    """Settings from the YAML file at ``path`` (``display`` names it in messages); defaults if None."""
    defaults = defaults or Settings()
    if path is None:
        return defaults
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(Problem(display, f"cannot read the settings file: {error}")) from None
    data = load_yaml(text, display)
    if data is None:
        return defaults
    if not isinstance(data, YamlMap):
        raise InputError(Problem(display, "the settings file must be a mapping of setting: value", 1))
    problems: list[Problem] = []
    values: dict[str, str | bool | int] = {}
    for key, value in data.items():
        line, column = data.position(key)
        if key not in SETTING_NAMES:
            hint = did_you_mean(key, SETTING_NAMES)
            known = ", ".join(SETTING_NAMES)
            problems.append(Problem(display, f"unknown setting {key!r}{hint}; known settings: {known}", line, column))
        elif key in COUNT_NAMES:
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                values[key] = value
            else:
                problems.append(Problem(display, f"setting {key!r} must be a whole number, 0 or more", line, column))
        elif key in SWITCH_NAMES:
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(Problem(display, f"setting {key!r} must be true or false", line, column))
        elif not isinstance(value, str) or (key in ("title", "theme", "language") and not value.strip()):
            problems.append(Problem(display, f"setting {key!r} must be a non-empty text", line, column))
        else:
            values[key] = value.strip()
    if "language" in values:
        try:
            locale_for(str(values["language"]))
        except ValueError as error:
            line, column = data.position("language")
            problems.append(Problem(display, str(error), line, column))
    if "base_url" in values and values["base_url"] and not str(values["base_url"]).startswith(("http://", "https://")):
        line, column = data.position("base_url")
        problems.append(Problem(display, "setting 'base_url' must start with http:// or https://", line, column))
    if problems:
        raise InputError(problems)
    if values.get("base_url"):
        values["base_url"] = str(values["base_url"]).rstrip("/") + "/"
    return replace(defaults, **values)  # type: ignore[arg-type]
