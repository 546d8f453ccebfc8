"""No double booking under concurrency (Cal.com #13397): parallel confirmations of overlapping sessions
for one presenter, parallel bookings of the same open slot, parallel confirmations of one request. Each
attempt runs in its own thread with its own app context, session and connection; exactly one succeeds, the
others get the conflict's message. Run on PostgreSQL (COORD_TEST_DB=postgresql) and on SQLite."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord.core.errors import ServiceError
from coord.extensions import db
from coord.outreach import booking, slots, workflow
from coord.outreach.models import Assignment, OutreachRequest, Presenter
from tests.concurrency import race
from tests.outreach.factories_engine import coordinator, make_presenter, make_request, person, soon

ATTEMPTS = 20


def active_assignments(app, presenter_id: int) -> list[Assignment]:
    with app.app_context():
        return db.session.scalars(
            sa.select(Assignment).where(Assignment.presenter_id == presenter_id, Assignment.active.is_(True))
        ).all()


def test_twenty_parallel_confirmations_of_overlapping_sessions_let_exactly_one_through(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    requests = [make_request(app) for _ in range(ATTEMPTS)]
    start = soon(20, 9)

    def attempt(n: int) -> int:
        begins = start + timedelta(minutes=5 * n)  # all overlap one another
        return workflow.confirm(
            person(boss), requests[n], begins, begins + timedelta(minutes=90), [presenter]
        ).id

    won, refused = race(app, attempt, ATTEMPTS)
    assert len(won) == 1 and len(refused) == ATTEMPTS - 1
    assert all("a déjà une séance de sensibilisation" in message for message in refused), refused
    assert len(active_assignments(app, presenter)) == 1
    with app.app_context():
        states = db.session.scalars(sa.select(OutreachRequest.state)).all()
        assert sorted(states).count("confirmed") == 1 and states.count("requested") == ATTEMPTS - 1


def test_twenty_parallel_bookings_of_the_same_open_slot_let_exactly_one_through(app):
    presenter = make_presenter(app, windows=[(day, "09:00", "12:00") for day in range(7)])
    with app.app_context():
        slot = slots.open_slots([presenter])[0]
    requests = [make_request(app) for _ in range(ATTEMPTS)]

    def attempt(n: int) -> int:
        found = slots.find_slot(slot.id)
        if found is None:
            raise ServiceError("this time was just taken")
        request = db.session.get(OutreachRequest, requests[n])
        booking.assign(request, [db.session.get(Presenter, presenter)], found.starts_at, found.ends_at)
        db.session.commit()
        return request.id

    won, refused = race(app, attempt, ATTEMPTS)
    assert len(won) == 1 and len(refused) == ATTEMPTS - 1
    assert len(active_assignments(app, presenter)) == 1
    with app.app_context():
        assert slots.find_slot(slot.id) is None  # taken now


def test_twenty_parallel_confirmations_of_one_request_confirm_it_once(app):
    boss = coordinator(app)
    presenters = [make_presenter(app) for _ in range(ATTEMPTS)]
    request_id = make_request(app)
    start = soon(20, 13)

    def attempt(n: int) -> int:
        # Each coordinator's tab picks another presenter: one confirmation, one set of invitations.
        return workflow.confirm(
            person(boss), request_id, start, start + timedelta(hours=1), [presenters[n]]
        ).id

    won, refused = race(app, attempt, ATTEMPTS)
    assert len(won) == 1 and len(refused) == ATTEMPTS - 1
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        assert request.state == "confirmed" and len(request.presenters) == 1
        assert sum(a.active for a in db.session.scalars(sa.select(Assignment))) == 1
