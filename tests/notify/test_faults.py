"""Faults, with a real redis-server and a real SMTP server: Redis down during a change, SMTP refusing,
and a worker killed right after the SMTP server accepted a message."""

from __future__ import annotations

import logging
import signal
from contextlib import contextmanager

from sqlalchemy import select

from coord.directory.models import Person
from coord.extensions import db
from coord.notify.models import OutboxStatus
from coord.notify.schedule import sweep
from coord.notify.worker import run_worker
from tests.directory.factories import email_of, make_person
from tests.notify.conftest import wait_for
from tests.notify.factories import rows
from tests.support import csrf_token, logged_in, post_form, text


@contextmanager
def signal_handlers_kept():
    """rq's worker installs SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def burst(app) -> None:
    """An rq worker in this process until the queue is empty (its first step enqueues a sweep)."""
    with app.app_context(), signal_handlers_kept():
        run_worker(app, burst=True, simple=True)


def coordinator(app):
    return logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))


def invite(client, organization_id: int, address: str):
    return post_form(
        client,
        "/people/new",
        {
            "email": address,
            "display_name": "Nouvelle Personne",
            "organization_id": organization_id,
            "preferred_language": "fr",
            "roles": ["intervenant"],
            "send_invitation": "y",
        },
    )


def organization_of(app, person_id: int) -> int:
    with app.app_context():
        return db.session.get(Person, person_id).organization_id


def status(app) -> str:
    (row,) = rows(app)
    return row.status


def test_redis_down_during_a_change_then_sent_once_when_it_is_back(make_app, redis_server, mailbox, caplog):
    app = make_app(
        REDIS_URL=redis_server.url, MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port, NOTIFY_SWEEP_SECONDS=1
    )
    client = coordinator(app)
    organization_id = organization_of(app, make_person(app))
    redis_server.stop()
    caplog.set_level(logging.WARNING, logger="coord.notify")

    assert invite(client, organization_id, "invitee@example.org").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Person.id).where(Person.email == "invitee@example.org"))
    (row,) = rows(app)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0) and mailbox.attempts == []
    warnings = [record.getMessage() for record in caplog.records if record.name == "coord.notify.dispatch"]
    assert any("Redis unavailable" in warning for warning in warnings)
    assert not any("invitee" in record.getMessage() for record in caplog.records)

    redis_server.start()  # on the same port, empty: nothing of the lost dispatch survives
    burst(app)
    wait_for(lambda: status(app) == OutboxStatus.SENT, "the waiting invitation to be sent")
    (message,) = mailbox.messages
    assert message["To"] == "invitee@example.org"
    assert message["Message-ID"] == f"<{rows(app)[0].uuid}@coord.local>"

    with app.app_context():
        sweep()
    burst(app)
    assert len(mailbox.messages) == 1 and rows(app)[0].attempts == 1


def test_smtp_refusing_retries_with_backoff_then_fails_visibly_and_the_retry_sends_once(
    make_app, redis_server, mailbox, start_worker
):
    app = make_app(
        REDIS_URL=redis_server.url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=mailbox.port,
        NOTIFY_MAX_ATTEMPTS=3,
        NOTIFY_RETRY_DELAYS=[1, 2],
        NOTIFY_SWEEP_SECONDS=3600,  # the retries come from rq's scheduler, not from the sweep
    )
    mailbox.reply = "451 4.3.0 Mailbox busy, try again later"
    client = coordinator(app)
    worker = start_worker(app)
    assert invite(client, organization_of(app, make_person(app)), "invitee@example.org").status_code == 302

    wait_for(lambda: status(app) == OutboxStatus.FAILED, "three refused attempts, then failed")
    (row,) = rows(app)
    assert row.attempts == 3 and len(mailbox.attempts) == 3 and mailbox.messages == []
    assert row.last_error.startswith("SMTP 451")
    first, second, third = mailbox.attempts
    assert second - first >= 0.9 and third - second >= 1.9  # the configured delays, at least

    page = text(client.get("/outbox/"))
    assert 'class="outbox-failed"' in page and "invitee@example.org" in page and "SMTP 451" in page
    mailbox.reply = None
    token = csrf_token(client, "/outbox/")
    response = client.post(f"/outbox/{row.id}/retry", data={"csrf_token": token})
    assert response.status_code == 302
    wait_for(lambda: status(app) == OutboxStatus.SENT, "the retried message to be sent")
    assert len(mailbox.messages) == 1 and rows(app)[0].attempts == 4
    worker.stop()
    assert len(mailbox.messages) == 1, worker.output()


def test_worker_killed_after_sending_never_sends_twice(make_app, redis_server, mailbox, start_worker):
    app = make_app(
        REDIS_URL=redis_server.url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=mailbox.port,
        NOTIFY_SENDING_TIMEOUT=1,
        NOTIFY_SWEEP_SECONDS=1,
    )
    first = start_worker(app)
    mailbox.on_data = first.kill  # the SMTP server has the whole message; the sender dies before "250"
    client = coordinator(app)
    assert invite(client, organization_of(app, make_person(app)), "invitee@example.org").status_code == 302

    wait_for(lambda: len(mailbox.messages) == 1, "the message to reach the SMTP server")
    first.process.wait(timeout=30)
    assert status(app) == OutboxStatus.SENDING

    second = start_worker(app)
    wait_for(lambda: status(app) == OutboxStatus.UNCERTAIN, "the next sweep to mark the send uncertain")
    with app.app_context():
        sweep()
    second.stop()
    assert len(mailbox.messages) == 1 and len(mailbox.attempts) == 1, second.output()
    (row,) = rows(app)
    assert row.attempts == 1 and row.sent_at is None
    page = text(client.get("/outbox/?status=uncertain"))
    assert 'class="outbox-uncertain"' in page and "invitee@example.org" in page
    assert f'action="/outbox/{row.id}/retry"' in page
