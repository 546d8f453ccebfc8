"""What a review of the outreach module found: each case fails without its fix."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.core.errors import ServiceError
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.notify.outbox import Undeliverable, render
from coord.outreach import presenters as presenter_services
from coord.outreach import reminders, workflow
from coord.outreach.models import OutreachSettings
from coord.outreach.settings import current
from coord.outreach.workflow import WindowData
from tests.directory.factories import email_of
from tests.outreach.factories_engine import coordinator, get, make_presenter, make_request, person, soon
from tests.support import logged_in, post_form


def _confirmed(app, days=20):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app, contact_email="ecole@example.org")
    start = soon(days, 10)
    with app.app_context():
        workflow.confirm(person(boss), request_id, start, start + timedelta(minutes=90), [presenter])
    return boss, presenter, request_id, start


def test_one_ask_for_another_time_at_a_time(app):
    _, _, request_id, _ = _confirmed(app)
    windows = [WindowData(soon(40, 9), soon(40, 12))]
    with app.app_context():
        workflow.ask_reschedule(None, request_id, windows, "")
        with pytest.raises(ServiceError, match="déjà|already"):
            workflow.ask_reschedule(None, request_id, [WindowData(soon(41, 9), soon(41, 12))], "")
        asks = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.template == "outreach/staff")
        )
        assert get(app, request_id).windows[0].starts_at == windows[0].starts_at
    assert asks >= 1


def test_a_reminder_waiting_for_a_retry_is_not_sent_once_the_session_is_cancelled_or_moved(app):
    boss, _, request_id, start = _confirmed(app)
    with app.app_context():
        reminders.queue_reminders(start - timedelta(hours=23))
        db.session.commit()
        waiting = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("%remind%"))
        ).all()
        assert waiting
        workflow.cancel(person(boss), request_id, "program", "Tempête")
        for message in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("%remind%"))
        ):
            with pytest.raises(Undeliverable):
                render(message)


def test_zero_people_reached_can_be_recorded(app):
    boss, _, request_id, start = _confirmed(app)
    with app.app_context():
        request = get(app, request_id)
        request.starts_at, request.ends_at = soon(-1, 10), soon(-1, 11)
        db.session.commit()
        ref = request.ref
    client = logged_in(app.test_client(), email_of(app, boss))
    response = post_form(
        client,
        f"/outreach/requests/{ref}/outcome",
        {"people_reached": "0", "audiences": ["youth"]},
        token_page=f"/outreach/requests/{ref}",
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    with app.app_context():
        assert (get(app, request_id).state, get(app, request_id).people_reached) == ("held", 0)


def test_a_presenter_no_longer_offered_keeps_their_session_movable(app):
    boss, presenter, request_id, start = _confirmed(app)
    with app.app_context():
        presenter_services.deactivate(person(boss), presenter)
        later = start + timedelta(hours=2)
        workflow.reschedule(person(boss), request_id, later, later + timedelta(minutes=90), [presenter])
        assert get(app, request_id).starts_at == later
        other = make_request(app)
        with pytest.raises(ServiceError):  # but no new session for them
            workflow.confirm(person(boss), other, soon(25, 10), soon(25, 11), [presenter])


def test_reading_the_settings_writes_nothing(app, client):
    with app.app_context():
        assert current().minimum_notice_days == 10
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachSettings)) == 0
    assert client.get("/outreach/request").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachSettings)) == 0
