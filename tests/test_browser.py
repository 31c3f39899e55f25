"""The built example site in a real browser, as a reader uses it: from disk and from a sub-path over HTTP.

Playwright for Python drives Debian's Chromium (/usr/bin/chromium, or $TIMELINE_CHROMIUM); axe-core comes
from the npm registry into a cache folder the first time (never into the repository). Without Playwright,
Chromium, or npm, these tests are skipped and the reason is printed in pytest's summary (-ra is on).
Screenshots are saved under test-artifacts/browser/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("TIMELINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
AXE_VERSION = "4.14.1"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
AXE_CACHE = CACHE / "timeline-tests" / f"axe-core-{AXE_VERSION}"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
SUB_PATH = "sub/path/"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -r requirements-dev.txt")


def build_site(out: Path, config: Path | None = None) -> Path:
    """The example content built with ``build.py`` into ``out``, as a user would build it."""
    args = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(ROOT / "content"),
            "--config", str(config or ROOT / "timeline.yaml"), "--out", str(out), "--quiet"]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "public")


@pytest.fixture(scope="module")
def events(site: Path) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads((site / "timeline.json").read_text(encoding="utf-8"))["events"]
    return events


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) "
                    "or set TIMELINE_CHROMIUM to its path")
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000)
        except Exception as error:
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {str(error).splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core's script, installed from the npm registry into a cache folder on first use."""
    script = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed, so axe-core cannot be fetched: install Node.js and npm")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "install", "--prefix", str(AXE_CACHE), "--no-save", "--no-package-lock",
                               "--no-audit", "--no-fund", f"axe-core@{AXE_VERSION}"],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not script.is_file():
            pytest.skip(f"npm could not install axe-core@{AXE_VERSION}: {done.stderr.strip()[-300:]}")
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def http_site(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served from a sub-path (``/sub/path/``) by a plain static server on 127.0.0.1."""
    docroot = tmp_path_factory.mktemp("docroot")
    shutil.copytree(site, docroot / SUB_PATH)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(docroot)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()


class Reader:
    """A page with everything a test checks afterwards: console errors, failed loads and every URL asked for."""

    def __init__(self, browser: Any, **context_options: Any) -> None:
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None)

    def visible_events(self) -> int:
        count: int = self.page.locator("article.event:visible").count()
        return count

    def axe(self, axe_source: str) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (all rules axe runs by default)."""
        self.page.add_script_tag(content=axe_source)
        # From disk, axe's own fetch of the style sheet (to read media queries) is refused as cross-origin
        # and logged as a console error that is axe's, not the page's; over HTTP it may fetch.
        preload = not self.page.url.startswith("file:")
        violations: list[dict[str, Any]] = self.page.evaluate(
            """async (preload) => (await axe.run(document, {resultTypes: ["violations"], preload})).violations.map(
                 v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))""",
            preload)
        return violations

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def only_from(self, *prefixes: str) -> None:
        """No request went to another host: every URL starts with one of ``prefixes``."""
        strangers = [url for url in self.requests if not url.startswith(prefixes)]
        assert strangers == [], strangers

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def reader(browser: Any) -> Iterator[Reader]:
    opened = Reader(browser, viewport={"width": 1000, "height": 900})
    yield opened
    opened.close()


def test_from_disk_every_event_shows_and_axe_finds_nothing(reader: Reader, site: Path, events: list[dict],
                                                           axe_source: str) -> None:
    reader.page.goto(site.joinpath("index.html").as_uri())
    assert reader.visible_events() == len(events)
    assert reader.page.locator("[data-search]").is_visible()  # the script ran and showed its search box
    assert reader.axe(axe_source) == []
    reader.screenshot("index-from-disk")
    assert reader.errors == []
    reader.only_from("file://")


def test_from_a_sub_path_the_filters_and_search_work(reader: Reader, http_site: str, events: list[dict],
                                                     axe_source: str) -> None:
    page = reader.page
    page.goto(http_site)
    assert reader.visible_events() == len(events)
    tag = events[0]["tags"][0]
    page.get_by_text("Filter by tag or source").click()
    page.locator(".filter-list").first.get_by_role("link", name=f"{tag} (").click()
    page.wait_for_url(f"{http_site}tags/*.html")
    assert reader.visible_events() == sum(tag in e["tags"] for e in events)
    assert page.locator(".current-filter").inner_text().endswith("Show all events")
    assert reader.axe(axe_source) == []
    reader.screenshot("tag-page-from-sub-path")

    page.get_by_role("link", name="Show all events").click()
    page.wait_for_url(f"{http_site}index.html")
    page.get_by_text("Filter by tag or source").click()
    source = events[0]["sources"][0]
    page.locator(".filter-sources a").filter(has_text=source["title"]).click()
    page.wait_for_url(f"{http_site}sources/*.html")
    assert reader.visible_events() == sum(any(s["article"] == source["article"] for s in e["sources"])
                                          for e in events)

    # A permalink from a filter's page leads to that event on the index.
    first = page.locator("article.event").first
    event_id = first.get_attribute("id")
    first.locator(".event-title a").click()
    page.wait_for_url(f"{http_site}index.html#{event_id}")
    assert page.evaluate("location.hash") == f"#{event_id}"

    # The search box narrows the page as one types, and says how many match.
    page.fill("#search-input", "council")
    matching = sum("council" in json.dumps(e).lower() for e in events)
    assert 0 < reader.visible_events() < len(events)
    assert page.locator("#search-status").inner_text().endswith(f"of {len(events)} events match.")
    page.fill("#search-input", "")
    assert reader.visible_events() == len(events)
    assert matching > 0
    assert reader.errors == []
    reader.only_from(http_site.split(SUB_PATH)[0])


def test_keyboard_skip_link_and_focus(reader: Reader, site: Path) -> None:
    page = reader.page
    page.goto(site.joinpath("index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the timeline, not back in the header
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_without_javascript_everything_is_readable(browser: Any, site: Path, events: list[dict]) -> None:
    reader = Reader(browser, java_script_enabled=False, viewport={"width": 1000, "height": 900})
    try:
        reader.page.goto(site.joinpath("index.html").as_uri())
        assert reader.visible_events() == len(events)
        assert not reader.page.locator("[data-search]").is_visible()  # it needs the script, so it stays hidden
        reader.page.get_by_text("Filter by tag or source").click()
        reader.page.locator(".filter-list a").first.click()
        assert "/tags/" in reader.page.url and reader.visible_events() > 0
        reader.screenshot("tag-page-without-javascript")
        assert reader.errors == []
    finally:
        reader.close()


def test_dark_mode_follows_the_system_and_passes_axe(browser: Any, site: Path, axe_source: str) -> None:
    reader = Reader(browser, color_scheme="dark", viewport={"width": 1000, "height": 900})
    try:
        reader.page.goto(site.joinpath("index.html").as_uri())
        assert reader.page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 23, 27)"
        assert reader.axe(axe_source) == []  # contrast is checked on the dark colours too
        reader.screenshot("index-dark")
        assert reader.errors == []
    finally:
        reader.close()


def test_small_screen_has_no_sideways_scroll(browser: Any, site: Path, axe_source: str) -> None:
    reader = Reader(browser, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    try:
        reader.page.goto(site.joinpath("index.html").as_uri())
        assert reader.page.evaluate("document.documentElement.scrollWidth") <= 360
        assert reader.axe(axe_source) == []
        reader.screenshot("index-small-screen")
    finally:
        reader.close()


def test_print_hides_navigation(reader: Reader, site: Path) -> None:
    reader.page.goto(site.joinpath("index.html").as_uri())
    reader.page.emulate_media(media="print")
    for selector in (".periods", ".filters", ".search", ".skip-link"):
        assert reader.page.locator(selector).evaluate("e => getComputedStyle(e).display") == "none", selector
    assert reader.page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"


def test_another_language_and_the_404_page(browser: Any, tmp_path: Path, axe_source: str) -> None:
    config = tmp_path / "timeline.yaml"
    config.write_text("title: Le pont du port\nlanguage: fr\nbase_url: https://example.org/pont/\n", encoding="utf-8")
    french = build_site(tmp_path / "public", config)
    reader = Reader(browser, viewport={"width": 1000, "height": 900})
    try:
        reader.page.goto(french.joinpath("index.html").as_uri())
        assert reader.page.get_attribute("html", "lang") == "fr"
        assert reader.page.locator("time", has_text="août 2024").count() > 0
        assert reader.axe(axe_source) == []
        reader.page.goto(french.joinpath("404.html").as_uri())
        assert reader.page.get_by_role("heading", level=1).inner_text() == "Page introuvable"
        assert reader.axe(axe_source) == []
        assert reader.errors == []
        reader.only_from("file://")
    finally:
        reader.close()


def test_a_site_with_a_page_per_year_is_navigable_and_passes_axe(browser: Any, tmp_path: Path,
                                                                 axe_source: str) -> None:
    config = tmp_path / "timeline.yaml"
    config.write_text("title: The Harbor Bridge closure\nyear_pages_after: 5\n", encoding="utf-8")
    split = build_site(tmp_path / "public", config)
    reader = Reader(browser, viewport={"width": 1000, "height": 900})
    try:
        reader.page.goto(split.joinpath("index.html").as_uri())
        assert reader.visible_events() == 0  # the index lists the years
        assert reader.axe(axe_source) == []
        reader.page.locator(".period-list a", has_text="2025").first.click()
        reader.page.wait_for_url("**/years/2025.html")
        assert reader.visible_events() > 0 and reader.page.title().startswith("2025 · ")
        assert reader.page.locator("[data-search]").is_visible()  # the search box is back on a page of events
        assert reader.axe(axe_source) == []
        reader.page.get_by_role("link", name="All periods").click()
        reader.page.wait_for_url("**/index.html")
        assert reader.errors == []
        reader.only_from("file://")
    finally:
        reader.close()


def test_serve_reloads_the_open_page_and_shows_a_failed_rebuild(browser: Any, tmp_path: Path) -> None:
    from tests.conftest import SEED_TEXT
    from tests.test_serve import start_serve

    content = tmp_path / "content"
    content.mkdir()
    article = content / "seed.txt"
    article.write_text(SEED_TEXT, encoding="utf-8")
    process, url = start_serve(tmp_path)
    reader = Reader(browser, viewport={"width": 1000, "height": 900})
    try:
        page = reader.page
        page.goto(url)
        before = reader.visible_events()
        page.evaluate("window.stillTheSamePage = true")
        article.write_text(SEED_TEXT + "\nThe envoys met again on 2 April 2025 in Riyadh.\n", encoding="utf-8")
        # The page reloads by itself (the marker set on the old page is gone) and shows the new event.
        page.wait_for_function("!window.stillTheSamePage && document.body.textContent.includes('Riyadh')",
                               timeout=30_000)
        assert reader.visible_events() == before + 1
        (content / "broken.md").write_text("---\ntitle: No dateline\n---\nText.\n", encoding="utf-8")
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=30_000)
        assert "broken.md" in alert.inner_text() and "previous site" in alert.inner_text()
        assert reader.visible_events() == before + 1  # the last good site stays on screen
        reader.screenshot("serve-failed-rebuild")
        (content / "broken.md").unlink()
        alert.wait_for(state="detached", timeout=30_000)
        assert reader.errors == []
        reader.only_from(url)
    finally:
        reader.close()
        process.kill()
        process.wait(timeout=10)
