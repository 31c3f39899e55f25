"""The tagger's rules one by one: tense, earnings periods, ranges, extents as TimeBank draws them, false friends."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from timeline.temporal import tag
from timeline.temporal.tense import FUTURE, PAST, PRESENT, PROSPECTIVE, clause_tense
from timeline.timex import is_well_formed

SAT = date(2025, 3, 15)  # Saturday, 2025-W11
WED = date(2025, 3, 12)  # Wednesday
OCT = date(2024, 10, 24)  # Thursday, in the earnings season after the third quarter
JAN = date(2025, 1, 2)  # Thursday, just after the new year


def found(text: str, dateline: date) -> dict[str, tuple[str, str, str | None]]:
    return {m.text: (m.type, m.value, m.mod) for m in tag(text, dateline)}


# (text, dateline, expression, type, value)
ROWS = [
    # Tense read from the expression's own clause, then what follows it, then the rest of the sentence.
    ("Officials said the talks, which resumed on Tuesday, had stalled.", SAT, "Tuesday", "DATE", "2025-03-11"),
    ("The bill that passed on Thursday will take effect in May.", SAT, "Thursday", "DATE", "2025-03-13"),
    ("The minister, who will visit Kyiv on Monday, said aid was coming.", SAT, "Monday", "DATE", "2025-03-17"),
    ("On Friday, when the storm hit, the roads were closed.", SAT, "Friday", "DATE", "2025-03-14"),
    ("Forecasters said the snow would cause disruption on Saturday.", SAT, "Saturday", "DATE", "2025-03-15"),
    ("Forecasters said the snow would cause disruption on Tuesday.", SAT, "Tuesday", "DATE", "2025-03-18"),
    ("The suspect could not be reached on Friday.", SAT, "Friday", "DATE", "2025-03-14"),
    ("The hearing was postponed until Friday.", WED, "Friday", "DATE", "2025-03-14"),
    ("The book is due to be published in May.", SAT, "May", "DATE", "2025-05"),
    ("The army said it had taken the town in January.", SAT, "January", "DATE", "2025-01"),
    ("The talks collapsed in November.", SAT, "November", "DATE", "2024-11"),
    ("Elections are expected in November.", SAT, "November", "DATE", "2025-11"),
    ("She gave no reason for the March 20 deadline.", SAT, "March 20", "DATE", "2025-03-20"),
    ("The dividend was declared payable Dec. 15.", date(2025, 10, 26), "Dec. 15", "DATE", "2025-12-15"),
    (
        "Guidelines to be published in early November were delayed.",
        date(2025, 10, 30),
        "early November",
        "DATE",
        "2025-11",
    ),
    ("Prices rose sharply in September.", SAT, "September", "DATE", "2024-09"),
    # A past-tense month stays in the past even when the same month is only weeks ahead.
    ("Kyiv launched the offensive in May.", SAT, "May", "DATE", "2024-05"),
    ("The company changed its fiscal year in December.", date(2025, 10, 27), "December", "DATE", "2024-12"),
    ("In January, the board brought in a new chief executive.", date(2025, 10, 27), "January", "DATE", "2025-01"),
    ("The fiscal year ended Jan. 31.", date(2025, 10, 31), "Jan. 31", "DATE", "2025-01-31"),
    ("Directors declared a dividend payable Dec. 7 to stock of record Nov. 22.", date(2025, 10, 27), "Nov. 22",
     "DATE", "2025-11-22"),
    ("The pilot, to run through June, was announced.", date(2025, 3, 18), "June", "DATE", "2025-06"),
    ("He was shot to death last Oct. 23 at his home.", date(2025, 10, 2), "last Oct. 23", "DATE", "2024-10-23"),
    ("The summit opens on Friday in Tirana.", WED, "Friday", "DATE", "2025-03-14"),
    (
        "On Sunday, police and FBI agents said they had found the bomb maker.",
        date(2025, 3, 14),
        "Sunday",
        "DATE",
        "2025-03-09",
    ),
    ("On Friday, the government planned to pay the first claims.", date(2025, 3, 19), "Friday", "DATE", "2025-03-14"),
    # Quarters and earnings periods, as financial news writes them.
    ("Profit rose in the third quarter.", OCT, "the third quarter", "DATE", "2024-Q3"),
    ("The company will report third-quarter results next week.", OCT, "third-quarter", "DATE", "2024-Q3"),
    ("Net income fell 5% in the latest quarter.", OCT, "the latest quarter", "DATE", "2024-Q3"),
    (
        "Sales rose to $5 billion in the third quarter from $4 billion a year earlier.",
        OCT,
        "a year earlier",
        "DATE",
        "2023-Q3",
    ),
    ("Revenue was flat compared with the year-earlier period.", OCT, "the year-earlier period", "DATE", "2023-Q3"),
    ("Profit fell from the year-ago third quarter.", OCT, "the year-ago third quarter", "DATE", "2023-Q3"),
    ("Sales rose 4% from the 1988 period.", date(1989, 10, 26), "the 1988 period", "DATE", "1988-Q3"),
    ("Earnings beat forecasts in the fourth quarter.", JAN, "the fourth quarter", "DATE", "2024-Q4"),
    ("Output shrank in the second half of 2024.", SAT, "the second half of 2024", "DATE", "2024-H2"),
    ("Q1 2025 sales were weak.", SAT, "Q1 2025", "DATE", "2025-Q1"),
    ("Sales grew in H1 2025.", SAT, "H1 2025", "DATE", "2025-H1"),
    ("Output fell in the last half of 1989.", SAT, "the last half of 1989", "DATE", "1989-H2"),
    ("He arrived on March 3 and left the following Monday.", SAT, "the following Monday", "DATE", "2025-03-10"),
    # Ranges give one expression per end.
    ("The swine flu pandemic of 2009-2010 killed hundreds.", SAT, "2009", "DATE", "2009"),
    ("The swine flu pandemic of 2009-2010 killed hundreds.", SAT, "2010", "DATE", "2010"),
    ("The expedition of 1957-58 crossed Antarctica.", SAT, "58", "DATE", "1958"),
    ("Fighting raged from Sept. 16 to Oct. 4, 2024.", SAT, "Sept. 16", "DATE", "2024-09-16"),
    ("The show ran from Sept. 16 to Oct. 4, 2024.", date(2025, 12, 1), "Sept. 16", "DATE", "2024-09-16"),
    ("Talks ran from Dec. 28 to Jan. 3, 2025.", date(2025, 6, 1), "Dec. 28", "DATE", "2024-12-28"),
    # Years, decades, centuries, spoken years.
    ("He lost his unsuccessful 1996 campaign.", SAT, "1996", "DATE", "1996"),
    ("The bonds are due 2027.", SAT, "2027", "DATE", "2027"),
    ("Earnings will be diluted in both 2026 and 2027.", SAT, "2026", "DATE", "2026"),
    ("The summit is on April 24 and 25.", SAT, "25", "DATE", "2025-04-25"),
    ("He is charged with killing a doctor last fall in his home.", SAT, "last fall", "DATE", "2024-FA"),
    ("He was jailed for a 2010 commando raid.", SAT, "2010", "DATE", "2010"),
    ("Prices soared in the '90s.", SAT, "the '90s", "DATE", "199"),
    ("The plant was built in the early 1980s.", SAT, "the early 1980s", "DATE", "198"),
    ("The church dates from the 19th century.", SAT, "the 19th century", "DATE", "18"),
    ("It happened in nineteen ninety-six.", SAT, "nineteen ninety-six", "DATE", "1996"),
    ("Growth slowed in fiscal 2024.", SAT, "fiscal 2024", "DATE", "2024"),
    ("Rates rose in January this year.", SAT, "January this year", "DATE", "2025-01"),
    # Weeks, weekends, relative periods.
    ("Five people were killed over the weekend.", date(2025, 3, 17), "the weekend", "DATE", "2025-W11-WE"),
    ("Protests are planned for the weekend.", WED, "the weekend", "DATE", "2025-W11-WE"),
    ("The strike ended last weekend.", SAT, "last weekend", "DATE", "2025-W10-WE"),
    ("The strike ended last weekend.", date(2025, 3, 17), "last weekend", "DATE", "2025-W11-WE"),
    ("The strike will end this weekend.", SAT, "this weekend", "DATE", "2025-W11-WE"),
    ("Talks resume next weekend.", SAT, "next weekend", "DATE", "2025-W12-WE"),
    ("Oil prices jumped during the past week.", SAT, "the past week", "DATE", "2025-W10"),
    ("Imports fell 3% over the past year.", SAT, "the past year", "DATE", "2024"),
    ("The station closed at the end of the year.", SAT, "the end of the year", "DATE", "2025"),
    ("The ship sank a week earlier.", SAT, "a week earlier", "DATE", "2025-W10"),
    ("The ceasefire broke down six weeks ago.", SAT, "six weeks ago", "DATE", "2025-W05"),
    ("The plane landed and the next day the crew left.", SAT, "the next day", "DATE", "2025-03-16"),
    # Holidays, clock times, parts of day.
    (
        "The president pardoned two turkeys ahead of Thanksgiving.",
        date(2024, 11, 26),
        "Thanksgiving",
        "DATE",
        "2024-11-28",
    ),
    ("Churches were full on Easter Sunday.", date(2024, 4, 2), "Easter Sunday", "DATE", "2024-03-31"),
    ("Polls close at 10:35 a.m. EDT Tuesday.", WED, "10:35 a.m. EDT Tuesday", "TIME", "2025-03-11T10:35"),
    ("The vote ended at midnight.", SAT, "midnight", "TIME", "2025-03-15T24:00"),
    ("The truce began at 2100 GMT Friday.", SAT, "2100 GMT Friday", "TIME", "2025-03-14T21:00"),
    ("The match is on 13/03/2025.", SAT, "13/03/2025", "DATE", "2025-03-13"),
    ("The filing is dated 03/12/2025.", SAT, "03/12/2025", "DATE", "2025-03-12"),
    (
        "Shelling resumed in the early hours of Friday and at noon Thursday.",
        SAT,
        "noon Thursday",
        "TIME",
        "2025-03-13T12:00",
    ),
    ("Rescuers worked through Saturday night.", date(2025, 10, 2), "Saturday night", "TIME", "2025-09-27TNI"),
    ("Stores were packed on Black Friday.", date(2024, 12, 2), "Black Friday", "DATE", "2024-11-29"),
    ("Parades were held on St Patrick’s Day.", date(2025, 3, 18), "St Patrick’s Day", "DATE", "2025-03-17"),
    ("Overnight, Russia launched 200 drones.", SAT, "Overnight", "TIME", "2025-03-14TNI"),
    ("Temperatures will drop overnight.", SAT, "overnight", "TIME", "2025-03-15TNI"),
    ("Russia fired 120 drones overnight Friday.", SAT, "overnight Friday", "TIME", "2025-03-14TNI"),
    ("The winter of 2022-23 was mild.", SAT, "The winter of 2022-23", "DATE", "2022-WI"),
    ("He made a week-long visit.", SAT, "week-long", "DURATION", "P1W"),
    ("Rain fell on Jan. 5-7.", SAT, "Jan. 5", "DATE", "2025-01-05"),
    ("Rain fell on Jan. 5-7.", SAT, "7", "DATE", "2025-01-07"),
    ("He arrived on March 3. The day after, he left.", SAT, "The day after", "DATE", "2025-03-04"),
    # Durations and sets.
    ("He spent two and a half years in detention.", SAT, "two and a half years", "DURATION", "P2Y6M"),
    ("The flight took an hour and a half.", SAT, "an hour", "DURATION", "PT1H"),
    ("The firm expects losses for the next three quarters.", SAT, "the next three quarters", "DURATION", "P9M"),
    ("Elections are held every four years.", SAT, "every four years", "SET", "P4Y"),
    ("The pilgrims come back each July.", SAT, "each July", "SET", "XXXX-07"),
    ("The market is open on Mondays.", SAT, "Mondays", "SET", "XXXX-WXX-1"),
    ("Workers earn $30,000 a year.", SAT, "a year", "SET", "P1Y"),
    ("A verdict is expected in the near future.", SAT, "the near future", "DATE", "FUTURE_REF"),
]


@pytest.mark.parametrize("text,dateline,expression,timex_type,value", ROWS)
def test_rule(text: str, dateline: date, expression: str, timex_type: str, value: str) -> None:
    result = found(text, dateline)
    assert result.get(expression, (None, None, None))[:2] == (timex_type, value), result


# Extents as TempEval-3 gold draws them: (text, expected extent, mod).
EXTENTS = [
    ("The siege lasted about five hours.", "five hours", "APPROX"),
    ("The trial lasted over three years.", "three years", "MORE_THAN"),
    ("The deal took only six months to agree.", "six months", None),
    ("The drought lasted nearly two years.", "nearly two years", "LESS_THAN"),
    ("They will stay for at least 30 days.", "at least 30 days", "EQUAL_OR_MORE"),
    ("Earlier Friday, the army withdrew.", "Friday", None),
    ("Late Tuesday, the talks broke up.", "Late Tuesday", "END"),
    ("The army agreed to the 30-day truce.", "30-day", None),
    ("Inflation has doubled over the past two years.", "the past two years", None),
]


@pytest.mark.parametrize("text,extent,mod", EXTENTS)
def test_extent(text: str, extent: str, mod: str | None) -> None:
    result = found(text, SAT)
    assert extent in result, result
    assert result[extent][2] == mod


@pytest.mark.parametrize(
    "text",
    [
        "The 52-year-old doctor was shot.",
        "Children aged 6 months and older should be vaccinated.",
        "Clocks change at the start of British Summer Time.",
        "Police said 2000 protesters had gathered.",
        "He lives at 2010 Main Street.",
        "Fighters from Brigade 1990 withdrew.",
        "Labour won three-quarters of the seats.",
        "She was interviewed on 60 Minutes.",
        "The case number is 2023-1147.",
        "Protests continued into the early hours.",
        "Officials reported 1500 cases.",
        "Historians wrote about the fall of Rome.",
        "He asked April Ryan a question.",
    ],
)
def test_false_friends(text: str) -> None:
    assert tag(text, SAT) == ()


@pytest.mark.parametrize(
    "text,expression,tense",
    [
        ("The talks will be held on Friday.", "Friday", FUTURE),
        ("The talks were held on Friday.", "Friday", PAST),
        ("The talks have been held on Friday.", "Friday", PAST),
        ("He said they would meet on Friday.", "Friday", PROSPECTIVE),
        ("The trial begins on Friday.", "Friday", FUTURE),
        ("The president says the vote is on Friday.", "Friday", PRESENT),
        ("Speaking on Friday, the president stressed the need for talks.", "Friday", PAST),
        ("Markets were nervous ahead of Friday.", "Friday", FUTURE),
        ("Voters go to the polls on Friday in a tightly contested race.", "Friday", None),
    ],
)
def test_clause_tense(text: str, expression: str, tense: str | None) -> None:
    start = text.index(expression)
    assert clause_tense(text, (0, len(text)), start, start + len(expression)) == tense


def test_readings_say_how_the_value_was_reached() -> None:
    [m] = tag("He said on Wednesday that the talks had failed.", SAT)
    assert m.reading == ("Wednesday, past tense: the last one on or before the dateline, Wednesday 12 March 2025")
    [m] = tag("Kiev launched an offensive in August.", SAT)
    assert m.reading == "August, no year, past tense: the last August on or before the dateline"


def test_a_long_text_without_full_stops_is_tagged() -> None:
    text = "the talks on Friday went on and on " * 2000
    mentions = tag(text, SAT)
    assert len(mentions) == 2000
    assert {m.value for m in mentions} == {"2025-03-14"}


def test_benchmark_says_when_shared_is_missing(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "te3.py"
    run = subprocess.run(
        [sys.executable, str(script), "--shared", str(tmp_path / "nowhere")], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert run.stdout == ""
    assert "shared corpora and scorer not found, nothing to benchmark" in run.stderr


def test_random_word_soup_gives_valid_disjoint_mentions() -> None:
    """Any mix of date-like words: offsets point at the text, mentions never overlap, values are well formed."""
    words = (
        "the on in last next Friday March May 2024 1990s 5 p.m. ago two days years week Jan. 5 , . - 30-day every "
        "Monday now recently quarter third early late mid- summer of 2017 10:30 GMT Christmas New Year's Eve tonight "
        "yesterday morning said will would 86% $2,000 4-0 Q3 1957-58 the end year-ago period overnight 1/2 hours"
    ).split()
    rng = random.Random(7)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        for dateline in (SAT, date(2024, 2, 29), date(1999, 12, 31)):
            last_end = 0
            for m in tag(text, dateline):
                assert text[m.start : m.end] == m.text and m.start >= last_end and m.end > m.start, (text, m)
                assert is_well_formed(m.value, m.type), (text, m)
                last_end = m.end
