"""The service contract: a public operation commits exactly once; the helpers that several operations
share (changing or cancelling a meeting, writing a revision) never commit."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from coord.calendar.invitations import Method
from coord.extensions import db
from coord.meetings import meeting_services, minutes, series_services
from tests.calendar.factories import (
    committee_with_people,
    local,
    meeting_of,
    person,
    single_meeting,
    weekly_series,
)


@contextmanager
def commits():
    """The number of commits of this request's session (in-process e-mail delivery uses its own)."""
    session = db.session()
    seen: list[int] = []

    def count(committed: Session) -> None:
        if committed is session:
            seen.append(1)

    event.listen(Session, "after_commit", count)
    try:
        yield seen
    finally:
        event.remove(Session, "after_commit", count)


def test_occurrence_and_meeting_operations_commit_once(app):
    committee, coordinator, _ = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee, first_start=local(2026, 10, 13, 9, 30))
    meeting_id = single_meeting(app, coordinator, committee)
    with app.app_context():
        actor = person(coordinator)
        with commits() as seen:
            series_services.cancel_occurrence(actor, series_id, local(2026, 10, 20, 9, 30))
        assert len(seen) == 1
        with commits() as seen:
            series_services.move_occurrence(
                actor,
                series_id,
                local(2026, 10, 27, 9, 30),
                local(2026, 10, 28, 9, 30),
                local(2026, 10, 28, 11),
            )
        assert len(seen) == 1
        with commits() as seen:
            series_services.prepare_occurrence(actor, series_id, local(2026, 11, 3, 9, 30))
        assert len(seen) == 1
        meeting = meeting_of(meeting_id)
        later = meeting_services.MeetingData(
            meeting.title, meeting.starts_at + timedelta(hours=1), meeting.ends_at + timedelta(hours=1)
        )
        with commits() as seen:
            meeting_services.update_meeting(actor, meeting_id, later)
        assert len(seen) == 1
        with commits() as seen:
            meeting_services.cancel_meeting(actor, meeting_id)
        assert len(seen) == 1


def test_shared_helpers_never_commit(app):
    committee, coordinator, _ = committee_with_people(app)
    meeting_id = single_meeting(app, coordinator, committee)
    with app.app_context():
        actor, meeting = person(coordinator), meeting_of(meeting_id)
        start = meeting.starts_at
        moved = meeting_services.MeetingData(
            meeting.title, meeting.starts_at + timedelta(days=1), meeting.ends_at + timedelta(days=1)
        )
        with commits() as seen:
            assert meeting_services.change(actor, meeting, moved) > 0
            assert meeting_services.announce(meeting, Method.REQUEST) > 0
            meeting_services.cancel(actor, meeting)
        assert seen == []
        db.session.rollback()
        assert not meeting_of(meeting_id).is_cancelled and meeting_of(meeting_id).starts_at == start


def test_minutes_saves_commit_once(app):
    committee, coordinator, _ = committee_with_people(app)
    start = local(2026, 1, 13, 9, 30)
    meeting_id = single_meeting(app, coordinator, committee, start=start)
    with app.app_context():
        actor = person(coordinator)
        with commits() as seen:
            minutes.save_minutes(actor, meeting_id, 0, "Notes", {}, [], [])
        assert len(seen) == 1
        with commits() as seen:
            minutes.circulate(actor, meeting_id)
        assert len(seen) == 1
