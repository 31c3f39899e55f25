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

With a build cache, the previous site's folder is not removed once swapped
out but moved into the cache (``trash``), and the next build's ``Prelinked``
child removes it while the build works: removing ten thousand names was a
tenth of a rebuild after one edit.  The files the two sites share change
their change time (ctime) when a name goes, so the manifest takes it after.

An existing output folder is replaced only if an earlier build made it (it
holds the marker file) or it is empty: pointing ``--out`` at a folder of your
own by mistake must never delete it.

A file whose bytes did not change since the last build is not written again:
it is hard-linked from the current site into the staging folder, but only
when the current file is provably the one that build wrote (its size,
modification time and inode are those the last build's ``Manifest``
recorded with the file's SHA-256, and it was not written in the same
timestamp tick as the marker, after which a change could keep the same
time).  Anything else is written, so reuse can never change a byte.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import itertools
import os
import queue
import re
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .messages import heard, tell
from .splice import Chunks

MARKER = ".timeline-site"
MARKER_TEXT = b"This folder is written by timeline's build; it is replaced whole on every build.\n"

# What a build wrote: relative path -> (size, modification time, inode, change time (ns), SHA-256 of the bytes).
# The change time (ctime) cannot be set by hand, so an edit that puts the old modification time back is seen too.
Manifest = dict[str, tuple[int, int, int, int, str]]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_LEFTOVER = re.compile(r"(?P<kind>new|old)-(?P<pid>\d+)-[A-Za-z0-9_]+")
_RETIRED = re.compile(r"old-\d+-[0-9a-f]+")  # a site in the trash


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


class Prelinked:
    """A staging folder into which a child process links the last build's intact files while the build works.

    After one edit nearly every file of the new site is one of the last build's, and linking ten thousand of them
    took a good part of such a rebuild, while the build's own work left the other core idle. ``write_site`` then
    checks each with one call, replaces those that changed and removes those the new site no longer has. Where
    processes cannot fork, or nothing is to be linked, there is no folder and ``write_site`` links as usual.

    The child links a file only if it is still as the manifest says (``_link`` checks it first), so the files it
    linked are those ``reusable_files`` would find intact (``linked``): the build need not look at them itself.
    Then it removes the sites retired into ``trash`` (while the build lists and hashes its pages, which leaves the
    other core idle) and tells each linked file's change time as that leaves it (``settle``).
    """

    def __init__(self, out_dir: Path, previous: Manifest | None, trash: Path | None = None):
        """Start linking the last build's files, then removing the sites retired into ``trash`` by earlier builds."""
        self.out = out_dir.absolute()
        self.entries = _reusable(self.out, previous)
        self.done = False
        self.taken = False  # write_site has the staging folder
        self.path: Path | None = None
        self.pid = 0
        self.reader: int | None = None
        if not self.entries or not hasattr(os, "fork") or not self.out.is_dir():
            return
        try:
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-{os.getpid()}-", dir=self.out.parent))
            os.chmod(self.path, 0o755)  # mkdtemp makes it private; a published site must be readable
        except OSError:
            self.path = None
            return
        parent = os.getpid()
        try:
            reader, writer = os.pipe()  # the child tells through it which files it linked, then their times
            pid = os.fork()
        except OSError:  # no process to spare: write_site links as usual
            self.discard()
            return
        if pid == 0:  # the child: link, and leave without running anything of the parent's
            code = 1
            try:
                from .executors import die_with_parent

                die_with_parent(parent)
                # Behind the build and the worker tagging the edited articles: three processes on two cores shared
                # them evenly, and the build's reading took up to twice its time. This one's work is needed later.
                with contextlib.suppress(OSError):
                    os.nice(10)
                os.close(reader)
                old, new = os.fspath(self.out), os.fspath(self.path)
                made: set[str] = set()
                linked = []
                for relative, known in self.entries.items():
                    target = f"{new}/{relative}"
                    folder = target.rpartition("/")[0]
                    if folder not in made:
                        os.makedirs(folder, exist_ok=True)
                        made.add(folder)
                    linked.append(_link(f"{old}/{relative}", target, known))
                with open(writer, "wb") as told:
                    tell(told, linked)
                    if trash is not None:  # after linking: each link was checked against the manifest's change time
                        empty_trash(trash)
                    # Each linked file's change time now, which nothing moves again before the site is swapped in
                    # (the site it replaces goes into the trash whole); -1 for a file not linked.
                    tell(told, [_settled(f"{new}/{relative}", known) if done else -1
                                 for (relative, known), done in zip(self.entries.items(), linked, strict=True)])
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        self.pid, self.reader = pid, reader

    def linked(self) -> set[str] | None:
        """The files the child linked (each found as the manifest says, so intact), once it has linked them all; None
        if there is no child or it failed."""
        if not self.done:
            self.done = True
            flags = self._told(bool) if self.pid else None
            if flags is None:
                self.discard()
            else:
                self.entries = dict(itertools.compress(self.entries.items(), flags))
        return set(self.entries) if self.path is not None else None

    def take(self) -> tuple[Path, Manifest] | None:
        """The staging folder and the entries the child linked there (each checked as it was linked), once it has
        linked them all; None if it failed."""
        if self.linked() is None or self.path is None:
            return None
        staged, self.path = self.path, None  # write_site owns it now
        self.taken = True
        return staged, self.entries

    def settle(self) -> dict[str, int] | None:
        """Once the child is done (the trash emptied too): the change time of each file it linked, as it stands now;
        None if the child failed (the caller then reads them itself)."""
        if not self.taken or not self.pid:
            return None
        times = self._told(int)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if times is None or os.waitstatus_to_exitcode(status) != 0:
            return None
        return {path: time for path, time in zip(self.entries, times, strict=True) if time >= 0}

    def _told(self, kind: type) -> list[Any] | None:
        """The child's next message: a list of ``kind``, one per entry; None if it sent anything else or nothing."""
        if self.reader is None:
            return None
        try:
            told = heard(self.reader)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if type(told) is not list or len(told) != len(self.entries) or not {kind}.issuperset(map(type, told)):
            return None
        return told

    def discard(self) -> None:
        """Stop using the folder (the build failed, or the child did)."""
        if self.reader is not None:  # closed first, so a child still telling its failures stops, not waits
            os.close(self.reader)
            self.reader = None
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


def write_site(files: Mapping[str, bytes | Chunks | None] | Iterable[tuple[str, bytes | Chunks | None]], out_dir: Path,
               previous: Manifest | None = None, fallback: Callable[[str], bytes] | None = None,
               prelinked: Prelinked | None = None, trash: Path | None = None) -> Manifest:
    """Write ``files`` (relative posix path -> bytes, or such pairs as they are made) as the new content of
    ``out_dir``, all or nothing: should the pairs stop with an exception, nothing is changed.

    Files the last build wrote (``previous``, its manifest) and that are unchanged on disk are linked rather than
    written again.  None stands for "the file the last build wrote here, unchanged" (a page not rendered again,
    see ``render.render_changes``): it is linked, or, if that file is no longer as the manifest says, its bytes are
    asked of ``fallback``.  Returns the manifest of the new site, for the next build.  With ``prelinked`` (made for
    the same folder and manifest), its staging folder is used, which holds the unchanged files already; with
    ``trash`` too (the folder ``prelinked`` was given), the previous site is moved there, for the next build's
    ``Prelinked`` to remove, instead of being removed now.
    """
    out = out_dir.absolute()
    staged = prelinked.take() if prelinked is not None else None
    linked: Manifest = staged[1] if staged is not None else {}  # in the staging folder already, checked as linked
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = staged[0] if staged is not None else \
            Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    except OSError as error:
        raise InputError(Problem(str(out_dir), f"cannot write the site here: {error.strerror or error}; "
                                 "check that the folder above it is writable, or choose another --out")) from None
    expected: Manifest = {}  # what each file of the new site is, as written or as verified before linking
    # Paths joined as text: the names are checked by _safe_relative, and os.path.join was a tenth of a rebuild.
    old, new = os.fspath(out), os.fspath(staging)
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site must be readable
        made: set[str] = set()
        pairs = sorted(files.items()) if isinstance(files, Mapping) else files
        # Bytes are hashed and written by a thread (both let go of the interpreter's lock), so that linking the
        # unchanged files, and rendering, go on meanwhile: after one edit the exports alone are tens of MB.
        writer = _Writer()
        try:
            for name, data in pairs:
                if data is None:  # after one edit, nearly every file: in place already, if the child linked it
                    entry = linked.get(name)
                    if entry is not None:
                        expected[name] = entry  # the child found it as this says when it linked it
                        continue
                # A path of the last build's manifest is plain, checked when that build wrote it.
                relative = name if name in linked else _safe_relative(name)
                in_place = relative in linked
                if in_place and data is None:  # named in another form ("./a.html")
                    expected[relative] = linked[relative]
                    continue
                target = f"{new}/{relative}"
                folder = target.rpartition("/")[0]
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                known = linked[relative] if in_place else _reusable_entry(previous, relative)
                if data is None:
                    if known is not None and _link(f"{old}/{relative}", target, known):
                        expected[relative] = known
                        continue
                    if fallback is None:
                        raise ValueError(f"{name}: no bytes given, and the last build's file cannot be reused")
                    data = fallback(name)
                writer.put(data, f"{old}/{relative}", target, known, in_place)
        except BaseException:
            writer.finish(quietly=True)
            raise
        for target, entry in writer.finish():
            expected[target[len(new) + 1:]] = entry
        for relative in linked.keys() - expected.keys():  # a file the new site no longer has
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{new}/{relative}")
            folder = f"{new}/{relative}".rpartition("/")[0]
            while folder != new:  # and its folders, if that was all they held
                try:
                    os.rmdir(folder)
                except OSError:
                    break
                folder = folder.rpartition("/")[0]
        # Written last: a staging folder holding the marker is known to be complete.
        with open(staging / MARKER, "xb") as file:
            file.write(MARKER_TEXT)
            file.flush()
            status = os.fstat(file.fileno())
        expected[MARKER] = (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns, _MARKER_DIGEST)
        # The child's times, once it has emptied the trash: before the swap, which moves the old site into it.
        times = prelinked.settle() if staged is not None and prelinked is not None else None
        retired = _swap_in(staging, out, trash if times is not None else None)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(Problem(str(out_dir), f"cannot write the site: {error.strerror or error}; "
                                 "the previous site is unchanged")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not retired or times is None:  # the previous site's names are gone, which moved the change times of the files
        return _confirmed(out, expected)  # it shared: they are read now
    # Moved whole into the trash: the files the child linked have the change times it found, the others are read.
    settled: Manifest = {}
    for relative, changed in times.items():
        kept = expected.get(relative)
        if kept is not None and kept is linked.get(relative):
            settled[relative] = (kept[0], kept[1], kept[2], changed, kept[4])
    return {**_confirmed(out, {relative: entry for relative, entry in expected.items() if relative not in settled}),
            **settled}


class _Writer:
    """A thread that writes the files handed to it (``_put``), one after the other, while the caller goes on."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._done: list[tuple[str, tuple[int, int, int, int, str]]] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="write_site", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is None:  # after a failure, the rest is not written: the build stops
                try:
                    self._done.append(_put(*job))
                except BaseException as error:
                    self._error = error

    def put(self, *job: Any) -> None:
        """Write a file: ``_put``'s arguments."""
        self._jobs.put(job)

    def finish(self, quietly: bool = False) -> list[tuple[str, tuple[int, int, int, int, str]]]:
        """Once every file handed over is written: what ``_put`` gave for each, in turn; the first failure raised
        unless ``quietly``."""
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None and not quietly:
            raise self._error
        return self._done


def empty_trash(trash: Path) -> None:
    """Remove the sites that earlier builds retired into ``trash`` (``write_site``).

    Even one that a build still running retired a moment ago: that build is done with it, and the change times this
    moves only make the next build trust fewer of its files, never more.
    """
    try:
        entries = list(os.scandir(trash))
    except OSError:
        return
    for entry in entries:
        if _RETIRED.fullmatch(entry.name):
            shutil.rmtree(entry.path, ignore_errors=True)


def reusable_files(out_dir: Path, previous: Manifest | None) -> set[str]:
    """The files of ``out_dir`` that are, as far as their status shows, exactly what the last build wrote there.

    Only for deciding what need not be rendered again: ``write_site`` checks each one again as it links it.
    """
    found = set()
    base = os.fspath(out_dir)
    for relative, entry in _reusable(out_dir.absolute(), previous).items():
        try:
            status = os.lstat(f"{base}/{relative}")
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode) \
                and (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns) == entry[:4]:
            found.add(relative)
    return found


def previous_file(out_dir: Path, previous: Manifest, intact: frozenset[str], relative: str) -> bytes | None:
    """The bytes of a file of the current site that ``reusable_files`` found intact, as the last build wrote them
    (``previous``, its manifest, holds their SHA-256), or None.

    Its status is looked at again once it is read: a file changed since it was found intact, even while it was read,
    has another modification time or size, and is not given. (Not its change time: ``Prelinked`` moved it.)
    """
    entry = previous.get(relative)
    if relative not in intact or entry is None:
        return None
    try:
        with open(f"{os.fspath(out_dir)}/{relative}", "rb") as file:
            data = file.read()
            status = os.fstat(file.fileno())
    except OSError:
        return None
    if (len(data), status.st_size, status.st_mtime_ns, status.st_ino) != (entry[0], *entry[:3]):
        return None
    return data


def _reusable(out: Path, previous: Manifest | None) -> Manifest:
    """The entries of the last build's manifest that may be linked: not written in the marker's timestamp tick.

    A file changed by hand right after the build, within one tick of the file system's clock, would keep its
    recorded time, so such files are written again rather than trusted.
    """
    if not previous or MARKER not in previous:
        return {}
    marker_time = previous[MARKER][1]
    return {path: entry for path, entry in previous.items() if path != MARKER and entry[1] < marker_time}


def _reusable_entry(previous: Manifest | None, relative: str) -> tuple[int, int, int, int, str] | None:
    """What ``_reusable`` gives for ``relative``, found without sorting out the whole manifest (write_site asks only
    for the few files not linked ahead)."""
    if not previous or MARKER not in previous or relative == MARKER:
        return None
    entry = previous.get(relative)
    return entry if entry is not None and entry[1] < previous[MARKER][1] else None


def _put(data: bytes | Chunks, source: str, target: str, known: tuple[int, int, int, int, str] | None,
         in_place: bool = False) -> tuple[str, tuple[int, int, int, int, str]]:
    """Write ``data`` (bytes, or the chunks that make them) at ``target``, or link ``source`` there if it is the
    last build's file with these bytes.

    ``in_place``: the last build's file may be at ``target`` already (``Prelinked``): kept if it has these bytes.
    """
    chunks = (data,) if isinstance(data, bytes) else data
    hashed = hashlib.sha256()
    for chunk in chunks:
        hashed.update(chunk)
    digest, size = hashed.hexdigest(), sum(map(len, chunks))
    if known is not None and known[0] == size and known[4] == digest \
            and (_is(target, known) if in_place else _link(source, target, known)):
        return target, known
    if in_place:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
    with open(target, "xb") as file:
        file.writelines(chunks)
        file.flush()  # so that the size and time below are those of the whole file
        status = os.fstat(file.fileno())
    return target, (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns, digest)


def _settled(path: str, known: tuple[int, int, int, int, str]) -> int:
    """The change time of the file ``known`` describes at ``path`` (linked there), or -1 if another file is there."""
    try:
        status = os.lstat(path)
    except OSError:
        return -1
    if stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns, status.st_ino) == known[:3]:
        return status.st_ctime_ns
    return -1


def _is(path: str, known: tuple[int, int, int, int, str]) -> bool:
    """Whether ``path`` is the file ``known`` describes (linked there: its change time moved)."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns, status.st_ino) == known[:3]


def _link(source: str, target: str, known: tuple[int, int, int, int, str]) -> bool:
    """Link ``source`` to ``target`` if it is the file ``known`` describes; False (and nothing made) otherwise."""
    try:
        before = os.lstat(source)  # lstat: a link put in the site by hand is not followed
        if not stat.S_ISREG(before.st_mode) \
                or (before.st_size, before.st_mtime_ns, before.st_ino, before.st_ctime_ns) != known[:4]:
            return False
        os.link(source, target, follow_symlinks=False)
        after = os.lstat(target)  # the same inode: not another build's file swapped in meanwhile (linking moves ctime)
        if (after.st_size, after.st_mtime_ns, after.st_ino) == known[:3]:
            return True
        os.unlink(target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(target)
    return False


def _confirmed(out: Path, expected: Manifest) -> Manifest:
    """The manifest of ``out``: the files that are still as written or verified now that the site is in place.

    A file changed in the meantime is left out, so the next build writes it again and does not skip.  Change times
    are taken now, as linking and removing the previous site's names moved them.
    """
    confirmed: Manifest = {}
    base = os.fspath(out)
    for relative, entry in expected.items():
        try:
            status = os.lstat(f"{base}/{relative}")
        except OSError:
            continue
        if (status.st_size, status.st_mtime_ns, status.st_ino) == entry[:3] and stat.S_ISREG(status.st_mode):
            confirmed[relative] = (*entry[:3], status.st_ctime_ns, entry[4])
    return confirmed


def site_matches(out_dir: Path, manifest: Manifest) -> bool:
    """Whether ``out_dir`` holds exactly the files ``manifest`` describes, each unchanged since it was written.

    Files written in the marker's timestamp tick are read and hashed, as their times alone cannot tell.
    """
    if MARKER not in manifest:
        return False
    marker_time = manifest[MARKER][1]
    out = os.fspath(out_dir)
    seen = 0
    for folder, _, names in os.walk(out):
        # The folder's path relative to ``out``, cut rather than computed (relpath was most of a skipped build).
        prefix = folder[len(out):].lstrip(os.sep).replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        for name in names:
            path = os.path.join(folder, name)
            entry = manifest.get(prefix + name)
            if entry is None:
                return False
            try:
                status = os.lstat(path)
            except OSError:
                return False
            if (status.st_size, status.st_mtime_ns, status.st_ino, status.st_ctime_ns) != entry[:4] \
                    or not stat.S_ISREG(status.st_mode):
                return False
            if entry[1] >= marker_time and name != MARKER and _file_sha256(path) != entry[4]:
                return False
            seen += 1
    return seen == len(manifest)


def _file_sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


_MARKER_DIGEST = hashlib.sha256(MARKER_TEXT).hexdigest()


def _safe_relative(relative: str) -> str:
    """The path in its plain form ("a/b.html"), checked to stay inside the output folder and not to be the marker."""
    wrapped = f"/{relative}/"
    if "//" not in wrapped and "/./" not in wrapped and "/../" not in wrapped and "\0" not in relative \
            and relative != MARKER:
        return relative  # plain already, as every path a build makes: checked without splitting it
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if relative.startswith("/") or ".." in parts or not parts or parts == [MARKER] or "\0" in relative:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return "/".join(parts)


def _swap_in(staging: Path, out_dir: Path, trash: Path | None = None) -> bool:
    """Make ``staging`` the output folder and delete the previous one, never leaving half a site in its place.

    With ``trash``, the previous site is moved there rather than deleted, if it can be: True when it was (or there
    was none), so that no name of it has gone.
    """
    if not os.path.lexists(out_dir):
        try:
            os.rename(staging, out_dir)
            return True
        except OSError as error:
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
            # Another build put a site there since we looked: replace it as below.
    if exchange_paths(staging, out_dir):
        return _retire(staging, trash)  # the staging name now holds the previous site
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
    os.rmdir(retired)
    os.rename(out_dir, retired)
    # A kill here leaves no output folder; recover_output_dir puts ``retired`` back on the next build.
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(retired, out_dir)  # put the previous site back before reporting
        raise
    return _retire(retired, trash)


def _retire(site: Path, trash: Path | None) -> bool:
    """Move a swapped-out site into ``trash`` (True), or, without one or where it cannot go, delete it (False)."""
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.rename(site, f"{trash}/old-{os.getpid()}-{os.urandom(6).hex()}")
            return True
        except OSError:
            pass
    shutil.rmtree(site, ignore_errors=True)
    return False


def exchange_paths(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step; False where the system or file system cannot, so the caller falls back."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # an old kernel, or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(second))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's renameat2, or None on systems without it (macOS, Windows, old C libraries)."""
    import ctypes  # here, as the only use: a build with nothing to write never loads it

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
