"""The temporal tagger: the seed article's must-shows, a table of news usages, and offset invariants."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from timeline.temporal import tag
from timeline.timex import is_well_formed

SATURDAY = date(2025, 3, 15)  # the seed article's dateline, a Saturday

# Sentences of ../shared/seed/000_cdb68502ee157b74.txt (not available in CI), as they appear there.
SEED = (
    "“This would be a horrible massacre, one not seen since World War II,” he said in a post on Truth Social.\n\n"
    "“If they lay down their arms and surrender, [we] will guarantee them their lives and dignified treatment "
    "in accordance with international law and Russian legal norms,” the president stated.\n\n"
    "Kiev launched a major offensive into the Kursk area in August 2024, capturing the town of Sudzha and dozens "
    "of villages.\n\n"
    "The Ukrainian advance was quickly halted by the Russian military, which has been gradually reclaiming ground "
    "ever since. As of Wednesday evening, Moscow’s forces had liberated 86% of the territory occupied by Ukraine "
    "in August 2024, according to the head of the Russian General Staff, General Valery Gerasimov.\n\n"
    "Speaking on Thursday, the president stressed that Russia supports the idea of a 30-day ceasefire proposed by "
    "the US but emphasized the need for further discussions with Washington to resolve specific concerns."
)


def test_seed_must_shows() -> None:
    found = [(m.text, m.type, m.value) for m in tag(SEED, SATURDAY)]
    assert found == [
        ("August 2024", "DATE", "2024-08"),
        ("Wednesday evening", "TIME", "2025-03-12TEV"),
        ("August 2024", "DATE", "2024-08"),
        ("Thursday", "DATE", "2025-03-13"),
        ("30-day", "DURATION", "P30D"),
    ]


def test_seed_offsets_point_at_the_text() -> None:
    for m in tag(SEED, SATURDAY):
        assert SEED[m.start : m.end] == m.text
        assert is_well_formed(m.value, m.type)
    starts = [m.start for m in tag(SEED, SATURDAY)]
    assert starts[0] == SEED.index("August 2024")


@pytest.mark.parametrize(
    "text",
    [
        "[we] will guarantee",
        "we said",
        "86% of the territory",
        "since World War II",
        "a post on Truth Social",
        "2,000 troops",
        "won 4-0",
        "$2024 million",
        "The Sunday Times reported",
        "You may go",
        "They march on",
    ],
)
def test_no_date_from_false_friends(text: str) -> None:
    assert tag(text, SATURDAY) == ()


# (text, expected expression, type, value), all with the dateline Saturday 15 March 2025.
TABLE = [
    # weekdays by tense; the dateline's own weekday
    ("He said on Thursday that talks had failed.", "Thursday", "DATE", "2025-03-13"),
    ("Leaders will meet on Tuesday in Riyadh.", "Tuesday", "DATE", "2025-03-18"),
    ("The vote is on Saturday.", "Saturday", "DATE", "2025-03-15"),
    ("Officials said on Saturday the strike had ended.", "Saturday", "DATE", "2025-03-15"),
    ("The summit will open on Saturday.", "Saturday", "DATE", "2025-03-22"),
    ("The plant was shut last Friday.", "last Friday", "DATE", "2025-03-14"),
    ("The report comes out next Monday.", "next Monday", "DATE", "2025-03-17"),
    ("Talks were held late on Tuesday.", "late on Tuesday", "DATE", "2025-03-11"),
    # parts of day
    ("Protesters gathered on Wednesday evening.", "Wednesday evening", "TIME", "2025-03-12TEV"),
    ("The blast happened on Friday night.", "Friday night", "TIME", "2025-03-14TNI"),
    ("The minister resigned this morning.", "this morning", "TIME", "2025-03-15TMO"),
    ("Fighting resumed last night.", "last night", "TIME", "2025-03-14TNI"),
    ("He will speak tonight.", "tonight", "TIME", "2025-03-15TNI"),
    ("The market fell yesterday afternoon.", "yesterday afternoon", "TIME", "2025-03-14TAF"),
    # month and day
    ("The deal was signed on Jan. 5.", "Jan. 5", "DATE", "2025-01-05"),
    ("The trial begins Sept. 16.", "Sept. 16", "DATE", "2025-09-16"),
    ("He was born on 28 February 2023.", "28 February 2023", "DATE", "2023-02-28"),
    ("Voting took place on March 3.", "March 3", "DATE", "2025-03-03"),
    ("The hearing is set for May 5, 2025.", "May 5, 2025", "DATE", "2025-05-05"),
    # month, year, decade, season, quarter, week
    ("Kiev launched an offensive in August.", "August", "DATE", "2024-08"),
    ("The talks will resume in June.", "June", "DATE", "2025-06"),
    ("Prices rose in December 2024.", "December 2024", "DATE", "2024-12"),
    ("The company was founded in 1998.", "1998", "DATE", "1998"),
    ("Inflation was high in the 1990s.", "the 1990s", "DATE", "199"),
    ("The dam broke last summer.", "last summer", "DATE", "2024-SU"),
    ("It opened in the summer of 2017.", "the summer of 2017", "DATE", "2017-SU"),
    ("Profits fell in the fourth quarter.", "the fourth quarter", "DATE", "2024-Q4"),
    ("Sales rose in the first quarter of 2024.", "the first quarter of 2024", "DATE", "2024-Q1"),
    ("Talks stalled last week.", "last week", "DATE", "2025-W10"),
    ("Talks resume next week.", "next week", "DATE", "2025-W12"),
    ("Exports rose this year.", "this year", "DATE", "2025"),
    # offsets and parts of periods
    ("He left two days ago.", "two days ago", "DATE", "2025-03-13"),
    ("The war began three years ago.", "three years ago", "DATE", "2022"),
    ("The law takes effect next month.", "next month", "DATE", "2025-04"),
    ("Protests erupted earlier this month.", "earlier this month", "DATE", "2025-03"),
    ("The plant closed at the end of January.", "the end of January", "DATE", "2025-01"),
    ("The ships arrive in mid-July.", "mid-July", "DATE", "2025-07"),
    ("The plan was drafted in early 2024.", "early 2024", "DATE", "2024"),
    ("Unrest grew late last year.", "late last year", "DATE", "2024"),
    # holidays, clock times, ranges
    ("Fireworks lit the sky on New Year's Eve.", "New Year's Eve", "DATE", "2024-12-31"),
    ("He was freed at Christmas.", "Christmas", "DATE", "2024-12-25"),
    ("The polls closed at 8 p.m. on Tuesday.", "8 p.m. on Tuesday", "TIME", "2025-03-11T20:00"),
    ("The show ran from Sept. 16 to Oct. 4, 2024.", "Oct. 4, 2024", "DATE", "2024-10-04"),
    ("Trials ran in March-April 2021.", "April 2021", "DATE", "2021-04"),
    # durations, sets, references
    ("A 30-day ceasefire was proposed.", "30-day", "DURATION", "P30D"),
    ("The fast lasts 40 days.", "40 days", "DURATION", "P40D"),
    ("Prices have doubled over the past two years.", "the past two years", "DURATION", "P2Y"),
    ("The market opens every Monday.", "every Monday", "SET", "XXXX-WXX-1"),
    ("The bank publishes figures monthly.", "monthly", "SET", "P1M"),
    ("Russia now controls the town.", "now", "DATE", "PRESENT_REF"),
    ("He recently resigned.", "recently", "DATE", "PAST_REF"),
    ("Talks may resume in the future.", "the future", "DATE", "FUTURE_REF"),
]


@pytest.mark.parametrize("text,expression,timex_type,value", TABLE)
def test_news_usage(text: str, expression: str, timex_type: str, value: str) -> None:
    found = {m.text: (m.type, m.value) for m in tag(text, SATURDAY)}
    assert found.get(expression) == (timex_type, value), found


def test_dec_28_in_a_january_article_is_last_year() -> None:
    [m] = tag("The ship sank on Dec. 28.", date(2025, 1, 10))
    assert m.value == "2024-12-28"


def test_fourth_quarter_in_a_january_article_is_last_years() -> None:
    [m] = tag("Sales rose in the fourth quarter.", date(2025, 1, 20))
    assert m.value == "2024-Q4"


def test_range_gives_two_mentions_sharing_the_year() -> None:
    values = [m.value for m in tag("Trials ran in March-April 2021.", SATURDAY)]
    assert values == ["2021-03", "2021-04"]


def test_mentions_are_sorted_and_disjoint() -> None:
    text = " ".join(row[0] for row in TABLE)
    mentions = tag(text, SATURDAY)
    assert len(mentions) >= len(TABLE)
    for a, b in pairwise(mentions):
        assert a.end <= b.start
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert is_well_formed(m.value, m.type), m
        assert m.reading


def test_deterministic() -> None:
    assert tag(SEED, SATURDAY) == tag(SEED, SATURDAY)
