"""The issue's figure: 50 people register at once for a session with 10 seats. Each registration runs in its
own thread with its own app context, session and connection, released together by a barrier. Exactly 10
seats, 40 on the waiting list, positions 1 to 40 without gap or duplicate. Runs on PostgreSQL
(COORD_TEST_DB=postgresql) and on SQLite."""

from __future__ import annotations

import pytest

from coord.extensions import db
from coord.training import registration, waitlist
from coord.training.models import Registration
from tests.concurrency import race
from tests.training.factories_reg import make_session, partner, partner_org, person, registrations

ATTEMPTS = 50


@pytest.fixture
def app(make_app):
    """An app whose pool has a connection for every thread."""
    options = make_app().config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    return make_app(SQLALCHEMY_ENGINE_OPTIONS={**options, "pool_size": ATTEMPTS + 2, "max_overflow": 5})


def test_fifty_parallel_registrations_for_ten_seats(app):
    session_id = make_session(app, capacity=10)
    organization = partner_org(app)
    people = [partner(app, organization) for _ in range(ATTEMPTS)]

    def attempt(n: int) -> int:
        return registration.register_self(person(people[n]), session_id).id

    won, refused = race(app, attempt, ATTEMPTS)
    assert len(won) == ATTEMPTS and not refused
    rows = registrations(app, session_id)
    assert sorted(r.status for r in rows).count("registered") == 10
    assert [r.status for r in rows].count("waiting") == 40
    with app.app_context():
        positions = sorted(
            waitlist.position(db.session.get(Registration, r.id)) for r in rows if r.status == "waiting"
        )
    assert positions == list(range(1, 41))
    assert len({r.person_id for r in rows}) == ATTEMPTS


def test_the_same_person_registering_twenty_times_at_once_gets_one_place(app):
    session_id = make_session(app, capacity=10)
    someone = partner(app)

    def attempt(n: int) -> int:
        return registration.register_self(person(someone), session_id).id

    won, refused = race(app, attempt, 20)
    assert len(won) == 1 and len(refused) == 19
    assert all("déjà inscrit" in message for message in refused), refused
    assert [r.status for r in registrations(app, session_id)] == ["registered"]
