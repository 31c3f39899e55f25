"""Other formats from the same timeline: TimelineJS3 JSON, Atom, iCalendar (RFC 5545) and sitemap.xml."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest

from tests.test_render import EVENTS, SETTINGS, TIMELINE, event, render
from timeline.feeds import atom_feed, sitemap_xml
from timeline.ical import event_times, fold, icalendar_file
from timeline.model import Timeline
from timeline.settings import Settings
from timeline.timelinejs import timelinejs_json

HOSTED = Settings(title="Kursk & after", language="en_GB", base_url="https://news.example/kursk/")
ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_format_is_byte_identical_twice() -> None:
    assert render(settings=HOSTED) == render(settings=HOSTED)


def test_feed_and_sitemap_only_with_a_base_url() -> None:
    plain = render()
    assert {"timeline.json", "timelinejs.json", "timeline.ics", "404.html"} <= set(plain)
    assert "feed.atom" not in plain and "sitemap.xml" not in plain
    hosted = render(settings=HOSTED)
    assert {"feed.atom", "sitemap.xml"} <= set(hosted)


# --- TimelineJS3 ---------------------------------------------------------------------------------------

def test_timelinejs_shape() -> None:
    document = json.loads(timelinejs_json(TIMELINE, "en_GB"))
    assert document["title"] == {"text": {"headline": "Kursk &amp; after", "text": "A test timeline."},
                                 "unique_id": "title"}
    assert document["scale"] == "human"
    slides = document["events"]
    assert [s["unique_id"] for s in slides] == [e.id for e in EVENTS]
    kursk = slides[2]
    assert kursk == {
        "start_date": {"year": 2024, "month": 8},
        "display_date": "August 2024",
        "text": {"headline": "Offensive into Kursk",
                 "text": kursk["text"]["text"]},
        "unique_id": "kursk-aug",
        "group": "kursk",
    }
    assert "Kursk <mark>in August</mark>." in kursk["text"]["text"]
    assert '<cite><a href="https://news.example/a">Kursk report</a></cite>' in kursk["text"]["text"]


@pytest.mark.parametrize(
    ("event_id", "start", "end", "display"),
    [
        ("nineties", {"year": 1990}, {"year": 1999}, "the 1990s"),
        ("summer-24", {"year": 2024, "month": 6}, {"year": 2024, "month": 8}, "summer 2024"),
        ("early-25", {"year": 2025}, None, "early 2025"),
        ("week-10", {"year": 2025, "month": 3, "day": 3}, {"year": 2025, "month": 3, "day": 9},
         "week of 3 March 2025"),
        ("evening", {"year": 2025, "month": 3, "day": 12}, None, "Wednesday, 12 March 2025, evening"),
        ("talk-1430", {"year": 2025, "month": 3, "day": 12, "hour": 14, "minute": 30}, None,
         "12 March 2025, 14:30"),
        ("thursday", {"year": 2025, "month": 3, "day": 13}, None, "13 March 2025"),
    ],
)
def test_timelinejs_dates_carry_only_the_known_fields(event_id: str, start: dict, end: dict | None,
                                                      display: str) -> None:
    slide = next(s for s in json.loads(timelinejs_json(TIMELINE, "en_GB"))["events"] if s["unique_id"] == event_id)
    assert slide["start_date"] == start
    assert slide.get("end_date") == end
    assert slide["display_date"] == display


def test_timelinejs_ids_survive_its_slugify_and_stay_unique() -> None:
    events = (event("2025-03-13-x-1", "2025-03-13", "a", "On 13 March.", "13 March"),
              event("Title", "2025-03-13", "b", "On 13 March.", "13 March"),
              event("title", "2025-03-13", "c", "On 13 March.", "13 March"))
    slides = json.loads(timelinejs_json(Timeline("t", "", events)))["events"]
    assert [s["unique_id"] for s in slides] == ["event-2025-03-13-x-1", "event-title", "title-2"]


def test_timelinejs_escapes_text_and_sanitises_markdown() -> None:
    document = json.loads(render()["timelinejs.json"])
    thursday = next(s for s in document["events"] if s["unique_id"] == "thursday")
    assert thursday["text"]["text"].startswith("<p>Speaking on <strong>Thursday</strong>, he <a href=")
    hostile = event("h", "2025-03-13", "<script>x</script>", "On 13 March <b>.", "13 March")
    slide = json.loads(timelinejs_json(Timeline("t", "", (hostile,))))["events"][0]
    assert slide["text"]["headline"] == "&lt;script&gt;x&lt;/script&gt;"
    assert "<b>" not in slide["text"]["text"]


# --- Atom ----------------------------------------------------------------------------------------------

def test_atom_feed_is_well_formed_with_absolute_ids_and_links() -> None:
    feed = ET.fromstring(atom_feed(TIMELINE, HOSTED))
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://news.example/kursk/"
    assert feed.findtext(f"{ATOM}updated") == "2025-03-15T00:00:00Z"  # the latest dateline, not the clock
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "https://news.example/kursk/feed.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"https://news.example/kursk/#{e.id}" for e in reversed(EVENTS)]  # latest first
    for entry in entries:
        for name in ("title", "id", "updated"):
            assert entry.findtext(f"{ATOM}{name}"), name
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith("https://news.example/kursk/#")
    kursk = next(e for e in entries if e.findtext(f"{ATOM}id", "").endswith("#kursk-aug"))
    assert kursk.findtext(f"{ATOM}summary") == "August 2024"
    assert [c.get("term") for c in kursk.findall(f"{ATOM}category")] == ["kursk", "offensive"]
    content = kursk.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert '<time datetime="2024-08">August 2024</time>' in (content.text or "")


def test_atom_needs_a_base_url() -> None:
    with pytest.raises(ValueError, match="base_url"):
        atom_feed(TIMELINE, SETTINGS)


def test_sitemap_lists_every_page_absolutely() -> None:
    files = render(settings=HOSTED)
    root = ET.fromstring(files["sitemap.xml"])
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in root.iter(f"{ns}loc")]
    assert locations[0] == "https://news.example/kursk/"
    pages = {path for path in files if path.endswith(".html") and path not in ("index.html", "404.html")}
    assert {loc.removeprefix("https://news.example/kursk/") for loc in locations[1:]} == pages
    assert sitemap_xml("https://x.example/", ["", "tags/a b.html"]).count(b"tags/a%20b.html") == 1


# --- iCalendar -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("event_id", "start", "end"),
    [
        ("kursk-aug", "DTSTART;VALUE=DATE:20240801", "DTEND;VALUE=DATE:20240901"),  # a month: all of August
        ("nineties", "DTSTART;VALUE=DATE:19900101", "DTEND;VALUE=DATE:20000101"),
        ("summer-24", "DTSTART;VALUE=DATE:20240601", "DTEND;VALUE=DATE:20240901"),
        ("week-10", "DTSTART;VALUE=DATE:20250303", "DTEND;VALUE=DATE:20250310"),
        ("evening", "DTSTART;VALUE=DATE:20250312", "DTEND;VALUE=DATE:20250313"),
        ("talk-1430", "DTSTART:20250312T143000", "DTEND:20250312T143100"),
        ("thursday", "DTSTART;VALUE=DATE:20250313", "DTEND;VALUE=DATE:20250314"),
    ],
)
def test_ical_spans_follow_the_precision(event_id: str, start: str, end: str) -> None:
    assert event_times(next(e for e in EVENTS if e.id == event_id)) == (start, end)


def test_ical_lines_are_crlf_folded_at_75_octets_without_splitting_characters() -> None:
    data = icalendar_file(TIMELINE, HOSTED)
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is whole UTF-8
    folded = fold("SUMMARY:" + "é" * 80)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "SUMMARY:" + "é" * 80


def test_ical_has_stable_uids_and_a_dtstamp_from_the_data() -> None:
    text = icalendar_file(TIMELINE, HOSTED).decode().replace("\r\n ", "")
    assert text.count("BEGIN:VEVENT") == len(EVENTS)
    assert "UID:kursk-aug@timeline\r\n" in text
    assert text.count("DTSTAMP:20250315T000000Z\r\n") == len(EVENTS)  # latest dateline, never the clock
    assert "URL:https://news.example/kursk/#kursk-aug\r\n" in text
    assert "SUMMARY:Kursk & after" not in text and "X-WR-CALNAME:Kursk & after\r\n" in text
    assert "CATEGORIES:kursk,offensive\r\n" in text


def test_ical_is_valid_for_the_icalendar_library() -> None:
    icalendar = pytest.importorskip("icalendar", reason="the icalendar package is not installed")
    calendar = icalendar.Calendar.from_ical(icalendar_file(TIMELINE, HOSTED))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(EVENTS)
    august = events["kursk-aug@timeline"]
    assert august.decoded("DTSTART") == date(2024, 8, 1) and august.decoded("DTEND") == date(2024, 9, 1)
    assert str(august["SUMMARY"]) == "Offensive into Kursk"
    assert str(events["thursday@timeline"]["DESCRIPTION"]).startswith("13 March 2025\nSpeaking on **Thursday**, he")
    talk = events["talk-1430@timeline"]
    assert talk.decoded("DTSTART") == datetime(2025, 3, 12, 14, 30)  # floating: the articles give no zone
    for vevent in calendar.walk("VEVENT"):
        assert vevent.decoded("DTSTAMP") == datetime(2025, 3, 15, tzinfo=vevent.decoded("DTSTAMP").tzinfo)
    # A round trip through the library gives the same lines back (in its own order): nothing it had to repair.
    ours = icalendar_file(TIMELINE, HOSTED).replace(b"\r\n ", b"").split(b"\r\n")
    assert sorted(calendar.to_ical().replace(b"\r\n ", b"").split(b"\r\n")) == sorted(ours)


def test_ical_escapes_text() -> None:
    tricky = event("t", "2025-03-13", "Talks; more, later\\now", "On 13 March.", "13 March")
    text = icalendar_file(Timeline("t", "", (tricky,)), Settings()).decode()
    assert "SUMMARY:Talks\\; more\\, later\\\\now\r\n" in text
