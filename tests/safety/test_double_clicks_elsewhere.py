"""Double clicks outside the meetings: a referral sent twice, an answer given twice at once, a message sent
again twice. The second attempt finds the first one's result; nothing is written or sent twice, no 500."""

from __future__ import annotations

import sqlalchemy as sa

from coord.calendar import answers
from coord.calendar.models import Answer, EventAnswer
from coord.conferences import services as conference_services
from coord.directory import people
from coord.extensions import db
from coord.notify import services as outbox_services
from coord.notify.models import OutboxMessage, OutboxStatus
from coord.referrals.models import Referral
from tests.calendar.factories import committee_with_people, local, meeting_of, person, single_meeting
from tests.conferences.factories import schedule_conference
from tests.directory.factories import email_of, make_person
from tests.referrals.referral_factories import referral_client, referral_form, referral_world
from tests.safety.factories import TRIES, at_once, audited, outbox
from tests.support import csrf_token, text

ALL_OK = ["ok"] * TRIES


def test_a_referral_sent_by_a_double_click_is_sent_once(app):
    world = referral_world(app)
    client = referral_client(app, world.sender)
    url = f"/referrals/new/{world.participant_ref}"
    token = csrf_token(client, url)
    first = client.post(url, data={**referral_form(world), "csrf_token": token})
    second = client.post(url, data={**referral_form(world), "csrf_token": token})
    assert first.status_code in (302, 303) and second.status_code in (302, 303)
    assert first.headers["Location"] == second.headers["Location"]  # both land on the one referral
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 1
    assert audited(app, "referral.send") == 1
    other = client.post(url, data={**referral_form(world, note="Autre chose"), "csrf_token": token})
    assert other.status_code in (302, 303) and other.headers["Location"] != first.headers["Location"]


def test_twenty_first_answers_at_once_keep_one_answer_and_never_fail(app):
    committee, coordinator, members = committee_with_people(app)
    meeting = single_meeting(app, coordinator, committee, start=local(2026, 12, 8, 13, 0))
    with app.app_context():
        uid = meeting_of(meeting).uid
    results = at_once(app, lambda: answers.record_answer(uid, person(members[0]), Answer.ACCEPTED))
    assert results == ALL_OK
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EventAnswer)) == 1


def test_a_failed_message_sent_again_by_twenty_clicks_is_queued_once(app):
    coordinator = make_person(app, roles=("coordinator",))
    newcomer = make_person(app, password=None)
    with app.test_request_context():
        people.invite_person(person(coordinator), newcomer)  # sent at once (no Redis here)
        message = db.session.scalars(sa.select(OutboxMessage)).one()
        message.status = OutboxStatus.FAILED  # as after a refusal by the mail server
        db.session.commit()
        message_id = message.id
    results = at_once(app, lambda: outbox_services.retry_message(person(coordinator), message_id))
    assert results.count("ok") == 1  # the others: "Only a failed or uncertain message can be sent again."
    assert audited(app, "outbox.retry") == 1


def test_a_case_conference_cancelled_by_twenty_clicks_tells_each_invitee_once(app):
    conference, organizer, invitee = schedule_conference(app)
    results = at_once(app, lambda: conference_services.cancel_conference(person(organizer), conference))
    assert results == ALL_OK
    assert audited(app, "conference.cancel") == 1
    assert set(outbox(app, "calendar/calendar_cancellation").values()) == {1}


def test_invitees_added_by_twenty_clicks_are_invited_once(app):
    conference, organizer, invitee = schedule_conference(app)
    with app.app_context():
        organization = person(invitee).organization_id
    colleague = make_person(app, organization_id=organization)
    add = lambda: conference_services.add_invitees(person(organizer), conference, [colleague])  # noqa: E731
    assert at_once(app, add) == ALL_OK
    assert outbox(app, "calendar/calendar_invitation")[email_of(app, colleague)] == 1


def test_an_awareness_session_request_sent_twice_is_recorded_once(app, client):
    from tests.outreach.factories_requests import (  # noqa: PLC0415 (the outreach tests' own helpers)
        FORM,
        post_request,
        presenter,
        request_count,
        valid_post,
    )

    assert post_request(client, valid_post()).status_code == 303
    assert post_request(client, valid_post()).status_code == 303
    assert request_count(app) == 1
    presenter(app, weekdays=(1,))
    slot_id = text(client.get(FORM)).split('name="slot" value="', 1)[1].split('"', 1)[0]
    empty = {"windows-0-day": "", "windows-0-start": "", "windows-0-end": ""}
    chosen = valid_post(slot=slot_id, contact_email="direction@ecole.example", **empty)
    assert post_request(client, chosen).status_code == 303
    second = post_request(client, chosen)  # not "this time is no longer available": it is theirs
    assert second.status_code == 303, text(second)[:500]
    assert request_count(app) == 2
