"""/outbox/: coordinators see messages needing attention and send a failed one again; others get a 403."""

from __future__ import annotations

from sqlalchemy import select

from coord.audit import AuditEntry
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.models import OutboxMessage, OutboxStatus
from coord.notify.outbox import queue_email
from tests.directory.factories import email_of, make_person
from tests.notify.conftest import free_port
from tests.notify.factories import eml_files, rows
from tests.support import csrf_token, logged_in, post_form, text


def failed_message(app, person_id: int, error: str = "SMTP 554 5.7.1 Refused") -> int:
    """A message whose attempts are spent (queued while Redis is unreachable, then marked failed)."""
    with app.app_context():
        message = queue_email(db.session.get(Person, person_id), "directory/password_reset")
        message.status, message.attempts, message.last_error = OutboxStatus.FAILED, 5, error
        db.session.commit()
        return message.id


def coordinator(app):
    return logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))


def audit_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(entry.action, entry.detail) for entry in db.session.scalars(select(AuditEntry))]


def test_intervenant_gets_403_and_an_audit_entry(app):
    client = logged_in(app.test_client(), email_of(app, make_person(app)))
    assert client.get("/outbox/").status_code == 403
    message_id = failed_message(app, make_person(app))
    assert post_form(client, f"/outbox/{message_id}/retry").status_code == 403
    assert audit_actions(app).count(("permission.denied", "outbox.manage")) == 2
    assert rows(app)[0].status == OutboxStatus.FAILED
    assert 'href="/outbox/"' not in text(client.get("/"))


def test_coordinator_sees_a_failed_message_and_sends_it_again(app):
    client = coordinator(app)
    address = email_of(app, person_id := make_person(app))
    message_id = failed_message(app, person_id)
    page = text(client.get("/outbox/"))
    assert 'href="/outbox/"' in page  # in the navigation
    assert address in page and "directory/password_reset" in page and "SMTP 554 5.7.1 Refused" in page
    assert 'class="outbox-failed"' in page and f'action="/outbox/{message_id}/retry"' in page
    response = post_form(client, f"/outbox/{message_id}/retry", token_page="/outbox/")
    assert response.status_code == 302 and response.headers["Location"] == "/outbox/"
    (row,) = rows(app)
    assert row.status == OutboxStatus.SENT and row.attempts == 6  # sent right after the commit
    (sent,) = eml_files(app)
    assert sent["To"] == address
    assert ("outbox.retry", "status=failed;attempts=5") in audit_actions(app)
    assert address not in text(client.get("/outbox/"))  # sent: no longer needs attention
    assert address in text(client.get("/outbox/?status=sent"))


def test_retry_needs_the_csrf_token(app):
    client = coordinator(app)
    message_id = failed_message(app, make_person(app))
    assert client.post(f"/outbox/{message_id}/retry").status_code == 400
    assert rows(app)[0].status == OutboxStatus.FAILED and eml_files(app) == []


def test_only_failed_or_uncertain_messages_can_be_retried(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nobody listens: the row waits
    client = coordinator(app)
    with app.app_context():
        queue_email(db.session.get(Person, make_person(app)), "directory/password_reset")
        db.session.commit()
    (waiting,) = rows(app)
    assert waiting.status == OutboxStatus.PENDING
    page = text(client.get("/outbox/"))
    assert 'class="outbox-pending"' in page and "/retry" not in page
    response = post_form(client, f"/outbox/{waiting.id}/retry", token_page="/outbox/", follow_redirects=True)
    assert 'class="flash flash-error"' in text(response)
    assert rows(app)[0].status == OutboxStatus.PENDING
    assert post_form(client, "/outbox/999999/retry", token_page="/outbox/").status_code == 404


def test_filter_and_paging_reject_garbage(app):
    client = coordinator(app)
    failed_message(app, make_person(app))
    assert client.get("/outbox/?status=failed").status_code == 200
    assert client.get("/outbox/?status=uncertain").status_code == 200
    assert client.get("/outbox/?status=bogus").status_code == 400
    assert client.get("/outbox/?page=abc").status_code == 400
    assert client.get("/outbox/?page=0").status_code == 404
    assert 'class="outbox-failed"' not in text(client.get("/outbox/?status=uncertain"))
    assert csrf_token(client, "/outbox/")


def test_pages_hold_fifty_messages(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    client = coordinator(app)
    person_id = make_person(app)
    with app.app_context():
        person = db.session.get(Person, person_id)
        for _ in range(51):
            queue_email(person, "directory/password_reset")
        db.session.commit()
        assert db.session.query(OutboxMessage).count() == 51
    first = text(client.get("/outbox/"))
    assert first.count('class="outbox-pending"') == 50 and 'rel="next"' in first
    assert text(client.get("/outbox/?page=2")).count('class="outbox-pending"') == 1
