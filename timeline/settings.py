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


SETTING_NAMES = ("title", "description", "base_url", "theme", "language", "reported_events")
SWITCH_NAMES = ("reported_events",)  # settings that are true or false
