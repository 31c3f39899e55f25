from __future__ import annotations

from pathlib import Path

import pytest

from timeline.errors import InputError
from timeline.output import MARKER, check_output_dir, write_site


def test_write_replaces_the_whole_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site({"index.html": b"one", "static/a.css": b"a"}, out)
    write_site({"index.html": b"two"}, out)
    assert (out / "index.html").read_bytes() == b"two"
    assert not (out / "static").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no staging folder left behind


def test_a_failed_write_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site({"index.html": b"old"}, out)
    with pytest.raises(ValueError):
        write_site({"index.html": b"new", "../escape.html": b"x"}, out)
    assert (out / "index.html").read_bytes() == b"old"
    assert not (tmp_path / "escape.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_output_inside_content_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for out in (content, content / "public", tmp_path):
        with pytest.raises(InputError):
            check_output_dir(out, content)


def test_a_folder_timeline_did_not_make_is_never_replaced(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(InputError, match="was not made by timeline"):
        check_output_dir(mine, tmp_path / "content")
    out = tmp_path / "public"
    write_site({"index.html": b"x"}, out)
    assert (out / MARKER).is_file()
    check_output_dir(out, tmp_path / "content")  # our own output may be replaced
