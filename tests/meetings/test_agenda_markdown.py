"""The `markdown` filter: CommonMark to a small set of safe tags; typed HTML stays text, never markup."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from coord.core.markdown import render_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**gras** et _italique_", "<p><strong>gras</strong> et <em>italique</em></p>"),
        ("- un\n- deux", "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>"),
        ("3. trois\n4. quatre", '<ol start="3">\n<li>trois</li>\n<li>quatre</li>\n</ol>'),
        ("# Titre\n## Sous-titre", "<h3>Titre</h3>\n<h4>Sous-titre</h4>"),
        ("> citation", "<blockquote>\n<p>citation</p>\n</blockquote>"),
        (
            "`code` et\n\n```\n<b>bloc</b>\n```",
            "<p><code>code</code> et</p>\n<pre><code>&lt;b&gt;bloc&lt;/b&gt;\n</code></pre>",
        ),
        ("ligne  \nsuite", "<p>ligne<br>\nsuite</p>"),
        (
            "[site](https://spheres.example/a?b=1&c=2)",
            '<p><a href="https://spheres.example/a?b=1&amp;c=2" rel="noopener noreferrer">site</a></p>',
        ),
        (
            "[écrire](mailto:coord@spheres.example)",
            '<p><a href="mailto:coord@spheres.example" rel="noopener noreferrer">écrire</a></p>',
        ),
    ],
)
def test_markdown_becomes_a_small_set_of_tags(source, expected):
    html = render_markdown(source)
    assert isinstance(html, Markup)
    assert str(html).strip() == expected


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>x</a>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "![x](https://tracker.example/pixel.png)",
        "<iframe src='https://evil.example'></iframe>",
        "<style>body{display:none}</style>",
        '<div style="position:fixed" onclick="x()">clic</div>',
        "<!-- <script>alert(1)</script> -->",
        "<svg onload=alert(1)>",
    ],
)
def test_typed_html_and_dangerous_links_never_become_markup(source):
    html = str(render_markdown(source)).lower()
    for forbidden in (
        "<script",
        "<img",
        "<iframe",
        "<style",
        "<div",
        "<svg",
        "javascript:",
        '<a href="data',
        "vbscript:",
    ):
        if forbidden in ("javascript:", "vbscript:"):
            assert f'href="{forbidden}' not in html, html
        else:
            assert forbidden not in html, html
    assert not re.search(r"<[^>]*\s(on\w+|style)=", html), html  # no tag carries a handler or a style


def test_empty_and_huge_text():
    assert render_markdown("") == Markup("") and render_markdown(None) == Markup("")
    assert render_markdown("   \n") == Markup("")
    assert len(str(render_markdown("a" * 500_000))) < 110_000  # cut before rendering


def test_the_filter_is_available_in_templates(app):
    with app.test_request_context():
        template = app.jinja_env.from_string("{{ text|markdown }}")
        assert (
            template.render(text="**x** <b>y</b>").strip() == "<p><strong>x</strong> &lt;b&gt;y&lt;/b&gt;</p>"
        )
