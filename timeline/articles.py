"""Reading the content folder into Articles: the first stage, and the only one that reads articles.

Two forms are read:

* Markdown (``.md``, ``.markdown``) opening with YAML front matter between
  ``---`` lines: ``title``, ``date`` (the dateline, required), and optionally
  ``source``, ``url``, ``tags``, ``author``, ``slug``.
* Plain text (``.txt``) opening with a dateline, ``date 2025-03-15`` (a colon
  after ``date`` and a time after the day are accepted), then the prose.

Files are decoded as UTF-8 without newline translation, so every offset the
tagger reports is an offset into the file exactly as it is on disk.

Symbolic links are followed, to files and to folders, so a folder of shared
articles can be linked in.  Every real file and folder is read once: a link
that leads back to a folder it is in (a loop), a link to something already
read, a link that loops on itself and a broken link named like an article are
each an error naming the link, rather than a hang or an article read twice.
"""

from __future__ import annotations

import datetime as dt
import errno
import heapq
import os
import re
import stat
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
    r"\A(?P<lead>\ufeff?\s*)date:?[ \t]+(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?=\s|\Z)\s*"
)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def find_article_files(content_dir: Path) -> list[Path]:
    """Article files under ``content_dir`` in a stable order; hidden files and folders are skipped."""
    files, problems = scan_content(content_dir)
    if problems:
        raise InputError(problems)
    return files


def find_articles(content_dir: Path) -> list[tuple[str, str]]:
    """``find_article_files`` as (path relative to ``content_dir`` in posix form, as messages name it, path)."""
    found, problems = _scan(content_dir)
    if problems:
        raise InputError(problems)
    return found


def articles_listed(listing: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``find_articles``' answer from a sorted listing of every file under the content folder (path relative to it,
    path), made by a walk that skipped hidden folders and met nothing else but folders and regular files."""
    # Each name lower-cased only when it does not end as an article's already, and no part of it copied to tell if
    # it is hidden: 10,000 names of an archive went through three copies each.
    return [(relative, path) for relative, path in listing
            if (relative.endswith(ARTICLE_SUFFIXES) or relative.lower().endswith(ARTICLE_SUFFIXES))
            and relative[relative.rfind("/") + 1] != "."]


def scan_content(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Article files under ``content_dir`` sorted by relative path, and the problems met finding them."""
    found, problems = _scan(content_dir)
    return [Path(path) for _, path in found], problems


def _scan(content_dir: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Article files under ``content_dir`` sorted by relative path, and the problems met finding them.

    The real tree is walked first and links after it, so when a file or folder is
    reached both directly and through a link, it is the link that is reported.
    """
    root = os.path.realpath(content_dir)
    seen_dirs: dict[str, str] = {root: ""}
    seen_files: dict[str, str] = {}
    found: list[tuple[str, str]] = []  # (display, path): strings, as Path objects cost more than the scan itself
    problems: list[Problem] = []
    # (display path, path, real paths of the folders it is in); a heap so links are followed in a stable order.
    links: list[tuple[str, Path, tuple[str, ...]]] = []
    folders: list[tuple[Path, str, tuple[str, ...]]] = [(content_dir, "", (root,))]
    while folders or links:
        if not folders:
            display, path, ancestors = heapq.heappop(links)
            _follow_link(path, display, ancestors, seen_dirs, seen_files, found, folders, problems)
            continue
        folder, display, ancestors = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(Problem(display or str(content_dir), f"cannot read this folder: {error.strerror or error}"))
            continue
        # The folder's real path joined with a name that is not a link is that entry's real path (joined by hand:
        # os.path.join costs more than the rest of the scan, once per file of a large archive).
        within = ancestors[-1] if ancestors[-1].endswith(os.sep) else ancestors[-1] + os.sep
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = f"{display}/{entry.name}" if display else entry.name
            real = within + entry.name
            if entry.is_symlink():
                heapq.heappush(links, (relative, Path(entry.path), ancestors))
            elif entry.is_dir(follow_symlinks=False):
                if real in seen_dirs:  # only inside a linked folder: the real tree has each folder once
                    problems.append(Problem(relative, f"this is the same folder as {_named(seen_dirs[real])}, "
                                            "reached through symbolic links, so its articles would be read twice; "
                                            "remove one of the links"))
                    continue
                seen_dirs[real] = relative
                folders.append((Path(entry.path), relative, (*ancestors, real)))
            elif entry.name.lower().endswith(ARTICLE_SUFFIXES):
                if not entry.is_file(follow_symlinks=False):
                    problems.append(Problem(relative, _NOT_A_FILE))
                elif real in seen_files:
                    problems.append(Problem(relative, f"this is the same file as {seen_files[real]}, reached through "
                                            "symbolic links, so it would be read twice; remove one of the links"))
                else:
                    seen_files[real] = relative
                    found.append((relative, entry.path))
    return sorted(found), problems


_NOT_A_FILE = "this is not a regular file (a pipe, socket or device); remove it from the content folder"


def _follow_link(path: Path, display: str, ancestors: tuple[str, ...], seen_dirs: dict[str, str],
                 seen_files: dict[str, str], found: list[tuple[str, str]],
                 folders: list[tuple[Path, str, tuple[str, ...]]], problems: list[Problem]) -> None:
    """Read what a symbolic link leads to, unless that is a loop, already read, or missing."""
    target = os.readlink(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            problems.append(Problem(display, f"this symbolic link ({target}) goes round in a loop of links and "
                                    "leads to no file; remove it"))
        elif display.lower().endswith(ARTICLE_SUFFIXES):
            problems.append(Problem(display, f"this symbolic link leads to {target}, which cannot be read "
                                    f"({error.strerror or error}); fix or remove the link"))
        return
    real = os.path.realpath(path)
    if stat.S_ISDIR(mode):
        if any(folder == real or folder.startswith(real.rstrip(os.sep) + os.sep) for folder in ancestors):
            problems.append(Problem(display, f"this symbolic link leads to {target}, a folder that holds the link "
                                    "itself, so it would be read forever; remove the link"))
        elif real in seen_dirs:
            problems.append(Problem(display, f"this symbolic link leads to {_named(seen_dirs[real])}, which is "
                                    "read already, so its articles would be read twice; remove the link"))
        else:
            seen_dirs[real] = display
            folders.append((path, display, (*ancestors, real)))
    elif display.lower().endswith(ARTICLE_SUFFIXES):
        if not stat.S_ISREG(mode):
            problems.append(Problem(display, _NOT_A_FILE))
        elif real in seen_files:
            problems.append(Problem(display, f"this symbolic link leads to the file {seen_files[real]}, which is "
                                    "read already, so it would be read twice; remove the link"))
        else:
            seen_files[real] = display
            found.append((display, str(path)))


def _named(display: str) -> str:
    return f"the folder {display}" if display else "the content folder itself"


def read_articles(content_dir: Path, files: Iterable[Path] | None = None) -> tuple[Article, ...]:
    """Every article in ``content_dir``; all problems found are reported together."""
    problems: list[Problem] = []
    if files is None:
        paths, problems = scan_content(content_dir)
    else:
        paths = list(files)
    articles: list[Article] = []
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
        raise InputError(sorted(problems, key=lambda problem: problem.path))  # stable: a file's own stay in order
    return tuple(articles)


def read_text(path: Path, display: str) -> str:
    """The file's text, decoded as UTF-8 with newlines kept exactly as they are."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(Problem(display, f"cannot read this file: {error.strerror or error}; check that it "
                                 "exists and that you may read it")) from None
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
            if (not isinstance(tags, YamlList) and not isinstance(tags, list)) or not all(
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

