"""Issue 7: bad input is refused clearly and loses nothing, the same input gives the same site, text cannot inject.

Every bad-input case runs build.py as a user would, over a project whose previous
site was built from good content, and asserts the message (file and line), exit
status 1, that the previous site is byte-identical and that nothing was added
beside it or changed in the content folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import SEED_TEXT
from tests.test_cli import run, tree
from timeline.articles import read_articles, scan_content
from timeline.errors import InputError

GOOD_MD = (
    "---\ntitle: Bridge closed\ndate: 2024-08-20\nsource: Ledger\nurl: https://example.org/a\n"
    "tags: [bridge]\n---\nInspectors closed the bridge on Monday after finding cracks.\n"
)


# The build cache (another part of the tool) lives in the project folder; it is not the site and not content.
CACHE = ".timeline-cache"


def listing(folder: Path) -> list[str]:
    """The names in ``folder``, leaving out the build cache."""
    return sorted(name for name in os.listdir(folder) if name != CACHE)


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int, int]]:
    """Every entry under ``folder`` with its bytes (or link target), mode and modification time."""
    entries: dict[str, tuple[bytes | str, int, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        body: bytes | str = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else ""
        entries[path.relative_to(folder).as_posix()] = (body, info.st_mode, info.st_mtime_ns)
    return entries


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project (content/ and the public/ built from it), built once and copied by each test."""
    project = tmp_path_factory.mktemp("reference")
    content = project / "content"
    content.mkdir()
    (content / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    (content / "bridge.md").write_text(GOOD_MD, encoding="utf-8")
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture
def project(reference: Path, tmp_path: Path) -> Path:
    """A copy of the reference project: content/ and its previous site public/."""
    copy = tmp_path / "project"
    shutil.copytree(reference, copy, symlinks=True)
    return copy


def assert_refused(project: Path, args: tuple[str, ...], first_line: str,
                   prefix: bool = False) -> subprocess.CompletedProcess[str]:
    """Run build.py, and check it stops with ``first_line``, exit 1, no traceback, and loses or adds nothing."""
    site, content, names = tree(project / "public"), snapshot(project / "content"), listing(project)
    done = run(*args, cwd=project)
    assert done.returncode == 1, done.stdout + done.stderr
    message = done.stderr.splitlines()[0]
    assert message.startswith(first_line) if prefix else message == first_line, message
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert tree(project / "public") == site
    assert snapshot(project / "content") == content
    assert listing(project) == names  # no staging folder left behind
    return done


# --- bad articles -------------------------------------------------------------------------------------------------

BAD_ARTICLES = [
    ("latin.txt", "date 2025-03-15 Caf\xe9 opened on Monday.\n".encode("latin-1"),
     "error: latin.txt:1: this file is not UTF-8 text (byte 0xe9 cannot be decoded); save it as UTF-8"),
    ("late.txt", "date 2025-03-15 First line.\nThe caf\xe9 opened on Monday.\n".encode("cp1252"),
     "error: late.txt:2: this file is not UTF-8 text (byte 0xe9 cannot be decoded); save it as UTF-8"),
    ("empty.md", b"", "error: empty.md:1: this file is empty; an article needs a dateline and some text"),
    ("blank.txt", b" \n\n\t\n", "error: blank.txt:1: this file is empty; an article needs a dateline and some text"),
    ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "error: photo.md: this is a binary file, not an article; move it out of the content folder"),
    ("open.md", b"---\ntitle: A\ndate: 2024-08-20\nText on Monday.\n",
     "error: open.md:1: the front matter opened on line 1 is never closed with a '---' line"),
    ("list.md", b"---\n- a\n- b\n---\nText on Monday.\n",
     "error: list.md:2: the front matter must be a mapping of field: value"),
    ("words.md", b"---\njust some words\n---\nText on Monday.\n",
     "error: words.md:2: the front matter must be a mapping of field: value"),
    ("when.md", b"---\ntitle: A\ndate: next Tuesday\n---\nText.\n",
     "error: when.md:3: the dateline 'next Tuesday' is not a date; write it as YYYY-MM-DD"),
    ("when.txt", b"date 2024-13-45 Text on Monday.\n",
     "error: when.txt:1: the dateline '2024-13-45' is not a date; write it as YYYY-MM-DD"),
    ("nodate.md", b"---\ntitle: A\n---\nText.\n",
     "error: nodate.md:2: no dateline: add 'date: YYYY-MM-DD' to the front matter"),
    ("prose.txt", b"Just prose on Monday.\n",
     "error: prose.txt:1: no dateline: a Markdown article needs front matter with 'date: YYYY-MM-DD', "
     "a text article must open with 'date YYYY-MM-DD'"),
    ("seed.md", GOOD_MD.encode(),
     "error: seed.txt: its slug 'seed' is already used by seed.md; "
     "rename one file or give one a 'slug:' in its front matter"),
    ("other.md", b"---\ndate: 2024-08-20\nslug: bridge\n---\nText on Monday.\n",
     "error: other.md: its slug 'bridge' is already used by bridge.md; "
     "rename one file or give one a 'slug:' in its front matter"),
    ("escape.md", b"---\ndate: 2024-08-20\nslug: ../../x\n---\nText on Monday.\n",
     "error: escape.md:3:1: 'slug' may hold only a-z, 0-9 and '-'; try 'x'"),
    ("typo.md", b"---\ndat: 2024-08-20\n---\nText.\n",
     "error: typo.md:2:1: unknown front matter field 'dat' (did you mean 'date'?); "
     "known fields: title, date, source, url, tags, author, slug"),
]


@pytest.mark.parametrize(("name", "data", "first_line"), BAD_ARTICLES, ids=[case[0] for case in BAD_ARTICLES])
def test_a_bad_article_is_refused_and_the_previous_site_kept(project: Path, name: str, data: bytes,
                                                             first_line: str) -> None:
    (project / "content" / name).write_bytes(data)
    assert_refused(project, (), first_line)


# --- bad overrides ------------------------------------------------------------------------------------------------

BAD_OVERRIDES = [
    ("duplicate key", "events:\n  a-1:\n    hide: true\n  a-1:\n    title: X\n",
     "error: overrides.yaml:4:3: duplicate key 'a-1' (first given on line 2)"),
    ("id added twice", "add:\n  - id: vote\n    date: 2024-09-04\n    title: A\n"
     "  - id: vote\n    date: 2024-09-05\n    title: B\n",
     "error: overrides.yaml:5:5: 'vote' is already overridden at overrides.yaml:2; keep one entry per event"),
    ("hide not a boolean", "events:\n  a-1:\n    hide: perhaps\n",
     "error: overrides.yaml:3:5: 'hide' must be true or false"),
    ("tags a number", "events:\n  a-1:\n    tags: 3\n",
     "error: overrides.yaml:3:5: 'tags' must be a list of words, e.g. tags: [kursk, ceasefire]"),
    ("title a list", "events:\n  a-1:\n    title: [a, b]\n",
     "error: overrides.yaml:3:5: 'title' must be a non-empty text"),
    ("events a list", "events:\n  - a-1\n",
     "error: overrides.yaml:1:1: 'events' must map event ids to their changes"),
    ("unknown field", "events:\n  a-1:\n    dat: 2025-03-12\n",
     "error: overrides.yaml:3:5: unknown field 'dat' (did you mean 'date'?); allowed here: "),
    ("unknown section", "event:\n  a-1: {hide: true}\n",
     "error: overrides.yaml:1:1: unknown section 'event' (did you mean 'events'?); "
     "an overrides file has 'events:' and 'add:'"),
    ("bad id", "add:\n  - id: ../../x\n    date: 2024\n    title: T\n",
     "error: overrides.yaml:2:5: an id may hold only a-z, 0-9 and '-'; try 'x'"),
    ("not UTF-8", "events:\n  a-1:\n    title: Caf\xe9\n",
     "error: overrides.yaml:3: this file is not UTF-8 text (byte 0xe9 cannot be decoded); save it as UTF-8"),
]


@pytest.mark.parametrize(("text", "first_line"), [case[1:] for case in BAD_OVERRIDES],
                         ids=[case[0] for case in BAD_OVERRIDES])
def test_bad_overrides_are_refused_and_the_previous_site_kept(project: Path, text: str, first_line: str) -> None:
    data = text.encode("latin-1") if "\xe9" in text else text.encode("utf-8")
    (project / "content" / "overrides.yaml").write_bytes(data)
    assert_refused(project, (), first_line, prefix=True)


def test_the_same_event_changed_in_two_files_is_refused(project: Path) -> None:
    (project / "content" / "overrides").mkdir()
    (project / "content" / "overrides.yaml").write_text("events:\n  a-1: {hide: true}\n", encoding="utf-8")
    (project / "content" / "overrides" / "more.yaml").write_text("events:\n  a-1: {title: X}\n", encoding="utf-8")
    assert_refused(project, (), "error: overrides/more.yaml:2:3: 'a-1' is already overridden at overrides.yaml:2; "
                   "keep one entry per event")


# --- bad folders --------------------------------------------------------------------------------------------------


def test_a_content_folder_that_does_not_exist(project: Path) -> None:
    assert_refused(project, ("build", "--content", "nowhere"), "error: nowhere: the content folder does not exist")
    (project / "content.txt").write_text("a file, not a folder", encoding="utf-8")
    assert_refused(project, ("build", "--content", "content.txt"),
                   "error: content.txt: the content folder does not exist")


@pytest.mark.parametrize(
    ("out", "first_line"),
    [
        ("content", "error: content: the output folder must not be the content folder or inside it (content); "
                    "choose another --out"),
        ("content/public", "error: content/public: the output folder must not be the content folder or inside it "
                           "(content); choose another --out"),
        ("content/news/../site", "error: content/news/../site: the output folder must not be the content "
                                   "folder or inside it (content); choose another --out"),
        (".", "error: .: the output folder holds the content folder (content); a build replaces the output folder "
              "whole, so choose another --out"),
    ],
)
def test_an_output_folder_that_is_or_holds_the_content_is_refused(project: Path, out: str, first_line: str) -> None:
    assert_refused(project, ("build", "--out", out), first_line)


def test_an_output_folder_reached_through_a_link_into_the_content_is_refused(project: Path) -> None:
    (project / "site").symlink_to("content")
    assert_refused(project, ("build", "--out", "site/public"),
                   "error: site/public: the output folder must not be the content folder or inside it (content); "
                   "choose another --out")


def test_a_folder_of_someone_elses_is_never_replaced(project: Path) -> None:
    (project / "thesis").mkdir()
    (project / "thesis" / "chapter1.tex").write_text("years of work", encoding="utf-8")
    assert_refused(project, ("build", "--out", "thesis"),
                   "error: thesis: this folder is not empty and was not made by timeline; a build replaces its "
                   "output folder whole, so choose an empty or new --out")
    assert (project / "thesis" / "chapter1.tex").read_text(encoding="utf-8") == "years of work"


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """Make ``folder`` refuse changes for real: permissions for a user, the immutable attribute for root.

    Root ignores permission bits, so as root ``chattr +i`` is used (it binds root too); where that is not
    available the test is skipped rather than pretending.
    """
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if not chattr or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("running as root, and chattr +i is not available here: no folder can be made unwritable")
        undo = [chattr, "-i", str(folder)]
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        undo = []
    try:
        probe = folder / ".probe"
        with contextlib.suppress(OSError):
            probe.mkdir()
            probe.rmdir()
            pytest.skip(f"{folder} stays writable here, so a read-only output folder cannot be tested")
        yield
    finally:
        if undo:
            subprocess.run(undo, check=True)
        else:
            folder.chmod(stat.S_IMODE(mode))


def test_a_read_only_folder_above_the_output_folder(project: Path) -> None:
    with unwritable(project):
        done = run(cwd=project)
        site = tree(project / "public")
    assert done.returncode == 1
    message = done.stderr.splitlines()[0]
    assert message.startswith("error: public: cannot write the site here: ")
    assert message.endswith("; check that the folder above it is writable, or choose another --out")
    assert tree(project / "public") == site
    assert listing(project) == ["content", "public"]


def test_a_read_only_output_folder_is_left_as_it_was(project: Path) -> None:
    site = tree(project / "public")
    with unwritable(project / "public"):
        done = run(cwd=project)
    assert done.returncode == 1
    message = done.stderr.splitlines()[0]
    # Replacing the folder means renaming it, which a read-only (or immutable) folder refuses.
    assert message.startswith("error: public: cannot write the site: ") and message.endswith(
        "; the previous site is unchanged"), message
    assert tree(project / "public") == site
    assert listing(project) == ["content", "public"]


# --- links, unreadable files, pipes -------------------------------------------------------------------------------


def test_symbolic_link_loops_are_reported_not_followed_forever(project: Path) -> None:
    content = project / "content"
    (content / "news").mkdir()
    (content / "news" / "up").symlink_to("..")
    (content / "news" / "self").symlink_to(content.resolve())
    (content / "loop.md").symlink_to("loop.md")
    (content / "ping.txt").symlink_to("pong.txt")
    (content / "pong.txt").symlink_to("ping.txt")
    done = assert_refused(project, (), "error: loop.md: this symbolic link (loop.md) goes round in a loop of links "
                          "and leads to no file; remove it")
    assert done.stderr.splitlines()[1:] == [
        "error: news/self: this symbolic link leads to " + str(content.resolve()) + ", a folder that holds the link "
        "itself, so it would be read forever; remove the link",
        "error: news/up: this symbolic link leads to .., a folder that holds the link itself, so it would be read "
        "forever; remove the link",
        "error: ping.txt: this symbolic link (pong.txt) goes round in a loop of links and leads to no file; remove it",
        "error: pong.txt: this symbolic link (ping.txt) goes round in a loop of links and leads to no file; remove it",
        "5 problems; nothing was written.",
    ]


def test_a_loop_through_a_folder_outside_the_content(tmp_path: Path) -> None:
    content, shared = tmp_path / "content", tmp_path / "shared"
    content.mkdir()
    shared.mkdir()
    (shared / "wire.txt").write_text("date 2025-03-15 Talks resumed on Monday.\n", encoding="utf-8")
    (content / "shared").symlink_to(shared)
    (shared / "back").symlink_to(content)
    files, problems = scan_content(content)
    assert [p.relative_to(content).as_posix() for p in files] == ["shared/wire.txt"]
    assert [str(p) for p in problems] == [
        f"shared/back: this symbolic link leads to {content}, a folder that holds the link itself, so it would be "
        "read forever; remove the link"]


def test_linked_files_and_folders_are_read_once(tmp_path: Path) -> None:
    content, shared = tmp_path / "content", tmp_path / "shared"
    (content / "real").mkdir(parents=True)
    shared.mkdir()
    (content / "real" / "a.txt").write_text("date 2025-03-15 Talks resumed on Monday.\n", encoding="utf-8")
    (shared / "wire.md").write_text(GOOD_MD, encoding="utf-8")
    (content / "wire").symlink_to(shared)  # a folder of shared articles, linked in: read
    (content / "single.md").symlink_to(shared / "wire.md")  # but not a second time
    (content / "alias").symlink_to("real")
    (content / "b.txt").symlink_to("real/a.txt")
    (content / "gone.md").symlink_to("nowhere.md")
    (content / "gone-folder").symlink_to("nowhere")  # not named like an article: nothing to report
    with pytest.raises(InputError) as caught:
        read_articles(content)
    assert [str(p) for p in caught.value.problems] == [
        "alias: this symbolic link leads to the folder real, which is read already, so its articles would be read "
        "twice; remove the link",
        "b.txt: this symbolic link leads to the file real/a.txt, which is read already, so it would be read twice; "
        "remove the link",
        "gone.md: this symbolic link leads to nowhere.md, which cannot be read (No such file or directory); "
        "fix or remove the link",
        "wire/wire.md: this is the same file as single.md, reached through symbolic links, so it would be read "
        "twice; remove one of the links",
    ]
    for name in ("alias", "b.txt", "gone.md", "wire"):
        (content / name).unlink()
    assert [a.path for a in read_articles(content)] == ["real/a.txt", "single.md"]
    (content / "single.md").unlink()
    (content / "wire").symlink_to(shared)
    assert [a.path for a in read_articles(content)] == ["real/a.txt", "wire/wire.md"]


def test_pipes_named_like_articles_are_reported_not_read(project: Path) -> None:
    os.mkfifo(project / "content" / "feed.txt")  # reading it would wait forever
    assert_refused(project, (), "error: feed.txt: this is not a regular file (a pipe, socket or device); remove it "
                   "from the content folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions; the test below uses a "
                    "file no one can read instead")
def test_a_file_without_read_permission(project: Path) -> None:
    locked = project / "content" / "locked.txt"
    locked.write_text("date 2025-03-15 Secret on Monday.\n", encoding="utf-8")
    locked.chmod(0)
    try:
        assert_refused(project, (), "error: locked.txt: cannot read this file: Permission denied; check that it "
                       "exists and that you may read it")
    finally:
        locked.chmod(0o644)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_file_that_cannot_be_read(project: Path) -> None:
    # /proc/self/mem is a regular file that fails with EIO when read from its start, even for root.
    (project / "content" / "mem.txt").symlink_to("/proc/self/mem")
    assert_refused(project, (), "error: mem.txt: cannot read this file: Input/output error; check that it exists "
                   "and that you may read it")


# --- check reports everything at once -----------------------------------------------------------------------------


def test_check_reports_every_problem_at_once(project: Path) -> None:
    content = project / "content"
    for name, data, _ in BAD_ARTICLES:
        (content / name).write_bytes(data)
    (content / "loop").symlink_to(".")
    (content / "overrides.yaml").write_text("events:\n  a-1:\n    dat: 2025\n    hide: perhaps\n", encoding="utf-8")
    before = snapshot(project / "content"), tree(project / "public"), listing(project)
    done = run("check", cwd=project)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    expected = sorted([first_line for _, _, first_line in BAD_ARTICLES]
                      + ["error: loop: this symbolic link leads to ., a folder that holds the link itself, so it "
                         "would be read forever; remove the link"])
    assert lines[: len(expected)] == expected
    assert [line.split(":")[1:3] for line in lines[len(expected) : -1]] == [[" overrides.yaml", "3"],
                                                                           [" overrides.yaml", "4"]]
    assert lines[-1] == f"{len(expected) + 2} problems; nothing was written."
    assert (snapshot(project / "content"), tree(project / "public"), listing(project)) == before


# --- safe ---------------------------------------------------------------------------------------------------------

HOSTILE_MD = """\
---
title: <script>alert('title')</script> Bridge <img src=x onerror=alert('title2')>
date: 2024-08-20
source: <b onmouseover=alert('source')>Ledger</b>
url: https://example.org/a?q="><script>alert('url')</script>
tags: ["<script>alert('tag')</script>", "x onclick=alert(1)"]
---
Inspectors closed the bridge on Monday <script>alert('body')</script> <img src=x onerror=alert('img')> \
[see](javascript:alert('link')) <a href="javascript:alert('a')">here</a>.
"""

HOSTILE_OVERRIDES = """\
events:
  {event_id}:
    title: <script>alert('override title')</script>
    text: "[x](javascript:alert('md')) <img src=x onerror=alert('md img')> <a href='JaVaScRiPt:alert(1)'>y</a> \
<svg onload=alert('svg')></svg> <iframe src=https://evil.example></iframe>"
add:
  - id: added
    date: 2024-09-01
    title: <svg onload=alert('added title')>
    text: "<script>alert('added text')</script> [ok](https://example.org/b) [bad](data:text/html,x)"
"""


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text inside script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def assert_no_injection(site: Path) -> None:
    """No page of the site holds markup, handlers or script links that came from article or override text."""
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".htm", ".xml", ".atom", ".rss", ".svg")]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.suffix not in (".html", ".htm"):
            assert "<script" not in text.lower() and "onerror=" not in text.lower(), page
            continue
        parser = Tags()
        parser.feed(text)
        for tag, attrs in parser.tags:
            assert tag not in ("img", "svg", "iframe", "object", "embed", "b"), (page.name, tag, attrs)
            assert not any(name.startswith("on") for name in attrs), (page.name, tag, attrs)
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                value = "".join(attrs.get(name, "").split()).lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (page.name, tag, attrs)
            if tag == "script":  # only the theme's own script files, loaded from the site itself
                assert re.fullmatch(r"(\.\./)*static/[\w./-]+\.js", attrs.get("src", "")), (page.name, attrs)
        assert not parser.script_text, (page.name, parser.script_text)
        # An http(s) address may hold any text in its query; escaped in its attribute, it stays an address.
        leaks = [(tag, name, value) for tag, attrs in parser.tags for name, value in attrs.items()
                 if "alert(" in value and not (name == "href" and value.startswith(("https://", "http://")))]
        assert not leaks, page.name


def test_article_and_override_text_cannot_inject_markup(project: Path) -> None:
    content = project / "content"
    (content / "bridge.md").write_text(HOSTILE_MD, encoding="utf-8")
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    events = json.loads((project / "public" / "timeline.json").read_text(encoding="utf-8"))["events"]
    bridge = next(e for e in events if e["sources"] and e["sources"][0]["article"] == "bridge.md")
    (content / "overrides.yaml").write_text(HOSTILE_OVERRIDES.format(event_id=bridge["id"]), encoding="utf-8")
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    assert_no_injection(project / "public")
    html = (project / "public" / "index.html").read_text(encoding="utf-8")
    # The words are still there, shown as text.
    assert "&lt;script&gt;alert(&#39;override title&#39;)&lt;/script&gt;" in html
    assert "&lt;svg onload=alert(&#39;added title&#39;)&gt;" in html
    assert '<a href="https://example.org/b" rel="nofollow noopener">ok</a>' in html
    events = {e["id"]: e for e in json.loads((project / "public" / "timeline.json").read_text("utf-8"))["events"]}
    assert events[bridge["id"]]["title"] == "<script>alert('override title')</script>"  # data, kept as written


def test_a_javascript_url_in_front_matter_is_refused(project: Path) -> None:
    (project / "content" / "bridge.md").write_text(
        GOOD_MD.replace("https://example.org/a", "javascript:alert(document.cookie)"), encoding="utf-8")
    assert_refused(project, (), "error: bridge.md:5:1: 'url' must be an http:// or https:// address")


def test_tags_sources_and_paths_cannot_name_files_outside_the_site(project: Path) -> None:
    content = project / "content"
    (content / "news" / "..x..").mkdir(parents=True)
    (content / "news" / "..x.." / "a.md").write_text(
        '---\ntitle: T\ndate: 2024-08-20\ntags: ["../../escape", "/etc/passwd", "..", "a/../../b"]\n'
        'source: "../../source"\n---\nInspectors closed the bridge on Monday.\n', encoding="utf-8")
    (content / "overrides.yaml").write_text("add:\n  - id: extra\n    date: 2024-09-01\n    title: Extra\n"
                                            "    tags: ['../../../../tmp/x', '.']\n", encoding="utf-8")
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    assert listing(project) == ["content", "public"]
    site = (project / "public").resolve()
    for path in site.rglob("*"):
        assert path.resolve().is_relative_to(site) and not path.is_symlink(), path
        assert ".." not in path.relative_to(site).parts
    assert snapshot(content)  # still there


def test_a_build_never_writes_into_the_content_folder(project: Path) -> None:
    content = project / "content"
    (content / "overrides.yaml").write_text("add:\n  - id: extra\n    date: 2024-09-01\n    title: Extra\n",
                                            encoding="utf-8")
    (content / "notes").mkdir()
    (content / "notes" / "readme.yaml").write_text("not: an article\n", encoding="utf-8")
    before = snapshot(content)
    for args in ((), ("check",), ("build", "--out", "../elsewhere/site")):
        done = run(*args, cwd=project)
        assert done.returncode == 0, done.stderr
    (content / "bad.txt").write_text("no dateline\n", encoding="utf-8")
    before_bad = snapshot(content)
    assert run(cwd=project).returncode == 1
    assert snapshot(content) == before_bad
    (content / "bad.txt").unlink()
    assert snapshot(content) == before
    assert listing(project) == ["content", "public"]


# --- reproducible -------------------------------------------------------------------------------------------------


def test_the_same_content_in_differently_made_folders_builds_the_same_site(tmp_path: Path) -> None:
    articles = {
        "seed.txt": SEED_TEXT,
        "bridge.md": GOOD_MD,
        "news/2024/b.txt": "date 2024-12-12 Repairs were ahead of schedule on Wednesday.\n",
        "news/2024/a.md": "---\ndate: 2024-12-13\ntitle: Works\n---\nWork resumed on Thursday morning.\n",
        "news/z.txt": "date 2025-03-05 Commuters returned on Tuesday.\n",
        "overrides.yaml": "add:\n  - id: vote\n    date: 2024-09-04\n    title: Council votes\n",
    }
    sites = []
    for number, order in enumerate((sorted(articles), sorted(articles, reverse=True))):
        content = tmp_path / f"content-{number}"
        for offset, name in enumerate(order):  # a different creation order, so a different directory order
            path = content / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(articles[name], encoding="utf-8")
            stamp = 1_000_000_000 + (offset if number else -offset) * 86_400
            os.utime(path, (stamp, stamp))
        site = tmp_path / f"site-{number}"
        done = run("build", "--content", str(content), "--out", str(site), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        sites.append(tree(site))
    assert sites[0] == sites[1]
    assert "2024-09-04" in sites[0]["timeline.json"].decode()


def test_no_build_date_without_source_date_epoch(seed_content: Path) -> None:
    done = run(cwd=seed_content.parent)
    assert done.returncode == 0, done.stderr
    today = dt.datetime.now(dt.UTC).date()
    clock = {(today + dt.timedelta(days=d)).isoformat() for d in (-1, 0, 1)}  # whichever side of midnight
    for path, data in tree(seed_content.parent / "public").items():
        assert not any(day.encode() in data for day in clock), path


def test_a_bad_source_date_epoch_is_an_input_error(seed_content: Path) -> None:
    done = run(cwd=seed_content.parent, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert (done.returncode, done.stderr.strip()) == (
        1, "error: SOURCE_DATE_EPOCH: 'yesterday' is not a number of seconds since 1970")
    assert not (seed_content.parent / "public").exists()
