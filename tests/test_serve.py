"""``build.py serve``: served files equal a normal build's but for the reload tag, rebuilds on change, and a
failed rebuild keeps the last good site. The end-to-end test runs the real command in a subprocess."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_TEXT
from timeline.serve import SCRIPT_PATH, inject_reload, read_site, site_id, snapshot

BUILD = str(ROOT / "build.py")
DEADLINE = 30.0  # seconds any one wait may take before the test fails


def test_inject_reload_puts_one_tag_before_the_body_ends() -> None:
    page = b"<html><body><p>x</p></body></html>"
    assert inject_reload(page, "abc") == (b'<html><body><p>x</p><script src="/__timeline/reload.js?build=abc">'
                                          b"</script>\n</body></html>")
    assert inject_reload(b"<p>no body</p>", "abc").startswith(b"<p>no body</p><script")


def test_site_id_changes_with_any_byte_and_not_with_order() -> None:
    a = {"index.html": b"1", "static/style.css": b"2"}
    assert site_id(a) == site_id(dict(reversed(a.items())))
    assert site_id(a) != site_id({**a, "index.html": b"1 "})


def test_snapshot_sees_edits_and_skips_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    (tmp_path / ".swp").write_text("x", encoding="utf-8")
    first = snapshot([tmp_path, tmp_path / "missing.yaml"])
    assert [Path(p).name for p, _, _ in first] == ["a.md"]
    (tmp_path / "a.md").write_text("one two", encoding="utf-8")
    assert snapshot([tmp_path]) != first


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_for(check: object, what: str) -> None:
    """Poll ``check()`` until it is true, failing after DEADLINE seconds."""
    assert callable(check)
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {DEADLINE:.0f} s waiting for {what}")


def start_serve(project: Path) -> tuple[subprocess.Popen[str], str]:
    """``build.py serve --port 0`` running in ``project``, and the address it serves at; the caller kills it."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    process = subprocess.Popen([sys.executable, BUILD, "serve", "--port", "0"], cwd=project, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    end = time.monotonic() + DEADLINE
    try:
        while time.monotonic() < end:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert process.poll() is None, "serve stopped early"
                continue
            if line.startswith("serving http://127.0.0.1:"):
                return process, line.split()[1]
        pytest.fail("serve never said where it serves")
    except BaseException:
        process.kill()
        process.wait(timeout=10)
        raise


def test_serve_rebuilds_on_change_and_never_serves_a_failed_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    article = content / "seed.txt"
    article.write_text(SEED_TEXT, encoding="utf-8")
    process, url = start_serve(tmp_path)
    try:
        # What is served is the build as written to public/, with the reload tag only in HTML pages.
        status, page = _fetch(url)
        built = read_site(tmp_path / "public")
        build_id = json.loads(_fetch(url + "__timeline/status")[1])["build"]
        assert status == 200 and page == inject_reload(built["index.html"], build_id)
        assert _fetch(url + "timeline.json") == (200, built["timeline.json"])
        missing = _fetch(url + "no/such/page")
        assert missing[0] == 404 and b"Page not found" in missing[1]
        assert _fetch(url + SCRIPT_PATH.lstrip("/"))[0] == 200

        # An edit is built and served; the page's script sees a new build id.
        article.write_text(SEED_TEXT + "\nThe envoys met again on 2 April 2025 in Riyadh.\n", encoding="utf-8")
        _wait_for(lambda: b"Riyadh" in _fetch(url)[1], "the edited article to be served")
        new_id = json.loads(_fetch(url + "__timeline/status")[1])
        assert new_id["build"] != build_id and new_id["error"] is None

        # A broken article: the error is reported, and the last good site is still what is served.
        (content / "broken.md").write_text("---\ntitle: No dateline\n---\nText.\n", encoding="utf-8")
        _wait_for(lambda: json.loads(_fetch(url + "__timeline/status")[1])["error"], "the failed build's error")
        status_now = json.loads(_fetch(url + "__timeline/status")[1])
        assert "broken.md" in status_now["error"] and "dateline" in status_now["error"]
        assert status_now["build"] == new_id["build"]
        assert b"Riyadh" in _fetch(url)[1]

        # Fixed again: served, error gone.
        (content / "broken.md").unlink()
        _wait_for(lambda: json.loads(_fetch(url + "__timeline/status")[1])["error"] is None, "recovery")
    finally:
        process.kill()
        process.wait(timeout=10)


def test_serve_listens_on_localhost_only_and_reports_a_busy_port(tmp_path: Path) -> None:
    import socket

    (tmp_path / "content").mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, BUILD, "serve", "--port", str(port)], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"error: --port: cannot serve on 127.0.0.1:{port}: " in done.stderr
