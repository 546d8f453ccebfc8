"""Case conferences about a participant: who may schedule, invite, read; consent asked at every read;
disclosures; redacted calendars and invitations; reschedule and cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coord import audit
from coord.conferences import services
from coord.conferences.models import CaseConference
from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.referrals.models import Disclosure
from tests.calendar.factories import calendar_part, feed_path, person, sent_messages
from tests.conferences.factories import participant_of, schedule_conference
from tests.directory.factories import email_of, make_organization, make_person
from tests.referrals.factories import (
    conferences_expire_consents,
    conferences_participant,
    conferences_withdraw_consents,
)
from tests.support import csrf_token, logged_in, text

TITLE = "Concertation J.T. — fugue"
NOTES = "Participante de 15 ans"


def _start() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)


def _data(title=TITLE, start=None, **values) -> services.ConferenceData:
    start = start or _start()
    return services.ConferenceData(title, start, start + timedelta(hours=1), values.get("location", "CLSC"))


def _denied(app, person_id: int, detail: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(audit.AuditEntry)
            .where(
                audit.AuditEntry.actor_id == person_id,
                audit.AuditEntry.action == "permission.denied",
                audit.AuditEntry.detail == detail,
            )
        )


# Scheduling ------------------------------------------------------------------------------------------


def test_an_invitee_of_an_organization_no_consent_covers_is_refused_by_the_service(app):
    organizer = make_person(app)
    covered, uncovered = make_person(app), make_person(app)
    with app.app_context():
        covered_org = person(covered).organization_id
    _, ref = conferences_participant(app, organizer, [covered_org])
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            services.schedule_conference(person(organizer), ref, _data(), [covered, uncovered])
        assert refused.value.field == "invitees" and person(uncovered).display_name in str(
            refused.value.message
        )
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseConference)) == 0


def test_a_forged_form_cannot_invite_someone_of_an_uncovered_organization(app):
    organizer = make_person(app)
    covered, uncovered = make_person(app), make_person(app)
    with app.app_context():
        covered_org = person(covered).organization_id
    _, ref = conferences_participant(app, organizer, [covered_org])
    client = logged_in(app.test_client(), email_of(app, organizer))
    page = text(client.get(f"/conferences/new/{ref}"))
    assert f'value="{covered}"' in page and f'value="{uncovered}"' not in page
    day = (_start().astimezone(LOCAL_TZ)).date()
    response = client.post(
        f"/conferences/new/{ref}",
        data={
            "csrf_token": csrf_token(client, f"/conferences/new/{ref}"),
            "title": TITLE,
            "day": day.isoformat(),
            "start_time": "09:30",
            "duration_minutes": "60",
            "location": "CLSC",
            "invitees": [str(covered), str(uncovered)],
        },
    )
    assert response.status_code == 400
    assert "ne peuvent pas être invitées" in text(response)  # beside the form, in French
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseConference)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_scheduling_through_the_page_records_disclosures_and_sends_redacted_invitations(app):
    organizer = make_person(app)
    colleague = make_person(app, organization_id=person_org(app, organizer))
    other = make_person(app, preferred_language="en")
    _, ref = conferences_participant(app, organizer, [person_org(app, other)])
    client = logged_in(app.test_client(), email_of(app, organizer))
    day = (_start().astimezone(LOCAL_TZ)).date()
    response = client.post(
        f"/conferences/new/{ref}",
        data={
            "csrf_token": csrf_token(client, f"/conferences/new/{ref}"),
            "title": TITLE,
            "day": day.isoformat(),
            "start_time": "09:30",
            "duration_minutes": "45",
            "video_url": "https://visio.example.org/x",
            "notes": NOTES,
            "invitees": [str(colleague), str(other)],
        },
    )
    assert response.status_code == 303, text(response)[:2000]
    page = text(client.get(response.headers["Location"]))
    assert TITLE in page and NOTES in page and "9\u00a0h\u00a030" in page
    with app.app_context():
        conference = db.session.scalar(sa.select(CaseConference))
        lines = db.session.scalars(sa.select(Disclosure)).all()
        assert [(line.to_person_id, line.what, line.purpose) for line in lines] == [
            (other, "conference", "case_conference")
        ]
        assert lines[0].consent_id is not None and lines[0].object_id == conference.id
    messages = [m for m in sent_messages(app) if m["To"] and "text/calendar" in str(m)]
    assert len(messages) == 3  # organizer, colleague, other
    for message in messages:
        method, ics = calendar_part(message)
        body = message.get_body(("plain",)).get_content()
        assert method == "REQUEST"
        for secret in (TITLE, "J.T.", NOTES):
            assert secret not in ics and secret not in body and secret not in str(message["Subject"])


def person_org(app, person_id: int) -> int:
    with app.app_context():
        return person(person_id).organization_id


def test_who_may_schedule_a_conference_about_a_participant(app):
    holder = make_person(app)
    stranger = make_person(app)  # an intervenant who does not hold the file
    coordinator = make_person(app, roles=("coordinator",))
    _, ref = conferences_participant(app, holder, [person_org(app, stranger)])
    assert (
        logged_in(app.test_client(), email_of(app, holder)).get(f"/conferences/new/{ref}").status_code == 200
    )
    for outsider in (stranger, coordinator):
        client = logged_in(app.test_client(), email_of(app, outsider))
        assert client.get(f"/conferences/new/{ref}").status_code == 403
        assert _denied(app, outsider, "conferences.schedule") == 1
    assert (
        logged_in(app.test_client(), email_of(app, holder))
        .get("/conferences/new/AAAAAAAAAAAAAAAA")
        .status_code
        == 404
    )


# Access ----------------------------------------------------------------------------------------------


def test_the_coordinator_and_the_police_not_invited_get_403(app):
    conference_id, organizer, invitee = schedule_conference(app)
    police = make_person(app, organization_id=make_organization(app, sector="police"))
    coordinator = make_person(app, roles=("coordinator",))
    for outsider in (police, coordinator):
        client = logged_in(app.test_client(), email_of(app, outsider))
        assert client.get(f"/conferences/{conference_id}").status_code == 403
        assert _denied(app, outsider, "conferences.view") == 1
    assert (
        logged_in(app.test_client(), email_of(app, invitee)).get(f"/conferences/{conference_id}").status_code
        == 200
    )


def test_the_researcher_and_the_admin_never_even_invited(app):
    organizer = make_person(app)
    researcher = make_person(app, roles=("researcher", "intervenant"))
    _, ref = conferences_participant(app, organizer, [person_org(app, researcher)])
    with app.app_context():
        conference = services.schedule_conference(person(organizer), ref, _data(), [researcher])
        conference_id = conference.id
    client = logged_in(app.test_client(), email_of(app, researcher))
    assert client.get(f"/conferences/{conference_id}").status_code == 403


def test_a_consent_withdrawal_removes_access_to_page_agenda_and_minutes_in_the_same_request(app):
    conference_id, organizer, invitee = schedule_conference(app)
    with app.app_context():
        record = db.session.get(CaseConference, conference_id).record_id
        from coord.meetings import minutes

        minutes.save_minutes(person(organizer), record, 0, "Texte", {}, [], [])
        minutes.circulate(person(organizer), record)
    client = logged_in(app.test_client(), email_of(app, invitee))
    pages = (f"/conferences/{conference_id}", f"/meetings/{record}/agenda", f"/meetings/{record}/minutes")
    for page in pages:
        assert client.get(page).status_code == 200, page
    conferences_withdraw_consents(app, participant_of(app, conference_id))
    for page in pages:
        assert client.get(page).status_code == 403, page
    assert _denied(app, invitee, "conferences.view") == 1
    assert _denied(app, invitee, "meetings.view") == 2
    with app.app_context():
        subjects = set(
            db.session.scalars(
                sa.select(audit.AuditEntry.subject).where(
                    audit.AuditEntry.actor_id == invitee, audit.AuditEntry.action == "permission.denied"
                )
            )
        )
        assert subjects == {f"participant:{participant_of(app, conference_id)}"}
    # The organizer, of the participant's own organization, keeps access.
    organizer_client = logged_in(app.test_client(), email_of(app, organizer))
    assert organizer_client.get(f"/conferences/{conference_id}").status_code == 200


def test_an_expired_consent_removes_the_event_from_the_invitee_calendars(app):
    conference_id, organizer, invitee = schedule_conference(app)
    path = feed_path(app, invitee)
    client = logged_in(app.test_client(), email_of(app, invitee))
    assert f"case-conference-{conference_id}@" in client.get(path).get_data(as_text=True)
    conferences_expire_consents(app, participant_of(app, conference_id))
    assert f"case-conference-{conference_id}@" not in client.get(path).get_data(as_text=True)
    start = _start()
    week = text(client.get(f"/calendar/me/week?d={start:%Y-%m-%d}"))
    assert f"/conferences/{conference_id}" not in week
    assert f"/conferences/{conference_id}" not in text(client.get("/"))
    assert client.get(f"/conferences/{conference_id}").status_code == 403


def test_feeds_and_pages_show_only_rencontre_de_concertation_to_invitees(app):
    conference_id, organizer, invitee = schedule_conference(app)
    for who in (organizer, invitee):
        client = logged_in(app.test_client(), email_of(app, who))
        feed = client.get(feed_path(app, who)).get_data(as_text=True)
        assert "Rencontre de concertation" in feed or "Case conference" in feed
        assert TITLE not in feed and "J.T." not in feed and NOTES not in feed
        week = text(client.get(f"/calendar/me/week?d={_start():%Y-%m-%d}"))
        assert f"/conferences/{conference_id}" in week and "J.T." not in week


def test_my_case_conferences_lists_mine_only_and_audits_the_read(app):
    conference_id, organizer, invitee = schedule_conference(app)
    stranger = make_person(app)
    mine = text(logged_in(app.test_client(), email_of(app, invitee)).get("/conferences/mine"))
    assert TITLE in mine
    assert TITLE not in text(logged_in(app.test_client(), email_of(app, stranger)).get("/conferences/mine"))
    with app.app_context():
        entry = db.session.scalar(
            sa.select(audit.AuditEntry).where(
                audit.AuditEntry.action == "conference.list.read", audit.AuditEntry.actor_id == invitee
            )
        )
        assert entry.subject == f"participant:{participant_of(app, conference_id)}"


# Changes ---------------------------------------------------------------------------------------------


def _itip(app) -> list[tuple[str, str, str]]:
    """(recipient, method, text) of each calendar message written so far."""
    return [(m["To"], *calendar_part(m)) for m in sent_messages(app) if "text/calendar" in str(m)]


def test_reschedule_sends_a_redacted_request_with_a_higher_sequence(app):
    conference_id, organizer, invitee = schedule_conference(app)
    before = len(_itip(app))
    later = _start() + timedelta(days=1)
    with app.app_context():
        services.update_conference(person(organizer), conference_id, _data(start=later, location="Ailleurs"))
        assert db.session.get(CaseConference, conference_id).sequence == 1
    sent = _itip(app)[before:]
    assert len(sent) == 2 and {method for _, method, _ in sent} == {"REQUEST"}
    for _, _, ics in sent:
        assert "SEQUENCE:1" in ics and "Ailleurs" in ics and TITLE not in ics and "J.T." not in ics


def test_cancel_confirmation_then_cancel_sends_cancel(app):
    conference_id, organizer, invitee = schedule_conference(app)
    client = logged_in(app.test_client(), email_of(app, organizer))
    page = text(client.get(f"/conferences/{conference_id}/cancel"))
    assert "1 person will receive a cancellation" in page or "1 personne" in page
    before = len(_itip(app))
    response = client.post(
        f"/conferences/{conference_id}/cancel",
        data={"csrf_token": csrf_token(client, f"/conferences/{conference_id}/cancel")},
    )
    assert response.status_code == 303
    sent = _itip(app)[before:]
    assert {method for _, method, _ in sent} == {"CANCEL"} and len(sent) == 2
    assert all(TITLE not in ics for _, _, ics in sent)


def test_cancel_wording_when_nobody_else_was_invited(app):
    conference_id, organizer, invitee = schedule_conference(app)
    with app.app_context():
        services.remove_invitee(person(organizer), conference_id, invitee)
    client = logged_in(app.test_client(), email_of(app, organizer))
    page = text(client.get(f"/conferences/{conference_id}/cancel"))
    assert "nobody will be told" in page or "personne ne sera avisé" in page


def test_adding_and_removing_invitees(app):
    conference_id, organizer, invitee = schedule_conference(app)
    with app.app_context():
        invitee_org = person(invitee).organization_id
    newcomer = make_person(app, organization_id=invitee_org)
    outsider = make_person(app)
    with app.app_context():
        with pytest.raises(ServiceError):
            services.add_invitees(person(organizer), conference_id, [outsider])
        db.session.rollback()
        assert services.add_invitees(person(organizer), conference_id, [newcomer]) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Disclosure)) == 2
    before = len(_itip(app))
    with app.app_context():
        services.remove_invitee(person(organizer), conference_id, newcomer)
    sent = _itip(app)[before:]
    assert [(method) for _, method, _ in sent] == ["CANCEL"] and email_of(app, newcomer) in sent[0][0]
    assert (
        logged_in(app.test_client(), email_of(app, newcomer)).get(f"/conferences/{conference_id}").status_code
        == 403
    )


def test_an_invitee_may_not_change_the_conference(app):
    conference_id, organizer, invitee = schedule_conference(app)
    client = logged_in(app.test_client(), email_of(app, invitee))
    assert client.get(f"/conferences/{conference_id}/edit").status_code == 403
    assert client.get(f"/conferences/{conference_id}/cancel").status_code == 403


def test_withdrawing_the_consent_uninvites_the_uncovered_invitee_with_a_cancel(app):
    """Through the consent's own withdrawal: the invitee whose organization it no longer covers gets a
    CANCEL (redacted) and leaves the invitees; a later change of the conference does not reach them."""
    from coord.referrals.consents import withdraw_consent
    from coord.referrals.models import Consent

    conference_id, organizer, invitee = schedule_conference(app)
    invitee_address = email_of(app, invitee)
    before = [m for m in _itip(app) if m[0] == invitee_address]
    assert [method for _to, method, _text in before] == ["REQUEST"]
    with app.app_context():
        consent_ref = db.session.scalar(
            sa.select(Consent.ref).where(Consent.participant_id == participant_of(app, conference_id))
        )
        withdraw_consent(person(organizer), consent_ref)
        conference = db.session.get(CaseConference, conference_id)
        assert [row.person_id for row in conference.invitees] == []
    after = [m for m in _itip(app) if m[0] == invitee_address]
    assert [method for _to, method, _text in after] == ["REQUEST", "CANCEL"]
    cancel_text = after[-1][2]
    assert TITLE not in cancel_text
    assert "SUMMARY:Case conference" in cancel_text  # the invitee reads English
    with app.app_context():
        services.update_conference(person(organizer), conference_id, _data(location="CLSC Rosemont"))
    assert [m[1] for m in _itip(app) if m[0] == invitee_address] == ["REQUEST", "CANCEL"]
