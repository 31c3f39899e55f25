"""What resolution works with: the context, the result, and the small readers of numbers, units and modifiers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..timex import calendar_span
from .calendar_math import (
    day_value,
)
from .lexicon import MONTHS, NUMBER_WORDS, PARTS_OF_DAY, UNITS
from .recognise import Candidate


@dataclass(frozen=True)
class Context:
    """What an expression is resolved against: the dateline, the clause's tense and the last date mentioned."""

    dct: date
    tense: str | None
    anchor: str | None  # the last calendar value of the text, for "a year earlier", "the next day"


@dataclass(frozen=True)
class Resolved:
    """One TIMEX3 reading of (part of) a candidate."""

    start: int
    end: int
    type: str
    value: str
    mod: str | None
    reading: str


_PMODS = {
    "early": "START",
    "beginning": "START",
    "start": "START",
    "first part": "START",
    "early part": "START",
    "first half": "START",
    "mid": "MID",
    "middle": "MID",
    "late": "END",
    "end": "END",
    "close": "END",
    "last part": "END",
    "latter part": "END",
    "turn": None,
    "earlier": "START",
    "later": "END",
    "very end": "END",
    "very beginning": "START",
    "very start": "START",
}


_APPROX_MODS = {
    "about": "APPROX",
    "around": "APPROX",
    "approximately": "APPROX",
    "roughly": "APPROX",
    "some": "APPROX",
    "close to": "APPROX",
    "more than": "MORE_THAN",
    "over": "MORE_THAN",
    "upwards of": "MORE_THAN",
    "well over": "MORE_THAN",
    "just over": "MORE_THAN",
    "less than": "LESS_THAN",
    "fewer than": "LESS_THAN",
    "under": "LESS_THAN",
    "just under": "LESS_THAN",
    "nearly": "LESS_THAN",
    "almost": "LESS_THAN",
    "barely": "LESS_THAN",
    "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE",
    "at most": "EQUAL_OR_LESS",
    "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
}


def norm(word: str | None) -> str:
    return " ".join((word or "").lower().replace("’", "'").split())


def period_mod(cand: Candidate) -> str | None:
    if cand.groups.get("pmod") and cand.match.start("pmod") < cand.start:
        return None  # left outside the extent ("earlier Friday"), so it does not qualify it either
    word = norm(cand.groups.get("pmod"))
    if word.startswith("the "):
        word = word[4:]
    if word.endswith(" of"):
        word = word[:-3]
    return _PMODS.get(word.replace("very ", "very "))


def approx_mod(cand: Candidate) -> str | None:
    if cand.groups.get("approx") and cand.groups.get("det") and cand.match.start("det") == cand.start:
        return None  # a preposition left outside the extent: "over the past two years"
    return _APPROX_MODS.get(norm(cand.groups.get("approx")))


def month_number(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def day_number(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def parse_count(word: str | None) -> float | None:
    """The number a count phrase says, None when it is vague ("several")."""
    text = norm(word)
    half = 0.0
    if text.endswith(" and a half"):
        text, half = text[: -len(" and a half")], 0.5
    if text.endswith(" 1/2"):
        text, half = text[:-4], 0.5
    if re.fullmatch(r"\d+(?:,\d{3})*", text):
        return int(text.replace(",", "")) + half
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text) + half
    if text in NUMBER_WORDS:
        value = NUMBER_WORDS[text]
        return None if value is None else value + half
    tens = re.fullmatch(r"(\w+)[- ](\w+)", text)
    if tens and tens.group(1) in NUMBER_WORDS and tens.group(2) in NUMBER_WORDS:
        high, low = NUMBER_WORDS[tens.group(1)], NUMBER_WORDS[tens.group(2)]
        if high is not None and low is not None:
            return high + low + half
    if text in NUMBER_WORDS:
        value = NUMBER_WORDS[text]
        return None if value is None else value + half
    return None


def unit_code(word: str) -> str:
    w = norm(word)
    if w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("s") and w not in ("hrs",):
        w = w[:-1]
    w = {"hrs": "hr", "centurie": "century", "millennia": "millennium"}.get(w, w)
    return UNITS.get(w, "D")


def duration_value(count: float | None, unit_code: str) -> str:
    """A TIMEX3 duration value: P30D, PT5.5H, P10Y for a decade, PXY when the count is vague."""
    if unit_code == "DE":
        unit_code, count = "Y", None if count is None else count * 10
    elif unit_code == "CE":
        unit_code, count = "Y", None if count is None else count * 100
    elif unit_code == "ML":
        unit_code, count = "Y", None if count is None else count * 1000
    elif unit_code == "Q":
        unit_code, count = "M", None if count is None else count * 3  # TimeBank writes quarters as months
    elif unit_code == "2W":
        unit_code, count = "W", None if count is None else count * 2
    if count is None:
        return f"PTX{unit_code[1]}" if unit_code.startswith("T") else f"PX{unit_code}"
    whole = int(count)
    rest = count - whole
    # TIMEX3 values avoid fractions: two and a half years is P2Y6M, an hour and a half PT1H30M.
    smaller = {"Y": (12, "M"), "M": None, "D": (24, "TH"), "TH": (60, "TM"), "TM": (60, "TS"), "W": (7, "D")}
    split = smaller.get(unit_code)
    if rest and split and (rest * split[0]) == int(rest * split[0]):
        small, small_code = int(rest * split[0]), split[1]
        if unit_code.startswith("T") or small_code.startswith("T"):
            high = f"{whole}{unit_code[-1]}" if whole else ""
            return (
                f"PT{high}{small}{small_code[-1]}" if unit_code.startswith("T") else f"P{high}T{small}{small_code[-1]}"
            )
        return f"P{whole}{unit_code}{small}{small_code}" if whole else f"P{small}{small_code}"
    number = str(whole) if not rest else f"{count:g}"
    if unit_code.startswith("T"):
        return f"PT{number}{unit_code[1]}"
    return f"P{number}{unit_code}"


def anchor_day(ctx: Context) -> date | None:
    span = calendar_span(ctx.anchor) if ctx.anchor else None
    if span and span.precision in ("day", "partofday", "hour", "minute", "second"):
        return span.start
    return None


Result = tuple[str, str, str | None, str] | list[Resolved] | None


def anchor_quarter(ctx: Context) -> tuple[int, int] | None:
    if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        return int(ctx.anchor[:4]), int(ctx.anchor[-1])
    return None


def with_part(d: date, part: str | None, mod: str | None, why: str) -> Result:
    if part:
        code = PARTS_OF_DAY[norm(part).replace("mid-afternoon", "afternoon")]
        value = f"{day_value(d)}{code}" if code.startswith("T") else f"{day_value(d)}T{code}"
        return "TIME", value, mod, f"{why}, {norm(part)}"
    return "DATE", day_value(d), mod, why


REL_DAYS = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
    "this": 0,
    "last": -1,
}
