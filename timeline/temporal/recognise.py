"""Find where date expressions are: one regex per kind of expression, then the longest non-overlapping matches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from .lexicon import (
    COUNT_RE,
    DAY_NUMBER_RE,
    MONTH_RE,
    ORDINALS,
    PART_OF_DAY_RE,
    TIME_ZONES,
    UNIT_RE,
    WEEKDAY_NAME_AFTER,
    WEEKDAY_NAME_BEFORE,
    WEEKDAY_RE,
    YEAR_RE,
)
from .patterns import ASCII_LOWER, first_characters, fold_case, lower_case_rule, without_group_names
from .triggers import TRIGGER_CLASSES, TRIGGER_OF, trigger_windows


@dataclass(frozen=True)
class Candidate:
    """A stretch of text that one rule recognised, with that rule's named groups."""

    start: int
    end: int
    kind: str
    match: re.Match[str]
    rank: int  # the rule's position in RULES: earlier rules win ties

    @cached_property  # read by every resolver step; the match never changes
    def groups(self) -> dict[str, str | None]:
        """The rule's named groups and what they matched (None when a group did not take part)."""
        return self.match.groupdict()


# Words that qualify a period: "early 2024", "the end of January", "mid-July".
_PERIOD_MOD = (
    r"(?:(?P<pmod>early|earlier|late|later|mid|middle|the\s+(?:very\s+)?(?:end|beginning|start|middle|close|turn"
    r"|latter\s+part|early\s+part|first\s+part|last\s+part)\s+of)(?:\s*-\s*|\s+))"
)
_APPROX = (
    r"(?:(?P<approx>about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|fewer\s+than"
    r"|over|under|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|just\s+over|just\s+under"
    r"|close\s+to|upwards\s+of|well\s+over|only|just|barely)\s+)"
)
_FULL_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|sept\.|(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.)"
)
_DAY_REF = (
    rf"(?P<dref>(?:{WEEKDAY_RE}(?:,?\s+{MONTH_RE}\s+{DAY_NUMBER_RE}\b)?)|today|yesterday|tomorrow|tonight"
    rf"|{MONTH_RE}\s+{DAY_NUMBER_RE}\b)"
)
_TOKEN_CHARACTERS = r"\w$£€#.-"
_WB = rf"(?<![{_TOKEN_CHARACTERS}])"  # a word start that is not part of a number, a price or a longer token
_WE = r"(?![\w-]|\.\d|,\d)"  # a word end that is not followed by more of the same token

_RULES: list[tuple[str, str]] = [
    # 14 March 2025, Friday, March 14, 2025, March 14th, Sept. 16 (a day in a month)
    (
        "date_mdy",
        rf"(?:(?P<wday>{WEEKDAY_RE}),?\s+)?{_PERIOD_MOD}?(?:(?P<rel>last|next|this)\s+)?(?P<month>{MONTH_RE})\s*"
        rf"(?P<day>{DAY_NUMBER_RE})"
        rf"(?!\d|:\d)(?:,?\s+(?P<year>{YEAR_RE})(?!\d))?",
    ),
    (
        "date_dmy",
        rf"(?:(?P<wday>{WEEKDAY_RE}),?\s+)?(?:the\s+)?(?P<day>{DAY_NUMBER_RE})(?:\s+of)?\s+(?P<month>{MONTH_RE})"
        rf"(?:,?\s+(?P<year>{YEAR_RE})(?!\d))?",
    ),
    # from Sept. 16 to Oct. 4, 2024: the year written once, at the end, dates both ends
    (
        "date_range",
        rf"(?P<month>{MONTH_RE})\s*(?P<day>{DAY_NUMBER_RE})\s*(?:[-–]|to|until|till|through|and)\s*"
        rf"(?P<month2>{MONTH_RE})\s*(?P<day2>{DAY_NUMBER_RE}),?\s+(?P<year>{YEAR_RE})(?!\d)",
    ),
    # Jan. 5-7: two days of one month
    (
        "day_range",
        rf"(?P<month>{MONTH_RE})\s*(?P<day>{DAY_NUMBER_RE})\s*(?:[-–]|and|to|through)\s*(?P<day2>{DAY_NUMBER_RE})(?!\d|:\d)"
        rf"(?:,?\s+(?P<year>{YEAR_RE})(?!\d))?",
    ),
    ("date_iso", r"(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:T(?P<hour>[0-2]\d):(?P<minute>[0-5]\d))?"),
    ("date_slash", r"(?P<month>[0-3]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)"),
    # March-April 2021; from Sept. 16 to Oct. 4 is two date_mdy matches
    ("year_range", rf"(?P<year>{YEAR_RE})\s*[-–/]\s*(?P<year2>{YEAR_RE}|\d\d)(?!\d)"),
    (
        "month_range",
        rf"(?P<month>{MONTH_RE})\s*(?:-|–|to|through|and)\s*(?P<month2>{MONTH_RE}),?\s+(?P<year>{YEAR_RE})(?!\d)",
    ),
    ("month_year", rf"{_PERIOD_MOD}?(?P<month>{MONTH_RE}),?\s+(?:of\s+)?(?P<year>{YEAR_RE})(?!\d)"),
    ("month_relyear", rf"{_PERIOD_MOD}?(?P<month>{MONTH_RE})\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year"),
    (
        "month",
        rf"{_PERIOD_MOD}?(?:(?P<rel>last|next|this|this\s+past|this\s+coming|that)\s+)?(?P<month>{_FULL_MONTH}|"
        r"january|february|march|april|may|june|july|august|september|october|november|december)",
    ),
    (
        "decade",
        r"(?:the\s+)?(?:(?P<pmod>early|mid|late)(?:\s*-\s*|\s+))?(?:(?P<decade>1[0-9]\d0|20[0-9]0)'?s|'(?P<short>\d0)s"
        r"|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))",
    ),
    (
        "century",
        r"(?:the\s+)?(?:(?P<pmod>early|mid|late)(?:\s*-\s*|\s+))?(?:(?P<ordinal>\d{1,2}(?:st|nd|rd|th)|first|second|third"
        r"|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth"
        r"|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)|(?P<rel>this|last|next|the\s+past"
        r"|the\s+previous|the\s+current|the\s+last|the\s+next))\s+century",
    ),
    (
        "year",
        rf"{_PERIOD_MOD}?(?:(?P<prefix>fiscal|fiscal\s+year|calendar|calendar\s+year|the\s+year|FY)\s*)?(?P<year>{YEAR_RE})"
        r"(?![\d%]|'?s\b|\s*(?:percent|per\s+cent|troops|people|soldiers|workers|members|residents|jobs|units"
        r"|shares|points|votes|cases|deaths|dollars|euros|pounds|tons|tonnes|miles|kilomet|metres|meters|feet"
        r"|acres|barrels|homes|houses|employees|students|km|kg|mw|hp|pages|words|GMT|EDT|EST|hours|hrs|[ap]\.?m)\b)",
    ),
    (
        "spoken_year",
        r"(?:the\s+year\s+)?(?P<spoken>nineteen[\s-]+(?:hundred|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
        r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)"
        r"|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)",
    ),
    (
        "weekday",
        rf"(?:(?P<pmod>early|late|earlier|later)\s+(?:on\s+)?)?(?:(?P<rel>last|next|this|this\s+past|this\s+coming|past|coming"
        r"|the\s+previous|the\s+following|the\s+next|the\s+preceding)\s+)?"
        rf"(?P<wday>{WEEKDAY_RE})(?:\s+(?P<part>{PART_OF_DAY_RE}))?",
    ),
    (
        "partday",
        rf"(?:(?P<pmod>early|late|earlier|later)\s+)?(?P<rel>this|last|tomorrow|yesterday|that)\s+(?P<part>{PART_OF_DAY_RE})",
    ),
    (
        "relday",
        rf"(?:(?P<pmod>early|late|earlier|later)\s+)?(?P<rel>today|yesterday|tomorrow|tonight|the\s+day\s+before\s+yesterday"
        rf"|the\s+day\s+after\s+tomorrow)(?:\s+(?P<part>{PART_OF_DAY_RE}))?",
    ),
    ("overnight", rf"(?P<part>overnight)(?:\s+(?:on\s+)?(?P<wday>{WEEKDAY_RE}))?"),
    ("day_before", r"the\s+(?P<unit>day|night|morning|evening)\s+(?P<rel>before|after)(?=\s*[,.;:)]|\s*$)"),
    (
        "anaphoric_day",
        r"(?:(?P<pmod>early|late|earlier|later)\s+)?(?P<rel>the\s+next|the\s+following|the\s+previous|the\s+preceding"
        r"|that\s+same|the\s+same|that)\s+(?P<unit>day|morning|afternoon|evening|night)",
    ),
    (
        "relunit",
        rf"{_PERIOD_MOD}?(?P<rel>last|next|this|coming|past|previous|current|the\s+coming|the\s+current|the\s+previous"
        r"|the\s+following|the\s+same|the\s+prior|the\s+preceding|that|the\s+present)\s+(?P<unit>week|month|year|quarter"
        r"|decade|century|fiscal\s+year|financial\s+year|school\s+year)(?!-)",
    ),
    ("period_of_the", rf"{_PERIOD_MOD}(?P<rel>the\s+)?(?P<unit>week|month|year|decade|century|quarter)"),
    (
        "weekend",
        r"(?P<rel>the|this|last|next|that|this\s+past|this\s+coming|the\s+coming|the\s+past)\s+(?P<unit>weekend)",
    ),
    (
        "quarter",
        rf"(?:(?P<det>the|this\s+year's|last\s+year's|next\s+year's|(?P<qyear1>{YEAR_RE})'s|the\s+(?P<qyear2>{YEAR_RE})"
        r"|that|this)\s+)?(?:(?P<yago>year-ago|year-earlier)\s+)?(?:(?P<fiscal>fiscal|calendar)[\s-]+)?(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th"
        r"|final|last|latest|current|previous|past|year-ago|year-earlier|comparable|same|next|coming)"
        r"(?:\s+(?:fiscal|calendar))?[\s-]+quarter(?P<plural>s)?(?:\s+(?:of\s+)?(?:(?:fiscal\s+)?(?P<year>"
        + YEAR_RE
        + r")"
        r"|(?P<yrel>this|last|next)\s+year))?",
    ),
    (
        "period",
        r"(?P<det>the|that)?\s*(?:comparable\s+|same\s+)?(?P<ordinal>latest|year-earlier|year-ago|comparable|same|year-before"
        r"|current|previous)(?:\s+(?:fiscal|three-month|reporting))?\s+(?P<unit>period|quarter)"
        rf"|(?P<det3>the)\s+(?P<pyear>{YEAR_RE})\s+(?:period|quarter)"
        r"|(?P<det2>the|that)\s+(?P<bare>quarter)(?![\s-]+(?:of|century|mile|point|percent))",
    ),
    ("year_ago", r"(?P<ordinal>year-(?:earlier|ago|before))"),
    ("quarter_code", rf"(?P<ordinal>Q[1-4])(?:\s+(?P<year>{YEAR_RE}))?"),
    (
        "half",
        rf"(?:the\s+)?(?P<ordinal>first|second|1st|2nd|last|latter)\s+half(?:\s+of\s+(?:(?P<year>{YEAR_RE})|(?P<yrel>this|last|next)"
        r"\s+year|the\s+year))|(?P<code>H[12])\s+(?P<year2>" + YEAR_RE + ")",
    ),
    (
        "offset",
        rf"{_APPROX}?(?P<count>{COUNT_RE})(?:\s*-\s*|\s+)(?P<unit>{UNIT_RE})(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|previously|prior|from\s+now|hence|on)(?=\s*(?:[,.;:)]|$|and\b|but\b|when\b|that\b|in\b|the\b))",
    ),
    (
        "offset_ago",
        rf"{_APPROX}?(?P<count>{COUNT_RE})(?:\s*-\s*|\s+)(?P<unit>{UNIT_RE})(?:\s+or\s+so)?\s+(?P<dir>ago|from\s+now|hence|earlier|later)(?!\s+than)",
    ),
    (
        "duration",
        rf"{_APPROX}?(?:(?P<det>the)\s+)?(?:(?P<rel>past|last|next|first|coming|previous|following|final"
        rf"|remaining|latest|initial|ensuing|preceding|prior|other|same)\s+)?(?P<count>{COUNT_RE})(?:\s*-\s*|\s+)"
        rf"(?P<unit>{UNIT_RE})(?P<long>-long|-old)?",
    ),
    (
        "duration_plain",
        rf"(?P<det>the\s+)?(?P<rel>past|last|next|coming|previous|following|recent|latest|early|first)\s+(?P<unit>{UNIT_RE})",
    ),
    (
        "bare_units",
        r"(?:for|over|in|within|after|took|lasted|spent|last)\s+(?P<t>(?P<unit>days|weeks|months|years|decades|hours|minutes|centuries))",
    ),
    (
        "season",
        rf"{_PERIOD_MOD}?(?:(?P<rel>last|next|this|the|that|this\s+past|this\s+coming|early|late)\s+)?(?P<season>spring|summer|autumn|fall|winter)"
        rf"(?:\s+(?:of\s+)?(?P<year>{YEAR_RE})(?:[-–/](?:\d\d|{YEAR_RE}))?)?",
    ),
    (
        "holiday",
        rf"(?:(?P<rel>last|next|this)\s+)?(?P<holiday>christmas\s+eve|christmas\s+day|christmas|new\s+year['’]s\s+eve"
        r"|new\s+year['’]s\s+day|new\s+year['’]s|thanksgiving(?:\s+day)?|easter(?:\s+sunday|\s+monday)?|good\s+friday"
        r"|halloween|independence\s+day|labou?r\s+day|memorial\s+day|valentine['’]s\s+day|boxing\s+day|election\s+day"
        r"|veterans\s+day|may\s+day|black\s+friday|mother['’]s\s+day|father['’]s\s+day|(?:st\.?|saint)\s+patrick['’]s\s+day"
        r"|remembrance\s+day|armistice\s+day|bastille\s+day|april\s+fools['’]?\s+day|ash\s+wednesday|palm\s+sunday"
        r"|inauguration\s+day)"
        rf"(?:,?\s+(?P<year>{YEAR_RE}))?",
    ),
    (
        "clock",
        rf"{_APPROX}?(?P<hour>[01]?\d)(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b|o'clock)"
        rf"(?:\s+(?P<tz>{TIME_ZONES}))?(?:,?\s+(?:on\s+|this\s+|next\s+|last\s+)?{_DAY_REF})?",
    ),
    (
        "clock24",
        rf"(?:(?P<hour>[0-2]?\d)[:.]|(?P<hour4>[01]\d|2[0-3]))(?P<minute>[0-5]\d)\s*(?:hours?\s+|h\s+)?(?P<tz>{TIME_ZONES})"
        rf"(?:,?\s+(?:on\s+)?{_DAY_REF})?",
    ),
    ("noon", rf"(?P<part>noon|midnight|midday)(?:,?\s+(?:on\s+)?{_DAY_REF})?"),
    (
        "ref",
        r"(?P<ref>right\s+now|just\s+now|now|currently|nowadays|these\s+days|at\s+present|at\s+the\s+moment|presently"
        r"|recently|more\s+recently|lately|the\s+past|the\s+future|in\s+future|a\s+later\s+date"
        r"|the\s+present|the\s+(?:near|distant|foreseeable|immediate|not-too-distant|not\s+too\s+distant)\s+future)",
    ),
    (
        "set",
        rf"(?P<every>every|each|per)\s+(?:(?P<other>other)\s+|(?P<count>{COUNT_RE})\s+)?(?P<unit>day|week|month|year|quarter|hour|minute|decade|night|morning"
        rf"|afternoon|evening|weekend|summer|winter|spring|autumn|fall|days|weeks|months|years|quarters|hours|minutes|decades|{WEEKDAY_RE}|{_FULL_MONTH})",
    ),
    (
        "set_adverb",
        r"(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly|bi-?weekly|bi-?monthly|bi-?annually|semi-?annually)",
    ),
    (
        "set_times",
        r"(?P<times>once|twice|three\s+times|four\s+times|\d+\s+times)\s+(?:a|per|each|every)\s+(?P<unit>day|week|month|year|quarter|hour|decade)",
    ),
    ("set_weekdays", r"on\s+(?P<t>(?P<wday>mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays))"),
]

# Word boundaries are added around every rule; IGNORECASE because news capitalises headlines.
RULES = [(kind, re.compile(_WB + "(?:" + pattern + ")" + _WE, re.IGNORECASE)) for kind, pattern in _RULES]


_EXTENT_GROUP = ["t" in pattern.groupindex for _, pattern in RULES]

_AMBIGUOUS_MONTHS = {"may", "march"}
_PREPOSITIONS = {"over", "under", "some", "only", "just"}
# Approximators that TimeBank leaves outside the extent (their mod is still read): "about five hours".
_QUARTER_WORDS = {w for w, n in ORDINALS.items() if 1 <= n <= 4}
_OUTSIDE_APPROX = {
    "about",
    "around",
    "over",
    "under",
    "only",
    "just",
    "barely",
    "just over",
    "well over",
    "just under",
    "approximately",
    "roughly",
    "close to",
    "upwards of",
}
# Words before a bare "May"/"March" that make it a month rather than a verb or a name.
_MONTH_CUES = re.compile(
    r"(?:\b(?:in|of|since|until|till|by|during|from|to|through|last|next|this|early|late|mid|before|after|and|or|between"
    r"|end|beginning|start|middle|since|each|every|that|the|until|for)[\s-]*)$",
    re.IGNORECASE,
)


def find_candidates(text: str) -> list[Candidate]:
    """Every match of every rule, filtered for the known false friends."""
    found: list[Candidate] = []
    folded = fold_case(text)
    windows = trigger_windows(folded if folded is not None else text.translate(ASCII_LOWER))
    starts = {} if folded is None else _rule_starts(folded, windows)
    for rank, (kind, pattern) in enumerate(RULES):
        trigger = TRIGGER_OF[kind]
        if folded is None:
            matches: Iterable[re.Match[str]] = (
                m
                for window_start, window_end in windows[trigger]
                for m in pattern.finditer(text, window_start, window_end)
            )
        else:
            matches = _matches_at(pattern, text, starts[trigger], _NUMBER_IN_CLASS[rank])
        for m in matches:
            # A rule may match context it does not tag ("for years"): group "t" is then the extent.
            start, end = m.span("t") if _EXTENT_GROUP[rank] else m.span()
            groups = m.groupdict()
            start = _trim_start(m, start, groups)
            if end == start or _is_false_friend(text, m, kind, groups):
                continue
            found.append(Candidate(start, end, kind, m, rank))
    return found


_Starts = list[tuple[int, int, list[tuple[int, int]]]]


def _rule_starts(folded: str, windows: dict[str, list[tuple[int, int]]]) -> dict[str, _Starts]:
    """For each trigger class, its windows that hold a place where one of its rules matches, and those places, each
    with the number (from 1, in the class) of the first rule that matches there."""
    starts: dict[str, _Starts] = {}
    # In " " + folded, the character before a place stands where the place stands in folded.
    spaced = " " + folded
    for name, starts_re in _STARTS.items():
        found = []
        for window_start, window_end in windows[name]:
            places = [(m.start(), m.lastindex or 0) for m in starts_re.finditer(spaced, window_start, window_end + 1)]
            if places:
                found.append((window_start, window_end, places))
        starts[name] = found
    return starts


def _matches_at(pattern: re.Pattern[str], text: str, windows: _Starts, number: int) -> Iterator[re.Match[str]]:
    """What ``pattern``, rule ``number`` of its class, finds with finditer in each window, trying only the places
    where it may match."""
    for window_start, window_end, places in windows:
        resume = window_start
        for place, first in places:
            if place < resume or first > number:
                continue
            m = pattern.match(text, place, window_end)
            if m is not None:
                assert m.end() > place, "a rule matched no text; finditer would go on from there differently"
                yield m
                resume = m.end()


def select(candidates: list[Candidate]) -> list[Candidate]:
    """The longest candidates that do not overlap, earlier rules winning ties, in text order."""
    chosen: list[Candidate] = []
    taken = bytearray(max((c.end for c in candidates), default=0))
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.rank, c.start)):
        if 1 in taken[cand.start : cand.end]:
            continue
        chosen.append(cand)
        taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    return sorted(chosen, key=lambda c: c.start)


# IGNORECASE makes every letter of every alternative a case-folding comparison and stops the regex engine from
# skipping an alternative by its first letter; running forty rules one after another over a window tests the
# word boundary at every place forty times. Those two were most of the tagger's time. So, for each trigger class,
# one scan finds the places in its windows where any of its rules matches: the rules, as lookaheads without their
# group names (which repeat), run case-sensitively in lower case over the text in lower case, each led by the
# characters it can start with. Each rule is then matched, as written, only at those places, and only where no
# earlier rule of its class was the first to match (the scan numbers its rules with empty groups). That finds
# exactly what finditer found, provided lower-casing changes no character but A-Z (see fold_case) and no rule
# matches empty text; other texts take the rules one by one, ignoring case.
_RULES_IN_CLASS = {name: sum(TRIGGER_OF[kind] == name for kind, _ in _RULES) for name in TRIGGER_CLASSES}


def _class_scan(name: str) -> re.Pattern[str]:
    """The regex that finds where any rule of trigger class ``name`` matches, as the comment above says."""
    alternatives = []
    for kind, pattern in _RULES:
        if TRIGGER_OF[kind] != name:
            continue
        rule = lower_case_rule("(?:" + without_group_names(pattern) + ")" + _WE)
        first = first_characters(rule)
        # "[ab](?<=(?=rule)[\s\S])" is "(?=rule)" led by the characters the rule can start with, which lets the
        # engine pass over the rule at once when the text starts with another one. The empty group numbers it.
        alternatives.append((rule if first is None else first + r"(?<=(?=" + rule + r")[\s\S])") + "()")
    # It takes the character before the place (so the text must be given a space in front) rather than looking
    # behind, which lets the engine skip from one such character to the next without starting at every letter.
    return re.compile(rf"[^{_TOKEN_CHARACTERS}]" + "(?=" + "|".join(alternatives) + ")")


_STARTS = {name: _class_scan(name) for name in TRIGGER_CLASSES}
if any(_STARTS[name].groups != _RULES_IN_CLASS[name] for name in TRIGGER_CLASSES):
    raise ValueError("a rule has a group that is neither named nor (?:...); the class scan numbers rules by group")
_NUMBER_IN_CLASS = [
    [other for other, _ in _RULES if TRIGGER_OF[other] == TRIGGER_OF[kind]].index(kind) + 1 for kind, _ in _RULES
]


def _trim_start(m: re.Match[str], start: int, groups: dict[str, str | None]) -> int:
    """Leave out of the extent the words TimeBank leaves out: "about", "earlier" Friday, "the" 30-day."""
    approx = " ".join((groups.get("approx") or "").lower().split())
    if approx in _OUTSIDE_APPROX:
        start = max(start, m.end("approx"))
        while start < m.end() and m.string[start].isspace():
            start += 1
    if groups.get("det") and approx in _PREPOSITIONS:
        start = m.start("det")  # "over the past two years": "over" is a preposition here
    if (groups.get("long") or "").lower() == "-long" and (groups.get("count") or "").lower() in ("a", "an"):
        start = m.start("unit")  # "a week-long visit": the expression is "week-long"
    pmod = (groups.get("pmod") or "").lower()
    if pmod in ("earlier", "later") and groups.get("wday") and not groups.get("rel"):
        start = m.start("wday")  # "earlier Friday": the day is the expression
    det = (groups.get("det") or "").lower()
    # The word after the determiner is the count or ordinal itself, joined to its unit: "30-day", "third-quarter".
    head = "count" if groups.get("count") else "ordinal" if groups.get("ordinal") in _QUARTER_WORDS else None
    after_det = m.group()[m.end("det") - m.start() :].split()[0] if det else ""
    if (
        det in ("the", "that")
        and head
        and "-" in after_det
        and after_det.lower().startswith((groups.get(head) or "").lower())
        and not groups.get("rel")
    ):
        start = m.start("det") + len(det) + 1  # "the 30-day ceasefire", "the third-quarter results"
        while m.string[start].isspace():
            start += 1
    return start


def recognise(text: str) -> list[Candidate]:
    """The date expressions of ``text``, longest first, never overlapping, in text order."""
    return select(find_candidates(text))


def _is_false_friend(text: str, m: re.Match[str], kind: str, groups: dict[str, str | None]) -> bool:
    """Reject matches that look like dates but are verbs, names, numbers or prices."""
    month = groups.get("month")
    if month:
        word = month.rstrip(".")
        if word[0].islower() and not text[m.start() : m.end()].isupper():
            return True  # news capitalises months: "may" and "march" are verbs, "august" an adjective
        following = text[m.end() : m.end() + 30]
        if (
            kind == "month"
            and not groups.get("rel")
            and re.match(r"\s+[A-Z][a-z]+\b(?!\s+\d)", following)
            and not re.match(r"\s+(?:Congress|Parliament|The|This|He|She|They|It|We|I)\b", following)
        ):
            return True  # a first name: "April Ryan"
        if kind == "month" and word.lower() in _AMBIGUOUS_MONTHS and not groups.get("rel") and not groups.get("pmod"):
            before = text[max(0, m.start() - 30) : m.start()]
            if not _MONTH_CUES.search(before.rstrip() + " " if before.strip() else ""):
                return True  # "May I ...", "March on Washington"
    wday = groups.get("wday")
    if wday and kind in ("weekday", "date_mdy", "date_dmy"):
        if wday[0].islower() and not text[m.start() : m.end()].isupper():
            return True  # news capitalises weekdays; "friday" is a name or typo
        word_before = re.search(r"(\w+)\W*$", text[max(0, m.start() - 20) : m.start()])
        after = re.match(r"\W{0,2}(\w[\w-]*)", text[m.end() : m.end() + 20])
        if word_before and word_before.group(1).lower() in WEEKDAY_NAME_BEFORE and kind == "weekday":
            return True
        if after and after.group(1).lower() in WEEKDAY_NAME_AFTER and kind == "weekday" and not groups.get("part"):
            return True
    if kind == "year" and not groups.get("pmod") and not groups.get("prefix"):
        return _is_not_a_year(text, m.start(), m.end())
    if kind in ("duration", "offset", "offset_ago") and groups.get("count"):
        count = (groups["count"] or "").lower()
        unit = (groups.get("unit") or "").lower()
        if count in ("a", "an", "one") and unit.startswith("second"):
            return True  # "a second round": an ordinal, not a unit
        if count in ("a", "an") and unit.startswith("quarter"):
            return True  # "a quarter of the budget": a fraction
        if re.match(r"\d+,\d{3}", count) and unit.startswith(("year", "day")) is False:
            return False
    if (
        kind == "season"
        and (groups["season"] or "")[0].isupper()
        and re.match(r"\s+[A-Z]", text[m.end() : m.end() + 2])
    ):
        return True  # a name: "British Summer Time", "the Winter Olympics"
    if (
        kind == "season"
        and not groups.get("year")
        and (groups.get("rel") or "the").lower() in ("the", "that")
        and re.match(rf"\s+(?:of|in)\s+(?!{YEAR_RE})", text[m.end() : m.end() + 12])
    ):
        return True  # "the fall of Rome", "a fall in prices"
    if (
        kind == "season"
        and (groups["season"] or "").lower() in ("fall", "spring")
        and not (groups.get("rel") or groups.get("year") or groups.get("pmod"))
    ):
        return True  # "prices fall", "a spring": only a determiner or a year makes them seasons
    if (
        kind == "duration"
        and re.fullmatch(YEAR_RE, groups.get("count") or "")
        and not (groups.get("unit") or "").endswith("s")
    ):
        return True  # "the 1988 quarter": a year, not 1988 quarters
    if kind == "duration" and (
        (groups.get("long") or "").lower() == "-old"
        or re.match(
            r"\s+(?:old\b|and\s+older|or\s+older|and\s+over|and\s+under|and\s+up\b)", text[m.end() : m.end() + 12]
        )
    ):
        return True  # "the 52-year-old doctor", "52 years old": an age
    if kind == "duration" and re.search(r"-quarters?$", m.group(), re.I):
        return True  # "three-quarters of the vote": a fraction
    unit = groups.get("unit") or ""
    if (
        kind in ("duration", "relunit")
        and unit[:1].isupper()
        and not unit.isupper()
        and m.start() > 0
        and not re.search(r"(?:[.!?\"“]\s*|\n\s*)$", text[max(0, m.start() - 3) : m.start()])
    ):
        return True  # a title in capitals mid-sentence: "60 Minutes", "This Week"
    # "some day", "some time"
    return (
        kind == "duration"
        and (groups.get("count") or "").lower() == "some"
        and not (groups.get("unit") or "").endswith("s")
    )


# The words before a bare four-digit number that make it a year ("in 1998", "the 2024 election").
_YEAR_CUES = frozenset(
    """in of since by from until till to through before after during for the a an and or between early late mid end
    due both
    fiscal year around circa about than spring summer autumn fall winter christmas easter year's class
    january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec as this that its his her their our which when while throughout""".split()
)
_COUNT_CUES = frozenset(
    """said says told reported killed about nearly some over than only least approximately around roughly almost
    another all estimated were are had have hired employs employ sent""".split()
)
_ADDRESS = re.compile(
    r"\s+(?:[A-Z][a-z]+\s+){1,2}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd|Lane|Drive|Place|Way|Court)\b"
)


def _is_not_a_year(text: str, start: int, end: int) -> bool:
    """A four-digit number that is a count, a name, an address or a code rather than a year."""
    before = text[max(0, start - 30) : start]
    if re.search(r"(?:[$£€#]|\bNo\.|\bVol\.|\bp\.|\bpp\.)\s*$", before):
        return True
    if _ADDRESS.match(text, end):
        return True  # "1600 Pennsylvania Avenue"
    previous = re.search(r"([A-Za-z][\w'’]*)[\s,]*$", before)
    if previous is None or re.search(r"[.!?\n(\[\"“]\s*$", before) or not before.strip():
        return False  # at the start of a sentence or after a number or a dash
    word = previous.group(1)
    if word.lower() in _YEAR_CUES or before.rstrip().endswith(","):
        return False
    if word[0].isupper():
        return True  # "Brigade 1990", "Flight 1549", "Euro 2024"
    if word.endswith(("'s", "’s", "s'")):
        return False  # "the company's 1989 results"
    # A count after a verb or a quantity word: "said 2000 protesters had gathered", "about 1500 people".
    counted = word.lower() in _COUNT_CUES or (word.lower().endswith("ed") and len(word) > 4)
    return counted and bool(re.match(r"\s+[a-z]+", text[end : end + 30]))
