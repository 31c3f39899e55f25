"""Shared test helpers: the repository root, and the seed article's text written here for tests.

The real seed lives in ../shared/seed, which a user's clone does not have, so
the sentences the tests need are embedded here (the article is quoted for
testing; its dates are the must-show cases of the project).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SEED_TEXT = (
    "date 2025-03-15 Trump had urged Putin to preserve the lives of the \u201cthousands of Ukrainian troops\u201d who "
    "are \u201ccompletely surrounded by the Russian military.\u201d\n\n"
    "\u201cThis would be a horrible massacre, one not seen since World War II,\u201d he said in a post on "
    "Truth Social.\n\n"
    "Putin responded that he was aware of Trump\u2019s request, adding that Russia was willing to consider it.\n\n"
    "\u201cIf they lay down their arms and surrender, [we] will guarantee them their lives and dignified treatment in "
    "accordance with international law and Russian legal norms,\u201d the president stated.\n\n"
    "Kiev launched a major offensive into the Kursk area in August 2024, capturing the town of Sudzha and dozens of "
    "villages. Ukrainian leader Volodymyr Zelensky noted the incursion across the two countries\u2019 internationally "
    "recognized border was an attempt to gain leverage for future peace talks.\n\n"
    "The Ukrainian advance was quickly halted by the Russian military, which has been gradually reclaiming ground "
    "ever since. As of Wednesday evening, Moscow\u2019s forces had liberated 86% of the territory occupied by Ukraine "
    "in August 2024, according to the head of the Russian General Staff, General Valery Gerasimov.\n\n"
    "Speaking on Thursday, the president stressed that Russia supports the idea of a 30-day ceasefire proposed by "
    "the US but emphasized the need for further discussions with Washington to resolve specific concerns.\n\n"
    "Kiev has so far not commented on Putin\u2019s call.\n"
)


@pytest.fixture
def seed_content(tmp_path: Path) -> Path:
    """A content folder holding the seed article as plain text."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    return content
