"""The leak scan: no participant code, referral note or case conference content in any feed, e-mail, URL or
log line produced during the test session.

While the tests run, it collects
- the confidential values every test writes to the database (participant codes and private notes, referral
  notes and feedback, case conferences' titles and notes, and the agenda and minutes of hosted meetings),
  as the rows are flushed;
- what leaves the application by a side channel: every requested URL (path and query) and redirect
  address, every calendar body (text/calendar), every e-mail handed to delivery (the whole message, its
  .ics included) and every queued outbox row (its context and attachments), every log record.

After each test, what that test sent out is searched for every participant code and referral text seen so
far in the session (codes repeat from one test's database to the next, so a code made by any test counts)
and for the conference content that test wrote. A leak fails
the test in its teardown, naming the channel. `@pytest.mark.expect_leak` turns it around: the test fails
unless the scan finds a leak (it proves the scan sees each channel).
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass, field

import flask
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

MIN_LENGTH = 8  # shorter values ("ok", "RAS") would match ordinary words
MIN_LINE = 16  # lines of a multi-line text, searched on their own (Markdown may reflow the rest)

# model name -> its confidential columns (the scan names modules: it is test code, not the app). Codes and
# referral texts are searched for in every later test too (a code made by one test is made again by the
# next); conference content is searched for in the test that wrote it (agenda titles like "Ouverture" are
# also, rightly, in committee e-mails of other tests).
CONFIDENTIAL = {
    "Participant": ("code", "private_note"),
    "Referral": ("note", "decline_note", "feedback", "services_other"),
}
CONFIDENTIAL_IN_TEST = {"CaseConference": ("title", "notes")}
# Content of a hosted meeting (a case conference's agenda and minutes): model name -> its text columns.
HOSTED_CONTENT = {
    "AgendaItem": ("title", "description"),
    "Decision": ("text",),
    "ActionItem": ("description",),
    "MinutesComment": ("text",),
}


@dataclass
class Scan:
    values: set[str] = field(default_factory=set)  # for the whole session
    test_values: set[str] = field(default_factory=set)  # for the current test
    hosted_meetings: set[int] = field(default_factory=set)
    hosted_minutes: set[int] = field(default_factory=set)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (channel, text) of the current test

    def add_value(self, value: object, session: bool = True) -> None:
        if isinstance(value, dict):
            for item in value.values():
                self.add_value(item, session)
            return
        if not isinstance(value, str):
            return
        found = self.values if session else self.test_values
        text = value.strip()
        if len(text) >= MIN_LENGTH:
            found.add(text)
        for line in text.splitlines():
            if len(line.strip()) >= MIN_LINE:
                found.add(line.strip())

    def out(self, channel: str, text: object) -> None:
        if text:
            self.sent.append((channel, text if isinstance(text, str) else repr(text)))

    def leaks(self) -> list[str]:
        found = []
        for channel, text in self.sent:
            for value in self.values | self.test_values:
                if value in text:
                    found.append(f"{channel}: {value[:40]!r} in {text[:200]!r}")
        return found


SCAN = Scan()


def _collect(session: Session, flush_context) -> None:
    for row in list(session.new) + list(session.dirty):
        name = type(row).__name__
        for column in CONFIDENTIAL.get(name, ()):
            SCAN.add_value(getattr(row, column, None))
        for column in CONFIDENTIAL_IN_TEST.get(name, ()):
            SCAN.add_value(getattr(row, column, None), session=False)
        if name == "Meeting" and getattr(row, "host", None):
            SCAN.hosted_meetings.add(row.id)
            SCAN.add_value(row.title, session=False)
            SCAN.add_value(row.notes, session=False)
        if name == "Minutes" and row.meeting_id in SCAN.hosted_meetings:
            SCAN.hosted_minutes.add(row.id)
            SCAN.add_value(row.content, session=False)
        meeting_id = getattr(row, "meeting_id", None)
        minutes_id = getattr(row, "minutes_id", None)
        if meeting_id in SCAN.hosted_meetings or minutes_id in SCAN.hosted_minutes:
            for column in HOSTED_CONTENT.get(name, ()):
                SCAN.add_value(getattr(row, column, None), session=False)
        if name == "OutboxMessage":
            SCAN.out("outbox row", repr(row.context))
            SCAN.out("outbox attachment", repr(row.attachments))


def _request_started(sender, **extra) -> None:
    SCAN.out("URL", flask.request.full_path)
    if flask.request.referrer:
        SCAN.out("Referer", flask.request.referrer)


def _request_finished(sender, response, **extra) -> None:
    location = response.headers.get("Location")
    if location:
        SCAN.out("redirect", location)
    if response.mimetype == "text/calendar" and not response.direct_passthrough:
        body = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        SCAN.out("feed", body.decode("utf-8", "replace"))


class _LogCollector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not format: scan the raw parts
            message = f"{record.msg} {record.args!r}"
        SCAN.out(f"log {record.name}", message)


def email_text(message) -> str:
    """Headers and every part, decoded (quoted-printable and base64 would hide a value)."""
    texts = [f"{key}: {value}" for key, value in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)


def _wrap_delivery() -> None:
    from coord.notify import mail

    original = mail.deliver

    def deliver(message) -> None:
        SCAN.out("e-mail", email_text(message))
        original(message)

    mail.deliver = deliver


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "expect_leak: the leak scan must find a leak in this test")
    event.listen(Session, "after_flush", _collect)
    flask.request_started.connect(_request_started)
    flask.request_finished.connect(_request_finished)
    if logging.getLogger("coord").level == logging.NOTSET:
        logging.getLogger("coord").setLevel(logging.INFO)  # the app's own info lines are scanned too
    _wrap_delivery()


_COLLECTOR = None


def _attach_log_collector() -> None:
    """On the root logger, again before each test: a library may have replaced the root's handlers."""
    global _COLLECTOR
    if _COLLECTOR is None:
        _COLLECTOR = _LogCollector(level=logging.DEBUG)
    root = logging.getLogger()
    if _COLLECTOR not in root.handlers:
        root.addHandler(_COLLECTOR)


@pytest.fixture(autouse=True)
def leak_scan(request):
    _attach_log_collector()
    SCAN.sent.clear()
    # Row ids repeat from one test's database to the next: which meetings are hosted is known per test
    # (the confidential values themselves are kept for the whole session).
    SCAN.hosted_meetings.clear()
    SCAN.hosted_minutes.clear()
    SCAN.test_values.clear()
    yield SCAN
    leaks = SCAN.leaks()
    SCAN.sent.clear()
    if request.node.get_closest_marker("expect_leak"):
        assert leaks, "the leak scan found nothing where this test leaks on purpose"
    else:
        assert not leaks, "confidential content left by a side channel:\n" + "\n".join(leaks[:10])
