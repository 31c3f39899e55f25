"""Skipping a build that would change nothing: same inputs, same code, and the output folder as the last build left it.

The fingerprint covers everything a build reads: every article and overrides file (path and bytes), the settings,
the theme's templates and static files (and the project's own), the options that change the output, the tool's
code and the versions of the libraries that shape the site.  The last build's fingerprint is kept in the build cache
with a manifest of the files it wrote (path, size, modification time), so a site edited or damaged by hand since
is rebuilt, never taken as it is.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .articles import find_article_files
from .cache import Cache, code_fingerprint
from .errors import InputError
from .overrides import find_override_files
from .settings import Settings
from .themes import Theme

# The libraries whose version can change the site's bytes (dates in words, Markdown, sanitising, templates, YAML).
LIBRARIES = ("Babel", "Jinja2", "Markdown", "MarkupSafe", "nh3", "PyYAML", "dateparser")


@dataclass(frozen=True)
class Summary:
    """What the last build printed: its figures and its warnings."""

    articles: int
    expressions: int
    events: int
    warnings: tuple[str, ...]


def fingerprint(content_dir: Path, settings: Settings, theme: Theme, options: Iterable[str]) -> str | None:
    """A hash of every input of a build, or None when the content cannot be listed (the build will say why)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
    digest.update(repr(settings).encode() + b"\0" + "\0".join(options).encode() + b"\0")
    try:
        files = [(content_dir, path) for path in find_article_files(content_dir) + find_override_files(content_dir)]
    except (InputError, OSError):
        return None
    for folder in (*theme.template_dirs, *theme.static_dirs):
        files += [(folder, path) for path in sorted(folder.rglob("*")) if path.is_file()]
    for base, path in files:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        label = f"{base}\0{path.relative_to(base).as_posix()}".encode()
        digest.update(len(label).to_bytes(8, "big") + label + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _manifest(out_dir: Path) -> list[list[object]] | None:
    """Every file under ``out_dir`` with its size and modification time, or None when there is no such folder."""
    if not out_dir.is_dir():
        return None
    found = []
    for folder, _, names in os.walk(out_dir):
        for name in names:
            path = os.path.join(folder, name)
            status = os.stat(path, follow_symlinks=False)
            found.append([os.path.relpath(path, out_dir), status.st_size, status.st_mtime_ns])
    return sorted(found)


def _slot(out_dir: Path) -> str:
    return "site:" + out_dir.resolve().as_posix()


def unchanged(cache: Cache, out_dir: Path, build: str | None) -> Summary | None:
    """The last build's summary when ``build`` is its fingerprint and ``out_dir`` is as that build left it."""
    if build is None:
        return None
    stored = cache.get_meta(_slot(out_dir))
    if stored is None:
        return None
    try:
        record = json.loads(stored)
        if record["build"] != build or record["manifest"] != _manifest(out_dir):
            return None
        return Summary(record["articles"], record["expressions"], record["events"], tuple(record["warnings"]))
    except (ValueError, KeyError, TypeError, OSError):
        return None


def remember(cache: Cache, out_dir: Path, build: str | None, summary: Summary) -> None:
    """Record a finished build's fingerprint, what it wrote, and its summary."""
    if build is None:
        return
    manifest = _manifest(out_dir)
    record = {"build": build, "manifest": manifest, "articles": summary.articles,
              "expressions": summary.expressions, "events": summary.events, "warnings": list(summary.warnings)}
    cache.set_meta(_slot(out_dir), json.dumps(record, ensure_ascii=False))
