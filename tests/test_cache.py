"""The build cache: round trips, keys, damaged files, two builds at once, and rebuilds that redo only what changed."""

from __future__ import annotations

import marshal
import operator
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_TEXT
from timeline import cache as cache_module
from timeline.articles import find_articles
from timeline.cache import CACHE_DIR, CACHE_FILE, Cache, entry_key, file_digest
from timeline.model import Article, Event, EventDate, Source
from timeline.perarticle import Runner, article_options
from timeline.pipeline import make_timeline, read_inputs
from timeline.settings import Settings
from timeline.timex import Span, calendar_span

BUILD = str(ROOT / "build.py")


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, BUILD, "build", "--jobs", "1", *args], cwd=project, capture_output=True,
                          text=True, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def an_event() -> Event:
    span = calendar_span("2024-08")
    assert span is not None
    source = Source("a.md", "Title", None, date(2024, 8, 20), "In August 2024, it rained.", 10, "August 2024", 3, 14)
    return Event("a-1234abcd", EventDate("2024-08", span, "START"), "It rained", "In August 2024, it rained.",
                 (source,), ("weather", "rain"))


def an_article() -> Article:
    return Article("a.md", "a", "Title", date(2024, 8, 20), "date 2024-08-20\nIn August 2024, it rained.", 16,
                   "The Ledger", None, ("weather",))


def test_values_round_trip_exactly() -> None:
    other = replace(an_event(), id="b-1", order=2, merged=("x-1",), review=("why",), text_is_markdown=True,
                    date=EventDate("2024-08-20T10:30", Span(date(2024, 8, 20), date(2024, 8, 20), "minute", 630)))
    value = (an_article(), 3, (an_event(), other))
    assert cache_module.load_result(cache_module.dump_result(*value)) == value
    source = replace(an_event().sources[0], article="b.md", sentence_start=40, value="2024-08", mod="START")
    several = (replace(other, sources=(an_event().sources[0], source)), replace(other, id="c-1", sources=()))
    value = (an_article(), 3, several)  # an event with other than one source (as a merge makes them) has its own row
    assert cache_module.load_result(cache_module.dump_result(*value)) == value
    assert cache_module.load_result(cache_module.dump_result(an_article(), 0, ())) == (an_article(), 0, ())


@pytest.mark.parametrize("payload", [
    marshal.dumps(("timeline-result/1", (), (), 0, ())),  # another format
    marshal.dumps((cache_module.FORMAT, (738000,), ("a.md",), 0, ())),  # a row of the wrong length
    marshal.dumps((cache_module.FORMAT, (), ("a.md", "a", "T", 0, "text", 0, None, None, ()), 0, ())),  # no such day
    marshal.dumps((cache_module.FORMAT, (738000,), ("a.md", "a", "T", 0, "text", 0, None, None, ()), 0,
                   (("a-1", ("2024", 10**30, 10**30, "year", None, None), "T", "t", (), (), False, 0, False, False,
                     None, (), ()),))),  # a day out of any calendar
    marshal.dumps((cache_module.FORMAT, (738000,), ("a.md", "a", "T", 0, "text", 0, None, None, ()), 0,
                   (("a-1", ["2024", 738000, 738000, "year", None, None], "T", "t", (), (), False, 0, False, False,
                     None, (), ()),))),  # a date row that is not a tuple
    b'{"$": "os.system", "a": 1}',  # not marshal data at all
    b"",
])
def test_entries_that_do_not_decode_are_refused(payload: bytes) -> None:
    with pytest.raises(ValueError):
        cache_module.load_result(payload)


def test_every_field_of_the_model_is_cached() -> None:
    value = (an_article(), 1, (an_event(),))
    encoded = marshal.loads(cache_module.dump_result(*value))
    assert len(encoded[2]) == len(fields(Article))
    assert len(encoded[4][0]) == len(fields(Event)) - 1 + len(fields(Source))  # with its one source
    encoded = marshal.loads(cache_module.dump_result(an_article(), 1, (replace(an_event(), sources=()),)))
    assert len(encoded[4][0]) == len(fields(Event))
    assert len(encoded[4][0][1]) == len(fields(EventDate)) + len(fields(Span)) - 1  # the date and its span in one row


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's split dicts")
def test_decoded_values_share_their_field_names_with_every_other_of_their_class() -> None:
    article, _, (event,) = cache_module.load_result(cache_module.dump_result(an_article(), 1, (an_event(),)))
    for value in (article, event, event.sources[0], event.date, event.date.span):
        assert vars(value) == {f.name: getattr(value, f.name) for f in fields(value)}  # in field order
        assert sys.getsizeof(vars(value)) < sys.getsizeof(dict(vars(value)))  # values alone, not a table each


def test_keys_change_with_path_bytes_options_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    text, other = file_digest(b"date 2024-01-01 Text."), file_digest(b"date 2024-01-02 Text.")
    key = entry_key("a.md", text, "opts")
    assert key == entry_key("a.md", text, "opts")
    assert len({key, entry_key("b.md", text, "opts"), entry_key("a.md", other, "opts"),
                entry_key("a.md", text, "other")}) == 4
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another tagger")
    assert entry_key("a.md", text, "opts") != key


def test_file_digests_are_reused_only_while_the_file_is_unchanged(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_bytes(b"one")
    old = time.time_ns() - 10 * cache_module.RACY_NS
    os.utime(article, ns=(old, old))
    cache = Cache(tmp_path / "cache")
    assert cache.file_digests([str(article)]) == {str(article): file_digest(b"one")}
    cache.close()
    # Changed behind the cache's back: same size, same mtime, but the inode's ctime moves, so it is hashed again.
    article.write_bytes(b"two")
    os.utime(article, ns=(old, old))
    cache = Cache(tmp_path / "cache")
    assert cache.file_digests([str(article), str(tmp_path / "missing.md")]) == {str(article): file_digest(b"two")}
    cache.close()


def test_a_file_hashed_right_after_a_change_is_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "a.md"
    article.write_bytes(b"one")  # changed just now: within the time stamps' granularity of the reading below
    cache = Cache(tmp_path / "cache")
    cache.file_digests([str(article)])
    cache.close()
    reads: list[str] = []
    real_open = open

    def counting_open(path: str, *args: object) -> object:
        reads.append(path)
        return real_open(path, *args)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", counting_open)
    cache = Cache(tmp_path / "cache")
    assert cache.file_digests([str(article)]) == {str(article): file_digest(b"one")}
    cache.close()
    assert [path for path in reads if path == str(article)] == [str(article)]  # racily clean: read again


def test_what_is_known_of_files_is_trusted_only_while_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [tmp_path / f"{name}.md" for name in "abc"]
    for article in articles:
        article.write_bytes(article.name.encode())
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # their ctime is now: trusted all the same
    paths = [str(article) for article in articles]
    expected = {str(article): file_digest(article.name.encode()) for article in articles}
    cache = Cache(tmp_path / "cache")
    assert cache.file_digests(paths) == expected
    cache.close()
    record = cache._blob_path("files")
    data = record.read_bytes()
    reads: list[str] = []
    real_open = open

    def counting_open(path: str, *args: object) -> object:
        reads.append(str(path))
        return real_open(path, *args)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", counting_open)
    tag, names, stats, digests = marshal.loads(data[-(len(data) - len(cache_module._blob_head("files", b""))):])
    for damaged, hashed in ((data, []), (data[:-1] + bytes([data[-1] ^ 1]), paths), (b"", paths),
                            (cache_module._blob_head("files", value := marshal.dumps(
                                (tag, names, stats, (*digests[:2], b"not text")))) + value, paths),
                            (cache_module._blob_head("files", value := marshal.dumps(
                                (tag, names, stats[:2], digests))) + value, paths)):
        record.write_bytes(damaged)
        reads.clear()
        cache = Cache(tmp_path / "cache", readonly=True)
        assert cache.file_digests(paths) == expected
        assert [path for path in reads if path in paths] == hashed
        cache.close()


def test_files_a_build_did_not_look_at_are_forgotten_when_it_learnt_something(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    paths = []
    for name in "abc":
        (tmp_path / f"{name}.md").write_bytes(name.encode())
        paths.append(str(tmp_path / f"{name}.md"))
    cache = Cache(tmp_path / "cache")
    cache.file_digests(paths)
    cache.close()
    cache = Cache(tmp_path / "cache")
    cache.file_digests(paths[1:])  # learnt nothing new: the record stays as it is
    cache.close()
    assert set(Cache(tmp_path / "cache")._stored_files()) == set(paths)
    (tmp_path / "b.md").write_bytes(b"changed")
    cache = Cache(tmp_path / "cache")
    cache.file_digests(paths[1:])
    cache.close()
    assert set(Cache(tmp_path / "cache")._stored_files()) == set(paths[1:])


def test_what_is_known_of_files_is_written_again_only_when_it_learnt_of_more_than_one_in_a_hundred(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    paths = []
    for number in range(200):
        (tmp_path / f"{number}.md").write_bytes(str(number).encode())
        paths.append(str(tmp_path / f"{number}.md"))
    cache = Cache(tmp_path / "cache")
    cache.file_digests(paths)
    cache.close()
    record = cache._blob_path("files")
    written = record.read_bytes()
    for changed in ("0.md", "1.md"):  # two edits: hashed again by each build until they are kept
        (tmp_path / changed).write_bytes(b"changed")
        cache = Cache(tmp_path / "cache")
        assert cache.file_digests(paths)[str(tmp_path / changed)] == file_digest(b"changed")
        cache.close()
        assert record.read_bytes() == written
    cache = Cache(tmp_path / "cache")
    assert cache.file_digests(paths[:199])[str(tmp_path / "0.md")] == file_digest(b"changed")  # one unseen, too
    cache.close()
    assert record.read_bytes() == written
    (tmp_path / "2.md").write_bytes(b"changed")  # a third: more than one in a hundred
    cache = Cache(tmp_path / "cache")
    cache.file_digests(paths)
    cache.close()
    stored = Cache(tmp_path / "cache")._stored_files()
    assert set(stored) == set(paths)
    assert all(stored[str(tmp_path / f"{number}.md")][1] == file_digest(b"changed") for number in range(3))


def test_digests_handed_on_are_taken_by_the_next_call_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "a.md"
    article.write_bytes(b"one")
    old = time.time_ns() - 10 * cache_module.RACY_NS
    os.utime(article, ns=(old, old))
    cache = Cache(tmp_path / "cache")
    assert cache.file_digests([str(article)], hand_on=True) == {str(article): file_digest(b"one")}
    article.write_bytes(b"two")  # changed between the build's fingerprint and its reading of the articles
    looked: list[str] = []
    real_stat = os.stat

    def counting_stat(path: str, *args: object, **kwargs: object) -> os.stat_result:
        looked.append(path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module.os, "stat", counting_stat)
    assert cache.file_digests([str(article)]) == {str(article): file_digest(b"one")}  # as the fingerprint saw it
    assert looked == []
    assert cache.file_digests([str(article)]) == {str(article): file_digest(b"two")}  # the next call looks again
    assert looked == [str(article)]
    cache.close()


def test_the_fingerprint_covers_the_tagger_and_the_event_rules() -> None:
    sources = {p.relative_to(cache_module.PACKAGE).as_posix() for p in cache_module.PACKAGE.rglob("*.py")}
    assert {"events.py", "temporal/recognise.py", "temporal/resolve.py", "cache.py"} <= sources


def test_store_and_fetch(tmp_path: Path) -> None:
    cache = Cache(tmp_path / CACHE_DIR)
    cache.put_many({"k1": ("scope-a", b"one"), "k2": ("scope-b", b"two")})
    assert cache.get_many(["k1", "k2", "k3"]) == {"k1": b"one", "k2": b"two"}
    cache.put_many({"k3": ("scope-a", b"three")})  # a newer result for the same article replaces the older
    assert cache.get_many(["k1", "k3"]) == {"k3": b"three"}
    cache.close()
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_entries_are_fetched_by_their_scope_and_else_by_key(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put_many({"k1": ("/a\0one.md", b"one"), "k2": ("/a\0two.md", b"two"), "k3": ("/b\0one.md", b"three"),
                    "k4": ("/a\0four.md", b"four"), "k5": ("/a\0five.md", b"five")})
    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        db.execute("UPDATE results SET value = ? WHERE key = 'k5'", (b"evil",))
    assert cache.get_many(["k1", "k2", "k3", "k5", "k6"], scope="/a\0") == {"k1": b"one", "k2": b"two", "k3": b"three"}
    cache.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-ish"])
def test_a_damaged_cache_file_is_set_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / CACHE_DIR
    cache = Cache(folder)
    cache.put_many({f"k{i}": (f"s{i}", b"x" * 5000) for i in range(50)})
    cache.set_blob("merge:site", b"kept beside the database")
    cache.close()
    path = folder / CACHE_FILE
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"this is not a database, " * 400)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(data[:100])
    cache = Cache(folder)
    assert cache.usable
    assert cache.get_many(["k1", "k2"]) == {}  # nothing from the damaged file is trusted
    assert cache.get_blob("merge:site") is None or damage == "truncated"  # nor what was kept beside it
    cache.put_many({"k1": ("s1", b"fresh")})
    assert cache.get_many(["k1"]) == {"k1": b"fresh"}
    cache.close()
    assert any("damaged" in note for note in cache.notes) or damage == "truncated"


def test_an_entry_whose_checksum_fails_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put_many({"k": ("s", b"good value")})
    cache.close()
    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        db.execute("UPDATE results SET value = ? WHERE key = 'k'", (b"evil value",))
    cache = Cache(tmp_path)
    assert cache.get_many(["k"]) == {}
    cache.close()


def test_a_blob_that_is_damaged_or_misplaced_is_not_trusted(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.set_blob("merge:one", b"trace " * 100)
    assert cache.get_blob("merge:one") == b"trace " * 100
    assert cache.get_blob("merge:two") is None
    (path,) = tmp_path.glob("blob-*")
    data = path.read_bytes()
    for damaged in (data[:-1], data[:-1] + b"X", data + b"X", data[:20], b""):
        path.write_bytes(damaged)
        assert cache.get_blob("merge:one") is None
    path.write_bytes(data)
    cache.set_blob("merge:two", b"other")
    assert cache.get_blob("merge:two") == b"other"
    (other,) = set(tmp_path.glob("blob-*")) - {path}
    os.replace(path, other)
    assert cache.get_blob("merge:two") is None  # another blob's file, intact, under this one's name
    cache.close()
    assert not list(tmp_path.glob("*.tmp"))


def test_a_garbled_entry_is_recomputed(seed_content: Path, tmp_path: Path) -> None:
    settings = Settings()
    cache = Cache(tmp_path / "cache")
    expected = make_timeline(read_inputs(seed_content, settings, Runner(cache=cache)), settings)
    cache.close()
    value = marshal.dumps(("Event", "forged"))  # a correct checksum, but not a result
    with sqlite3.connect(tmp_path / "cache" / CACHE_FILE) as db:
        db.execute("UPDATE results SET value = ?, checksum = ?", (value, cache_module._checksum(value)))
        keys = [key for (key,) in db.execute("SELECT key FROM results")]
    scope = f"{seed_content.resolve().as_posix()}\0"
    options = article_options(settings)
    digests = {display: file_digest(Path(path).read_bytes()) for display, path in find_articles(seed_content)}
    named = {entry_key(display, digest, options): f"{display}\0{digest}" for display, digest in digests.items()}
    assert set(named) == set(keys)
    start = cache_module._key_start(cache_module.code_fingerprint(), options).hexdigest()
    for snapshot in (None, (cache_module.SNAPSHOT, start, tuple(named.values()), tuple(named),
                            tuple(("Event", "forged") for _ in keys))):
        cache = Cache(tmp_path / "cache")
        if snapshot is None:  # the entries alone
            cache._blob_path("rows:" + scope).unlink(missing_ok=True)  # a first build leaves none (keep_rows)
        else:  # the snapshot too, intact as a file, in the snapshot's shape, but its rows are not results
            cache.set_blob("rows:" + scope, marshal.dumps(snapshot))
        runner = Runner(cache=cache)
        again = make_timeline(read_inputs(seed_content, settings, runner), settings)
        cache.close()
        assert runner.hits == 0 and again == expected
        cache = Cache(tmp_path / "cache")
        runner = Runner(cache=cache)
        assert make_timeline(read_inputs(seed_content, settings, runner), settings) == expected
        cache.close()
        assert runner.hits == len(keys)  # what was made again replaced the garbled entries, and the snapshot


def test_the_rows_of_a_folder_are_read_whole_and_kept_again_only_when_many_changed(tmp_path: Path) -> None:
    articles = [(f"{i}.md", file_digest(str(i).encode())) for i in range(110)]
    keys = [entry_key(display, digest, "opts") for display, digest in articles]
    values = [cache_module.dump_result(replace(an_article(), path=display), i, (an_event(),))
              for i, (display, _) in enumerate(articles)]
    rows = [marshal.loads(value) for value in values]
    old, new = slice(0, 100), slice(100, 110)
    cache = Cache(tmp_path)
    cache.put_many({key: (f"/a\0{display}", value)
                    for key, (display, _), value in zip(keys, articles, values, strict=True)})
    assert cache.get_rows(articles[old], "opts", "/a\0") == (tuple(keys[old]), tuple(rows[old]))  # the entries
    cache.keep_rows("/a\0", "opts", articles[old], keys[old], rows[old])
    snapshot = cache._blob_path("rows:/a\0")
    written = snapshot.stat().st_ino  # a snapshot written again is a new file (os.replace)
    with sqlite3.connect(tmp_path / CACHE_FILE) as db:
        db.execute("DELETE FROM results")  # from here on, only the snapshot has them
    cache.close()
    cache = Cache(tmp_path)
    assert cache.get_rows([articles[1], articles[2], articles[100]], "opts", "/a\0") == (
        (keys[1], keys[2], keys[100]), (rows[1], rows[2], None))
    assert cache.get_rows(articles, "opts", "/b\0") == (tuple(keys), (None,) * 110)  # another folder's
    # Keys made with other options (or code) are not taken from the snapshot, nor its rows.
    assert cache.get_rows(articles[old], "other", "/a\0") == (
        tuple(entry_key(display, digest, "other") for display, digest in articles[old]), (None,) * 100)
    wanted = [*range(1, 100), 100]
    served = cache.get_rows([articles[i] for i in wanted], "opts", "/a\0")
    assert served == (tuple(keys[i] for i in wanted), (*rows[1:100], None))
    # One in a hundred changed: the snapshot stays.
    cache.keep_rows("/a\0", "opts", [articles[i] for i in wanted], served[0], (*served[1][:-1], values[100]))
    assert snapshot.stat().st_ino == written
    everything = [*range(1, 110)]
    changed = cache.get_rows([articles[i] for i in everything], "opts", "/a\0")
    cache.keep_rows("/a\0", "opts", [articles[i] for i in everything], changed[0],
                    (*changed[1][:99], *values[new]))  # one in ten: written again
    assert snapshot.stat().st_ino != written
    cache.close()
    cache = Cache(tmp_path)
    assert cache.get_rows([articles[i] for i in everything], "opts", "/a\0") == (
        tuple(keys[1:]), tuple(rows[1:]))
    data = snapshot.read_bytes()
    snapshot.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # damaged: nothing of it is trusted
    assert cache.get_rows(articles[old], "opts", "/a\0") == (tuple(keys[old]), (None,) * 100)
    cache.close()


def test_a_snapshot_gives_its_keys_unhashed_and_makes_what_its_rows_hold_alike_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [(f"{i}.md", file_digest(str(i).encode())) for i in range(60)]
    keys = [entry_key(display, digest, "opts") for display, digest in articles]
    # Each row read from its own value: equal texts, each its own object.
    event = an_event()
    event = replace(event, position=1000, sources=(replace(event.sources[0], sentence_start=1000),))
    merged = replace(event, id="b-1", sources=(*event.sources, replace(event.sources[0], article="b.md")))
    rows = [marshal.loads(cache_module.dump_result(replace(an_article(), path=display), i, (event, merged)))
            for i, (display, _) in enumerate(articles)]
    assert rows[0][4][0][18] is not rows[1][4][0][18]  # a source's expression (in its event's row: its only one)
    cache = Cache(tmp_path)
    cache.get_rows(articles, "opts", "/a\0")
    cache.keep_rows("/a\0", "opts", articles, keys, rows)
    cache.close()
    hashed: list[tuple[str, str]] = []
    real_entry_keys = cache_module.entry_keys

    def counting(named: list[tuple[str, str]], options: str) -> list[str]:
        hashed.extend(named)
        return real_entry_keys(named, options)

    monkeypatch.setattr(cache_module, "entry_keys", counting)
    cache = Cache(tmp_path)
    edited = (articles[0][0], file_digest(b"edited"))
    got_keys, got_rows = cache.get_rows([edited, *articles[1:]], "opts", "/a\0")
    cache.close()
    assert hashed == [edited]  # the others' keys come from the snapshot
    assert got_keys == (entry_key(*edited, "opts"), *keys[1:]) and got_rows == (None, *rows[1:])
    assert got_rows[1][4][0][18] is got_rows[2][4][0][18] is got_rows[2][4][1][4][1][6]
    assert got_rows[1][2][8] is got_rows[2][2][8] and got_rows[1][4][0][4] is got_rows[2][4][1][5]  # the tags
    assert got_rows[1][4][0][17] is got_rows[1][4][0][6]  # a source's offset is its event's position
    assert got_rows[1][4][1][4][1][5] is got_rows[1][4][1][7]
    assert cache_module.decode_rows(got_rows[1:]) == cache_module.decode_rows(rows[1:])


def test_the_rows_a_rebuild_took_from_the_snapshot_are_kept_until_the_next_reading(tmp_path: Path) -> None:
    articles = [(f"{i}.md", file_digest(str(i).encode())) for i in range(10)]
    keys = [entry_key(display, digest, "opts") for display, digest in articles]
    rows = [marshal.loads(cache_module.dump_result(replace(an_article(), path=display), i, (an_event(),)))
            for i, (display, _) in enumerate(articles)]
    cache = Cache(tmp_path)
    cache.get_rows(articles, "opts", "/a\0")
    cache.keep_rows("/a\0", "opts", articles, keys, rows)  # all new: written, nothing kept
    assert cache_module._SPENT == []
    served = cache.get_rows(articles, "opts", "/a\0")[1]
    cache.keep_rows("/a\0", "opts", articles, keys, served)  # all served: kept rather than freed
    assert len(cache_module._SPENT) == 1 and all(map(operator.is_, cache_module._SPENT[0], served))
    cache.get_rows(articles, "opts", "/a\0")
    assert cache_module._SPENT == []  # the next reading frees them
    cache.close()


def test_two_writers_at_once(tmp_path: Path) -> None:
    caches = [Cache(tmp_path) for _ in range(4)]
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for round_ in range(20):
                caches[index].put_many({f"{index}-{round_}-{i}": (f"{index}-{i}", b"v" * 2000) for i in range(20)})
                caches[index].get_many([f"{index}-{round_}-0"])
        except BaseException as error:  # pragma: no cover - the assertion below shows it
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and all(not c.notes for c in caches)
    for cache in caches:
        cache.close()


def test_two_builds_at_once_give_the_same_site(seed_content: Path) -> None:
    project = seed_content.parent
    for index in range(6):
        (seed_content / f"copy-{index}.txt").write_text(SEED_TEXT.replace("Kiev", f"Kiev{index}"), encoding="utf-8")
    runs = [subprocess.Popen([sys.executable, BUILD, "build", "--jobs", "1", "--out", f"site-{i}"], cwd=project,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0 and "warning" not in err, err
    assert tree(project / "site-0") == tree(project / "site-1")


def test_rebuilds_reuse_the_cache_and_notice_every_change(seed_content: Path) -> None:
    project = seed_content.parent
    first = build(project)
    assert first.returncode == 0, first.stderr
    site = tree(project / "public")
    assert (project / CACHE_DIR / CACHE_FILE).is_file()
    again = build(project)  # nothing changed: the same summary, the same site, untouched
    assert again.returncode == 0 and again.stdout.split(" in ")[0] == first.stdout.split(" in ")[0]
    assert tree(project / "public") == site
    (seed_content / "seed.txt").write_text(SEED_TEXT.replace("August 2024", "July 2024"), encoding="utf-8")
    edited = build(project)
    assert edited.returncode == 0
    assert b"July 2024" in (project / "public" / "timeline.json").read_bytes()
    (project / "public" / "index.html").write_text("edited by hand", encoding="utf-8")
    assert build(project).returncode == 0  # a site changed since the last build is rebuilt, not trusted
    assert (project / "public" / "index.html").read_text(encoding="utf-8") != "edited by hand"
    fresh = build(project, "--no-cache", "--out", "fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert tree(project / "fresh") == tree(project / "public")  # the cache never changes the output


def test_a_damaged_cache_file_never_breaks_a_build(seed_content: Path) -> None:
    project = seed_content.parent
    assert build(project).returncode == 0
    site = tree(project / "public")
    (project / CACHE_DIR / CACHE_FILE).write_bytes(b"\0garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        (project / CACHE_DIR / (CACHE_FILE + suffix)).unlink(missing_ok=True)
    done = build(project)
    assert done.returncode == 0, done.stderr
    assert "was damaged" in done.stderr and "set aside and rebuilt" in done.stderr
    assert tree(project / "public") == site
    assert build(project).stderr == ""  # rebuilt: the next build has nothing to say


def test_check_reads_the_cache_but_writes_nothing(seed_content: Path) -> None:
    project = seed_content.parent
    assert build(project).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / CACHE_DIR).iterdir()}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], cwd=project, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert {p.name: p.read_bytes() for p in (project / CACHE_DIR).iterdir()} == before


def test_a_first_build_leaves_the_snapshot_to_the_next_which_reads_the_entries_and_keeps_them(
        seed_content: Path, tmp_path: Path) -> None:
    settings = Settings()
    scope = f"{seed_content.resolve().as_posix()}\0"
    for build in range(3):
        cache = Cache(tmp_path / "cache")
        runner = Runner(cache=cache)
        read_inputs(seed_content, settings, runner)
        snapshot = cache._blob_path("rows:" + scope)
        cache.close()
        # The first build made every result: it keeps them as entries only, not also as a snapshot made of rows
        # it would have to hold all at once. The second reads them from the entries and keeps the snapshot.
        assert runner.hits == (0 if build == 0 else 1)
        assert snapshot.exists() == (build > 0)
