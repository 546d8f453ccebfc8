"""Invitations: iTIP REQUEST/CANCEL e-mails with the same UID and rising SEQUENCE, redaction, answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar
from itsdangerous import URLSafeTimedSerializer

from coord.calendar.models import EventAnswer
from coord.conferences import services as conference_services
from coord.core.errors import ServiceError
from coord.extensions import db
from coord.meetings import meeting_services as services
from coord.meetings import series_services
from tests.calendar.factories import (
    calendar_part,
    committee_with_people,
    feed_path,
    local,
    meeting_of,
    person,
    sent_messages,
    single_meeting,
    weekly_series,
)
from tests.calendar.independent_parsers import all_readers_agree
from tests.conferences.factories import schedule_conference
from tests.directory.factories import make_person
from tests.support import text

WINDOW = (datetime(2026, 9, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))


def vevents(ics: str) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_publishing_a_series_invites_every_member_in_their_language(app):
    committee, coordinator, members = committee_with_people(app, members=2)
    with app.app_context():
        person(members[1]).preferred_language = "en"
        db.session.commit()
    series_id = weekly_series(app, coordinator, committee)
    messages = sent_messages(app)
    assert len(messages) == 3  # the coordinator is a member too
    by_language = {m["Content-Language"]: m for m in messages}
    assert set(by_language) == {"fr", "en"}
    assert by_language["fr"]["Subject"].startswith("Invitation")
    method, ics = calendar_part(by_language["en"])
    assert method == "REQUEST"
    assert "METHOD:REQUEST" in ics
    (event,) = vevents(ics)
    assert str(event["UID"]) == f"meeting-series-{series_id}@coord.spheres"
    assert "RRULE" in event
    for message in messages:
        assert message.get_body(("plain",)) and message.get_body(("html",))


def test_changes_raise_sequence_and_cancellation_sends_method_cancel_with_the_same_uid(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    meeting_id = single_meeting(app, coordinator, committee)
    with app.app_context():
        meeting = meeting_of(meeting_id)
        later = services.MeetingData(
            meeting.title, meeting.starts_at + timedelta(hours=2), meeting.ends_at + timedelta(hours=2), "FMV"
        )
        services.update_meeting(person(coordinator), meeting_id, later)
        moved = services.MeetingData(meeting.title, later.starts_at, later.ends_at, "CLSC Parc-Extension")
        services.update_meeting(person(coordinator), meeting_id, moved)
        services.cancel_meeting(person(coordinator), meeting_id)
        uid = meeting.uid
    mine = [m for m in sent_messages(app) if m["To"] == person_email(app, member)]
    assert len(mine) == 4
    parsed = [vevents(calendar_part(m)[1])[0] for m in mine]
    assert {str(e["UID"]) for e in parsed} == {uid}
    assert [int(e["SEQUENCE"]) for e in parsed] == [0, 1, 2, 3]
    method, ics = calendar_part(mine[-1])
    assert method == "CANCEL" and "METHOD:CANCEL" in ics
    assert str(parsed[-1]["STATUS"]) == "CANCELLED"
    assert mine[-1]["Subject"].startswith("Annul")
    assert all_readers_agree(ics, *WINDOW)[0]["status"] == "CANCELLED"


def person_email(app, person_id: int) -> str:
    with app.app_context():
        return person(person_id).email


def test_unchanged_save_sends_nothing_and_keeps_the_sequence(app):
    committee, coordinator, _ = committee_with_people(app)
    meeting_id = single_meeting(app, coordinator, committee)
    before = len(sent_messages(app))
    with app.app_context():
        meeting = meeting_of(meeting_id)
        same = services.MeetingData(meeting.title, meeting.starts_at, meeting.ends_at, meeting.location)
        assert services.update_meeting(person(coordinator), meeting_id, same) == 0
        assert meeting.sequence == 0
    assert len(sent_messages(app)) == before


def test_cancelled_occurrence_is_an_exdate_and_a_moved_one_an_override(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee)  # Tuesdays 9:30 from 13 Oct 2026
    with app.app_context():
        series_services.cancel_occurrence(person(coordinator), series_id, local(2026, 11, 3, 9, 30))
        series_services.move_occurrence(
            person(coordinator),
            series_id,
            local(2026, 11, 10, 9, 30),
            local(2026, 11, 12, 14, 0),
            local(2026, 11, 12, 15, 30),
        )
    body = client.get(feed_path(app, member) + "?past=0&future=1000").data.decode()
    unfolded = body.replace("\r\n ", "")
    assert "EXDATE;TZID=America/Toronto:20261103T093000" in unfolded
    assert "RECURRENCE-ID;TZID=America/Toronto:20261110T093000" in unfolded
    instances = [
        i for i in all_readers_agree(body, *WINDOW) if i["uid"] == f"meeting-series-{series_id}@coord.spheres"
    ]
    starts = [i["start"] for i in instances]
    assert "2026-11-03T14:30:00Z" not in starts
    assert "2026-11-12T19:00:00Z" in starts and "2026-11-10T14:30:00Z" not in starts
    assert "2026-11-17T14:30:00Z" in starts  # 9:30 after the November change
    # the occurrence e-mails carry only that occurrence, with its RECURRENCE-ID
    mine = [m for m in sent_messages(app) if m["To"] == person_email(app, member)]
    cancel_method, cancel_ics = calendar_part(mine[1])
    assert cancel_method == "CANCEL" and "RECURRENCE-ID;TZID=America/Toronto:20261103T093000" in cancel_ics
    assert "RRULE:FREQ=WEEKLY" not in cancel_ics
    move_method, move_ics = calendar_part(mine[2])
    assert move_method == "REQUEST" and "RECURRENCE-ID;TZID=America/Toronto:20261110T093000" in move_ics


def test_occurrence_that_does_not_exist_is_refused(app):
    committee, coordinator, _ = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee)
    with app.app_context():
        try:
            # a Wednesday
            series_services.cancel_occurrence(person(coordinator), series_id, local(2026, 11, 4, 9, 30))
        except ServiceError as error:
            assert error.field == "original_start"
        else:
            raise AssertionError("a Wednesday is not an occurrence of a Tuesday series")


def test_case_conference_is_redacted_in_every_feed_and_e_mail(app, client):
    conference_id, organizer, police = schedule_conference(app)
    messages = sent_messages(app)
    assert len(messages) == 2
    for message in messages:
        raw = message.as_string()
        for secret in ("J.T.", "fugue", "15 ans"):
            assert secret not in raw
            assert secret not in calendar_part(message)[1]
    subjects = {m["Content-Language"]: m["Subject"] for m in messages}
    assert "Rencontre de concertation" in subjects["fr"] and "Case conference" in subjects["en"]
    for who in (organizer, police):
        body = client.get(feed_path(app, who)).data.decode()
        assert f"case-conference-{conference_id}@" in body
        assert "J.T." not in body and "fugue" not in body and "15 ans" not in body
    with app.app_context():
        conference_services.cancel_conference(person(organizer), conference_id)
    cancellations = sent_messages(app)[2:]
    assert len(cancellations) == 2
    for message in cancellations:
        method, ics = calendar_part(message)
        assert method == "CANCEL" and f"UID:case-conference-{conference_id}@" in ics.replace("\r\n ", "")
        assert "fugue" not in message.as_string() and "J.T." not in ics


def test_answer_link_records_the_answer_without_login(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    meeting_id = single_meeting(app, coordinator, committee)
    (message,) = [m for m in sent_messages(app) if m["To"] == person_email(app, member)]
    path = re.search(r"https?://[^/\s]+(/answer/\S+)", message.get_body(("plain",)).get_content()).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Rencontre ponctuelle" in text(page)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(path, data={"answer": "tentative", "csrf_token": csrf})
    assert response.status_code == 303
    assert client.post(path, data={"answer": "accepted", "csrf_token": csrf}).status_code == 303
    with app.app_context():
        rows = db.session.execute(sa.select(EventAnswer.uid, EventAnswer.person_id, EventAnswer.answer)).all()
        assert rows == [(meeting_of(meeting_id).uid, member, "accepted")]
    assert client.post(path, data={"answer": "maybe-not", "csrf_token": csrf}).status_code == 400
    assert client.post(path, data={"answer": "accepted"}).status_code == 400  # no CSRF token


def test_forged_tampered_and_expired_answer_links_get_404(app, client, monkeypatch):
    committee, coordinator, (member, other) = committee_with_people(app)
    meeting_id = single_meeting(app, coordinator, committee)
    with app.app_context():
        uid = meeting_of(meeting_id).uid
        from coord.calendar.answers import answer_token

        good = answer_token(uid, member)
        forged = URLSafeTimedSerializer("not-the-secret", salt="coord.calendar.answer").dumps(
            {"u": uid, "p": member}
        )
        long_ago = (datetime.now(UTC) - timedelta(days=181)).timestamp()
        with monkeypatch.context() as past:
            past.setattr("itsdangerous.timed.time.time", lambda: long_ago)
            expired = answer_token(uid, member)
        outsider = make_person(app)
        not_invited = answer_token(uid, outsider)
        wrong_event = answer_token("meeting-999@coord.spheres", member)
    assert client.get(f"/answer/{good}").status_code == 200
    for token in (good[:-2] + "xx", forged, expired, not_invited, wrong_event, "x" * 600, "%00", "é"):
        assert client.get(f"/answer/{token}").status_code in (400, 404), token
