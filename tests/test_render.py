"""The render stage: grouping, order, dates, marks, relative links, escaping, overrides, determinism."""

from __future__ import annotations

import html
import itertools
import marshal
import re
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from timeline.errors import InputError
from timeline.model import Event, EventDate, Source, Timeline
from timeline.render import CompiledTemplates, group_events, render_site, render_stream
from timeline.settings import Settings
from timeline.timex import calendar_span

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "themes" / "default" / "templates"
STATIC = ROOT / "themes" / "default" / "static"


def event_date(value: str, mod: str | None = None) -> EventDate:
    span = calendar_span(value)
    assert span is not None, value
    return EventDate(value, span, mod)


def source(sentence: str, expression: str, *, title: str = "Kursk report", url: str | None = "https://news.example/a",
           article: str = "kursk.md") -> Source:
    start = sentence.index(expression)
    return Source(article=article, title=title, url=url, dateline=date(2025, 3, 15), sentence=sentence,
                  sentence_start=0, expression_text=expression, expression_start=start,
                  expression_end=start + len(expression))


def event(event_id: str, value: str, title: str, sentence: str, expression: str, **kwargs: object) -> Event:
    sources = kwargs.pop("sources", None) or (source(sentence, expression),)
    text = kwargs.pop("text", sentence)
    return Event(id=event_id, date=event_date(value, kwargs.pop("mod", None)), title=title,  # type: ignore[arg-type]
                 text=text, sources=sources, **kwargs)  # type: ignore[arg-type]


# In timeline order, as the order stage would give it: broad before narrow, then by day.
EVENTS = (
    event("nineties", "199", "Talks begin", "Talks began in the 1990s.", "the 1990s"),
    event("summer-24", "2024-SU", "Summer fighting", "Fighting went on all summer 2024.", "summer 2024"),
    event("kursk-aug", "2024-08", "Offensive into Kursk",
          "Ukraine launched an offensive into Kursk in August.", "in August", tags=("kursk", "offensive")),
    event("early-25", "2025", "Early-year talk", "Talk of a ceasefire grew early in 2025.", "early in 2025",
          mod="START"),
    event("week-10", "2025-W10", "Week of envoys", "Envoys met during the week of 3 March.", "the week of 3 March"),
    event("evening", "2025-03-12TEV", "Ceasefire proposal",
          "On Wednesday evening 86% of those asked backed it.", "Wednesday evening",
          sources=(source("On Wednesday evening 86% of those asked backed it.", "Wednesday evening"),
                   source("Polls on Wednesday evening showed support.", "Wednesday evening",
                          title="Second report", url=None, article="polls.txt"))),
    event("talk-1430", "2025-03-12T14:30", "Press conference", "The envoy spoke at 14:30 on 12 March.",
          "14:30 on 12 March"),
    event("thursday", "2025-03-13", "Speaking on Thursday", "Speaking on Thursday, he said no.", "on Thursday",
          text="Speaking on **Thursday**, he [said](https://news.example/b) no.", text_is_markdown=True),
)
TIMELINE = Timeline(title="Kursk & after", description="A test timeline.", events=EVENTS)
SETTINGS = Settings(title="Kursk & after", language="en_GB", build_date="2025-03-20")


def render(timeline: Timeline = TIMELINE, settings: Settings = SETTINGS,
           template_dirs: tuple[Path, ...] = (TEMPLATES,)) -> dict[str, bytes]:
    return render_site(timeline, settings, template_dirs, (STATIC,))


@pytest.fixture(scope="module")
def page() -> str:
    return render()["index.html"].decode("utf-8")


def article(page: str, event_id: str) -> str:
    m = re.search(rf'<article class="event" id="{re.escape(event_id)}".*?</article>', page, re.S)
    assert m, event_id
    return m.group(0)


class TagCollector(HTMLParser):
    """Every start tag with its attributes, to check links and scripts without regular expressions."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(page)
    return parser.tags


def test_outputs_index_json_and_static_files() -> None:
    files = render()
    assert list(files) == sorted(files)
    assert {"index.html", "timeline.json", "static/style.css"} <= set(files)
    assert files["static/style.css"] == (STATIC / "style.css").read_bytes()


def test_render_is_byte_identical_twice() -> None:
    assert render() == render()


def test_page_skeleton(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<html lang="en-GB">' in page
    assert '<meta charset="utf-8">' in page
    assert '<meta name="viewport"' in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert "<title>Kursk &amp; after</title>" in page
    assert '<time datetime="2025-03-20">20 March 2025</time>' in page


def test_footer_hides_an_empty_build_date() -> None:
    page = render(settings=Settings(language="en_GB"))["index.html"].decode()
    assert "Built on" not in page


def test_events_keep_the_timeline_order(page: str) -> None:
    ids = re.findall(r'<article class="event" id="([^"]+)"', page)
    assert ids == [e.id for e in EVENTS]


def test_grouped_by_year_then_month(page: str) -> None:
    groups = group_events(EVENTS, "en_GB")
    assert [g.id for g in groups] == ["decade-1990", "year-2024", "year-2025"]
    decade, y2024, y2025 = groups
    assert decade.label == "the 1990s" and not decade.months
    assert [e.id for e in y2024.events] == ["summer-24"]  # a season sits above the months
    assert [(m.id, m.label) for m in y2024.months] == [("month-2024-08", "August 2024")]
    assert [e.id for e in y2025.events] == ["early-25"]
    assert [(m.id, [e.id for e in m.events]) for m in y2025.months] == [
        ("month-2025-03", ["week-10", "evening", "talk-1430", "thursday"])]
    # The page shows the same structure: nav links to each group, headings in order.
    nav = re.search(r'<nav class="periods".*?</nav>', page, re.S)
    assert nav and re.findall(r'href="#([^"]+)"', nav.group(0)) == [
        "decade-1990", "year-2024", "month-2024-08", "year-2025", "month-2025-03"]
    assert '<a href="#month-2024-08"><time datetime="2024-08">August</time></a>' in nav.group(0)
    assert '<li class="period" id="year-2024">' in page
    assert '<li class="month" id="month-2024-08">' in page
    assert '<h2 class="period-title"><time datetime="2024">2024</time></h2>' in page
    assert '<h3 class="month-title"><time datetime="2024-08">August 2024</time></h3>' in page
    assert page.index('id="summer-24"') < page.index('id="month-2024-08"')


def test_event_is_an_article_with_a_permalink_heading(page: str) -> None:
    html_ = article(page, "kursk-aug")
    assert '<h4 class="event-title"><a href="#kursk-aug">Offensive into Kursk</a></h4>' in html_
    assert '<h3 class="event-title"><a href="#summer-24">' in article(page, "summer-24")


@pytest.mark.parametrize(
    ("event_id", "datetime", "words"),
    [
        ("nineties", "1990", "the 1990s"),
        ("summer-24", "2024", "summer 2024"),
        ("kursk-aug", "2024-08", "August 2024"),
        ("early-25", "2025", "early 2025"),
        ("week-10", "2025-W10", "week of 3 March 2025"),
        ("evening", "2025-03-12", "Wednesday, 12 March 2025, evening"),
        ("talk-1430", "2025-03-12T14:30", "12 March 2025, 14:30"),
        ("thursday", "2025-03-13", "13 March 2025"),
    ],
)
def test_time_element_per_precision(page: str, event_id: str, datetime: str, words: str) -> None:
    assert f'<p class="event-date"><time datetime="{datetime}">{words}</time></p>' in article(page, event_id)


def test_dates_in_another_language() -> None:
    page = render(settings=Settings(language="fr"))["index.html"].decode()
    assert '<html lang="fr">' in page
    assert '<time datetime="2024-08">août 2024</time>' in page
    assert '<time datetime="2025-03-12">mercredi 12 mars 2025, soir</time>' in page


def test_sentence_has_the_expression_marked(page: str) -> None:
    html_ = article(page, "kursk-aug")
    assert "<p>Ukraine launched an offensive into Kursk <mark>in August</mark>.</p>" in html_
    assert html_.count("<mark>") == 1  # the plain text is the quoted sentence, so it is not repeated


def test_every_source_is_listed_with_link_and_dateline(page: str) -> None:
    html_ = article(page, "evening")
    assert html_.count('<figure class="source">') == 2
    assert '<cite><a href="https://news.example/a" rel="external noopener">Kursk report</a></cite>' in html_
    assert "<cite>Second report</cite>" in html_  # no url, no link
    assert '<time datetime="2025-03-15">15 March 2025</time>' in html_
    assert "<p>Polls on <mark>Wednesday evening</mark> showed support.</p>" in html_


def test_tags_are_listed(page: str) -> None:
    html_ = article(page, "kursk-aug")
    assert re.search(r'<ul class="tags"[^>]*>\s*<li><a href="tags/kursk.html">kursk</a></li>\s*'
                     r'<li><a href="tags/offensive.html">offensive</a></li>\s*</ul>', html_)


def test_markdown_text_is_rendered_and_sanitised(page: str) -> None:
    html_ = article(page, "thursday")
    assert '<div class="event-text"><p>Speaking on <strong>Thursday</strong>, he <a href="https://news.example/b" ' \
           'rel="nofollow noopener">said</a> no.</p></div>' in html_


def test_links_are_relative_and_nothing_loads_from_another_host(page: str) -> None:
    allowed = {"https://news.example/a", "https://news.example/b"}  # article and editor links only
    for tag, attrs in tags_of(page):
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is None:
                continue
            assert not value.startswith("/"), (tag, value)
            if re.match(r"[a-z]+:", value):
                assert tag == "a" and value in allowed, (tag, value)
        assert tag not in ("iframe", "img")
        if tag == "script":  # only the theme's own enhancement, from the site itself
            assert attrs == {"src": "static/timeline.js", "defer": None}
    assert '<link rel="stylesheet" href="static/style.css">' in page
    assert 'href="timeline.json"' in page
    css = render()["static/style.css"].decode()
    assert "@import" not in css and "url(" not in css


def test_hostile_text_never_becomes_markup() -> None:
    hostile = Event(
        id="x", date=event_date("2025-03-12"), title="<script>alert(1)</script>",
        text='<img src=x onerror="alert(2)"> [click](javascript:alert(3))', text_is_markdown=True,
        sources=(Source(article="a.md", title='<img src=x onerror=alert(4)>', url="javascript:alert(5)",
                        dateline=date(2025, 3, 15), sentence="On 12 March <b onmouseover=alert(6)>x</b>.",
                        sentence_start=0, expression_text="12 March", expression_start=3, expression_end=11),),
        tags=("<script>t</script>",),
    )
    page = render(Timeline(title="<script>t</script>", description="", events=(hostile,)))["index.html"].decode()
    tags = tags_of(page)
    assert all(tag != "img" and tag != "b" for tag, _ in tags)
    assert [attrs for tag, attrs in tags if tag == "script"] == [{"src": "static/timeline.js", "defer": None}]
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)
    assert "javascript:" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<cite>&lt;img src=x onerror=alert(4)&gt;</cite>" in page  # shown as text, not linked
    assert "On <mark>12 March</mark> &lt;b onmouseover=alert(6)&gt;x&lt;/b&gt;." in page


def test_user_template_overrides_the_theme(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "event.html").write_text(
        '<p class="my-event">{{ event.title }}: {{ event.tags|join(" / ") }}</p>\n', encoding="utf-8")
    page = render(template_dirs=(tmp_path, TEMPLATES))["index.html"].decode()
    assert '<p class="my-event">Offensive into Kursk: kursk / offensive</p>' in page
    assert '<article class="event"' not in page
    assert '<ol class="timeline">' in page and 'class="site-footer"' in page  # the rest still comes from the theme


def test_a_same_for_block_is_made_once_for_each_set_of_values_and_each_block_apart(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    # Keyed on the event alone, the first block shows the root of the first page that showed it; the second block,
    # with the same values, has its own text; keyed on the root too, each page gets its own.
    (tmp_path / "partials" / "event.html").write_text(
        '<p class="e">{% call same_for(event) %}{{ event.title }} [{{ root }}]{% endcall %}'
        " {% call same_for(event) %}again{% endcall %}"
        " {% call same_for(event, root) %}[{{ root }}]{% endcall %}</p>\n", encoding="utf-8")
    files = render(template_dirs=(tmp_path, TEMPLATES))
    assert '<p class="e">Offensive into Kursk [] again []</p>' in files["index.html"].decode()
    assert '<p class="e">Offensive into Kursk [] again [../]</p>' in files["tags/kursk.html"].decode()
    assert '<p class="e">Talks begin [] again []</p>' in files["index.html"].decode()


def test_the_themes_words_are_jinjas_own_where_a_template_turns_escaping_off(tmp_path: Path) -> None:
    # Made once per build for each message, but kept apart by escaping: markup where the template escapes, else text.
    (tmp_path / "index.html").write_text(
        '{% autoescape false %}{{ _("A & B") }} {{ _("%(x)s & y", x="<b>") }} '
        '{{ ngettext("%(num)d event", "%(num)d events", 2) }} {{ ngettext("%(num)d event", "%(num)d <events>", 3) }}'
        "{% endautoescape %}\n"
        '{{ _("A & B") }} {{ _("%(x)s & y", x="<b>") }} {{ ngettext("%(num)d event", "%(num)d <events>", 3) }} '
        '{{ ngettext("%(num)d event", "%(num)d events", 1, x=2) }} {{ _("Tags") }}\n', encoding="utf-8")
    page = render(template_dirs=(tmp_path, TEMPLATES))["index.html"].decode()
    assert page == "A & B <b> & y 2 events 3 <events>A & B &lt;b&gt; & y 3 <events> 1 event Tags\n"


def test_user_static_file_wins_over_the_theme(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    files = render_site(TIMELINE, SETTINGS, (TEMPLATES,), (tmp_path, STATIC))
    assert files["static/style.css"] == b"body{}"
    assert files["static/img/logo.svg"] == b"<svg/>"
    assert "static/.hidden" not in files


def test_undefined_variables_are_errors(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("{{ no_such_thing }}", encoding="utf-8")
    with pytest.raises(InputError, match="templates: UndefinedError: 'no_such_thing' is undefined"):
        render(template_dirs=(tmp_path, TEMPLATES))


def test_a_template_mistake_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "event.html").write_text("<ul>\n{% for tag in event.tags %}\n</ul>\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render(template_dirs=(tmp_path, TEMPLATES))
    problem = caught.value.problems[0]
    assert problem.path == str(tmp_path / "partials" / "event.html") and problem.line == 3
    assert "Unexpected end of template" in problem.message


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        render(settings=Settings(language="xx"))


def test_empty_timeline_renders() -> None:
    page = render(Timeline(title="Empty", description="", events=()))["index.html"].decode()
    assert '<p class="empty">' in page and "<nav" not in page
    assert html.unescape(page).count("<article") == 0


def test_decades_centuries_and_weeks_find_their_groups() -> None:
    events = (
        event("c20", "19", "A century", "In the 20th century.", "the 20th century"),
        event("d90a", "199", "A decade", "In the 1990s.", "the 1990s", mod="START"),
        event("d90b", "199", "Same decade", "Also in the 1990s.", "the 1990s"),
        event("y1995", "1995", "A year", "In 1995.", "1995"),
        event("w01", "2025-W01", "A week", "In the first week of 2025.", "the first week of 2025"),
        event("jan", "2025-01-02", "A day", "On 2 January 2025.", "2 January 2025"),
    )
    groups = group_events(events, "en_GB")
    assert [(g.id, g.label, g.datetime) for g in groups] == [
        ("century-1900", "the 20th century", "1900"),
        ("decade-1990", "the 1990s", "1990"),  # the group's label has no "early"
        ("year-1995", "1995", "1995"),
        ("year-2024", "2024", "2024"),  # ISO week 1 of 2025 starts on Monday 30 December 2024
        ("year-2025", "2025", "2025"),
    ]
    assert [e.id for e in groups[1].events] == ["d90a", "d90b"]
    assert [m.id for m in groups[3].months] == ["month-2024-12"]
    page = render(Timeline(title="t", description="", events=events))["index.html"].decode()
    assert '<time datetime="1990">the early 1990s</time>' in page
    assert '<time datetime="2025-W01">week of 30 December 2024</time>' in page


def test_a_page_per_tag_and_per_source_filters_without_javascript() -> None:
    files = render()
    assert {"tags/kursk.html", "tags/offensive.html", "sources/kursk.html", "sources/polls.html"} <= set(files)
    page = files["tags/kursk.html"].decode()
    assert re.findall(r'<article class="event" id="([^"]+)"', page) == ["kursk-aug"]
    assert "<title>kursk · Kursk &amp; after</title>" in page
    assert '1 event tagged <strong>kursk</strong>. <a href="../index.html">Show all events</a>' in page
    # One folder down, every link goes up to the root; permalinks point at the index.
    assert '<link rel="stylesheet" href="../static/style.css">' in page
    assert '<a href="../index.html#kursk-aug">Offensive into Kursk</a>' in page
    assert '<a href="../tags/kursk.html" aria-current="page">kursk <span class="count">(1)</span></a>' in page
    assert "<details open>" in page
    polls = files["sources/polls.html"].decode()
    assert re.findall(r'<article class="event" id="([^"]+)"', polls) == ["evening"]
    assert "1 event from <strong>Second report</strong>." in polls
    index = files["index.html"].decode()
    assert '<a href="index.html" aria-current="page">All events</a>' in index
    assert '<a href="tags/offensive.html">offensive <span class="count">(1)</span></a>' in index
    assert '<a href="sources/kursk.html" class="source-events">8 events from this article</a>' in index
    assert "<details>" in index  # folded on the index, open on a filter's page


def test_filter_pages_keep_only_relative_links() -> None:
    for path, content in render().items():
        if path.endswith(".html") and path != "404.html":
            for tag, attrs in tags_of(content.decode()):
                for name in ("href", "src"):
                    value = attrs.get(name) or ""
                    assert not value.startswith("/"), (path, tag, value)


def test_page_404_needs_no_relative_link() -> None:
    page = render()["404.html"].decode()
    assert "<h1>Page not found</h1>" in page
    assert "<style>" in page and ":root {" in page and 'rel="stylesheet"' not in page
    assert '<a href="index.html">Kursk &amp; after</a>' in page
    hosted = render(settings=Settings(language="en_GB", base_url="https://news.example/kursk/"))["404.html"]
    assert b'<a href="/kursk/">Kursk &amp; after</a>' in hosted


def test_data_formats_are_linked_and_the_feed_only_with_a_base_url() -> None:
    page = render()["index.html"].decode()
    assert '<a href="timelinejs.json" type="application/json">TimelineJS</a>' in page
    assert '<a href="timeline.ics" type="text/calendar">iCalendar</a>' in page
    assert "feed.atom" not in page
    hosted = render(settings=Settings(base_url="https://news.example/kursk/"))
    assert '<link rel="alternate" type="application/atom+xml" href="feed.atom"' in hosted["index.html"].decode()
    assert '<link rel="alternate" type="application/atom+xml" href="../feed.atom"' in \
        hosted["tags/kursk.html"].decode()


def test_the_search_box_is_hidden_until_the_script_shows_it(page: str) -> None:
    assert '<div class="search" data-search hidden>' in page
    assert '<label for="search-input">' in page


def test_filter_slugs_are_ascii_unique_and_stable() -> None:
    from timeline.filters import collect_filters, slugify

    assert slugify("Île-de-France") == "ile-de-france"
    assert slugify("Київ").startswith("x") and slugify("Київ") == slugify("Київ")
    events = tuple(event(f"e{i}", "2025-03-13", "t", "On 13 March 2025.", "13 March 2025", tags=(tag,))
                   for i, tag in enumerate(("Kursk", "kursk", "war crimes")))
    assert [(f.label, f.path) for f in collect_filters(events).tags] == [
        ("Kursk", "tags/kursk.html"), ("kursk", "tags/kursk-2.html"), ("war crimes", "tags/war-crimes.html")]
    assert [(f.label, f.path) for f in collect_filters(reversed(events)).tags] == [
        ("Kursk", "tags/kursk.html"), ("kursk", "tags/kursk-2.html"), ("war crimes", "tags/war-crimes.html")]


def test_each_filter_keeps_its_events_in_order_once_and_counts_distinct_ids() -> None:
    from timeline.filters import collect_filters, filters_with_events

    a, b = source("A on 13 March 2025.", "13 March 2025", article="a.md"), source("B.", "B", article="b.md")
    a2 = source("A again, 13 March 2025.", "13 March 2025", article="a.md")
    events = (event("one", "2025-03-13", "t", "x", "x", sources=(a, b, a2), tags=("war", "war")),
              event("two", "2025-03-14", "t", "x", "x", sources=(b,), tags=("peace",)),
              event("one", "2025-03-15", "t", "x", "x", sources=(a,), tags=("war",)))  # an id given twice
    filters, kept = filters_with_events(events)
    assert filters == collect_filters(events)
    assert [(f.path, f.count, [e.date.value for e in found]) for f, found in kept] == [
        ("tags/peace.html", 1, ["2025-03-14"]), ("tags/war.html", 1, ["2025-03-13", "2025-03-15"]),
        ("sources/a.html", 1, ["2025-03-13", "2025-03-15"]), ("sources/b.html", 2, ["2025-03-13", "2025-03-14"])]
    assert [f for f, _ in kept] == list(filters.all())


def test_the_theme_speaks_the_site_language() -> None:
    files = render(settings=Settings(language="fr"))
    page = files["index.html"].decode()
    assert '<a class="skip-link" href="#main">Aller à la chronologie</a>' in page
    assert "<summary>Filtrer par mot-clé ou par source</summary>" in page
    assert "8 événements de cet article" in page
    assert 'data-template="{shown} événements sur {total} correspondent."' in page
    assert "1 événement avec le mot-clé <strong>kursk</strong>." in files["tags/kursk.html"].decode()
    german = render(settings=Settings(language="de_AT"))["tags/kursk.html"].decode()  # falls back to de
    assert "1 Ereignis mit dem Schlagwort <strong>kursk</strong>." in german
    assert "Nach Schlagwort oder Quelle filtern" in german
    # A language the theme has no words for keeps English words, with dates still in that language.
    italian = render(settings=Settings(language="it"))["index.html"].decode()
    assert "Skip to the timeline" in italian and "agosto 2024" in italian


def test_a_users_messages_override_the_themes(tmp_path: Path) -> None:
    (tmp_path / "messages").mkdir()
    (tmp_path / "messages" / "fr.json").write_text('{"All events": "Toute la chronologie"}', encoding="utf-8")
    page = render(settings=Settings(language="fr"), template_dirs=(tmp_path, TEMPLATES))["index.html"].decode()
    assert ">Toute la chronologie</a>" in page
    assert "Filter by tag or source" in page  # the user's file replaces the theme's for that language
    (tmp_path / "messages" / "fr.json").write_text('{"All events": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"messages/fr\.json:1:\d+: not valid JSON"):
        render(settings=Settings(language="fr"), template_dirs=(tmp_path, TEMPLATES))


def test_many_sources_put_the_filter_lists_on_a_page_of_their_own() -> None:
    # Repeating every list on every page would grow the site with the square of its sources.
    many = tuple(
        event(f"e{n}", f"2024-08-{n % 28 + 1:02d}", f"Event {n}", f"It happened on day {n}.", f"day {n}",
              sources=(source(f"It happened on day {n}.", f"day {n}", title=f"Report {n}", article=f"r{n}.md"),))
        for n in range(70)
    )
    files = render(Timeline("Many", "", many))
    index = files["index.html"].decode("utf-8")
    one_source = files["sources/r5.html"].decode("utf-8")
    lists = files["filters.html"].decode("utf-8")
    assert 'href="filters.html"' in index and "Report 69" not in index.split('<main')[0]
    assert 'href="../filters.html"' in one_source and "Report 69" not in one_source
    assert all(f'href="sources/r{n}.html"' in lists for n in range(70))
    assert '<h1><a href="index.html">' in lists


def test_few_sources_keep_their_lists_on_every_page() -> None:
    files = render()
    assert "filters.html" not in files
    assert 'href="../sources/polls.html"' in files["tags/kursk.html"].decode("utf-8")


def test_a_source_page_shows_only_that_sources_quote_and_links_to_the_rest() -> None:
    files = render()
    polls = files["sources/polls.html"].decode("utf-8")
    evening = article(polls, "evening")
    assert "Polls on <mark>Wednesday evening</mark> showed support." in evening
    assert "86% of those asked" not in evening  # the other source's quote stays on the index
    assert '<a href="../index.html#evening">1 more source</a>' in evening
    index_evening = article(files["index.html"].decode("utf-8"), "evening")
    assert "86% of those asked" in index_evening and "more source" not in index_evening


def _many_events(years: range, per_year: int) -> tuple[Event, ...]:
    """Events across several years, each quoted by two articles, in timeline order."""
    made = []
    for year in years:
        for day in range(1, per_year + 1):
            sentence = f"The council met on {day} March {year} about item {day}."
            expression = f"{day} March {year}"
            sources = (source(sentence, expression, article=f"a-{year}-{day}.md"),
                       source(sentence, expression, article=f"b-{year}-{day}.md", title="Other paper"))
            made.append(event(f"meeting-{year}-{day}", f"{year}-03-{day:02d}", f"Meeting {day}", sentence,
                              expression, sources=sources, tags=("council",)))
    return tuple(made)


def test_a_big_timeline_gets_a_page_per_year_and_an_index_of_them() -> None:
    events = _many_events(range(2021, 2024), 4)
    files = render(Timeline("Council", "", events), Settings(title="Council", year_pages_after=10))
    assert {"years/2021.html", "years/2022.html", "years/2023.html"} <= set(files)
    index = files["index.html"].decode()
    assert 'class="event"' not in index and 'data-search' not in index  # the index lists the years only
    assert '<a href="years/2022.html"><time datetime="2022">2022</time></a>' in index
    assert "4 events" in index and 'href="years/2022.html#month-2022-03"' in index
    year = files["years/2022.html"].decode()
    assert year.count('class="event"') == 4 and 'id="meeting-2022-1"' in year
    assert 'href="#meeting-2022-1"' in year  # its own events link within the page
    assert 'href="../years/2021.html" rel="prev"' in year and 'href="../years/2023.html" rel="next"' in year
    assert 'href="../static/style.css"' in year and "<title>2022 · Council</title>" in year
    # Other pages link an event to its year's page, as the feed and calendar do.
    assert 'href="../years/2022.html#meeting-2022-1"' in files["tags/council.html"].decode()
    feed = render(Timeline("Council", "", events), Settings(title="Council", year_pages_after=10,
                                                             base_url="https://example.org/t/"))
    assert "https://example.org/t/years/2022.html#meeting-2022-1" in feed["feed.atom"].decode()
    assert "https://example.org/t/years/2022.html#meeting-2022-1" in feed["timeline.ics"].decode().replace("\r\n ", "")
    assert "<loc>https://example.org/t/years/2023.html</loc>" in feed["sitemap.xml"].decode()


def test_a_timeline_at_the_limit_stays_on_one_page() -> None:
    events = _many_events(range(2021, 2024), 4)
    for limit in (0, 12):  # 0: never split; 12 events do not exceed 12
        files = render(Timeline("Council", "", events), Settings(title="Council", year_pages_after=limit))
        assert not any(path.startswith("years/") for path in files)
        assert files["index.html"].decode().count('class="event"') == 12


def test_a_tag_page_quotes_a_few_sources_and_links_to_the_rest() -> None:
    sentence = "The bridge closed on 3 March 2025."
    sources = tuple(source(sentence, "3 March 2025", article=f"paper-{n}.md", title=f"Paper {n}") for n in range(5))
    events = (event("closure", "2025-03-03", "Closure", sentence, "3 March 2025", sources=sources, tags=("bridge",)),)
    files = render(Timeline("Bridge", "", events), Settings(title="Bridge"))
    index, tag = files["index.html"].decode(), files["tags/bridge.html"].decode()
    assert index.count('<figure class="source">') == 5 and "more source" not in index
    assert tag.count('<figure class="source">') == 3
    assert '<a href="../index.html#closure">2 more sources</a>' in tag
    source_page = files[next(p for p in files if p.startswith("sources/paper-4"))].decode()
    assert source_page.count('<figure class="source">') == 1 and "Paper 4" in source_page
    assert '<a href="../index.html#closure">4 more sources</a>' in source_page


def test_pages_rendered_in_several_processes_are_the_same_bytes() -> None:
    events = _many_events(range(2001, 2026), 5)  # 125 events, 250 source pages: enough for the pool
    timeline, settings = Timeline("Council", "", events), Settings(title="Council", year_pages_after=50)
    alone = render_site(timeline, settings, (TEMPLATES,), (STATIC,), jobs=1)
    shared = render_site(timeline, settings, (TEMPLATES,), (STATIC,), jobs=2)
    assert len(alone) > 200 and alone == shared


def test_a_template_mistake_is_reported_from_a_worker_process(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "event.html").write_text("{{ event.no_such_field }}\n", encoding="utf-8")
    events = _many_events(range(2001, 2026), 5)
    with pytest.raises(InputError, match="UndefinedError"):
        render_site(Timeline("Council", "", events), Settings(title="Council"), (tmp_path, TEMPLATES), (STATIC,),
                    jobs=2)


def test_only_the_pages_an_edit_touches_are_rendered_again(tmp_path: Path) -> None:
    from dataclasses import replace

    from timeline.render import render_changes

    events = _many_events(range(2021, 2024), 4)
    settings = Settings(title="Council", year_pages_after=10)
    first, keys = render_changes(Timeline("Council", "", events), settings, (TEMPLATES,), (STATIC,))
    assert all(data is not None for data in first.values()) and set(keys) <= set(first)
    again, same_keys = render_changes(Timeline("Council", "", events), settings, (TEMPLATES,), (STATIC,),
                                      previous=keys)
    assert same_keys == keys and [path for path, data in again.items() if data is not None and
                                  not path.startswith("static/")] == []
    edited = tuple(replace(e, title="Meeting moved") if e.id == "meeting-2022-1" else e for e in events)
    files, _ = render_changes(Timeline("Council", "", edited), settings, (TEMPLATES,), (STATIC,), previous=keys)
    rendered = {path for path, data in files.items() if data is not None and not path.startswith("static/")}
    # Its year's page, its tag's page and its two sources' pages, and the files made of every event.
    assert {"years/2022.html", "tags/council.html", "timeline.json", "timeline.ics"} <= rendered
    assert {p for p in rendered if p.startswith("sources/")} == {"sources/a-2022-1.html", "sources/b-2022-1.html"}
    assert not rendered & {"index.html", "years/2021.html", "years/2023.html", "sources/a-2021-1.html"}
    full = render_site(Timeline("Council", "", edited), settings, (TEMPLATES,), (STATIC,))
    assert all(full[path] == files[path] for path in rendered)
    # One more event in 2022 changes the index's counts, not the other years' pages, which show no counts. (With
    # more sources than every page lists: below that, each page shows every source's count and rightly changes.)
    events = _many_events(range(2021, 2024), 12)
    _, keys = render_changes(Timeline("Council", "", events), settings, (TEMPLATES,), (STATIC,))
    added = (*events[:13], replace(events[12], id="meeting-2022-extra", sources=events[12].sources[:1]),
             *events[13:])
    files, _ = render_changes(Timeline("Council", "", added), settings, (TEMPLATES,), (STATIC,), previous=keys)
    rendered = {path for path, data in files.items() if data is not None and not path.startswith("static/")}
    assert {"index.html", "years/2022.html"} <= rendered and not rendered & {"years/2021.html", "years/2023.html"}
    assert files["index.html"] == render_site(Timeline("Council", "", added), settings, (TEMPLATES,),
                                              (STATIC,))["index.html"]
    # A template of one's own changes every page's key.
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html").write_text("<p>Ours.</p>\n", encoding="utf-8")
    themed, _ = render_changes(Timeline("Council", "", events), settings, (tmp_path, TEMPLATES), (STATIC,),
                               previous=keys)
    assert all(data is not None for data in themed.values())


def test_page_keys_do_not_depend_on_the_process() -> None:
    """Keys are compared from build to build, so string hashing (random per process) must not reach them."""
    import json
    import os
    import subprocess
    import sys

    script = ("import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests']\n"
              "import test_render as t\nfrom timeline.render import render_changes\n"
              "events = t._many_events(range(2021, 2024), 4)\n"
              "_, keys = render_changes(t.Timeline('C', '', events), t.Settings(year_pages_after=10), "
              "(t.TEMPLATES,), (t.STATIC,))\nprint(json.dumps(keys))\n")
    seen = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", script, str(ROOT)], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed})
        seen.append(json.loads(done.stdout))
    assert seen[0] == seen[1] and len(seen[0]) > 10


def test_a_sources_new_count_changes_the_keys_of_the_pages_showing_its_events_and_no_others() -> None:
    """An event shows how many events each of its sources has: a page of it must be rendered again when one grows."""
    from dataclasses import replace

    from timeline.render import render_changes

    events = _many_events(range(2021, 2024), 12)  # 72 sources: the lists stand on filters.html alone
    settings = Settings(title="Council", year_pages_after=10)
    files, keys = render_changes(Timeline("Council", "", events), settings, (TEMPLATES,), (STATIC,))
    cited = events[0].sources[0]  # a-2021-1.md, now quoted by events[30] too
    grown = replace(events[30], sources=(*events[30].sources, replace(cited, sentence=events[30].text)))
    changed = (*events[:30], grown, *events[31:])
    again, again_keys = render_changes(Timeline("Council", "", changed), settings, (TEMPLATES,), (STATIC,),
                                       previous=keys)
    assert b"2 events from this article" in files_of(again, "years/2021.html") != files["years/2021.html"]
    unrelated = "sources/b-2023-5.html"
    assert again[unrelated] is None and again_keys[unrelated] == keys[unrelated]


def files_of(files: dict[str, bytes | None], path: str) -> bytes:
    """A file ``render_changes`` rendered again (not None: its key changed)."""
    data = files[path]
    assert data is not None, path
    return data


def test_a_list_of_filters_is_cut_in_runs_that_a_new_source_or_the_pages_own_changes_one_of(tmp_path: Path) -> None:
    """filters.html copies its list from the last build a run of items at a time: its runs must not move."""
    from dataclasses import replace

    from timeline.render import _Site

    def runs(events: tuple[Event, ...], current: int | None = None, dirs: tuple[Path, ...] = (TEMPLATES,)
             ) -> list[tuple[int, int, bytes | None]]:
        site = _Site(Timeline("Council", "", events), Settings(title="Council"), dirs, [STATIC])
        site.keys(site.tasks())
        sources = site.filters.sources
        return site.filter_runs(sources, "", None if current is None else sources[current])

    events = _many_events(range(2021, 2026), 12)  # 120 sources
    made = runs(events)
    assert 3 < len(made) < 30 and made[0][0] == 0 and made[-1][1] == 120
    assert all(end == following for (_, end, _), (following, _, _) in itertools.pairwise(made))
    newcomer = replace(events[40].sources[0], article="a-2024-new.md", title="A newcomer")
    grown = runs((*events[:40], replace(events[40], sources=(*events[40].sources, newcomer)), *events[41:]))
    assert len({key for _, _, key in grown} - {key for _, _, key in made}) == 1
    own = runs(events, current=50)
    assert [(first, end) for first, end, _ in own] == [(first, end) for first, end, _ in made]
    assert [first for (first, _, key), (_, _, was) in zip(own, made, strict=True) if key != was] == \
        [first for first, end, _ in made if first <= 50 < end]
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html").write_text("<p>Ours.</p>\n", encoding="utf-8")
    assert runs(events, dirs=(tmp_path, TEMPLATES)) == [(0, 120, None)]  # what a theme of one's own shows is unknown


def test_the_pages_to_render_are_weighed_by_their_events_and_quotes_the_costliest_first() -> None:
    """A filter's page is weighed only when it is to be rendered; the processes take the costliest first."""
    from timeline.render import _Site

    events = _many_events(range(2021, 2024), 4)
    site = _Site(Timeline("Council", "", events), Settings(title="Council", year_pages_after=10), [TEMPLATES], [STATIC])
    tasks = site.tasks()
    costed = site.costed(tasks)
    assert sorted(costed) == sorted(task if task.kind != "filter" else task._replace(
        cost=10 + sum(len(events[number].sources) + 1 for number in site.by_filter[task.number][1])) for task in tasks)
    assert [task.cost for task in costed] == sorted((task.cost for task in costed), reverse=True)
    council = next(task for task in costed if task.path == "tags/council.html")
    assert council.cost == 10 + 12 * 3  # 12 events of two quotes each
    few = site.costed(task for task in tasks if task.path.startswith("sources/"))
    assert len(few) == 24 and all(task.cost == 10 + 3 for task in few)


def test_with_templates_of_ones_own_a_filter_count_change_renders_every_page(tmp_path: Path) -> None:
    """The built-in theme shows filter counts only in full lists; a theme of one's own may show them anywhere."""
    from dataclasses import replace

    from timeline.render import render_changes

    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html").write_text("<p>{{ filters.sources|length }} sources.</p>\n",
                                                       encoding="utf-8")
    events = _many_events(range(2021, 2024), 12)  # 72 sources: more than every page lists
    settings, dirs = Settings(title="Council", year_pages_after=10), (tmp_path, TEMPLATES)
    _, keys = render_changes(Timeline("Council", "", events), settings, dirs, (STATIC,))
    extra = source(events[12].sources[0].sentence, events[12].sources[0].expression_text, article="new-paper.md")
    added = (*events[:12], replace(events[12], sources=(*events[12].sources, extra)), *events[13:])
    files, _ = render_changes(Timeline("Council", "", added), settings, dirs, (STATIC,), previous=keys)
    assert files["sources/a-2021-1.html"] is not None
    assert b"73 sources." in files["sources/a-2021-1.html"]


def _streamed(templates: CompiledTemplates, jobs: int = 1) -> dict[str, bytes]:
    stream, _, _ = render_stream(TIMELINE, SETTINGS, [TEMPLATES], [STATIC], jobs, templates=templates)
    return {path: data for path, data in stream if data is not None}


def test_templates_compiled_once_are_loaded_by_the_next_build_and_give_the_same_bytes() -> None:
    first = CompiledTemplates()
    made = _streamed(first)
    assert first.changed and "index.html" in {name for name in _template_names(first)}
    again = CompiledTemplates(first.dump())
    assert _streamed(again) == made
    assert not again.changed  # every template came compiled: none was compiled again


def test_compiled_templates_in_any_other_shape_are_compiled_afresh() -> None:
    made = _streamed(CompiledTemplates())
    for stored in (b"", b"not marshal", marshal.dumps(["a list"]), marshal.dumps({"key": "not bytes"})):
        templates = CompiledTemplates(stored)
        assert _streamed(templates) == made
        assert templates.changed
    first = CompiledTemplates()
    _streamed(first)
    damaged = CompiledTemplates(marshal.dumps({key: value[:-20] for key, value in first.code.items()}))
    assert _streamed(damaged) == made


def _template_names(templates: CompiledTemplates) -> set[str]:
    """The templates whose compiled code ``templates`` holds (Jinja keys them by a hash of name and file)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)))
    return {name for name in env.list_templates()
            if templates.get_cache_key(name, str(TEMPLATES / name)) in templates.code}


def test_the_site_knows_what_its_data_is_as_of_from_the_datelines_and_the_events_without_sources() -> None:
    from timeline.feeds import latest_update
    from timeline.render import _Site

    editors = Event(id="editor", date=event_date("2026-01-05"), title="Added by an editor", text="Added.", sources=())
    for timeline in (TIMELINE, Timeline("t", "", (*EVENTS, editors)), Timeline("t", "", ())):
        site = _Site(timeline, SETTINGS, [TEMPLATES], [STATIC])
        assert site.updated == latest_update(timeline.events)
    assert _Site(Timeline("t", "", (*EVENTS, editors)), SETTINGS, [TEMPLATES], [STATIC]).updated == date(2026, 1, 5)


def test_every_field_of_an_event_is_in_its_pages_keys() -> None:
    """A field left out of the keys would leave a page showing it stale after an edit: each one must count."""
    import dataclasses

    from timeline.render import render_changes

    other = {"id": "other-id", "date": event_date("2020"), "title": "Other", "text": "Other text.",
             "sources": (source("Polls closed on Friday.", "on Friday"),), "tags": ("elsewhere",),
             "text_is_markdown": True, "position": 99, "reported": True, "as_of": True, "order": 5,
             "merged": ("gone",), "review": ("look again",)}
    assert set(other) == {f.name for f in dataclasses.fields(Event)}
    _, keys = render_changes(TIMELINE, SETTINGS, (TEMPLATES,), (STATIC,))
    for name, value in other.items():
        assert getattr(EVENTS[0], name) != value
        changed = Timeline(TIMELINE.title, TIMELINE.description,
                           (dataclasses.replace(EVENTS[0], **{name: value}), *EVENTS[1:]))
        _, changed_keys = render_changes(changed, SETTINGS, (TEMPLATES,), (STATIC,))
        assert changed_keys["index.html"] != keys["index.html"], name
        assert changed_keys["timeline.json"] != keys["timeline.json"], name


def test_a_source_is_in_its_events_keys_in_full() -> None:
    import dataclasses

    from timeline.render import render_changes

    _, keys = render_changes(TIMELINE, SETTINGS, (TEMPLATES,), (STATIC,))
    first = EVENTS[0].sources[0]
    for name, value in (("sentence", first.sentence + " Again."), ("url", "https://news.example/c"),
                        ("reading", "another reading"), ("dateline", date(2025, 3, 16))):
        changed = Timeline(TIMELINE.title, TIMELINE.description,
                           (dataclasses.replace(EVENTS[0], sources=(dataclasses.replace(first, **{name: value}),)),
                            *EVENTS[1:]))
        _, changed_keys = render_changes(changed, SETTINGS, (TEMPLATES,), (STATIC,))
        assert changed_keys["index.html"] != keys["index.html"], name


def test_keys_are_made_even_of_text_utf8_cannot_hold() -> None:
    from timeline.render import _encoded

    assert _encoded((EVENTS[0], "x")).startswith(b"[{")  # JSON, the dataclass with its fields by name
    lone = _encoded((EVENTS[0], "x\ud800"))
    assert lone.startswith(b"(") and lone != _encoded((EVENTS[0], "x"))


@given(st.text(alphabet=st.sampled_from("aZ09-/ _.é\u212aК"), max_size=12) | st.text(max_size=12))
def test_slugs_of_plain_names_are_found_the_short_way_with_the_same_result(text: str) -> None:
    import hashlib
    import unicodedata

    from timeline.filters import slugify

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    assert slugify(text) == (slug or "x" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8])


_NAME_PARTS = st.sampled_from(["a", "Z", "0", "9", "-", "/", " ", "_", ".", "é", "\u212a", "К", "\n", ".md", ".txt"])


@given(st.lists(st.lists(_NAME_PARTS, max_size=6).map("".join) | st.text(max_size=8), max_size=5))
@example(["a\nb", "c"])  # a newline in a name, which the lists found at once are cut at
@example(["x.md\n"])
def test_the_slugs_and_stems_of_a_list_found_at_once_are_each_names_own(names: list[str]) -> None:
    from timeline.filters import _FILE_SUFFIX, _slugs, _stems, slugify

    assert _slugs(names) == [slugify(name) for name in names]
    assert _stems(names) == [_FILE_SUFFIX.sub("", name) for name in names]


def test_library_versions_are_those_importlib_metadata_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from timeline import render as render_module

    for name in render_module._LIBRARIES:
        assert render_module._version(name) == metadata.version(name)
    # A metadata folder whose name has no version (as some system packages install them): its Version line.
    (tmp_path / "Plain_Lib.egg-info").mkdir()
    (tmp_path / "Plain_Lib.egg-info" / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: plain-lib\n"
                                                             "Version: 2.5\n\nVersion: 9\n", encoding="utf-8")
    (tmp_path / "shadowed-1.0.dist-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    render_module._versions.cache_clear()
    try:
        assert render_module._version("plain-lib") == "2.5" and render_module._version("Plain_Lib") == "2.5"
        assert render_module._version("shadowed") == "1.0" and render_module._version("not-installed") == "-"
    finally:
        render_module._versions.cache_clear()


def test_a_filters_key_covers_every_field() -> None:
    import msgspec

    from timeline.filters import Filter
    from timeline.render import _filter_key

    base = Filter("source", "a.md", "a", "A report", "sources/a.html", 3, date(2025, 3, 15))
    changed = {"kind": "tag", "key": "b.md", "slug": "b", "label": "B report", "path": "sources/b.html", "count": 4,
               "dateline": None}
    assert set(changed) == {field.name for field in msgspec.structs.fields(Filter)}
    keys = {_filter_key(base)} | {_filter_key(msgspec.structs.replace(base, **{name: value}))
                                  for name, value in changed.items()}
    assert len(keys) == 1 + len(changed)
    lone = msgspec.structs.replace(base, label="lone \ud800")
    assert _filter_key(lone) != _filter_key(base)  # not UTF-8: its repr


def test_names_are_made_distinct_in_order_around_those_taken() -> None:
    from timeline.filters import unique_names

    assert unique_names(["a", "b", "a", "a-2"], taken=["b"]) == ["a", "b-2", "a-2", "a-2-2"]
    assert unique_names(name for name in ("x", "y")) == ["x", "y"]  # distinct already: as given
    assert unique_names(["title"], taken=("title",)) == ["title-2"]


def test_an_events_digest_is_made_even_of_text_utf8_cannot_hold_and_covers_what_else_it_shows() -> None:
    import dataclasses

    from timeline.render import _event_digests

    plain = EVENTS[0]
    lone = dataclasses.replace(plain, title=plain.title + "\ud800")  # MessagePack cannot encode it: its repr
    near = dataclasses.replace(plain, title=plain.title + "\ufffd")
    events = [plain, lone, near, plain, plain]
    digests = _event_digests(events, lambda number, event: [b"x", b"y"] if number < 4 else [b"x", b"z"])
    assert len(set(digests)) == 4 and digests[0] == digests[3] != digests[4]
    assert digests == _event_digests(events, lambda number, event: [b"x", b"y"] if number < 4 else [b"x", b"z"])
