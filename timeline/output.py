"""Writing the site: the last stage, and the only one that writes files.

The new site is written into a temporary folder beside the output folder and
swapped in only once it is complete, so a failed or killed build leaves the
previous site whole.  An existing output folder is replaced only if an
earlier build made it (it holds the marker file) or it is empty: pointing
``--out`` at a folder of your own by mistake must never delete it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .errors import InputError, Problem

MARKER = ".timeline-site"
MARKER_TEXT = b"This folder is written by timeline's build; it is replaced whole on every build.\n"


def check_output_dir(out_dir: Path, content_dir: Path) -> None:
    """Refuse output folders that would overwrite content or a folder timeline did not make."""
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or content in out.parents:
        raise InputError(Problem(str(out_dir), f"the output folder must not be the content folder or inside it "
                                 f"({content_dir}); choose another --out"))
    if out in content.parents:
        raise InputError(Problem(str(out_dir), f"the output folder holds the content folder ({content_dir}); "
                                 "a build replaces the output folder whole, so choose another --out"))
    if out.exists() and not out.is_dir():
        raise InputError(Problem(str(out_dir), "the output path exists and is not a folder"))
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise InputError(Problem(str(out_dir), "this folder is not empty and was not made by timeline; "
                                 "a build replaces its output folder whole, so choose an empty or new --out"))


def write_site(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Write ``files`` (relative posix path -> bytes) as the new content of ``out_dir``, all or nothing."""
    parent = out_dir.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    except OSError as error:
        raise InputError(Problem(str(out_dir), f"cannot write the site here: {error.strerror or error}")) from None
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site must be readable
        for relative in sorted(files):
            target = staging / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[relative])
        (staging / MARKER).write_bytes(MARKER_TEXT)
        _swap_in(staging, out_dir.absolute())
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(Problem(str(out_dir), f"cannot write the site: {error.strerror or error}")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _safe_relative(relative: str) -> PurePosixPath:
    """The path, checked to stay inside the output folder."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return path


def _swap_in(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(retired)
    os.rename(out_dir, retired)
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(retired, out_dir)  # put the previous site back before reporting
        raise
    shutil.rmtree(retired, ignore_errors=True)
