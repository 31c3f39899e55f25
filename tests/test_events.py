from __future__ import annotations

import datetime as dt

from timeline.articles import parse_article
from timeline.events import event_id_for, make_events, make_title
from timeline.model import Mention

TEXT = (
    "date 2025-03-15 As of Wednesday evening, forces had retaken 86% of the land seized in August 2024. "
    "A 30-day ceasefire was proposed. Kiev launched an offensive in August 2024."
)


def mention(body: str, text: str, timex_type: str, value: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, timex_type, value)


def seed_like() -> tuple:
    article = parse_article(TEXT, "kursk.txt")
    body = article.body
    mentions = (
        mention(body, "Wednesday evening", "TIME", "2025-03-12TEV"),
        mention(body, "August 2024", "DATE", "2024-08"),
        mention(body, "30-day", "DURATION", "P30D"),
        mention(body, "August 2024", "DATE", "2024-08", occurrence=1),
    )
    return article, mentions


def test_one_event_per_dated_sentence_dated_by_its_most_precise_expression() -> None:
    article, mentions = seed_like()
    first, second = make_events(article, mentions)
    assert first.date.value == "2025-03-12TEV"
    assert (first.date.start, first.date.end, first.date.precision) == (dt.date(2025, 3, 12),) * 2 + ("partofday",)
    assert second.date.value == "2024-08"
    assert (second.date.start, second.date.end, second.date.precision) == (
        dt.date(2024, 8, 1), dt.date(2024, 8, 31), "month")


def test_durations_make_no_event() -> None:
    article, mentions = seed_like()
    assert all("30-day" not in e.text for e in make_events(article, mentions))


def test_source_offsets_point_at_the_expression_in_the_sentence_and_the_file() -> None:
    article, mentions = seed_like()
    for event in make_events(article, mentions):
        (source,) = event.sources
        assert source.sentence[source.expression_start : source.expression_end] == source.expression_text
        absolute = source.sentence_start + source.expression_start
        assert article.text[absolute : absolute + len(source.expression_text)] == source.expression_text
        assert (source.article, source.dateline) == ("kursk.txt", dt.date(2025, 3, 15))


def test_ids_are_stable_across_unrelated_edits() -> None:
    article, mentions = seed_like()
    before = [e.id for e in make_events(article, mentions)]
    edited = parse_article(TEXT.replace("date 2025-03-15 ", "date 2025-03-15 A new opening line. "), "kursk.txt")
    shifted = tuple(m.__class__(m.start + 20, m.end + 20, m.text, m.type, m.value) for m in mentions)
    after = [e.id for e in make_events(edited, shifted)]
    assert before == after
    assert before[0].startswith("kursk-")


def test_ids_ignore_spacing_and_case_but_not_words() -> None:
    assert event_id_for("a", "The bridge  reopened\non Monday.") == event_id_for("a", "the bridge reopened on monday.")
    assert event_id_for("a", "The bridge reopened on Monday.") != event_id_for("a", "The bridge closed on Monday.")


def test_repeated_sentence_gets_a_distinct_id() -> None:
    article = parse_article("date 2025-03-15 It rained on Monday. It rained on Monday.", "r.txt")
    body = article.body
    mentions = (mention(body, "Monday", "DATE", "2025-03-10"), mention(body, "Monday", "DATE", "2025-03-10", 1))
    first, second = make_events(article, mentions)
    assert second.id == first.id + "-2"


def test_title_drops_a_short_opening_date_clause() -> None:
    sentence = "As of Wednesday evening, forces had retaken 86% of the land."
    assert make_title(sentence, 6, 23) == "Forces had retaken 86% of the land"
    long = "Kiev launched a major offensive into the Kursk area in August 2024, capturing the town of Sudzha and more."
    title = make_title(long, 55, 66)
    assert len(title) <= 80 and title.endswith("…") and title.startswith("Kiev launched")


def test_as_of_dates_a_state() -> None:
    article, mentions = seed_like()
    first, second = make_events(article, mentions)
    assert first.as_of and not second.as_of


def test_undated_statements_become_reported_events_only_when_asked() -> None:
    text = ("date 2025-03-15 The minister responded that she was aware of the request. "
            "The weather was fine. It rained on Monday.")
    article = parse_article(text, "r.txt")
    mentions = (mention(article.body, "Monday", "DATE", "2025-03-10"),)
    assert [e.reported for e in make_events(article, mentions)] == [False]
    reported, dated = make_events(article, mentions, reported=True)
    assert (reported.reported, reported.date.value, reported.title) == (
        True, "2025-03-15", "The minister responded that she was aware of the request")
    (source,) = reported.sources
    assert (source.expression_text, source.value) == ("", "2025-03-15")
    assert source.reading == ("no date of its own: reported in the article of Saturday 15 March 2025, "
                              "so it was said or done on or before that day")
    assert reported.id == event_id_for("r", "The minister responded that she was aware of the request.")
    assert not dated.reported
