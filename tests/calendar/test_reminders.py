"""Reminders the day before, queued by the sweep: once per occurrence and person, none to who declined."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coord.calendar.answers import record_answer
from coord.calendar.models import Answer
from coord.extensions import db
from coord.meetings import meeting_services as services
from coord.notify.schedule import sweep
from tests.calendar.factories import (
    committee_with_people,
    person,
    sent_messages,
    series_of,
    single_meeting,
    weekly_series,
)
from tests.conferences.factories import schedule_conference


def reminders(app) -> list:
    return [m for m in sent_messages(app) if m["Subject"].startswith("Rappel")]


def test_each_invitee_gets_one_reminder_per_occurrence_whatever_the_number_of_sweeps(app):
    committee, coordinator, (member, declining) = committee_with_people(app)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    series_id = weekly_series(app, coordinator, committee, first_start=soon - timedelta(days=7))
    later_id = single_meeting(app, coordinator, committee, start=soon + timedelta(days=2))
    with app.app_context():
        series = series_of(series_id)
        record_answer(series.uid, person(declining), Answer.DECLINED)
        sweep()
        sweep()
    got = reminders(app)
    assert sorted(m["To"] for m in got) == sorted(person_emails(app, [coordinator, member]))
    assert all("Comité clinique" in m["Subject"] for m in got)
    assert later_id  # the meeting in two days is outside the 24-hour window: no reminder yet


def person_emails(app, ids) -> list[str]:
    with app.app_context():
        return [person(i).email for i in ids]


def test_no_reminder_for_a_cancelled_occurrence(app):
    committee, coordinator, _ = committee_with_people(app)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=5)
    meeting_id = single_meeting(app, coordinator, committee, start=soon)
    with app.app_context():
        services.cancel_meeting(person(coordinator), meeting_id)
        sweep()
    assert reminders(app) == []


def test_case_conference_reminder_is_redacted(app):
    conference_id, organizer, police = schedule_conference(app)
    with app.app_context():
        from coord.conferences.models import CaseConference

        conference = db.session.get(CaseConference, conference_id)
        conference.starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
        conference.ends_at = conference.starts_at + timedelta(hours=1)
        db.session.commit()
        sweep()
    got = [m for m in sent_messages(app) if m["Subject"].startswith(("Rappel", "Reminder"))]
    assert len(got) == 2
    for message in got:
        assert "fugue" not in message.as_string() and "J.T." not in message.as_string()
        assert "concertation" in message["Subject"] or "Case conference" in message["Subject"]
