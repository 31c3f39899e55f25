from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from timeline import output
from timeline.errors import InputError, Problem
from timeline.output import (
    MARKER,
    MARKER_TEXT,
    Manifest,
    Prelinked,
    check_output_dir,
    previous_file,
    reusable_files,
    site_matches,
    write_site,
)


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


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def settled(manifest: Manifest) -> Manifest:
    """The manifest as a later build sees it: every file written before the marker's timestamp tick."""
    return {path: (entry if path == MARKER else (entry[0], entry[1] - 10**10, *entry[2:])) for path, entry in
            manifest.items()}


def test_unchanged_files_are_linked_and_the_site_is_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "public"
    site = {"index.html": b"one", "static/a.css": b"a" * 5000, "tags/x.html": b"x"}
    manifest = write_site(site, out)
    assert site_matches(out, manifest)
    for path, entry in manifest.items():  # backdate, as if written long before the marker
        os.utime(out / path, ns=(entry[1], entry[1] - 10**10 if path != MARKER else entry[1]))
    manifest = {path: (entry[0], (out / path).stat().st_mtime_ns, entry[2], (out / path).stat().st_ctime_ns,
                       entry[4]) for path, entry in manifest.items()}
    before = inodes(out)
    changed = {**site, "index.html": b"two"}
    again = write_site(changed, out, manifest)
    after = inodes(out)
    assert after["static/a.css"] == before["static/a.css"] and after["tags/x.html"] == before["tags/x.html"]
    assert after["index.html"] != before["index.html"]
    assert tree(out) == {**changed, MARKER: MARKER_TEXT}
    assert site_matches(out, again)
    fresh = tmp_path / "fresh"
    write_site(changed, fresh)
    assert tree(fresh) == tree(out)  # reuse never changes a byte


@pytest.mark.parametrize("edit", ["in place", "replaced", "time put back"])
def test_a_file_changed_by_hand_in_the_output_is_written_again(tmp_path: Path, edit: str) -> None:
    out = tmp_path / "public"
    site = {"index.html": b"built", "other.html": b"other"}
    manifest = write_site(site, out)
    page = out / "index.html"
    status = page.stat()
    if edit == "replaced":
        page.unlink()
        page.write_bytes(b"hand!")
    else:
        page.write_bytes(b"hand!")  # same size
    if edit == "time put back":
        os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))  # only the change time tells
    assert not site_matches(out, manifest)
    write_site(site, out, settled(manifest))
    assert page.read_bytes() == b"built"


def test_a_file_written_in_the_markers_tick_is_not_trusted(tmp_path: Path) -> None:
    out = tmp_path / "public"
    manifest = write_site({"index.html": b"built"}, out)
    page = out / "index.html"
    marker_time = manifest[MARKER][1]
    page.write_bytes(b"hand!")
    status = page.stat()
    # As if the edit came within the same tick as the build: every time stamp the build recorded still matches.
    racy = {**manifest, "index.html": (status.st_size, marker_time, status.st_ino, status.st_ctime_ns,
                                       manifest["index.html"][4])}
    os.utime(page, ns=(marker_time, marker_time))
    racy["index.html"] = (status.st_size, marker_time, status.st_ino, page.stat().st_ctime_ns, racy["index.html"][4])
    assert not site_matches(out, racy)  # hashed again, and found changed
    write_site({"index.html": b"built"}, out, racy)
    assert page.read_bytes() == b"built"


def test_an_added_or_removed_output_file_is_noticed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    manifest = write_site({"index.html": b"built", "a.html": b"a"}, out)
    (out / "extra.html").write_bytes(b"x")
    assert not site_matches(out, manifest)
    (out / "extra.html").unlink()
    (out / "a.html").unlink()
    assert not site_matches(out, manifest)


def test_a_page_not_rendered_again_is_linked_or_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "public"
    manifest = settled(write_site({"index.html": b"built", "years/2024.html": b"year"}, out))
    for path, entry in manifest.items():
        if path != MARKER:
            os.utime(out / path, ns=(entry[1], entry[1]))
    manifest = {path: (*entry[:3], (out / path).stat().st_ctime_ns, entry[4]) for path, entry in manifest.items()}
    year = (out / "years" / "2024.html").stat().st_ino
    asked: list[str] = []

    def render(path: str) -> bytes:
        asked.append(path)
        return b"rendered " + path.encode()

    # None: the last build's file, unchanged. Linked while it is; asked for once it has been edited by hand.
    write_site({"index.html": b"new", "years/2024.html": None}, out, manifest, render)
    assert (out / "years" / "2024.html").read_bytes() == b"year" and asked == []
    assert (out / "years" / "2024.html").stat().st_ino == year
    (out / "years" / "2024.html").write_bytes(b"hand")
    write_site({"index.html": b"new", "years/2024.html": None}, out, manifest, render)
    assert asked == ["years/2024.html"] and (out / "years" / "2024.html").read_bytes() == b"rendered years/2024.html"


def test_files_given_as_they_are_made_and_a_failure_midway_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site({"index.html": b"old", "a.html": b"a"}, out)

    def made() -> Iterator[tuple[str, bytes | None]]:
        yield "index.html", b"new"
        yield "b.html", b"b"
        raise InputError(Problem("templates", "a mistake found halfway"))

    with pytest.raises(InputError, match="halfway"):
        write_site(made(), out)
    assert tree(out) == {"index.html": b"old", "a.html": b"a", MARKER: MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no staging folder left behind
    write_site(iter([("b.html", b"b"), ("index.html", b"new")]), out)
    assert tree(out) == {"index.html": b"new", "b.html": b"b", MARKER: MARKER_TEXT}


def backdated(out: Path, manifest: Manifest) -> Manifest:
    """Backdate the files, as if written long before the marker, and give the manifest a later build reads."""
    for path, entry in manifest.items():
        os.utime(out / path, ns=(entry[1], entry[1] - 10**10 if path != MARKER else entry[1]))
    return {path: (entry[0], (out / path).stat().st_mtime_ns, entry[2], (out / path).stat().st_ctime_ns, entry[4])
            for path, entry in manifest.items()}


def test_files_linked_ahead_by_a_child_process_are_kept_replaced_or_removed(tmp_path: Path) -> None:
    out = tmp_path / "public"
    site = {"index.html": b"one", "static/a.css": b"a" * 5000, "tags/x.html": b"x", "tags/y.html": b"y",
            "gone/old.html": b"old"}
    manifest = backdated(out, write_site(site, out))
    before = inodes(out)
    prelinked = Prelinked(out, manifest)
    assert tree(out) == {**site, MARKER: MARKER_TEXT}  # the site is untouched while the child links
    changed = {"index.html": b"two", "static/a.css": b"a" * 5000, "tags/x.html": None, "tags/y.html": b"y",
               "new.html": b"new"}
    again = write_site(changed, out, manifest, prelinked=prelinked)
    after = inodes(out)
    assert after["static/a.css"] == before["static/a.css"]  # the same bytes given again: kept
    assert after["tags/x.html"] == before["tags/x.html"] and after["tags/y.html"] == before["tags/y.html"]
    assert after["index.html"] != before["index.html"]
    assert tree(out) == {"index.html": b"two", "static/a.css": b"a" * 5000, "tags/x.html": b"x",
                         "tags/y.html": b"y", "new.html": b"new", MARKER: MARKER_TEXT}
    assert not (out / "gone").exists()  # a file the new site no longer has goes, and its emptied folder
    assert site_matches(out, again)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_when_the_linking_child_fails_the_site_is_written_without_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    site = {"index.html": b"one", "tags/x.html": b"x"}
    manifest = backdated(out, write_site(site, out))

    def broken(*_: object) -> bool:
        raise OSError("disk on fire")

    monkeypatch.setattr(output, "_link", broken)  # the forked child inherits it and exits with an error
    prelinked = Prelinked(out, manifest)
    monkeypatch.undo()
    write_site({"index.html": b"two", "tags/x.html": b"x"}, out, manifest, prelinked=prelinked)
    assert tree(out) == {"index.html": b"two", "tags/x.html": b"x", MARKER: MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_file_the_linking_child_could_not_link_is_linked_by_the_build_instead(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "public"
    site = {"index.html": b"one", "tags/x.html": b"x", "tags/y.html": b"y"}
    manifest = backdated(out, write_site(site, out))
    before = inodes(out)
    real_link = output._link

    def refusing(source: str, target: str, known: tuple[int, int, int, int, str]) -> bool:
        return False if source.endswith("tags/x.html") else real_link(source, target, known)

    monkeypatch.setattr(output, "_link", refusing)  # the forked child inherits it
    prelinked = Prelinked(out, manifest)
    monkeypatch.undo()
    staged = prelinked.take()
    assert staged is not None and set(staged[1]) == {"index.html", "tags/y.html"}  # told which one failed
    prelinked.path = staged[0]  # given back, for write_site to take as a build would
    write_site({"index.html": None, "tags/x.html": None, "tags/y.html": None}, out, manifest, prelinked=prelinked)
    assert tree(out) == {**site, MARKER: MARKER_TEXT}
    assert inodes(out) == {**before, MARKER: inodes(out)[MARKER]}  # every file linked, x.html by the build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_build_that_stops_before_writing_leaves_no_linked_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    manifest = backdated(out, write_site({"index.html": b"one"}, out))
    prelinked = Prelinked(out, manifest)
    prelinked.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    assert tree(out) == {"index.html": b"one", MARKER: MARKER_TEXT}


@pytest.mark.parametrize(("given", "plain"), [
    ("index.html", "index.html"), ("tags/x.html", "tags/x.html"), (".well-known/a.txt", ".well-known/a.txt"),
    ("a//b.html", "a/b.html"), ("./a.html", "a.html"), ("a/./b.html", "a/b.html"), ("a/", "a"),
])
def test_paths_are_written_in_their_plain_form(given: str, plain: str) -> None:
    assert output._safe_relative(given) == plain


@pytest.mark.parametrize("given", ["", ".", "/", "/etc/passwd", "../x.html", "a/../b.html", "a/..", "x\0.html",
                                   MARKER, f"./{MARKER}"])
def test_paths_outside_the_folder_or_naming_the_marker_are_refused(given: str) -> None:
    with pytest.raises(ValueError, match="refusing to write"):
        output._safe_relative(given)


def test_a_file_given_as_chunks_is_written_whole_and_known_by_the_digest_of_its_bytes(tmp_path: Path) -> None:
    out = tmp_path / "public"
    old = b"xx-cd-xx"
    chunks = [b"ab", memoryview(old)[3:5], b"e"]  # as splice_chunks gives them: views of an old file among bytes
    manifest = write_site({"data.json": chunks}, out)
    assert (out / "data.json").read_bytes() == b"abcde"
    assert manifest["data.json"][0] == 5 and manifest["data.json"][4] == hashlib.sha256(b"abcde").hexdigest()
    manifest = backdated(out, manifest)
    before = inodes(out)["data.json"]
    write_site({"data.json": [b"abc", b"de"]}, out, manifest)  # the same bytes in other chunks: the file is kept
    assert inodes(out)["data.json"] == before


def test_the_linking_child_tells_which_files_are_intact_and_leaves_a_changed_one(tmp_path: Path) -> None:
    out = tmp_path / "public"
    site = {"index.html": b"one", "tags/x.html": b"x", "tags/y.html": b"y"}
    manifest = backdated(out, write_site(site, out))
    (out / "tags" / "y.html").write_bytes(b"changed by hand")
    assert reusable_files(out, manifest) == {"index.html", "tags/x.html"}
    prelinked = Prelinked(out, manifest)  # the child checks each file as it links it
    assert prelinked.linked() == {"index.html", "tags/x.html"}
    staged = prelinked.take()
    assert staged is not None and set(staged[1]) == {"index.html", "tags/x.html"}
    assert sorted(p.relative_to(staged[0]).as_posix() for p in staged[0].rglob("*") if p.is_file()) == [
        "index.html", "tags/x.html"]
    prelinked.path = staged[0]
    write_site({"index.html": None, "tags/x.html": None, "tags/y.html": b"y"}, out, manifest, prelinked=prelinked)
    assert tree(out) == {**site, MARKER: MARKER_TEXT}


def test_a_site_retired_into_the_trash_goes_with_the_next_build_and_every_manifest_stays_true(tmp_path: Path) -> None:
    out, trash = tmp_path / "public", tmp_path / "cache" / "trash"
    manifest = backdated(out, write_site({"index.html": b"one", "tags/x.html": b"x", "tags/y.html": b"y"}, out))
    shared = inodes(out)["tags/x.html"]
    for text in (b"two", b"three"):
        prelinked = Prelinked(out, manifest, trash)
        manifest = write_site({"index.html": text, "tags/x.html": None, "tags/y.html": b"y"}, out, manifest,
                              prelinked=prelinked, trash=trash)
        # x.html is one file in every site; the child removed the oldest site after linking it, which moved its
        # change time: the manifest must hold the time as it stands, or the next build would trust nothing.
        assert site_matches(out, manifest)
        assert inodes(out)["tags/x.html"] == shared
        assert tree(out) == {"index.html": text, "tags/x.html": b"x", "tags/y.html": b"y", MARKER: MARKER_TEXT}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "public"]  # nothing beside the site
        retired = list(trash.iterdir())
        assert len(retired) == 1  # the site just replaced, whole; the one before it is gone
        assert tree(retired[0])["index.html"] == (b"one" if text == b"two" else b"two")
        manifest = backdated(out, manifest)


def test_a_trash_that_cannot_be_made_leaves_the_previous_site_deleted_as_before(tmp_path: Path) -> None:
    out, trash = tmp_path / "public", tmp_path / "trash"
    trash.write_text("a file where the trash folder would be")
    manifest = backdated(out, write_site({"index.html": b"one", "tags/x.html": b"x"}, out))
    prelinked = Prelinked(out, manifest, trash)
    manifest = write_site({"index.html": b"two", "tags/x.html": None}, out, manifest, prelinked=prelinked,
                          trash=trash)
    assert site_matches(out, manifest)
    assert tree(out) == {"index.html": b"two", "tags/x.html": b"x", MARKER: MARKER_TEXT}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "trash"]


def test_emptying_the_trash_removes_retired_sites_only(tmp_path: Path) -> None:
    trash = tmp_path / "trash"
    for name in (f"old-{os.getpid()}-ab12", "old-999999999-cd34", "notes"):
        (trash / name / "tags").mkdir(parents=True)
        (trash / name / "tags" / "x.html").write_bytes(b"x")
    output.empty_trash(trash)
    assert sorted(p.name for p in trash.iterdir()) == ["notes"]


def test_a_child_that_fails_after_linking_leaves_the_build_to_read_the_times_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, trash = tmp_path / "public", tmp_path / "cache" / "trash"
    manifest = backdated(out, write_site({"index.html": b"one", "tags/x.html": b"x"}, out))
    (trash / "old-1-ab").mkdir(parents=True)

    def broken(_: Path) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(output, "empty_trash", broken)  # the forked child inherits it: it fails after linking
    prelinked = Prelinked(out, manifest, trash)
    monkeypatch.undo()
    assert prelinked.linked() == {"index.html", "tags/x.html"}  # linking was done and told
    manifest = write_site({"index.html": b"two", "tags/x.html": None}, out, manifest, prelinked=prelinked,
                          trash=trash)
    assert site_matches(out, manifest)
    assert tree(out) == {"index.html": b"two", "tags/x.html": b"x", MARKER: MARKER_TEXT}
    assert [p.name for p in trash.iterdir()] == ["old-1-ab"]  # the replaced site deleted at once, not put there


@pytest.mark.parametrize("edit", ["none", "in place", "grown", "not intact"])
def test_a_previous_file_is_given_only_as_the_last_build_wrote_it(tmp_path: Path, edit: str) -> None:
    """Its status is compared again after it is read: a file changed once it was found intact is not given."""
    out = tmp_path / "public"
    manifest = write_site({"timeline.json": b"built"}, out)
    manifest = backdated(out, manifest)
    intact = frozenset(reusable_files(out, manifest))
    assert intact == {"timeline.json"}
    export = out / "timeline.json"
    if edit == "in place":
        written = export.stat().st_mtime_ns
        export.write_bytes(b"hand!")  # the same size, a later time
        assert export.stat().st_mtime_ns != written
    elif edit == "grown":
        os.truncate(export, 6)
    given = previous_file(out, manifest, intact if edit != "not intact" else frozenset(), "timeline.json")
    assert given == (b"built" if edit == "none" else None)
