from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import SEED_TEXT
from timeline.articles import articles_listed, find_articles, make_slug, parse_article, read_articles
from timeline.errors import InputError


def test_plain_text_dateline_and_body() -> None:
    article = parse_article(SEED_TEXT, "seed.txt")
    assert article.dateline == dt.date(2025, 3, 15)
    assert article.body.startswith("Trump had urged Putin")
    assert article.text == SEED_TEXT  # offsets are into the file exactly as read
    assert article.title.startswith("Trump had urged Putin to preserve")
    assert len(article.title) <= 90
    assert article.slug == "seed"


def test_markdown_front_matter() -> None:
    text = (
        "---\ntitle: Bridge closed\ndate: 2024-08-20\nsource: Ledger\nurl: https://example.org/a\n"
        "tags: [bridge, transport]\n---\nInspectors closed the bridge on Monday.\n"
    )
    article = parse_article(text, "news/closed.md")
    assert (article.title, article.dateline, article.source) == ("Bridge closed", dt.date(2024, 8, 20), "Ledger")
    assert article.tags == ("bridge", "transport")
    assert article.body == "Inspectors closed the bridge on Monday.\n"
    assert article.slug == "news-closed"


def test_datetime_dateline_keeps_the_day() -> None:
    article = parse_article("---\ndate: 2024-08-20T18:30:00Z\n---\nText.\n", "a.md")
    assert article.dateline == dt.date(2024, 8, 20)


def test_crlf_is_kept_so_offsets_match_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"date 2025-03-15 First line.\r\nSecond on Monday.\r\n")
    (article,) = read_articles(tmp_path)
    assert "\r\n" in article.text


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.txt", "Just prose, no dateline.\n", "a.txt:1: no dateline: a Markdown article needs front matter"),
        ("a.md", "---\ntitle: A\n---\nText.\n", "a.md:2: no dateline: add 'date: YYYY-MM-DD' to the front matter"),
        ("a.md", "---\ntitle: A\ndate: 2024-08-20\nText.\n",
         "a.md:1: the front matter opened on line 1 is never closed"),
        ("a.md", "---\n- a\n- b\n---\nText.\n", "a.md:2: the front matter must be a mapping"),
        ("a.md", "---\ntitle: A\ndate: yesterday\n---\nText.\n", "a.md:3: the dateline 'yesterday' is not a date"),
        ("a.md", "---\ndate: 2024-08-20\ntitel: A\n---\nText.\n",
         "a.md:3:1: unknown front matter field 'titel' (did you mean 'title'?)"),
        ("a.txt", "", "a.txt:1: this file is empty"),
    ],
)
def test_bad_articles_are_reported_with_file_and_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_articles(tmp_path)
    assert str(caught.value).startswith(expected)


def test_non_utf8_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("date 2025-03-15 Caf\xe9 opened.\n".encode("latin-1"))
    (tmp_path / "blob.txt").write_bytes(b"date 2025-03-15 \x00\x01\x02")
    with pytest.raises(InputError) as caught:
        read_articles(tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("blob.txt: this is a binary file")
    assert messages[1].startswith("latin.txt:1: this file is not UTF-8 text (byte 0xe9")


def test_all_problems_are_collected_and_slugs_must_be_unique(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ndate: 2024-08-20\n---\nText.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("date 2024-08-21 Text.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("no dateline\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_articles(tmp_path)
    assert [p.path for p in caught.value.problems] == ["a.txt", "b.txt"]
    assert "slug 'a' is already used by a.md" in caught.value.problems[0].message


def test_files_are_read_in_a_stable_order_and_hidden_ones_skipped(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", ".hidden.txt", "notes.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("date 2024-08-21 Text.\n", encoding="utf-8")
    assert [a.path for a in read_articles(tmp_path)] == ["a.txt", "b.txt", "sub/c.txt"]


def test_slug() -> None:
    assert make_slug("News/2024-08-20 Bridge Closed!.md") == "news-2024-08-20-bridge-closed"


def test_a_listing_of_the_folder_gives_the_articles_its_walk_finds(tmp_path: Path) -> None:
    names = ["a.md", "B.MD", "c.Markdown", "d.txt", "e.TXT", "notes.yaml", ".hidden.md", "sub/.x.txt", "sub/f.md",
             "sub/deeper/g.txt", "sub/deeper/readme", "x.md.bak", "sub.md/h.md"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("date 2024-01-01\nText.\n", encoding="utf-8")
    listing = sorted((name, str(tmp_path / name)) for name in names)  # every file, as the fingerprint walks them
    assert articles_listed(listing) == find_articles(tmp_path)
    assert [display for display, _ in articles_listed(listing)] == [
        "B.MD", "a.md", "c.Markdown", "d.txt", "e.TXT", "sub.md/h.md", "sub/deeper/g.txt", "sub/f.md"]
