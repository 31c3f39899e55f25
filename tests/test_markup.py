"""Editors' Markdown sanitised; sentences with their expression marked; safe link targets."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from timeline.markup import escaped, event_html, mark_expression, render_markdown, safe_link_url


def test_markdown_keeps_simple_formatting() -> None:
    html = render_markdown("Talks **resumed** in *Riyadh*.\n\n- one\n- two\n\n> quoted `code`")
    assert isinstance(html, Markup)
    assert "<p>Talks <strong>resumed</strong> in <em>Riyadh</em>.</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<blockquote>" in html and "<code>code</code>" in html


def test_links_get_rel_and_keep_safe_targets() -> None:
    html = render_markdown('[report](https://news.example/a "The report") and [note](#evt-1)')
    assert '<a href="https://news.example/a" title="The report" rel="nofollow noopener">report</a>' in html
    assert '<a href="#evt-1" rel="nofollow noopener">note</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        "[x](vbscript:msgbox)",
    ],
)
def test_dangerous_link_targets_are_dropped(text: str) -> None:
    html = render_markdown(text).lower()
    assert "javascript" not in html and "data:" not in html and "vbscript" not in html
    assert ">x</a>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)">hi</p>',
        "<iframe src=https://evil.example></iframe>",
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_raw_html_is_sanitised(text: str) -> None:
    html = render_markdown(text).lower()
    for bad in ("<script", "<img", "onerror", "onclick", "<iframe", "<style", "<svg", "onload", "alert(1)</"):
        assert bad not in html


def test_headings_and_images_are_not_allowed() -> None:
    html = render_markdown("# Big\n\n![pic](https://cdn.example/x.png)")
    assert "<h1" not in html and "<img" not in html and "Big" in html


@given(st.text())
@example("Tom & Jerry's <b>\"best\"</b> > rest")
def test_escaped_text_is_markupsafes_escape(text: str) -> None:
    assert escaped(text) == str(escape(text))


@pytest.mark.parametrize("value", [Markup("<b>kept</b> &amp;"), None, 12])
def test_escaped_leaves_anything_but_plain_text_to_markupsafe(value: object) -> None:
    assert escaped(value) == str(escape(value))  # type: ignore[arg-type]


def test_mark_expression_wraps_and_escapes() -> None:
    sentence = 'On Wednesday evening <b>86%</b> said "yes" & more.'
    marked = mark_expression(sentence, 3, 20)
    assert isinstance(marked, Markup)
    assert marked == 'On <mark>Wednesday evening</mark> &lt;b&gt;86%&lt;/b&gt; said &#34;yes&#34; &amp; more.'


def test_mark_expression_escapes_inside_the_mark() -> None:
    assert mark_expression("a<b>c", 1, 4) == "a<mark>&lt;b&gt;</mark>c"


def test_mark_expression_at_the_edges() -> None:
    assert mark_expression("August", 0, 6) == "<mark>August</mark>"
    assert mark_expression("In August", 3, 9) == "In <mark>August</mark>"


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 2), (0, 99)])
def test_mark_expression_rejects_offsets_outside_the_sentence(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="outside the sentence"):
        mark_expression("In August", start, end)


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://news.example/a?b=1#c", "https://news.example/a?b=1#c"),
        ("http://news.example/", "http://news.example/"),
        ("HTTPS://news.example/", "HTTPS://news.example/"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example/x", None),
        ("/local/path", None),
        ("https:///nohost", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_link_url(url: str | None, safe: str | None) -> None:
    assert safe_link_url(url) == safe


def test_event_html_for_other_formats() -> None:
    from datetime import date

    from timeline.model import Event, EventDate, Source
    from timeline.timex import calendar_span

    span = calendar_span("2024-08")
    assert span is not None
    sentence = "Kiev launched an offensive <b>in August</b>."
    start = sentence.index("in August")
    source = Source(article="a.md", title="A & B", url="javascript:alert(1)", dateline=date(2025, 3, 15),
                    sentence=sentence, sentence_start=0, expression_text="in August", expression_start=start,
                    expression_end=start + 9)
    event = Event(id="e", date=EventDate("2024-08", span), title="t", text=sentence, sources=(source,))
    html = event_html(event, "August 2024", "2024-08")
    assert html == ('<p><time datetime="2024-08">August 2024</time></p>\n'
                    "<blockquote><p>Kiev launched an offensive &lt;b&gt;<mark>in August</mark>&lt;/b&gt;.</p>"
                    "</blockquote>\n"
                    "<p>— <cite>A &amp; B</cite>, 2025-03-15</p>")


def test_an_empty_expression_is_not_marked() -> None:
    # Reported events have no date expression of their own; an empty <mark> would confuse screen readers.
    assert str(mark_expression("She said <it> was fine.", 3, 3)) == "She said &lt;it&gt; was fine."
