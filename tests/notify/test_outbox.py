"""The outbox without Redis: one row per message in the change's transaction, sent once after the commit."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.core.localtime import utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.notify import schedule
from coord.notify.models import OutboxMessage, OutboxStatus
from coord.notify.outbox import deliver_message, queue_email
from tests.directory.factories import make_person
from tests.notify.conftest import free_port
from tests.notify.factories import eml_files, rows

ITIP = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def queue_reset(app, person_id: int, **kwargs) -> int:
    with app.app_context():
        message = queue_email(db.session.get(Person, person_id), "directory/password_reset", **kwargs)
        audit.record("test.change", actor=audit.SYSTEM)
        db.session.commit()
        return message.id


def test_commit_writes_the_row_and_the_e_mail_after_it(app):
    person_id = make_person(app)
    with app.app_context():
        message = queue_email(db.session.get(Person, person_id), "directory/password_reset")
        db.session.flush()
        assert eml_files(app) == []  # nothing leaves before the commit
        db.session.commit()
        uuid = message.uuid
    (sent,) = eml_files(app)
    assert sent["Message-ID"] == f"<{uuid}@coord.local>"
    (row,) = rows(app)
    assert row.status == OutboxStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.person_id == person_id and row.language == "fr"


def test_rollback_leaves_no_row_and_sends_nothing(app):
    person_id = make_person(app)
    with app.app_context():
        queue_email(db.session.get(Person, person_id), "directory/password_reset")
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # a later commit does not send the forgotten message either
    assert rows(app) == [] and eml_files(app) == []


def test_a_failed_change_takes_its_message_with_it(app):
    person_id = make_person(app)
    with app.app_context():
        person = db.session.get(Person, person_id)
        queue_email(person, "directory/password_reset")
        clash = Person(email=person.email, display_name="Clash", organization_id=person.organization_id)
        db.session.add(clash)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert rows(app) == [] and eml_files(app) == []


def test_only_ids_and_plain_values_are_stored(app):
    person_id = make_person(app)
    queue_reset(app, person_id, context={"meeting_id": 7, "starts": "2026-12-01T14:00:00+00:00"})
    (row,) = rows(app)
    stored = json.dumps(row.context)
    assert "token" not in stored and "/password/reset/" not in stored
    assert row.context["meeting_id"] == 7
    (sent,) = eml_files(app)
    assert "/password/reset/" in sent.get_body(("plain",)).get_content()  # the link is made when sending
    with app.app_context(), pytest.raises(TypeError):
        queue_email(db.session.get(Person, person_id), "directory/password_reset", context={"when": utcnow()})


def test_dedupe_key_queues_a_reminder_once(app):
    person_id = make_person(app)
    with app.app_context():
        person = db.session.get(Person, person_id)
        first = queue_email(person, "directory/password_reset", dedupe_key="reminder:meeting:7:24h")
        assert queue_email(person, "directory/password_reset", dedupe_key="reminder:meeting:7:24h") is None
        db.session.commit()
        assert first is not None
        assert queue_email(person, "directory/password_reset", dedupe_key="reminder:meeting:7:24h") is None
        assert (
            queue_email(person, "directory/password_reset", dedupe_key="reminder:meeting:8:24h") is not None
        )
        db.session.commit()
    assert len(rows(app)) == 2 and len(eml_files(app)) == 2


@pytest.mark.parametrize(
    ("language", "subject"),
    [("fr", "Choisissez un nouveau mot de passe coord"), ("en", "Choose a new coord password")],
)
def test_multipart_text_and_html_in_the_recipients_language(app, language, subject):
    queue_reset(app, make_person(app, preferred_language=language))
    (sent,) = eml_files(app)
    assert sent.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in sent.iter_parts()] == ["text/plain", "text/html"]
    assert sent["Subject"] == subject and sent["Content-Language"] == language
    assert f'lang="{language}-CA"' in sent.get_body(("html",)).get_content()


def test_itip_attachment_is_text_calendar_with_its_method(app):
    attachment = {"filename": "invitation.ics", "content_type": "text/calendar; method=REQUEST", "text": ITIP}
    queue_reset(app, make_person(app), attachments=[attachment])
    (sent,) = eml_files(app)
    assert sent.get_content_type() == "multipart/mixed"
    body, calendar = sent.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    # the invitation is also an alternative of the body, which is what Outlook and Gmail show as a meeting
    alternatives = list(body.iter_parts())
    assert [part.get_content_type() for part in alternatives] == ["text/plain", "text/html", "text/calendar"]
    assert alternatives[2].get_param("method") == "REQUEST"
    assert sent["Content-Language"] == "fr"
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST" and calendar.get_content_charset() == "utf-8"
    assert calendar.get_filename() == "invitation.ics"
    assert calendar.get_content().splitlines() == ITIP.splitlines()


def test_a_message_is_claimed_and_sent_once(app):
    message_id = queue_reset(app, make_person(app))
    with app.app_context():
        assert deliver_message(message_id) is None  # already sent: nothing to claim
    assert len(eml_files(app)) == 1


def test_builder_refuses_when_the_address_changed(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nobody listens: the row waits
    person_id = make_person(app)
    message_id = queue_reset(app, person_id)
    assert rows(app)[0].status == OutboxStatus.PENDING
    with app.app_context():
        db.session.get(Person, person_id).email = "new.address@example.org"
        db.session.commit()
        assert deliver_message(message_id) == OutboxStatus.FAILED
    (row,) = rows(app)
    assert "address" in row.last_error and eml_files(app) == []


def test_stale_send_becomes_uncertain_and_is_never_resent(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0", NOTIFY_SENDING_TIMEOUT=60)
    message_id = queue_reset(app, make_person(app))
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        message.status, message.attempts = OutboxStatus.SENDING, 1
        message.claimed_at = utcnow() - timedelta(seconds=61)
        db.session.commit()
        result = schedule.sweep()
        assert result.uncertain == 1 and result.dispatched == 0
        assert deliver_message(message_id) is None
    (row,) = rows(app)
    assert row.status == OutboxStatus.UNCERTAIN and row.attempts == 1 and eml_files(app) == []


def test_smtp_refusals_temporary_then_permanent(make_app, mailbox):
    app = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port, NOTIFY_MAX_ATTEMPTS=3, NOTIFY_RETRY_DELAYS=[0]
    )
    mailbox.reply = "451 4.3.0 Try again later"
    temporary = queue_reset(app, make_person(app))
    (row,) = rows(app)
    assert row.status == OutboxStatus.PENDING and row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at is not None
    mailbox.reply = "554 5.7.1 Refused"
    permanent = queue_reset(app, make_person(app))
    assert {row.id: (row.status, row.attempts) for row in rows(app)}[permanent] == (OutboxStatus.FAILED, 1)
    mailbox.reply = None
    result = app.test_cli_runner().invoke(args=["send-pending"])
    assert result.exit_code == 0 and "1 message(s) dispatched" in result.output, result.output
    assert {row.id: row.status for row in rows(app)} == {
        temporary: OutboxStatus.SENT,
        permanent: OutboxStatus.FAILED,
    }
    assert len(mailbox.messages) == 1 and len(mailbox.attempts) == 3


def test_periodic_task_queues_its_reminder_once(app, monkeypatch):
    person_id = make_person(app)

    def remind() -> None:
        queue_email(
            db.session.get(Person, person_id), "directory/password_reset", dedupe_key=f"test:{person_id}"
        )

    monkeypatch.setitem(schedule._PERIODIC, "test.reminder", remind)
    runner = app.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["send-pending"]).exit_code == 0
    assert len(rows(app)) == 1 and len(eml_files(app)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output
