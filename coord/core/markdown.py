"""Markdown typed by people (agenda items, minutes) as safe HTML: CommonMark without raw HTML, then nh3.

markdown-it-py renders CommonMark with `html` off (typed tags come out as text), and nh3 keeps only a
small set of tags, `href` on links (http, https, mailto) with rel="noopener noreferrer". Headings move
down two levels (# becomes h3) so that they sit under the page's own h1 and h2.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_SOURCE = 100_000  # longer text is cut before rendering (the services keep it far shorter)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable("image")  # images would load from anywhere; the link text stays readable
    return parser


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown text (empty markup for empty text)."""
    if not text or not text.strip():
        return Markup("")
    parser = _parser()
    tokens = parser.parse(text[:MAX_SOURCE])
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
    html = parser.renderer.render(tokens, parser.options, {})
    return Markup(_cleaner().clean(html))  # noqa: S704 - sanitized by nh3 just above


def register(app: Flask) -> None:
    """The `markdown` Jinja filter: {{ item.description|markdown }}."""
    app.jinja_env.filters["markdown"] = render_markdown
