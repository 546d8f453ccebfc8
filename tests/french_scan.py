"""The French scan: every French page and e-mail the tests render is read as a Québécois reader would.

While the tests run, it keeps the visible text of every HTML response whose page is French (`<html
lang="fr…">`), of every e-mail handed to delivery in French (`Content-Language: fr`, subject and parts) and
of the descriptions, titles and places of every French calendar feed.
After each test it looks, in that text, for what the Office québécois de la langue française's rules forbid:
- a time written "HH:MM" ("09:30"), where French writes "9 h 30";
- a ":" (or ";", "!", "?") without the non-breaking space before it (U+00A0, or the narrow U+202F);
- a "(s)" plural, where French writes the real plural (ngettext);
- untranslated English: a phrase of an English msgid that the catalog translates differently, shown as is.

What people typed is theirs, not the program's: every string a test writes to the database (a title, a
note, a name) is taken out of the text before it is read. What is no prose is left out too: URLs and e-mail
addresses, the values and attributes of tags (a time field's "09:30" value), <code>, <pre>, <script>,
<style>, <textarea>, and the calendar parts of e-mails. A fault fails the test that rendered it, in its
teardown, with the text around it. `@pytest.mark.expect_french_fault` turns it around: the test fails
unless the scan finds a fault (it proves the scan sees each kind). Being a fixture on every request and
e-mail, the scan also runs over the garbage sweep's crawl (tests/test_bad_input.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import flask
import pytest

CATALOG = Path(__file__).resolve().parent.parent / "coord/translations/fr/LC_MESSAGES/messages.po"
NBSPS = "\u00a0\u202f"
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "kbd", "samp"}
BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6", "br", "dt",
    "dd", "dl", "section", "article", "header", "footer", "nav", "main", "form", "fieldset", "legend",
    "label", "option", "select", "button", "details", "summary", "blockquote", "figure", "figcaption",
    "caption", "hr", "title", "aside", "input",
}  # fmt: skip

URL = re.compile(
    r"\b(?:[a-z][a-z0-9+.-]*://|mailto:|javascript:|data:|www\.)\S+|\S+@\S+\.\w+"
    r"|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,}\S*",  # an IPv6 address ("2001:db8:…")
    re.IGNORECASE,
)
TIME = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
# A high punctuation mark glued to the word before it; "::", "?!" and the like count once.
GLUED = re.compile(rf"(?<=[^\s{NBSPS}:;!?(\[«\"'/])[:;!?]")
PLURAL = re.compile(r"\w\((?:e?s|x)\)")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")
MIN_PHRASE_WORDS = 2
MIN_PHRASE_LENGTH = 10


class _VisibleText(HTMLParser):
    """The text a reader sees: data outside skipped tags, block elements on lines of their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs) -> None:
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


@cache
def english_phrases() -> tuple[str, ...]:
    """Phrases of English msgids that French writes otherwise: their literal parts of two words or more."""
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="fr_CA")
    french = []
    english = set()
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        french.extend(strings)
        for msgid in ids:
            if msgid in strings:
                continue
            for part in PLACEHOLDER.split(msgid):
                part = part.strip(" .,:;!?()\"'«»–-\n")
                if len(part) >= MIN_PHRASE_LENGTH and len(part.split()) >= MIN_PHRASE_WORDS:
                    english.add(part)
    all_french = "\n".join(french)
    return tuple(sorted(phrase for phrase in english if phrase not in all_french))


def faults(text: str) -> list[str]:
    """What the OQLF's rules forbid in this French text, each with the text around it."""
    found = []
    prose = URL.sub(" ", text)

    def around(match: re.Match, source: str) -> str:
        start, end = max(match.start() - 40, 0), match.end() + 40
        return " ".join(source[start:end].split())

    for match in TIME.finditer(prose):
        found.append(f"a time written HH:MM ({match.group()!r}): …{around(match, prose)}…")
    without_times = TIME.sub(" ", prose)
    for match in GLUED.finditer(without_times):
        found.append(
            f"{match.group()!r} without a non-breaking space before it: …{around(match, without_times)}…"
        )
    for match in re.finditer(r"[^\S\n" + NBSPS + r"][:;!?]", without_times):
        found.append(
            f"{match.group()[-1]!r} after an ordinary space (a non-breaking one keeps it on the line): "
            f"…{around(match, without_times)}…"
        )
    for match in PLURAL.finditer(prose):
        found.append(f"a '(s)' plural: …{around(match, prose)}…")
    for phrase in english_phrases():
        if phrase in prose:
            for match in re.finditer(rf"(?<![\w]){re.escape(phrase)}(?![\w])", prose):
                found.append(f"untranslated English {phrase!r}: …{around(match, prose)}…")
                break
    return found


@dataclass
class FrenchScan:
    read: list[tuple[str, str]] = field(default_factory=list)  # (where, French text) of the current test
    typed: set[str] = field(default_factory=set)  # what people (tests) wrote to the database in this test
    pages: int = 0  # French pages and e-mails read over the session

    def add(self, where: str, text: str) -> None:
        self.read.append((where, text))
        self.pages += 1

    def without_typed(self, text: str) -> str:
        """The text without what people typed: their words are theirs, not the program's French. A
        non-space mark stands in, so a colon the program glues to a name is still found."""
        for value in sorted(self.typed, key=len, reverse=True):
            if value in text:
                text = text.replace(value, "\u25af")
        return text

    def findings(self) -> list[str]:
        seen, found = set(), []
        for where, text in self.read:
            for fault in faults(self.without_typed(text)):
                if fault not in seen:
                    seen.add(fault)
                    found.append(f"{where}: {fault}")
        return found


SCAN = FrenchScan()
REPORT = os.environ.get("COORD_FRENCH_SCAN_REPORT")  # a file: findings are written there, tests pass
FRENCH_PAGE = re.compile(r"<html[^>]*\blang=\"fr", re.IGNORECASE)


FEED_FIELDS = re.compile(r"^(?:DESCRIPTION|SUMMARY|LOCATION)[^:]*:(.*)$", re.MULTILINE)


def feed_french_text(body: str) -> str | None:
    """The descriptions, titles and places of a French calendar body (None for another language)."""
    unfolded = body.replace("\r\n ", "").replace("\n ", "")
    values = [
        value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";")
        for value in FEED_FIELDS.findall(unfolded)
    ]
    text = "\n".join(values)
    return text if "Détails\u00a0:" in text or "Détails :" in text else None


def _request_finished(sender, response, **extra) -> None:
    if (
        response.mimetype == "text/calendar"
        and not response.direct_passthrough
        and response.status_code == 200
    ):
        body = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        text = feed_french_text(body.decode("utf-8", "replace"))
        if text is not None:
            SCAN.add(f"feed {flask.request.path[:20]}…", text)
        return
    if response.mimetype != "text/html" or response.direct_passthrough or response.status_code >= 500:
        return
    body = response.get_data(as_text=True)
    if FRENCH_PAGE.search(body[:500]):
        SCAN.add(f"page {flask.request.method} {flask.request.path}", visible_text(body))


def email_french_text(message) -> str | None:
    """The subject and the text and HTML parts of a French e-mail (None for another language)."""
    if not str(message.get("Content-Language", "")).startswith("fr"):
        return None
    texts = [str(message.get("Subject", ""))]
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        charset = part.get_content_charset() or "utf-8"
        payload = (part.get_payload(decode=True) or b"").decode(charset, "replace")
        if part.get_content_subtype() == "html":
            texts.append(visible_text(payload))
        elif part.get_content_subtype() == "plain" and not part.get_filename():
            texts.append(payload)
    return "\n".join(texts)


def _wrap_delivery() -> None:
    from coord.notify import mail

    original = mail.deliver

    def deliver(message) -> None:
        text = email_french_text(message)
        if text is not None:
            SCAN.add(f"e-mail {message.get('Subject', '')!r}", text)
        original(message)

    mail.deliver = deliver


PROGRAM_TEXT = {"OutboxMessage", "AuditEntry"}  # rows whose text the program writes (rendered e-mails)
MIN_TYPED = 4


def _collect_typed(session, flush_context) -> None:
    from sqlalchemy import inspect as sa_inspect

    """String columns of the rows a test writes: titles, notes, names people typed."""
    for row in list(session.new) + list(session.dirty):
        if type(row).__name__ in PROGRAM_TEXT:
            continue
        for attribute in sa_inspect(row).mapper.column_attrs:
            _add_typed(getattr(row, attribute.key, None))


def _add_typed(value) -> None:
    """A string column's value and its lines; the strings inside a JSON column too."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            _add_typed(item)
        return
    if isinstance(value, str) and len(value.strip()) >= MIN_TYPED:
        lines = [line.strip() for line in value.splitlines()]
        SCAN.typed.update([value.strip(), *(line for line in lines if len(line) >= MIN_TYPED)])


def pytest_configure(config) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    config.addinivalue_line("markers", "expect_french_fault: the French scan must find a fault in this test")
    flask.request_finished.connect(_request_finished)
    event.listen(Session, "after_flush", _collect_typed)
    _wrap_delivery()


@pytest.fixture(autouse=True)
def french_scan(request):
    SCAN.read.clear()
    SCAN.typed.clear()
    yield SCAN
    found = SCAN.findings()
    SCAN.read.clear()
    if REPORT and found and not request.node.get_closest_marker("expect_french_fault"):
        with open(REPORT, "a", encoding="utf-8") as report:  # a survey of the suite, without failing it
            report.writelines(f"{request.node.nodeid}\t{line}\n" for line in found)
        return
    if request.node.get_closest_marker("expect_french_fault"):
        assert found, "the French scan found nothing where this test writes bad French on purpose"
    else:
        assert not found, "French that breaks the OQLF's rules:\n" + "\n".join(found[:15])
