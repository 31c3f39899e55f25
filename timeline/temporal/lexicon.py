"""Words of English news dates: month, weekday, number and unit tables, and the regex fragments built from them."""

from __future__ import annotations

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

WEEKDAYS = {
    "monday": 1,
    "mon": 1,
    "tuesday": 2,
    "tue": 2,
    "tues": 2,
    "wednesday": 3,
    "wed": 3,
    "thursday": 4,
    "thu": 4,
    "thur": 4,
    "thurs": 4,
    "friday": 5,
    "fri": 5,
    "saturday": 6,
    "sat": 6,
    "sunday": 7,
    "sun": 7,
}
WEEKDAY_NAMES = ("", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Part-of-day words and their TIMEX3 codes (or a clock hour for noon and midnight).
PARTS_OF_DAY = {
    "morning": "MO",
    "mornings": "MO",
    "dawn": "MO",
    "daybreak": "MO",
    "sunrise": "MO",
    "afternoon": "AF",
    "afternoons": "AF",
    "mid-afternoon": "AF",
    "midafternoon": "AF",
    "evening": "EV",
    "evenings": "EV",
    "dusk": "EV",
    "sunset": "EV",
    "nightfall": "EV",
    "night": "NI",
    "nights": "NI",
    "overnight": "NI",
    "tonight": "NI",
    "midday": "MI",
    "noon": "T12:00",
    "midnight": "T24:00",
}

SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "one hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "half a": 0.5,
    "a half": 0.5,
    "half an": 0.5,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": None,
    "few": None,
    "several": None,
    "many": None,
    "some": None,
    "a number of": None,
    "dozens of": None,
    "hundreds of": None,
    "thousands of": None,
    "countless": None,
}
ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
    "last": -1,
    "final": -1,
}

# Unit words and their TIMEX3 duration letters; "T" marks clock units written after a T.
UNITS = {
    "second": "TS",
    "sec": "TS",
    "minute": "TM",
    "min": "TM",
    "hour": "TH",
    "hr": "TH",
    "day": "D",
    "night": "D",
    "week": "W",
    "weekend": "WE",
    "fortnight": "2W",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "yr": "Y",
    "decade": "DE",
    "century": "CE",
    "centurie": "CE",
    "millennium": "ML",
    "millennia": "ML",
}

DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}

# Words that, right before or after a weekday, make it part of a name ("Sunday Times", "Black Friday").
WEEKDAY_NAME_BEFORE = frozenset(
    "bloody black super cyber ash palm holy maundy easter good man girl giving small".split()
)
WEEKDAY_NAME_AFTER = frozenset(
    """times telegraph mirror express herald post mail independent star sport people tribune
    observer business magazine edition paper papers school league liturgy mass service services
    lunch brunch roast trading session night-live""".split()
)

# Time zones written after a clock time.
TIME_ZONES = "(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|EEST|EET|MSK|IST|JST|HKT|SGT|AEST|AEDT|ET|PT|CT|local(?:\\s+time)?)"


def alternation(words: list[str] | tuple[str, ...] | dict[str, object] | frozenset[str]) -> str:
    """A regex alternation of the words, longest first so that the longest wins."""
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(w.replace(".", r"\.").replace(" ", r"\s+") for w in ordered) + ")"


# Months: full names, or abbreviations with an optional full stop ("Sept.", "Aug").
MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?)"
)
WEEKDAY_RE = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|(?:mon|tues|tue|wed|thurs|thur|thu|fri)\.)"
)
COUNT_RE = (
    r"(?:\d+(?:[.,]\d+)?(?:\s+1/2|\s+and\s+a\s+half)?"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s](?:one|two|three|four|five|six|seven|eight|nine)"
    r"|" + alternation(list(NUMBER_WORDS)) + r"(?:\s+and\s+a\s+half)?)"
)
UNIT_RE = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|weekends?|fortnights?|months?"
    r"|quarters?|years?|yrs?|decades?|century|centuries|millennium|millennia)"
)
DAY_NUMBER_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR_RE = r"(?:1[0-9]\d\d|20\d\d)"
PART_OF_DAY_RE = r"(?:morning|afternoon|mid-?afternoon|evening|night|overnight|midday|noon|midnight|dawn|dusk)"
