"""The calendar's free/busy service: a person's busy times across every module's events."""

from __future__ import annotations

from datetime import timedelta

from coord.calendar.answers import record_answer
from coord.calendar.freebusy import busy_times, conflicts
from coord.calendar.models import Answer
from coord.calendar.sources import Window
from coord.meetings import meeting_services
from tests.calendar.factories import (
    committee_with_people,
    local,
    meeting_of,
    person,
    single_meeting,
    weekly_series,
)
from tests.conferences.factories import schedule_conference


def _window(start, days=1):
    return Window(start, start + timedelta(days=days))


def test_a_published_meeting_makes_its_invitees_busy(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    start = local(2026, 12, 8, 13, 0)
    meeting_id = single_meeting(app, coordinator, committee, start=start)
    with app.app_context():
        busy = busy_times(member, _window(local(2026, 12, 8, 0, 0)))
        assert [(b.start, b.end, b.kind) for b in busy] == [(start, start + timedelta(hours=1), "meeting")]
        assert busy[0].uid == meeting_of(meeting_id).uid
        assert conflicts(member, start + timedelta(minutes=59), start + timedelta(hours=2))
        assert not conflicts(member, start + timedelta(hours=1), start + timedelta(hours=2))
        assert not conflicts(member, start - timedelta(hours=1), start)


def test_an_unpublished_or_cancelled_meeting_or_a_declined_one_is_not_busy(app):
    committee, coordinator, (member, other) = committee_with_people(app)
    draft_start = local(2026, 12, 8, 9, 0)
    single_meeting(app, coordinator, committee, start=draft_start, publish=False)
    cancelled_start = local(2026, 12, 8, 13, 0)
    cancelled = single_meeting(app, coordinator, committee, start=cancelled_start)
    declined_start = local(2026, 12, 8, 15, 0)
    declined = single_meeting(app, coordinator, committee, start=declined_start)
    with app.app_context():
        meeting_services.cancel_meeting(person(coordinator), cancelled)
        record_answer(meeting_of(declined).uid, person(member), Answer.DECLINED)
        day = _window(local(2026, 12, 8, 0, 0))
        assert busy_times(member, day) == []
        assert [b.start for b in busy_times(other, day)] == [declined_start]


def test_a_series_is_busy_at_each_occurrence_in_wall_clock_time_across_dst(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    weekly_series(app, coordinator, committee, first_start=local(2026, 10, 20, 9, 30))
    with app.app_context():
        busy = busy_times(member, Window(local(2026, 10, 26, 0, 0), local(2026, 11, 9, 0, 0)))
        # 27 October (EDT, UTC-4) and 3 November (EST, UTC-5): 9 h 30 in Montréal both times.
        assert [b.start for b in busy] == [local(2026, 10, 27, 9, 30), local(2026, 11, 3, 9, 30)]
        assert busy[0].start.hour != busy[1].start.hour  # in UTC they differ by the hour of the change
        assert busy_times(member, Window(local(2026, 10, 27, 11, 0), local(2026, 11, 3, 9, 0))) == []


def test_ignored_uids_leave_the_event_out(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    start = local(2026, 12, 8, 13, 0)
    meeting_id = single_meeting(app, coordinator, committee, start=start)
    with app.app_context():
        uid = meeting_of(meeting_id).uid
        assert conflicts(member, start, start + timedelta(hours=1), ignore_uids=(uid,)) == []


def test_a_case_conference_makes_its_invitee_busy_without_naming_its_module(app):
    conference_id, organizer, invitee = schedule_conference(app)
    with app.app_context():
        from coord.conferences.models import CaseConference
        from coord.extensions import db

        conference = db.session.get(CaseConference, conference_id)
        busy = busy_times(invitee, _window(conference.starts_at - timedelta(hours=1)))
        assert [(b.start, b.kind) for b in busy] == [(conference.starts_at, "case_conference")]
        assert [b.uid for b in busy_times(organizer, _window(conference.starts_at))] == [conference.uid]


def test_a_person_with_nothing_is_free(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    with app.app_context():
        assert busy_times(member, _window(local(2026, 12, 8, 0, 0), days=30)) == []
