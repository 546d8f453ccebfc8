"""Two coordinators at once: overlapping windows for one presenter, or one person published twice — exactly
one change goes through, the others get the form's message (never a 500, never an overlap)."""

from __future__ import annotations

import threading
from datetime import time

import sqlalchemy as sa

from coord.core.errors import ServiceError
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach import presenters
from coord.outreach.models import AvailabilityWindow, Presenter
from tests.directory.factories import make_person
from tests.outreach.factories_admin import make_presenter, partner_person

ATTEMPTS = 8


def _in_parallel(app, coordinator_id: int, action) -> list[str]:
    """Run `action(coordinator, n)` in ATTEMPTS threads, each with its own app context and session;
    returns "ok" or the refusal's message for each."""
    barrier = threading.Barrier(ATTEMPTS)
    results: list[str] = []

    def attempt(n: int) -> None:
        with app.app_context():
            coordinator = db.session.get(Person, coordinator_id)
            barrier.wait()
            try:
                action(coordinator, n)
                results.append("ok")
            except ServiceError as error:
                db.session.rollback()
                results.append(str(error.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_overlapping_windows_added_at_once_one_goes_through(app):
    coordinator_id = make_person(app, roles=("coordinator",))
    presenter_id = make_presenter(app)
    results = _in_parallel(
        app,
        coordinator_id,
        lambda coordinator, n: presenters.add_window(coordinator, presenter_id, 1, time(9, n), time(12, n)),
    )
    assert sorted(results, key=lambda r: r != "ok")[0] == "ok" and results.count("ok") == 1, results
    assert all("chevauche une autre plage" in r for r in results if r != "ok"), results
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).where(AvailabilityWindow.presenter_id == presenter_id)
        )
        assert count == 1


def test_one_person_published_twice_at_once_once(app):
    coordinator_id = make_person(app, roles=("coordinator",))
    person_id = partner_person(app)
    results = _in_parallel(
        app, coordinator_id, lambda coordinator, n: presenters.publish(coordinator, person_id, ["fr"])
    )
    assert results.count("ok") == 1, results
    assert all("figure déjà parmi" in r for r in results if r != "ok"), results
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Presenter.person_id == person_id)) == 1
