"""Sessions through their services: create, change, confirm, cancel; bad input refused with a message
naming the field; trainers busy elsewhere; a request turned into a session."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.calendar import freebusy
from coord.calendar.sources import Window
from coord.core.errors import ServiceError
from coord.core.permissions import PermissionDenied
from coord.extensions import db
from coord.training import sessions
from coord.training.models import Registration, TrainingRequest, TrainingSession
from tests.directory.factories import make_person
from tests.training.factories_ses import (
    coordinator,
    in_days,
    make_session,
    module_id,
    outbox,
    person,
    register,
    session_input,
)


def _refused(app, boss, **values) -> ServiceError:
    with app.app_context(), pytest.raises(ServiceError) as caught:
        sessions.create(person(boss), session_input(**values))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0
    return caught.value


def test_create_keeps_the_times_in_step_with_the_parts_and_audits(app):
    boss = coordinator(app)
    first, second = in_days(40), in_days(41)
    session_id = make_session(
        app, boss, parts=[(second, time(13), time(16)), (first, time(9), time(12)), (None, None, None)]
    )
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        assert session.status == "planned"
        assert [p.starts_at for p in session.parts] == [session.starts_at, session.parts[1].starts_at]
        assert session.starts_at.astimezone(session.parts[0].starts_at.tzinfo) < session.ends_at
        assert len(session.parts) == 2
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(AuditEntry.action == "training.session.create")
            )
            == 1
        )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"capacity": 1001}, "capacity"),
        ({"parts": [(in_days(30), time(12), time(9))]}, "parts-0-end"),
        ({"parts": [(in_days(30), time(9), time(12)), (in_days(30), time(11), time(13))]}, "parts-1-start"),
        (
            {
                "parts": [(date(2027, 3, 14), time(2, 30), time(4))],
                "registration_opens": date(2027, 3, 1),
                "registration_closes": date(2027, 3, 10),
            },
            "parts-0-start",
        ),
        ({"registration_closes": in_days(30)}, "registration_closes"),
        ({"registration_opens": in_days(10), "registration_closes": in_days(5)}, "registration_closes"),
        ({"parts": []}, "parts-0-day"),
        ({"per_organization_limit": 0}, "per_organization_limit"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
    ],
)
def test_bad_input_is_refused_with_its_field(app, values, field):
    boss = coordinator(app)
    with app.app_context():
        values = {k: v for k, v in values.items()}
    error = _refused(app, boss, **values)
    assert error.field == field


def test_the_french_message_for_a_capacity_of_zero(app):
    boss = coordinator(app)
    error = _refused(app, boss, capacity=0)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert "1" in str(error.message)


def test_only_the_coordinator_creates(app):
    someone = make_person(app)
    with app.app_context(), pytest.raises(PermissionDenied):
        sessions.create(person(someone), session_input())


def test_a_trainer_busy_with_another_session_is_refused_by_name(app):
    boss = coordinator(app)
    trainer = make_person(app, display_name="Élodie Formatrice")
    first = make_session(app, boss, trainer_ids=[trainer])
    with app.app_context():
        session = db.session.get(TrainingSession, first)
        busy = freebusy.busy_times(trainer, Window(session.starts_at - timedelta(hours=1), session.ends_at))
        assert [(b.start, b.end) for b in busy] == [(session.starts_at, session.ends_at)]
    error = None
    with app.app_context(), pytest.raises(ServiceError) as caught:
        sessions.create(person(boss), session_input(code="crisis", trainer_ids=[trainer]))
    error = caught.value
    assert error.field == "trainer_ids"
    assert "Élodie Formatrice" in str(error.message)
    with app.app_context():  # the session's own parts do not make its trainer busy for itself
        data = session_input(trainer_ids=[trainer], capacity=12)
        assert sessions.change(person(boss), first, data).capacity == 12


def test_confirm_needs_a_trainer_and_a_place(app):
    boss = coordinator(app)
    session_id = make_session(app, boss, place="")
    with app.app_context(), pytest.raises(ServiceError) as caught:
        sessions.confirm(person(boss), session_id)
    assert caught.value.field == "trainer_ids"
    trainer = make_person(app)
    with app.app_context():
        sessions.change(
            person(boss),
            session_id,
            session_input(place="", video_url="https://meet.example.org/x", trainer_ids=[trainer]),
        )
        assert sessions.confirm(person(boss), session_id).status == "confirmed"
        assert (
            sessions.confirm(person(boss), session_id).status == "confirmed"
        )  # a second click: nothing more
        assert len(outbox("training/session_notice")) == 1


def test_a_change_of_time_raises_the_sequence_and_tells_registrants_and_trainers(app):
    boss = coordinator(app)
    trainer = make_person(app, preferred_language="en")
    session_id = make_session(app, boss, trainer_ids=[trainer])
    with app.app_context():
        sessions.confirm(person(boss), session_id)
    registrant = make_person(app)
    register(app, session_id, person_id=registrant)
    register(app, session_id)  # an outside person
    register(app, session_id, status="waiting")
    with app.app_context():
        before = len(outbox())
        session = db.session.get(TrainingSession, session_id)
        uids = [p.uid for p in session.parts]
        later = in_days(31)
        changed = sessions.change(
            person(boss),
            session_id,
            session_input(trainer_ids=[trainer], parts=[(later, time(10), time(13))]),
        )
        assert changed.sequence == 1
        assert [p.uid for p in changed.parts] == uids
        sent = outbox("training/session_notice")[before - 0 :][-3:]
        assert {m.context["kind"] for m in sent} == {"changed"}
        assert (
            len(outbox()) - before == 3
        )  # trainer, partner registrant, outside registrant; not the waiting one
        english = next(m for m in sent if m.person_id == trainer)
        assert english.language == "en"
        ics = english.attachments[0]["text"]
        assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics
        assert "Alex Dehors" not in ics


def test_capacity_below_the_seats_taken_is_refused(app):
    boss = coordinator(app)
    session_id = make_session(app, boss, capacity=3)
    register(app, session_id)
    register(app, session_id)
    with app.app_context(), pytest.raises(ServiceError) as caught:
        sessions.change(person(boss), session_id, session_input(capacity=1))
    assert caught.value.field == "capacity"
    assert "2" in str(caught.value.message)
    with app.app_context():
        assert sessions.change(person(boss), session_id, session_input(capacity=2)).capacity == 2


def test_cancel_cancels_every_registration_and_tells_everyone(app):
    boss = coordinator(app)
    trainer = make_person(app)
    session_id = make_session(app, boss, trainer_ids=[trainer])
    seated = register(app, session_id)
    waiting = register(app, session_id, status="waiting")
    with app.app_context(), pytest.raises(ServiceError):
        sessions.cancel(person(boss), session_id, "  ")
    with app.app_context():
        sessions.cancel(person(boss), session_id, "Tempête de neige")
        assert {r.status for r in db.session.scalars(sa.select(Registration))} == {"cancelled"}
        messages = outbox("training/session_notice")
        kinds = {m.to_address: m.context["kind"] for m in messages}
        seated_row, waiting_row = db.session.get(Registration, seated), db.session.get(Registration, waiting)
        assert kinds[seated_row.email] == "cancelled"
        assert kinds[waiting_row.email] == "cancelled_waiting"
        cancel_ics = next(m for m in messages if m.to_address == seated_row.email).attachments[0]["text"]
        assert "METHOD:CANCEL" in cancel_ics
        assert not next(m for m in messages if m.to_address == waiting_row.email).attachments
        assert len(messages) == 3
        sessions.cancel(person(boss), session_id, "encore")  # a second click: nothing more
        assert len(outbox("training/session_notice")) == 3
        with pytest.raises(ServiceError):
            sessions.change(person(boss), session_id, session_input())


def test_a_request_becomes_a_session(app):
    boss = coordinator(app)
    with app.app_context():
        request = TrainingRequest(
            module_id=module_id("crisis"),
            organization_name="CLSC du Plateau",
            contact_name="Annie Tremblay",
            contact_email="annie@clsc.example.org",
            audience="Intervenantes",
            expected_size=15,
            period_start=in_days(20),
            period_end=in_days(60),
            details="Au 2e étage.",
        )
        db.session.add(request)
        db.session.commit()
        ref = request.ref
        session = sessions.create(person(boss), session_input(code="crisis", audience="open"), ref)
        request = db.session.get(TrainingRequest, request.id)
        assert request.status == "scheduled" and request.handled_by_id == boss
        assert session.request_id == request.id
        [message] = outbox("training/session_from_request")
        assert message.to_address == "annie@clsc.example.org"
        assert message.context["url"].endswith(f"/trainings/{session.ref}")
        with pytest.raises(ServiceError):
            sessions.create(person(boss), session_input(code="crisis"), ref)
