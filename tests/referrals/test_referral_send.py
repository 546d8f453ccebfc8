"""Sending a referral: consent required (a forged POST too), the receiving organization checked, the
due time by urgency, the disclosure line, and the intake people's e-mail without any participant detail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from coord.core.localtime import LOCAL_TZ, to_local
from coord.extensions import db
from coord.notify import outbox
from coord.referrals.models import Consent, Participant, Referral
from coord.referrals.referrals import due_at
from tests.directory.factories import make_organization, make_person
from tests.referrals.referral_factories import (
    referral_client,
    referral_consent,
    referral_count,
    referral_form,
    referral_intake,
    referral_only,
    referral_world,
)
from tests.referrals.referral_support import referral_audit, referral_disclosures, referral_outbox
from tests.support import post_form, text


def send(client, world, **changes):
    url = f"/referrals/new/{world.participant_ref}"
    return post_form(client, url, referral_form(world, **changes), token_page=url)


def test_send_writes_the_referral_the_disclosure_and_one_bare_email_per_intake(app):
    world = referral_world(app)
    second_intake = make_person(app, organization_id=world.receiver_org, preferred_language="en")
    referral_intake(app, world.receiver_org, second_intake)
    client = referral_client(app, world.sender)
    form_page = text(client.get(f"/referrals/new/{world.participant_ref}"))
    assert "SPH-2026-" in form_page and "Recreational or cultural activity" not in form_page  # French page
    response = send(client, world)
    assert response.status_code == 302
    with app.app_context():
        referral = referral_only(app)
        assert referral.state == "sent" and referral.consent_id == world.consent
        assert referral.from_organization_id == world.sender_org and referral.sender_id == world.sender
        assert referral.due_at - referral.sent_at == timedelta(hours=72)
        ref, code = referral.ref, referral.participant.code
    assert referral_disclosures(app) == [
        ("referral_summary", "referral", world.sender_org, world.receiver_org, world.consent)
    ]
    assert [e.subject for e in referral_audit(app, "referral.send")] == [f"participant:{world.participant}"]
    messages = referral_outbox(app)
    assert sorted(m.person_id for m in messages) == sorted([world.intake, second_intake])
    for message in messages:
        assert set(message.context) == {"url"} and message.context["url"].endswith(f"/referrals/{ref}")
        with app.test_request_context():
            rendered = outbox.render(message)
        body = rendered["Subject"] + "".join(
            part.get_content() for part in rendered.walk() if part.get_content_maintype() == "text"
        )
        for secret in (code, "fugue", "14-17", "Accompaniment", "Accompagnement", "D'ici 72", "Within 72"):
            assert secret not in body, secret
        assert f"/referrals/{ref}" in body


def test_a_forged_post_without_covering_consent_is_refused_and_writes_nothing(app):
    world = referral_world(app, consent=False)
    client = referral_client(app, world.sender)
    response = send(client, world)
    assert response.status_code == 400
    assert "Aucun consentement actif ne couvre la référence vers cet organisme." in text(response)
    assert referral_count(app) == 0 and referral_outbox(app) == [] and referral_disclosures(app) == []


@pytest.mark.parametrize("kind", ["withdrawn", "expired", "other_purpose", "other_organization"])
def test_a_consent_that_does_not_cover_the_referral_is_no_basis(app, kind):
    world = referral_world(app, consent=False)
    today = date.today()
    other = make_organization(app, is_partner=True)
    values = {
        "withdrawn": dict(withdrawn_at=datetime.now(UTC)),
        "expired": dict(given_on=today - timedelta(days=30), expires_on=today - timedelta(days=2)),
        "other_purpose": dict(purposes=("case_conference",)),
        "other_organization": dict(organization_ids=[other]),
    }[kind]
    organizations = values.pop("organization_ids", [world.receiver_org])
    referral_consent(app, world.participant, organizations, **values)
    response = send(referral_client(app, world.sender), world)
    assert response.status_code == 400 and "Aucun consentement actif" in text(response)
    assert referral_count(app) == 0 and referral_outbox(app) == []


def test_unknown_inactive_non_partner_and_own_organizations_are_refused(app):
    world = referral_world(app)
    client = referral_client(app, world.sender)
    inactive = make_organization(app, is_partner=True, active=False)
    outsider = make_organization(app, is_partner=False)
    for organization in ("999999", str(inactive), str(outsider), str(world.sender_org), "abc"):
        response = send(client, world, organization=organization)
        assert response.status_code == 400, organization
    assert referral_count(app) == 0 and referral_outbox(app) == []


def test_an_organization_without_intake_person_is_refused_with_a_message(app):
    world = referral_world(app, consent=False)
    lonely = make_organization(app, is_partner=True)
    referral_consent(app, world.participant, [lonely])
    response = send(referral_client(app, world.sender), world, organization=str(lonely))
    assert response.status_code == 400
    assert "demandez à la coordination d" in text(response)  # ask the coordinator to name one
    assert referral_count(app) == 0


def test_other_service_needs_its_text_and_bad_choices_are_form_errors(app):
    world = referral_world(app)
    client = referral_client(app, world.sender)
    assert send(client, world, services=["other"], services_other="").status_code == 400
    assert send(client, world, services=[]).status_code == 400
    assert send(client, world, services=["jetpack"]).status_code == 400
    assert send(client, world, urgency="yesterday").status_code == 400
    assert referral_count(app) == 0
    assert send(client, world, services=["other"], services_other="Hébergement").status_code == 302
    with app.app_context():
        assert referral_only(app).services_other == "Hébergement"


def test_a_closed_participant_is_not_referred(app):
    world = referral_world(app)
    with app.app_context():
        db.session.get(Participant, world.participant).status = "closed"
        db.session.commit()
    client = referral_client(app, world.sender)
    assert send(client, world).status_code in (400, 409)
    assert referral_count(app) == 0


def test_only_the_file_holder_sends(app):
    world = referral_world(app)
    for person in (world.intake, world.coordinator, make_person(app, organization_id=world.sender_org)):
        client = referral_client(app, person)
        assert client.get(f"/referrals/new/{world.participant_ref}").status_code == 403
        assert send(client, world).status_code == 403
    assert referral_count(app) == 0
    assert len(referral_audit(app, "permission.denied")) >= 6


# Due times ---------------------------------------------------------------------------------------------


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ).astimezone(UTC)


def test_same_day_is_the_end_of_the_local_day():
    sent = local(2026, 3, 8, 9, 0)  # the day daylight saving time starts in Montréal
    due = to_local(due_at("same_day", sent))
    assert (due.date(), due.hour, due.minute) == (date(2026, 3, 8), 23, 59)


@pytest.mark.parametrize("day", [date(2026, 10, 31), date(2026, 11, 1), date(2026, 3, 7), date(2026, 6, 15)])
def test_same_day_sent_at_23h_gives_at_least_four_hours_across_dst(day):
    sent = local(day.year, day.month, day.day, 23, 0)
    due = due_at("same_day", sent)
    assert due - sent == timedelta(hours=4)


def test_72_hours_and_routine():
    sent = local(2026, 10, 30, 10, 0)  # the clocks go back on November 1st
    assert due_at("within_72_hours", sent) - sent == timedelta(hours=72)
    assert due_at("routine", sent) - sent == timedelta(days=10)


def test_consent_basis_kept_on_the_row(app):
    world = referral_world(app)
    assert send(referral_client(app, world.sender), world).status_code == 302
    with app.app_context():
        referral = db.session.scalar(sa.select(Referral))
        assert db.session.get(Consent, referral.consent_id).participant_id == world.participant
