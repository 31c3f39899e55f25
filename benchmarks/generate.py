"""Write N realistic news articles into a content folder, for build benchmarks.

    python benchmarks/generate.py 10000 /tmp/content10k [--seed 7]

The articles follow a few hundred running stories (a bridge closure, a strike, a trial...). Each story has its own
events on fixed days; every article of a story is dated after some of them and reports several of those events in
different words ("on Monday", "on 19 August", "last week", "in August 2024"), so many events are shared across
articles, as in a real archive. Each article has front matter (title, date, source, url, tags), six to twelve
paragraphs, a few undated sentences and a few date expressions that make no event (durations, "every Monday").
The same N and seed always give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

PLACES = ["Eastport", "Millbrook", "Harwick", "Stonebridge", "Redfield", "Alder Bay", "Northgate", "Kingsmere",
          "Larchmont", "Westvale", "Brightwater", "Oakhurst", "Fenwick", "Glenmoor", "Ashford", "Pinecrest"]
SUBJECTS = [
    ("the Harbor Bridge", "bridge", ["closed to traffic", "reopened to one lane", "was inspected by engineers",
                                     "had its steel supports replaced", "was declared safe"]),
    ("the port workers' union", "strike", ["began a strike", "rejected the latest offer", "met the employers",
                                           "held a vote on the deal", "returned to work"]),
    ("the water company", "water", ["issued a boil-water notice", "found a burst main", "restored supply",
                                    "was fined by the regulator", "published its report"]),
    ("the city council", "council", ["approved the budget", "delayed the vote", "announced an inquiry",
                                     "held an emergency session", "voted to raise fares"]),
    ("the regional court", "trial", ["opened the trial", "heard the first witness", "adjourned the hearing",
                                     "delivered its verdict", "sentenced the defendant"]),
    ("the hospital trust", "health", ["opened a new ward", "postponed operations", "hired 40 nurses",
                                      "reported record waiting times", "closed the emergency unit overnight"]),
    ("the fire service", "fire", ["was called to the warehouse", "brought the blaze under control",
                                  "evacuated two streets", "opened an investigation", "lifted the cordon"]),
    ("the university", "education", ["announced job cuts", "suspended classes", "reached a deal with staff",
                                     "opened its new library", "raised its fees"]),
]
SOURCES = ["Eastport Ledger", "Valley Herald", "Morning Courier", "Coastal Times", "Evening Post"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PEOPLE = ["Dana Okafor", "Luis Ferreira", "Ruth Adeyemi", "Tom Becker", "Priya Nair", "Jonas Lindqvist",
          "Mei Chen", "Sam O'Brien", "Aisha Rahman", "Carlos Mendes"]
ROLES = ["a spokesperson", "the mayor", "a local resident", "the chief executive", "an engineer", "a union official"]
UNDATED = [
    "{person}, {role}, said the decision was the right one.",
    "Residents said they had not been consulted.",
    "The cost has not been disclosed.",
    "\"We are doing everything we can,\" {person} told reporters.",
    "Critics said the response had been too slow.",
    "The figures were published on the {place} council's website.",
    "About 40,000 people live in the area affected.",
    "Officials declined to comment further.",
]
NO_EVENT = [
    "The work is expected to take about {n} weeks.",
    "Inspections will now take place every Monday.",
    "Talks have lasted {n} hours in total.",
    "The service runs twice a day.",
]


@dataclass(frozen=True)
class StoryEvent:
    """One thing that happened in a story, on one day."""

    day: date
    what: str


@dataclass(frozen=True)
class Story:
    """A running story: a place, a subject and its events in date order."""

    key: str
    place: str
    subject: str
    tag: str
    events: tuple[StoryEvent, ...]


def make_stories(count: int, rng: random.Random) -> list[Story]:
    """``count`` stories, each with five to twelve events over a few months between 2015 and 2025."""
    stories = []
    for number in range(count):
        place = rng.choice(PLACES)
        subject, tag, actions = rng.choice(SUBJECTS)
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
        events = []
        for _ in range(rng.randint(5, 12)):
            day += timedelta(days=rng.randint(1, 20))
            events.append(StoryEvent(day, f"{subject} in {place} {rng.choice(actions)}"))
        stories.append(Story(f"{tag}-{number:04d}", place, subject, tag, tuple(events)))
    return stories


def say_date(day: date, dateline: date, rng: random.Random) -> str:
    """``day`` in words a reporter writing on ``dateline`` would use, with the preposition."""
    gap = (dateline - day).days
    choices = [f"on {day.day} {MONTHS[day.month - 1]} {day.year}", f"on {MONTHS[day.month - 1]} {day.day}, {day.year}",
               f"in {MONTHS[day.month - 1]} {day.year}"]
    if 0 < gap < 7:
        choices += [f"on {WEEKDAYS[day.weekday()]}"] * 3
        if day.weekday() != 0:
            choices.append(f"on {WEEKDAYS[day.weekday()]} morning")
    if gap == 1:
        choices.append("yesterday")
    if gap == 0:
        choices += ["today", "this morning"]
    if 7 <= gap < 14:
        choices.append("last week")
    if gap < 300 and day.year == dateline.year:
        choices.append(f"on {day.day} {MONTHS[day.month - 1]}")
    return rng.choice(choices)


def article_text(story: Story, number: int, rng: random.Random) -> tuple[str, str]:
    """The file name and text of one article of ``story``."""
    last = rng.randrange(1, len(story.events))
    reported = story.events[: last + 1]
    dateline = reported[-1].day + timedelta(days=rng.randint(0, 3))
    headline = reported[-1].what[0].upper() + reported[-1].what[1:]
    slug = f"{dateline.isoformat()}-{story.key}-{number:05d}"
    fill = {"person": rng.choice(PEOPLE), "role": rng.choice(ROLES), "place": story.place, "n": rng.randint(2, 12)}
    paragraphs = []
    for event in sorted(rng.sample(list(reported), min(len(reported), rng.randint(3, 7))), key=lambda e: e.day):
        when = say_date(event.day, dateline, rng)
        sentence = rng.choice([f"{event.what[0].upper() + event.what[1:]} {when}, officials said.",
                               f"{when[0].upper() + when[1:]}, {event.what}.",
                               f"According to {rng.choice(PEOPLE)}, {event.what} {when}."])
        paragraphs.append(sentence)
    for _ in range(rng.randint(2, 4)):
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(UNDATED).format(**fill))
    paragraphs.append(rng.choice(NO_EVENT).format(**fill))
    if rng.random() < 0.5:
        paragraphs.append(f"The story began in {MONTHS[story.events[0].day.month - 1]} {story.events[0].day.year}, "
                          f"when {story.events[0].what}.")
    source = rng.choice(SOURCES)
    front = "\n".join([
        "---",
        f"title: \"{headline}\"",
        f"date: {dateline.isoformat()}",
        f"source: {source}",
        f"url: https://example.org/{source.split()[0].lower()}/{dateline.year}/{slug}",
        f"tags: [{story.tag}, {story.place.lower().replace(' ', '-')}]",
        "---",
    ])
    return f"{slug}.md", front + "\n" + "\n\n".join(paragraphs) + "\n"


def generate(count: int, out: Path, seed: int = 7) -> list[Path]:
    """Write ``count`` articles under ``out`` (in one sub-folder per year) and return their paths."""
    rng = random.Random(seed)
    stories = make_stories(max(1, count // 25), rng)
    written = []
    for number in range(count):
        name, text = article_text(stories[number % len(stories)], number, rng)
        path = out / name[:4] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and write the articles."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many articles")
    parser.add_argument("out", type=Path, help="the content folder to write (created if needed)")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)
    if options.out.exists() and any(options.out.iterdir()):
        print(f"error: {options.out} is not empty; give a new folder", file=sys.stderr)
        return 2
    written = generate(options.count, options.out, options.seed)
    print(f"{len(written)} articles written to {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
