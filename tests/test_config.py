from __future__ import annotations

from pathlib import Path

import pytest

from timeline.config import load_settings
from timeline.errors import InputError
from timeline.settings import Settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "timeline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults() -> None:
    assert load_settings(None, "") == Settings()


def test_settings_are_read_and_base_url_gets_a_slash(tmp_path: Path) -> None:
    path = write(tmp_path, "title: Kursk\nlanguage: fr\nbase_url: https://example.org/kursk\n")
    settings = load_settings(path, "timeline.yaml")
    assert (settings.title, settings.language, settings.base_url) == ("Kursk", "fr", "https://example.org/kursk/")
    assert settings.theme == "default"


def test_unknown_setting_suggests_the_closest(tmp_path: Path) -> None:
    path = write(tmp_path, "title: A\ntheem: dark\n")
    with pytest.raises(InputError) as caught:
        load_settings(path, "timeline.yaml")
    assert str(caught.value).startswith("timeline.yaml:2:1: unknown setting 'theem' (did you mean 'theme'?)")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "titel: A\nlanguage: 3\nbase_url: example.org\n")
    with pytest.raises(InputError) as caught:
        load_settings(path, "timeline.yaml")
    assert [p.line for p in caught.value.problems] == [1, 2, 3]


def test_unknown_language_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "title: A\nlanguage: klingon\n")
    with pytest.raises(InputError) as caught:
        load_settings(path, "timeline.yaml")
    assert str(caught.value).startswith("timeline.yaml:2:1: unknown language 'klingon'")


def test_year_pages_after_is_a_whole_number(tmp_path: Path) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text("year_pages_after: 200\n", encoding="utf-8")
    assert load_settings(path, "timeline.yaml").year_pages_after == 200
    for wrong in ("-1", "ten", "true", "2.5"):
        path.write_text(f"title: T\nyear_pages_after: {wrong}\n", encoding="utf-8")
        with pytest.raises(InputError, match=r"timeline.yaml:2:1: setting 'year_pages_after' must be a whole number"):
            load_settings(path, "timeline.yaml")
