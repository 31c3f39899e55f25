"""``build.py serve``: build, serve on 127.0.0.1, rebuild when the inputs change, and reload the page.

The site is served from the files of the last build that succeeded, held in memory and swapped whole,
so a reader never sees a half-written or failed build. A failed rebuild keeps the last good site and
shows the error over it; the first good build after that replaces it. Each HTML page gets one
``<script>`` tag at serve time only (the files a build writes never have it): the script asks
``/__timeline/status`` for the current build's id every half second and reloads the page when the id
changes. Changes are found by polling modification times, which needs no extra package and works on
every file system.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from .errors import InputError, Problem

STATUS_PATH = "/__timeline/status"
SCRIPT_PATH = "/__timeline/reload.js"
POLL_SECONDS = 0.5
WAIT_FOR_BUILD_SECONDS = 10.0
MEDIA_TYPES = {".json": "application/json", ".atom": "application/atom+xml", ".ics": "text/calendar",
               ".xml": "application/xml", ".js": "text/javascript", ".css": "text/css", ".html": "text/html"}

RELOAD_SCRIPT = b"""\
(function () {
  "use strict";
  var me = document.currentScript;
  var build = new URL(me.src).searchParams.get("build") || "";
  var banner = null;
  function show(message) {
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:1000;margin:0;padding:1rem;" +
        "background:#7f1d1d;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto";
      document.body.appendChild(banner);
    }
    banner.textContent = "The last rebuild failed; this is the previous site.\\n\\n" + message;
  }
  function check() {
    fetch("/__timeline/status", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.error && s.build === build) { show(s.error); }
      else if (s.build !== build) { location.reload(); return; }
      else if (banner) { banner.remove(); banner = null; }
      setTimeout(check, 500);
    }, function () { setTimeout(check, 1000); });
  }
  setTimeout(check, 500);
}());
"""


def site_id(files: Mapping[str, bytes]) -> str:
    """A short id for a build's files: the same files, the same id."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode("utf-8") + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()[:16]


def inject_reload(html: bytes, build: str) -> bytes:
    """The page with the reload script's tag before ``</body>`` (or at the end when there is none)."""
    tag = f'<script src="{SCRIPT_PATH}?build={build}"></script>\n'.encode("ascii")
    at = html.rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


@dataclass
class SiteState:
    """What is being served: the last good build, and the error of the latest build if it failed."""

    files: Mapping[str, bytes] | None = None
    build: str = ""
    error: str | None = None

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.idle = threading.Event()  # cleared while a build runs, so requests wait for its result
        self.idle.set()


def snapshot(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file under the given paths with its modification time and size; hidden ones are skipped."""
    found: list[tuple[str, int, int]] = []
    for root in paths:
        candidates = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in candidates:
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            try:
                info = path.stat()
            except OSError:  # removed while we looked; the next look sees it gone
                continue
            if path.is_file():
                found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


def rebuild(state: SiteState, build: Callable[[], Mapping[str, bytes]], log: Callable[[str], None]) -> None:
    """Run one build; on success swap its files in whole, on failure keep the last good site and the error."""
    state.idle.clear()
    try:
        started = time.perf_counter()
        try:
            files = dict(build())
        except Exception as error:  # a template or input error must not stop the server
            message = str(error) or error.__class__.__name__
            with state.lock:
                state.error = message
            log(f"build failed; still serving the last good site:\n{message}")
            return
        with state.lock:
            state.files, state.build, state.error = files, site_id(files), None
        log(f"built {len(files)} files in {time.perf_counter() - started:.2f} s")
    finally:
        state.idle.set()


def make_handler(state: SiteState) -> type[BaseHTTPRequestHandler]:
    """A request handler serving ``state``'s files, the status endpoint and the reload script."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "timeline-serve"

        def do_GET(self) -> None:
            self._respond(head=False)

        def do_HEAD(self) -> None:
            self._respond(head=True)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per request would drown the build messages

        def _respond(self, head: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == STATUS_PATH:
                with state.lock:
                    body = json.dumps({"build": state.build, "error": state.error}).encode("utf-8")
                return self._send(200, "application/json", body, head)
            if path == SCRIPT_PATH:
                return self._send(200, "text/javascript", RELOAD_SCRIPT, head)
            state.idle.wait(WAIT_FOR_BUILD_SECONDS)  # a page asked for mid-build gets the new build
            with state.lock:
                files, build, error = state.files, state.build, state.error
            if files is None:
                page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>"
                        f"</head><body><h1>The site could not be built</h1><pre>{escape(error or 'building…')}</pre>"
                        f"</body></html>").encode()
                return self._send(503, "text/html", inject_reload(page, ""), head)
            relative = path.lstrip("/")
            if relative == "" or relative.endswith("/"):
                relative += "index.html"
            status = 200
            if relative not in files:
                status, relative = 404, "404.html"
                if relative not in files:
                    return self._send(404, "text/plain", b"not found\n", head)
            body = files[relative]
            suffix = Path(relative).suffix
            media = MEDIA_TYPES.get(suffix) or mimetypes.guess_type(relative)[0] or "application/octet-stream"
            if media == "text/html":
                body = inject_reload(body, build)
            self._send(status, media, body, head)

        def _send(self, status: int, media: str, body: bytes, head: bool) -> None:
            self.send_response(status)
            charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml")) else ""
            self.send_header("Content-Type", media + charset)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")  # a preview must never show a cached old build
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


def read_site(out_dir: Path) -> dict[str, bytes]:
    """The files a build wrote, as ``render`` gave them (the hidden marker file left out)."""
    return {path.relative_to(out_dir).as_posix(): path.read_bytes() for path in sorted(out_dir.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(out_dir).parts)}


def watch_paths(content: Path, config: Path, project: Path, theme_dirs: Iterable[Path] = ()) -> list[Path]:
    """What a build reads: content, settings, the project's own templates, static files and themes, the theme."""
    return [content, config, project / "templates", project / "static", project / "themes", *theme_dirs]


def serve_site(build: Callable[[], Mapping[str, bytes]], watched: Callable[[], list[Path]], port: int,
               log: Callable[[str], None] = print, stop: threading.Event | None = None) -> int:
    """Build, serve on 127.0.0.1:``port`` (0: any free port) and rebuild on change until stopped."""
    state = SiteState()
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state))
    except OSError as error:
        raise InputError(Problem("--port", f"cannot serve on 127.0.0.1:{port}: {error.strerror or error}; "
                                 "choose another port, or --port 0 for any free one")) from None
    rebuild(state, build, log)
    server.daemon_threads = True
    stop = stop or threading.Event()
    log(f"serving http://127.0.0.1:{server.server_address[1]}/ ; rebuilding when content, theme or settings "
        "change; Ctrl-C stops")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    try:
        seen = snapshot(watched())
        while not stop.wait(POLL_SECONDS):
            now = snapshot(watched())
            if now == seen:
                continue
            # Wait until the files stop changing, so an editor's save-in-several-writes builds once.
            while not stop.wait(0.2) and (later := snapshot(watched())) != now:
                now = later
            seen = now
            rebuild(state, build, log)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
