"""Skipping a build that would change nothing: same inputs, same code, and the output folder as the last build left it.

The fingerprint covers everything a build reads: every file of the content folder (articles, overrides, and
anything else there), the settings file, the theme's templates and static files (and the project's own), the
options that change the output, the tool's code, the Python version and the installed libraries' versions.  Files
are known by their SHA-256, which the cache keeps beside each file's size, times and inode, so an unchanged file is
not read again (``Cache.file_digests``).

The last build's fingerprint is kept in the build cache with the manifest of the files it wrote (``output.Manifest``),
so a site edited or damaged by hand since is rebuilt, never taken as it is.  They are kept as one ``marshal`` value
(plain values only, checked when read), read and written several times quicker than JSON at 10,000 files.  This
module imports no more than the check needs, so a build that has nothing to do starts and ends quickly.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from .cache import Cache, code_fingerprint, metadata_folders
from .output import Manifest, site_matches
from .themes import Theme

RECORD = "timeline-build/1"  # the format of a Record as kept in the cache


@dataclass(frozen=True)
class Summary:
    """What the last build printed: its figures and its warnings."""

    articles: int
    expressions: int
    events: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Record:
    """What the cache remembers of the last build into one output folder."""

    build: str  # its fingerprint
    theme: str  # the theme it used, so a check before reading the settings knows where to look
    manifest: Manifest
    summary: Summary
    pages: Mapping[str, str] = field(default_factory=dict)  # each page's key (render.render_changes)


def fingerprint(cache: Cache, content_dir: Path, settings_file: Path | None, theme: Theme,
                options: Iterable[str]) -> str | None:
    """A hash of every input of a build, or None when some input cannot be read (the build will say why).

    The settings count by their file's bytes (with ``options``, which must hold whatever else sets them), so they
    need not be parsed to tell that nothing changed.
    """
    digest = hashlib.sha256(f"{code_fingerprint()}\n{sys.version}\n{_installed()}\n".encode())
    digest.update("\0".join(options).encode() + b"\0")
    folders: list[tuple[str, list[tuple[str, str]]]] = []  # (folder, its files as (relative path, path))
    content = os.path.abspath(content_dir)
    walked = _files_under(content, skip_hidden_folders=True)  # hidden folders: never articles; the cache
    if walked is None:
        return None
    listing, plain = walked
    folders.append((content, listing))
    for folder in (*theme.template_dirs, *theme.static_dirs):
        found = _files_under(folder, skip_hidden_folders=False)
        if found is None:
            return None
        folders.append((os.path.abspath(folder), found[0]))
    settings = os.path.abspath(settings_file) if settings_file is not None else None
    paths = [path for _, files in folders for _, path in files]
    # The articles' reading takes the digests on, and the listing when it holds nothing that reading's own walk
    # would look at twice (links, odd files).
    digests = cache.file_digests([settings, *paths] if settings is not None else paths, hand_on=True)
    if plain:
        cache.hand_on_listing(content, listing)
    if settings is not None:
        if settings not in digests:
            return None
        digest.update(f"settings\0{digests[settings]}\n".encode())
    for base, files in folders:
        for label, path in files:
            if path not in digests:
                return None
            digest.update(f"{base}\0{label}\0{digests[path]}\n".encode())
    return digest.hexdigest()


def _installed() -> str:
    """The names of every installed distribution's metadata folder, which hold their versions (Jinja2-3.1.4...).

    Cheaper than importlib.metadata, and any library added, removed or upgraded changes it.
    """
    return "\0".join(sorted(name for _, name in metadata_folders()))


def _files_under(root: Path | str, *, skip_hidden_folders: bool) -> tuple[list[tuple[str, str]], bool] | None:
    """(path relative to ``root`` in posix form, absolute path) of every regular file under ``root``, links followed,
    sorted; and whether the walk met nothing but folders and regular files, every folder readable (no link, no
    other kind of file).  None if ``root`` cannot be read.

    A superset of what the build reads there, so no input can change unseen.  Each real folder is walked once, so
    a link that loops ends.
    """
    base = os.path.abspath(root)
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    plain = True
    pending = [(base, "")]
    while pending:
        folder, relative = pending.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            if folder == base:
                return None
            plain = False
            continue
        prefix = f"{relative}/" if relative else ""
        for entry in entries:
            label = prefix + entry.name
            try:
                if entry.is_file(follow_symlinks=False):  # a regular file, as nearly all are: no more to ask
                    found.append((label, entry.path))
                    continue
                if entry.is_symlink():
                    plain = False
                if entry.is_dir():
                    if not (skip_hidden_folders and entry.name.startswith(".")):
                        pending.append((entry.path, label))
                elif entry.is_file():
                    found.append((label, entry.path))
                else:
                    plain = False
            except OSError:
                plain = False
                continue
    found.sort(key=itemgetter(0))  # by path alone (each is met once): texts compared as such, not as tuples
    return found, plain


def _slot(out_dir: Path) -> str:
    return "site:" + out_dir.resolve().as_posix()


def last_build(cache: Cache, out_dir: Path) -> Record | None:
    """What the cache remembers of the last build into ``out_dir``, if anything."""
    stored = cache.get_blob("build:" + _slot(out_dir))
    if stored is None:
        return None
    try:
        tag, build, theme, manifest, articles, expressions, events, warnings, pages = marshal.loads(stored)
    except (ValueError, TypeError, EOFError):
        return None
    # Only the exact shape ``remember`` writes is taken, down to the type of every value: checked a column at a time,
    # each in one pass made in C (a set of each entry's types, made in Python, took a third of this at 10,000 files).
    text, number = {str}, {int}
    if (tag != RECORD or type(build) is not str or type(theme) is not str
            or {type(articles), type(expressions), type(events)} != number
            or type(warnings) is not tuple or not text.issuperset(map(type, warnings))
            or type(manifest) is not dict or not text.issuperset(map(type, manifest))
            or not {tuple}.issuperset(map(type, manifest.values())) or not {5}.issuperset(map(len, manifest.values()))
            or type(pages) is not dict or not text.issuperset(map(type, pages))
            or not text.issuperset(map(type, pages.values()))):
        return None
    sizes, modified, inodes, changed, digests = tuple(zip(*manifest.values(), strict=True)) or ((),) * 5
    if not (number.issuperset(map(type, sizes)) and number.issuperset(map(type, modified))
            and number.issuperset(map(type, inodes)) and number.issuperset(map(type, changed))
            and text.issuperset(map(type, digests))):
        return None
    return Record(build, theme, manifest, Summary(articles, expressions, events, warnings), pages)


def unchanged(record: Record | None, out_dir: Path, build: str | None) -> Summary | None:
    """The last build's summary when ``build`` is its fingerprint and ``out_dir`` is as that build left it."""
    if record is None or build is None or record.build != build:
        return None
    return record.summary if site_matches(out_dir, record.manifest) else None


def last_merge(cache: Cache, out_dir: Path) -> bytes | None:
    """What the last build into ``out_dir`` merged (``merge.merge_events``'s trace), for this one to replay."""
    return cache.get_blob("merge:" + _slot(out_dir))


def last_pieces(cache: Cache, out_dir: Path) -> dict[str, Any]:
    """The indexes of the pieces of the files the last build wrote into ``out_dir`` (see reuse.py)."""
    from .reuse import load_indexes

    return load_indexes(cache.get_blob("pieces:" + _slot(out_dir)))


def remember(cache: Cache, out_dir: Path, build: str | None, theme: str, manifest: Manifest,
             summary: Summary, pages: Mapping[str, str] | None = None,
             pieces: Mapping[str, Any] | None = None, merge_trace: bytes = b"") -> None:
    """Record a finished build's fingerprint, what it wrote, its pages' keys, its files' pieces, its merge and its
    summary."""
    if build is None:
        return
    if merge_trace:
        cache.set_blob("merge:" + _slot(out_dir), merge_trace)
    if pieces is not None:
        from .reuse import dump_indexes

        cache.set_blob("pieces:" + _slot(out_dir), dump_indexes(pieces))
    record = (RECORD, build, theme, dict(manifest), summary.articles, summary.expressions, summary.events,
              tuple(summary.warnings), dict(pages or {}))
    # marshal's version 2, which does not look for objects met twice: version 4 did for each of the 30,000 texts the
    # manifest and the pages' keys share with other values, which took 15-20 ms at 10,000 files rather than 4-8
    # (and spared only each page's path written twice; it is read back about as fast).
    cache.set_blob("build:" + _slot(out_dir), marshal.dumps(record, 2))
    for older in ("", "blob:merge:", "blob:pieces:"):  # where earlier versions kept these, inside the database
        cache.delete_meta(older + _slot(out_dir))
