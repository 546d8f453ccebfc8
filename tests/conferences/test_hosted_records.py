"""A conference's agenda and minutes live in a hosted meeting record: never listed, never on calendars,
never in "Mes actions", its e-mails without content, its pages decided by the conference's rules."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord import audit
from coord.conferences.models import CaseConference
from coord.extensions import db
from coord.meetings import agenda, agenda_publication, minutes
from coord.meetings.minutes import StaleMinutes
from coord.meetings.minutes_rows import ActionData
from coord.meetings.models import ActionItem, Meeting
from coord.notify.models import OutboxMessage
from tests.calendar.factories import committee_with_people, feed_path, person
from tests.conferences.factories import schedule_conference
from tests.directory.factories import email_of
from tests.support import logged_in, post_form, text

TITLE = "Concertation J.T. — fugue"
SECRET = "Plan de sécurité de J.T."


def _record(app, conference_id: int) -> int:
    with app.app_context():
        return db.session.get(CaseConference, conference_id).record_id


def _world(app):
    """A committee whose coordinator also organizes a conference (so the record's actions are theirs)."""
    committee, coordinator, (member, _) = committee_with_people(app, 2)
    conference_id, organizer, invitee = schedule_conference(app, coordinator, member, title=TITLE)
    record = _record(app, conference_id)
    with app.app_context():
        agenda.add_item(person(coordinator), record, agenda.ItemData(SECRET, 20, description=SECRET))
        action = ActionData(SECRET, owner_id=coordinator)
        minutes.save_minutes(person(coordinator), record, 0, SECRET, {}, [], [action])
    return committee, coordinator, member, conference_id, record


def test_the_record_is_created_with_the_conference_and_follows_it(app):
    conference_id, organizer, _ = schedule_conference(app)
    with app.app_context():
        conference = db.session.get(CaseConference, conference_id)
        record = conference.record
        assert record.host == "conferences" and record.committee_id is None and record.published_at is None
        assert (record.starts_at, record.ends_at) == (conference.starts_at, conference.ends_at)
        assert record.title == conference.title  # as confidential there: the record is listed nowhere


def test_a_hosted_record_is_in_no_meetings_list_calendar_feed_or_action_list(app):
    committee, coordinator, member, conference_id, record = _world(app)
    client = logged_in(app.test_client(), email_of(app, coordinator))
    with app.app_context():
        start = db.session.get(Meeting, record).starts_at
        assert (
            db.session.scalar(sa.select(ActionItem.owner_id).where(ActionItem.meeting_id == record))
            == coordinator
        )
    pages = [
        "/meetings/",
        f"/meetings/committee/{committee}",
        f"/meetings/committee/{committee}?past=1",
        "/actions/mine",
        f"/actions/committee/{committee}?status=all",
        "/",
        f"/calendar/me/week?d={start:%Y-%m-%d}",
        f"/calendar/me/month?d={start:%Y-%m-%d}",
        f"/calendar/committee/{committee}/week?d={start:%Y-%m-%d}",
    ]
    for page in pages:
        response = client.get(page, follow_redirects=True)
        assert response.status_code == 200, page
        body = text(response)
        assert SECRET not in body and TITLE not in body, page
        assert f"/meetings/{record}" not in body, page
    feed = client.get(feed_path(app, coordinator)).get_data(as_text=True)
    assert f"meeting-{record}@" not in feed and SECRET not in feed and TITLE not in feed
    assert feed.count("case-conference-") == 1  # the conference itself, redacted


def test_the_meeting_page_of_a_record_leads_to_the_conference_or_is_a_404(app):
    committee, coordinator, member, conference_id, record = _world(app)
    invited = logged_in(app.test_client(), email_of(app, member))
    response = invited.get(f"/meetings/{record}")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/conferences/{conference_id}"
    )
    outsider = logged_in(app.test_client(), email_of(app, committee_with_people(app, 0)[1]))
    assert outsider.get(f"/meetings/{record}").status_code == 404
    # Nor do the meetings' own operations touch it (its time and status follow the conference).
    assert invited.get(f"/meetings/{record}/edit").status_code == 404
    assert post_form(invited, f"/meetings/{record}/cancel").status_code == 404


def test_agenda_and_minutes_pages_serve_the_people_involved(app):
    committee, coordinator, member, conference_id, record = _world(app)
    organizer = logged_in(app.test_client(), email_of(app, coordinator))
    agenda_page = text(organizer.get(f"/meetings/{record}/agenda"))
    assert SECRET in agenda_page and "Publish the meeting first" not in agenda_page
    assert SECRET in text(organizer.get(f"/meetings/{record}/minutes"))
    invited = logged_in(app.test_client(), email_of(app, member))
    assert SECRET in text(invited.get(f"/meetings/{record}/agenda"))
    assert invited.get(f"/meetings/{record}/minutes").status_code == 403  # draft: the editors'
    with app.app_context():
        entries = db.session.scalars(
            sa.select(audit.AuditEntry).where(audit.AuditEntry.action == "conference.agenda.read")
        ).all()
        participant = db.session.get(CaseConference, conference_id).participant_id
        assert entries and all(entry.subject == f"participant:{participant}" for entry in entries)


def test_minutes_and_agenda_e_mails_of_a_conference_carry_no_content(app):
    committee, coordinator, member, conference_id, record = _world(app)
    with app.app_context():
        agenda_publication.publish_agenda(person(coordinator), record)
        minutes.circulate(person(coordinator), record)
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.template.like("meetings/%"))
        ).all()
        assert {row.template for row in rows} == {
            "meetings/hosted_agenda_published",
            "meetings/hosted_minutes_circulated",
        }
        assert {row.person_id for row in rows} == {coordinator, member}
        for row in rows:
            values = repr(row.context) + repr(row.attachments)
            assert SECRET not in values and TITLE not in values and "J.T." not in values
            assert set(row.context) <= {"url", "updated"}


def test_the_sent_e_mails_say_only_that_there_is_something_to_read(app):
    from tests.calendar.factories import sent_messages

    committee, coordinator, member, conference_id, record = _world(app)
    with app.app_context():
        minutes.circulate(person(coordinator), record)
    bodies = [
        message.get_body(("plain",)).get_content() + str(message["Subject"])
        for message in sent_messages(app)
        if "/minutes" in message.get_body(("plain",)).get_content()
    ]
    assert bodies
    for body in bodies:
        assert SECRET not in body and TITLE not in body and "J.T." not in body
        assert f"/meetings/{record}/minutes" in body


def test_stale_minute_saves_of_a_conference_are_still_refused(app):
    committee, coordinator, member, conference_id, record = _world(app)
    with app.app_context():
        try:
            minutes.save_minutes(person(coordinator), record, 0, "Autre texte", {}, [], [])
        except StaleMinutes as error:
            assert (error.base, error.current) == (0, 1)
        else:
            raise AssertionError("a save on revision 0 after revision 1 must be refused")


def test_rescheduling_and_cancelling_keep_the_record_in_step(app):
    from coord.conferences import services

    conference_id, organizer, _ = schedule_conference(app)
    with app.app_context():
        conference = db.session.get(CaseConference, conference_id)
        later = conference.starts_at + timedelta(days=2)
        data = services.ConferenceData(conference.title, later, later + timedelta(minutes=90), "CLSC")
        services.update_conference(person(organizer), conference_id, data)
        services.cancel_conference(person(organizer), conference_id)
        record = db.session.get(CaseConference, conference_id).record
        assert record.title == conference.title
        assert (record.starts_at, record.ends_at, record.status) == (
            later,
            later + timedelta(minutes=90),
            "cancelled",
        )


def test_the_conference_decides_who_edits_approves_and_comments(app):
    conference_id, organizer, invitee = schedule_conference(app)
    record = _record(app, conference_id)
    invited = logged_in(app.test_client(), email_of(app, invitee))
    data = {"title": "Point", "duration_minutes": "10", "kind": "information"}
    assert post_form(invited, f"/meetings/{record}/agenda/items", data).status_code == 403
    owner = logged_in(app.test_client(), email_of(app, organizer))
    assert post_form(owner, f"/meetings/{record}/agenda/items", data).status_code == 303
    with app.app_context():
        minutes.save_minutes(person(organizer), record, 0, "Texte", {}, [], [])
        minutes.circulate(person(organizer), record)
    assert post_form(invited, f"/meetings/{record}/minutes/comments", {"text": "Lu"}).status_code == 302
    assert post_form(invited, f"/meetings/{record}/minutes/approve").status_code == 403
    assert post_form(owner, f"/meetings/{record}/minutes/approve").status_code == 302
    with app.app_context():
        assert db.session.get(Meeting, record).minutes.state == "approved"
