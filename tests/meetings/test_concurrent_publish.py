"""Twenty coordinators (or clicks) at once: each change reaches each invitee once, nobody gets an error.

Each thread has its own session and connection; they are released together.
On PostgreSQL the row lock (coord.core.locks) makes the others wait and then find the work done; on SQLite the
database's write lock does the same.
"""

from __future__ import annotations

import threading
from collections import Counter

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings import agenda_publication, meeting_services, series_services
from coord.notify.models import OutboxMessage
from tests.calendar.factories import committee_with_people, local, person, single_meeting, weekly_series
from tests.meetings.factories import add

TRIES = 20


def _all_at_once(app, row_id: int, action) -> list[str]:
    """Run `action(row_id)` in TRIES threads released together; what each one ended with."""
    barrier = threading.Barrier(TRIES)
    results: list[str] = []

    def run():
        with app.test_request_context():
            try:
                barrier.wait(timeout=60)
                action(row_id)
                results.append("ok")
            except Exception as error:  # noqa: BLE001 (the test reports any failure)
                results.append(f"{type(error).__name__}: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(TRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _messages(app, template: str) -> Counter:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage.to_address).where(OutboxMessage.template == template)
        )
        return Counter(rows)


def _invitee_count(app, committee: int) -> int:
    with app.app_context():
        from coord.directory.models import CommitteeMembership

        query = sa.select(sa.func.count()).where(CommitteeMembership.committee_id == committee)
        return db.session.scalar(query)


def test_twenty_publishes_and_cancels_of_a_meeting_tell_each_invitee_once(app):
    committee, coordinator, _ = committee_with_people(app, members=3)
    meeting = single_meeting(app, coordinator, committee, start=local(2026, 12, 8, 13, 0), publish=False)
    actor = lambda: person(coordinator)  # noqa: E731 (a fresh Person in each thread's session)

    results = _all_at_once(app, meeting, lambda mid: meeting_services.publish_meeting(actor(), mid))
    assert results == ["ok"] * TRIES
    invited = _messages(app, "calendar/calendar_invitation")
    assert len(invited) == _invitee_count(app, committee) and set(invited.values()) == {1}

    results = _all_at_once(app, meeting, lambda mid: meeting_services.cancel_meeting(actor(), mid))
    assert results == ["ok"] * TRIES
    cancelled = _messages(app, "calendar/calendar_cancellation")
    assert cancelled.keys() == invited.keys() and set(cancelled.values()) == {1}


def test_twenty_publishes_and_cancels_of_a_series_tell_each_invitee_once(app):
    committee, coordinator, _ = committee_with_people(app, members=3)
    series = weekly_series(app, coordinator, committee, first_start=local(2026, 12, 1, 9, 30), publish=False)
    actor = lambda: person(coordinator)  # noqa: E731

    results = _all_at_once(app, series, lambda sid: series_services.publish_series(actor(), sid))
    assert results == ["ok"] * TRIES
    invited = _messages(app, "calendar/calendar_invitation")
    assert len(invited) == _invitee_count(app, committee) and set(invited.values()) == {1}

    results = _all_at_once(app, series, lambda sid: series_services.cancel_series(actor(), sid))
    assert results == ["ok"] * TRIES
    cancelled = _messages(app, "calendar/calendar_cancellation")
    assert cancelled.keys() == invited.keys() and set(cancelled.values()) == {1}


def test_twenty_publishes_of_an_agenda_send_it_once_and_never_fail(app):
    committee, coordinator, _ = committee_with_people(app, members=3)
    meeting = single_meeting(app, coordinator, committee, start=local(2026, 12, 8, 13, 0))
    add(app, coordinator, meeting, "Tour de table", 20)
    actor = lambda: person(coordinator)  # noqa: E731

    results = _all_at_once(app, meeting, lambda mid: agenda_publication.publish_agenda(actor(), mid))
    assert results == ["ok"] * TRIES
    sent = _messages(app, agenda_publication.TEMPLATE)
    assert len(sent) == _invitee_count(app, committee) and set(sent.values()) == {1}
