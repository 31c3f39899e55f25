"""Site settings: what ``timeline.yaml`` may set, with the defaults used when it is absent."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Everything a build needs besides the content itself."""

    title: str = "Timeline"
    description: str = ""
    base_url: str = ""  # absolute URL the site is published at; only feeds and sitemaps use it
    theme: str = "default"
    language: str = "en"
    build_date: str = ""  # ISO date from SOURCE_DATE_EPOCH, or "" to show none
    # Off by default: a statement with no date of its own is dated only by the report (the day it was said is
    # unknown, often the day before), and every quote of every article would crowd the dated events out.
    reported_events: bool = False
    # A timeline with more events than this gets a page per year and an index listing the years (0: one page).
    # A page of 500 events with their quotes is already a few megabytes to download.
    year_pages_after: int = 500


SETTING_NAMES = ("title", "description", "base_url", "theme", "language", "reported_events", "year_pages_after")
COUNT_NAMES = ("year_pages_after",)  # settings that are whole numbers, 0 or more
SWITCH_NAMES = ("reported_events",)  # settings that are true or false
