"""Text into safe HTML: editors' Markdown, sentences with their date expression marked, and link targets.

Everything here returns ``markupsafe.Markup`` only after the text has been escaped or sanitised, so a
template may print the result as it is with autoescape on.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup, escape

from .model import Event

# What an editor's note needs: paragraphs, emphasis, links, lists, quotes, code. No images (they would
# load from another host), no tables, no headings (they would break the page's heading order).
ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "del", "sup", "sub", "abbr"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
# Schemes a reader's browser may follow from an editor's link; javascript:, data: and vbscript: are not among them.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"


def render_markdown(text: str) -> Markup:
    """Editor's Markdown as sanitised HTML: a small set of tags, safe links with rel="nofollow noopener"."""
    import markdown  # here: only editors' own texts need it, and a rebuild's process need not load it for nothing

    html = markdown.markdown(text, output_format="html")
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_SCHEMES),
    )
    return Markup(cleaned)


def escaped(text: str) -> str:
    """``escape(text)`` as text: the same five replacements as MarkupSafe's, made here without its wrapper, which took
    twice as long on a short sentence (for each of 45,000 quotes on the pages and in TimelineJS's file, at 10,000
    articles). Anything but plain text (markup above all, which stays as it is) goes through ``escape`` itself."""
    if type(text) is not str:
        return str(escape(text))
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;").replace(
        '"', "&#34;")


def mark_expression(sentence: str, start: int, end: int) -> Markup:
    """The sentence, escaped, with ``sentence[start:end]`` wrapped in ``<mark>``."""
    if not 0 <= start <= end <= len(sentence):
        # Offsets come from the tagger; out of range means a bug upstream, and a wrong mark would mislead.
        raise ValueError(
            f"expression offsets {start}..{end} are outside the sentence (length {len(sentence)}): {sentence!r}"
        )
    if start == end:  # a reported event has no expression of its own: nothing to mark
        return escape(sentence)
    # Each piece is escaped before it is joined (Markup.format does the same through string.Formatter, much slower).
    return Markup(f"{escaped(sentence[:start])}<mark>{escaped(sentence[start:end])}</mark>{escaped(sentence[end:])}")


@functools.lru_cache(maxsize=1 << 14)  # every page that quotes a source checks its URL again
def safe_link_url(url: str | None) -> str | None:
    """The URL when a reader may safely follow it (absolute http or https), else None."""
    if not url:
        return None
    # Browsers ignore whitespace and control characters inside a scheme ("java\tscript:"), so refuse any.
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def event_html(event: Event, date_words: str | None = None, datetime_value: str = "") -> Markup:
    """An event as an HTML fragment for other formats (feed, TimelineJS): date, text, quoted sources."""
    # Joined from pieces each escaped first (Markup.format would do the same through string.Formatter, slowly).
    parts: list[str] = []
    if date_words is not None:
        parts.append(f'<p><time datetime="{escaped(datetime_value)}">{escaped(date_words)}</time></p>')
    if event.text_is_markdown:
        parts.append(render_markdown(event.text))
    elif event.text not in {source.sentence for source in event.sources}:
        parts.append(f"<p>{escaped(event.text)}</p>")
    for source in event.sources:
        sentence = mark_expression(source.sentence, source.expression_start, source.expression_end)
        url = safe_link_url(source.url)
        cite = f'<a href="{escaped(url)}">{escaped(source.title)}</a>' if url else escaped(source.title)
        parts.append(f"<blockquote><p>{sentence}</p></blockquote>")
        parts.append(f"<p>— <cite>{cite}</cite>, {source.dateline.isoformat()}</p>")
    return Markup("\n".join(parts))
