"""Reading the content folder into Articles: the first stage, and the only one that reads articles.

Two forms are read:

* Markdown (``.md``, ``.markdown``) opening with YAML front matter between
  ``---`` lines: ``title``, ``date`` (the dateline, required), and optionally
  ``source``, ``url``, ``tags``, ``author``, ``slug``.
* Plain text (``.txt``) opening with a dateline, ``date 2025-03-15`` (a colon
  after ``date`` and a time after the day are accepted), then the prose.

Files are decoded as UTF-8 without newline translation, so every offset the
tagger reports is an offset into the file exactly as it is on disk.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .config import did_you_mean
from .errors import InputError, Problem
from .model import Article
from .sentences import split_sentences
from .yamlio import YamlList, YamlMap, load_yaml

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
FRONT_MATTER_FIELDS = ("title", "date", "source", "url", "tags", "author", "slug")
TITLE_LENGTH = 90

_DATELINE = re.compile(
    r"\A(?P<lead>\ufeff?\s*)date:?[ \t]+(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?=\s|\Z)\s*"
)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def find_article_files(content_dir: Path) -> list[Path]:
    """Article files under ``content_dir`` in a stable order; hidden files and folders are skipped."""
    found = []
    for path in content_dir.rglob("*"):
        relative = path.relative_to(content_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(content_dir).as_posix())


def read_articles(content_dir: Path, files: Iterable[Path] | None = None) -> tuple[Article, ...]:
    """Every article in ``content_dir``; all problems found are reported together."""
    paths = find_article_files(content_dir) if files is None else list(files)
    articles: list[Article] = []
    problems: list[Problem] = []
    slugs: dict[str, str] = {}
    for path in paths:
        display = path.relative_to(content_dir).as_posix()
        try:
            article = parse_article(read_text(path, display), display)
        except InputError as error:
            problems.extend(error.problems)
            continue
        if article.slug in slugs:
            problems.append(Problem(display, f"its slug {article.slug!r} is already used by {slugs[article.slug]}; "
                                    "rename one file or give one a 'slug:' in its front matter"))
            continue
        slugs[article.slug] = display
        articles.append(article)
    if problems:
        raise InputError(problems)
    return tuple(articles)


def read_text(path: Path, display: str) -> str:
    """The file's text, decoded as UTF-8 with newlines kept exactly as they are."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Problem(display, f"cannot read this file: {error.strerror or error}")) from None
    if b"\0" in data:
        raise InputError(Problem(display, "this is a binary file, not an article; move it out of the content folder"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(Problem(display, f"this file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be "
                                 "decoded); save it as UTF-8", line)) from None


def parse_article(text: str, display: str) -> Article:
    """One article from its text; ``display`` is its path relative to the content folder."""
    if not text.strip():
        raise InputError(Problem(display, "this file is empty; an article needs a dateline and some text", 1))
    if display.lower().endswith((".md", ".markdown")) and _FRONT_MATTER.match(text):
        return _parse_markdown(text, display)
    match = _DATELINE.match(text)
    if match:
        return _parse_plain(text, display, match)
    raise InputError(Problem(display, "no dateline: a Markdown article needs front matter with 'date: YYYY-MM-DD', "
                             "a text article must open with 'date YYYY-MM-DD'", 1))


def _parse_plain(text: str, display: str, match: re.Match[str]) -> Article:
    line = text.count("\n", 0, match.start("date")) + 1
    dateline = _to_date(match["date"], display, line)
    body_start = match.end()
    return Article(
        path=display,
        slug=make_slug(display),
        title=_first_sentence(text[body_start:]) or display,
        dateline=dateline,
        text=text,
        body_start=body_start,
    )


def _parse_markdown(text: str, display: str) -> Article:
    opening = _FRONT_MATTER.match(text)
    assert opening is not None
    closing = _FRONT_MATTER_END.search(text, opening.end())
    if closing is None:
        raise InputError(Problem(display, "the front matter opened on line 1 is never closed with a '---' line", 1))
    # A leading newline keeps YAML's line numbers equal to the file's (line 1 is the opening '---').
    meta = load_yaml("\n" + text[opening.end() : closing.start()], display)
    if meta is None:
        meta = YamlMap()
    if not isinstance(meta, YamlMap):
        raise InputError(Problem(display, "the front matter must be a mapping of field: value", 2))
    fields = _front_matter_fields(meta, display)
    body_start = closing.end()
    body = text[body_start:]
    heading = _HEADING.search(body)
    title = fields.get("title") or (heading.group(1) if heading else "") or _first_sentence(body) or display
    return Article(
        path=display,
        slug=fields.get("slug") or make_slug(display),
        title=title,
        dateline=fields["date"],
        text=text,
        body_start=body_start,
        source=fields.get("source"),
        url=fields.get("url"),
        tags=fields.get("tags", ()),
    )


def _front_matter_fields(meta: YamlMap, display: str) -> dict[str, Any]:
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key, value in meta.items():
        line, column = meta.position(key)
        if key not in FRONT_MATTER_FIELDS:
            hint = did_you_mean(str(key), FRONT_MATTER_FIELDS)
            problems.append(Problem(display, f"unknown front matter field {key!r}{hint}; known fields: "
                                    + ", ".join(FRONT_MATTER_FIELDS), line, column))
        elif key == "date":
            try:
                fields["date"] = _to_date(value, display, line)
            except InputError as error:
                problems.extend(error.problems)
        elif key == "tags":
            tags = [value] if isinstance(value, str) else value
            if not isinstance(tags, YamlList) and not isinstance(tags, list) or not all(
                isinstance(t, str) and t.strip() for t in tags
            ):
                problems.append(Problem(display, "'tags' must be a list of words, e.g. tags: [kursk, ceasefire]",
                                        line, column))
            else:
                fields["tags"] = tuple(dict.fromkeys(t.strip() for t in tags))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(display, f"front matter field {key!r} must be a non-empty text", line, column))
        elif key == "url" and not value.strip().lower().startswith(("http://", "https://")):
            problems.append(Problem(display, "'url' must be an http:// or https:// address", line, column))
        elif key == "slug" and make_slug(value) != value:
            problems.append(Problem(display, f"'slug' may hold only a-z, 0-9 and '-'; try {make_slug(value)!r}",
                                    line, column))
        else:
            fields[key] = value.strip()
    if "date" not in fields and not any("'date'" in p.message or "dateline" in p.message for p in problems):
        problems.append(Problem(display, "no dateline: add 'date: YYYY-MM-DD' to the front matter", 2))
    if problems:
        raise InputError(problems)
    return fields


def _to_date(value: object, display: str, line: int) -> dt.date:
    """A dateline from YAML's date or datetime, or from text in ISO form."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise InputError(Problem(display, f"the dateline {value!r} is not a date; write it as YYYY-MM-DD", line))


def _first_sentence(body: str) -> str:
    """The body's first sentence, cut at a word boundary, as a fallback title."""
    spans = split_sentences(body)
    if not spans:
        return ""
    first = " ".join(body[spans[0][0] : spans[0][1]].split())
    return shorten(first, TITLE_LENGTH)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return cut + "…"


def make_slug(text: str) -> str:
    """A URL- and id-safe name: the path without its suffix, lower-cased, with runs of other characters as '-'."""
    stem = text.rsplit(".", 1)[0] if text.lower().endswith(ARTICLE_SUFFIXES) else text
    return _SLUG_JUNK.sub("-", stem.lower()).strip("-") or "article"

