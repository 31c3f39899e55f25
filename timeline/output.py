"""Writing the site: the last stage, and the only one that writes files.

The new site is written into a staging folder beside the output folder and
swapped in only once it is complete, so a failed or killed build leaves the
previous site whole.  On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``
call, so there is no moment without an output folder; elsewhere it is two
renames, and a build killed between them leaves the previous site in a
retired folder that the next build puts back (``recover_output_dir``).

Staging and retired folders carry the building process's id in their names
(``.public.new-<pid>-<random>``, ``.public.old-<pid>-<random>``), so the next
build removes those of builds that were killed without touching those of a
build still running beside it.

An existing output folder is replaced only if an earlier build made it (it
holds the marker file) or it is empty: pointing ``--out`` at a folder of your
own by mistake must never delete it.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from .errors import InputError, Problem

MARKER = ".timeline-site"
MARKER_TEXT = b"This folder is written by timeline's build; it is replaced whole on every build.\n"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_LEFTOVER = re.compile(r"(?P<kind>new|old)-(?P<pid>\d+)-[A-Za-z0-9_]+")


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


def recover_output_dir(out_dir: Path) -> None:
    """Put back a previous site that a killed build left retired, and remove folders of builds no longer running."""
    out = out_dir.absolute()
    leftovers = _leftovers(out)
    if not os.path.lexists(out):
        retired = [path for kind, path in leftovers if kind == "old" and (path / MARKER).is_file()]
        if retired:
            newest = max(retired, key=lambda path: path.stat().st_mtime_ns)
            try:
                os.rename(newest, out)
            except OSError as error:
                raise InputError(Problem(str(out_dir), f"the output folder is missing and the previous site in "
                                         f"{newest.name} cannot be put back: {error.strerror or error}; "
                                         f"rename {newest} to {out_dir} by hand")) from None
            leftovers = [(kind, path) for kind, path in leftovers if path != newest]
    for _, path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


def write_site(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Write ``files`` (relative posix path -> bytes) as the new content of ``out_dir``, all or nothing."""
    out = out_dir.absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    except OSError as error:
        raise InputError(Problem(str(out_dir), f"cannot write the site here: {error.strerror or error}; "
                                 "check that the folder above it is writable, or choose another --out")) from None
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site must be readable
        for relative in sorted(files):
            target = staging / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[relative])
        # Written last: a staging folder holding the marker is known to be complete.
        (staging / MARKER).write_bytes(MARKER_TEXT)
        _swap_in(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(Problem(str(out_dir), f"cannot write the site: {error.strerror or error}; "
                                 "the previous site is unchanged")) from None
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
    """Make ``staging`` the output folder and delete the previous one, never leaving half a site in its place."""
    if not os.path.lexists(out_dir):
        try:
            os.rename(staging, out_dir)
            return
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            # Another build put a site there since we looked: replace it as below.
    if exchange_paths(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # the staging name now holds the previous site
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
    os.rmdir(retired)
    os.rename(out_dir, retired)
    # A kill here leaves no output folder; recover_output_dir puts ``retired`` back on the next build.
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(retired, out_dir)  # put the previous site back before reporting
        raise
    shutil.rmtree(retired, ignore_errors=True)


def exchange_paths(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step; False where the system or file system cannot, so the caller falls back."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # an old kernel, or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's renameat2, or None on systems without it (macOS, Windows, old C libraries)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


def _leftovers(out_dir: Path) -> list[tuple[str, Path]]:
    """Staging ('new') and retired ('old') folders beside ``out_dir`` whose build is no longer running."""
    prefix = f".{out_dir.name}."
    found = []
    try:
        entries = list(os.scandir(out_dir.parent))
    except OSError:
        return []
    for entry in entries:
        match = _LEFTOVER.fullmatch(entry.name[len(prefix):]) if entry.name.startswith(prefix) else None
        if match and entry.is_dir(follow_symlinks=False) and not _is_running(int(match["pid"])):
            found.append((match["kind"], Path(entry.path)))
    return sorted(found)


def _is_running(pid: int) -> bool:
    """Whether a process with this id exists (a process of another user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
