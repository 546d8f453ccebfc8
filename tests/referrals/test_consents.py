"""Consents: recording (dates, purposes, organizations named, who consents), withdrawal (at once, with the
referrals it no longer covers suspended in the same request), and expiry (access ends the next day; the
sweep suspends and tells the intake people)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coord.core.localtime import local_today
from coord.core.permissions import may
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.referrals import coverage, expiry
from coord.referrals.consents import default_expiry
from coord.referrals.models import Consent, Participant, Referral, ReferralState
from tests.directory.factories import outbox_messages
from tests.referrals.participant_factories import (
    participants_client,
    participants_consent,
    participants_file,
    participants_intake,
    participants_intervenant,
    participants_log,
    participants_partner,
    participants_referral,
)
from tests.support import csrf_token, text


def consent_form(client, ref, **fields):
    path = f"/participants/{ref}/consents/new"
    data = {
        "given_on": local_today().isoformat(),
        "form_kind": "written",
        "given_by": "participant",
        "purposes": ["referral"],
        **fields,
    }
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def consents_of(app, participant_id) -> list[Consent]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Consent).where(Consent.participant_id == participant_id)))
        for row in rows:
            row.organization_ids  # noqa: B018  (loaded before leaving the session)
            db.session.expunge(row)
        return rows


@pytest.fixture
def holder_file(app):
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder, age=16)
    return holder, participant_id, ref


def test_a_consent_defaults_to_12_months_and_names_purposes_and_organizations(app, holder_file):
    holder, participant_id, ref = holder_file
    partner = participants_partner(app, name="En Marge 12-17")
    client = participants_client(app, holder)
    given = local_today() - timedelta(days=3)
    response = consent_form(
        client,
        ref,
        given_on=given.isoformat(),
        purposes=["referral", "case_conference"],
        organizations=[str(partner)],
    )
    assert response.status_code == 303
    [consent] = consents_of(app, participant_id)
    assert consent.expires_on == default_expiry(given) == date(given.year + 1, given.month, given.day)
    assert consent.purposes == ["referral", "case_conference"] and consent.organization_ids == {partner}
    assert participants_log(app, participant_id, "consent.record")
    html = text(client.get(f"/participants/{ref}"))
    assert "En Marge 12-17" in html and "Rencontre de concertation" in html


def test_the_consent_form_offers_only_other_active_partners(app, holder_file):
    holder, _, ref = holder_file
    offered = participants_partner(app, name="Partenaire actif")
    participants_partner(app, name="Partenaire fermé", active=False)
    from tests.directory.factories import make_organization

    make_organization(app, name="Maison des jeunes (pas partenaire)")
    html = text(participants_client(app, holder).get(f"/participants/{ref}/consents/new"))
    assert "Partenaire actif" in html and f'value="{offered}"' in html
    assert "Partenaire fermé" not in html and "pas partenaire" not in html


@pytest.mark.parametrize("kind", ["unknown", "inactive", "not_partner", "own", "garbage"])
def test_a_forged_organization_is_refused_with_a_message_and_nothing_is_written(app, holder_file, kind):
    holder, participant_id, ref = holder_file
    good = participants_partner(app)
    from tests.directory.factories import make_organization

    with app.app_context():
        own = db.session.get(Person, holder).organization_id
    forged = {
        "unknown": "999999",
        "inactive": str(participants_partner(app, active=False)),
        "not_partner": str(make_organization(app)),
        "own": str(own),
        "garbage": "1; DROP TABLE",
    }[kind]
    response = consent_form(participants_client(app, holder), ref, organizations=[str(good), forged])
    assert response.status_code == 400
    assert "un organisme est inconnu ou inactif" in text(response)
    assert consents_of(app, participant_id) == []


def test_at_least_one_organization_and_one_purpose(app, holder_file):
    holder, participant_id, ref = holder_file
    partner = participants_partner(app)
    client = participants_client(app, holder)
    assert "Nommez au moins un organisme" in text(consent_form(client, ref))
    assert "au moins une fin" in text(consent_form(client, ref, purposes=[], organizations=[str(partner)]))
    assert consents_of(app, participant_id) == []


def test_under_14_a_parent_or_tutor_consents(app):
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder, age=13)
    partner = participants_partner(app)
    client = participants_client(app, holder)
    response = consent_form(client, ref, organizations=[str(partner)], given_by="participant")
    assert response.status_code == 400
    assert "un parent ou un·e tuteur·rice doit donner le consentement" in text(response)
    assert consents_of(app, participant_id) == []
    assert consent_form(client, ref, organizations=[str(partner)], given_by="parent").status_code == 303
    assert [c.given_by for c in consents_of(app, participant_id)] == ["parent"]


def test_dates_future_too_long_or_before_given_are_refused(app, holder_file):
    holder, participant_id, ref = holder_file
    partner = participants_partner(app)
    client = participants_client(app, holder)
    today = local_today()
    cases = [
        ({"given_on": (today + timedelta(days=2)).isoformat()}, "ne peut pas être dans le futur"),
        ({"expires_on": (default_expiry(today) + timedelta(days=1)).isoformat()}, "au plus 12 mois"),
        ({"expires_on": (today - timedelta(days=1)).isoformat()}, "avant le jour où il a été donné"),
    ]
    for fields, message in cases:
        response = consent_form(client, ref, organizations=[str(partner)], **fields)
        assert response.status_code == 400 and message in text(response), fields
    assert consents_of(app, participant_id) == []
    shorter = (today + timedelta(days=30)).isoformat()
    assert consent_form(client, ref, organizations=[str(partner)], expires_on=shorter).status_code == 303


def test_no_consent_for_a_closed_file(app):
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder, status="closed", closed_on=local_today())
    response = consent_form(
        participants_client(app, holder), ref, organizations=[str(participants_partner(app))]
    )
    assert response.status_code == 400 and "Ce dossier est fermé" in text(response)
    assert consents_of(app, participant_id) == []


def test_only_the_holder_records_or_withdraws(app, holder_file):
    holder, participant_id, ref = holder_file
    partner = participants_partner(app)
    consent_ref = participants_consent(app, participant_id, [partner])
    colleague = participants_intervenant(app, participants_partner(app))
    client = participants_client(app, colleague)
    assert consent_form(client, ref, organizations=[str(partner)]).status_code == 403
    assert client.get(f"/participants/consents/{consent_ref}/withdraw").status_code == 403
    token = csrf_token(client, "/participants/")
    response = client.post(f"/participants/consents/{consent_ref}/withdraw", data={"csrf_token": token})
    assert response.status_code == 403
    assert consents_of(app, participant_id)[0].withdrawn_at is None
    assert participants_log(app, participant_id, "permission.denied")


def _world(app):
    """A file with two accepted referrals (to B and C), each covered by its own consent, and B's intake."""
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder)
    b, c = participants_partner(app), participants_partner(app)
    intake_b = participants_intervenant(app, b, email="accueil-b@example.org")
    participants_intake(app, b, intake_b)
    consent_b = participants_consent(app, participant_id, [b])
    participants_consent(app, participant_id, [c], expires_on=local_today() + timedelta(days=200))
    to_b = participants_referral(app, participant_id, b, ReferralState.ACCEPTED)
    to_c = participants_referral(app, participant_id, c, ReferralState.SENT)
    return holder, participant_id, ref, intake_b, consent_b, to_b, to_c


def _may_view(app, person_id, referral_id) -> bool:
    with app.app_context():
        return may(db.session.get(Person, person_id), "referrals.view", db.session.get(Referral, referral_id))


def _referral(app, referral_id) -> Referral:
    with app.app_context():
        row = db.session.get(Referral, referral_id)
        db.session.expunge(row)
        return row


def test_withdrawing_suspends_the_uncovered_referral_and_ends_access_in_the_same_request(app):
    holder, participant_id, ref, intake_b, consent_b, to_b, to_c = _world(app)
    assert _may_view(app, intake_b, to_b)
    assert participants_client(app, intake_b).get(f"/participants/{ref}").status_code == 200
    client = participants_client(app, holder)
    page = client.get(f"/participants/consents/{consent_b}/withdraw")
    assert page.status_code == 200 and "prend effet immédiatement" in text(page)
    response = client.post(
        f"/participants/consents/{consent_b}/withdraw",
        data={"csrf_token": csrf_token(client, f"/participants/consents/{consent_b}/withdraw")},
    )
    assert response.status_code == 303
    assert not _may_view(app, intake_b, to_b)
    suspended = _referral(app, to_b)
    assert suspended.state == ReferralState.SUSPENDED and suspended.suspended_at is not None
    assert _referral(app, to_c).state == ReferralState.SENT  # still covered by its own consent
    assert participants_client(app, intake_b).get(f"/participants/{ref}").status_code == 403
    actions = [e.action for e in participants_log(app, participant_id)]
    assert "consent.withdraw" in actions and "referral.suspend" in actions
    with app.app_context():
        code = db.session.get(Participant, participant_id).code
        queued = list(db.session.scalars(sa.select(OutboxMessage)))
        assert [(m.to_address, m.template) for m in queued] == [
            ("accueil-b@example.org", "referrals/referral_unavailable")
        ]
    [message] = [m for m in outbox_messages(app) if m["To"] == "accueil-b@example.org"]
    body = message.get_body(("plain",)).get_content()
    assert "n'est plus disponible" in body and "http" in body
    assert code not in body and code not in message["Subject"]
    # Withdrawn: no second withdrawal.
    assert client.get(f"/participants/consents/{consent_b}/withdraw").status_code == 403


def test_an_expired_consent_ends_access_the_next_day_and_the_sweep_suspends_the_referral(app, monkeypatch):
    holder = participants_intervenant(app)
    participant_id, ref = participants_file(app, holder)
    b = participants_partner(app)
    intake_b = participants_intervenant(app, b)
    participants_intake(app, b, intake_b)
    today = local_today()
    consent_ref = participants_consent(
        app, participant_id, [b], given_on=today - timedelta(days=30), expires_on=today
    )
    to_b = participants_referral(app, participant_id, b, ReferralState.ACCEPTED)
    assert _may_view(app, intake_b, to_b)  # its last day still covers
    monkeypatch.setattr(coverage, "local_today", lambda: today + timedelta(days=1))
    assert not _may_view(app, intake_b, to_b)  # the next day, before any sweep
    assert _referral(app, to_b).state == ReferralState.ACCEPTED
    with app.app_context():
        assert expiry.handle_expired_consents(on=today + timedelta(days=1)) == 1
        assert expiry.handle_expired_consents(on=today + timedelta(days=1)) == 0  # handled once
        consent = db.session.scalar(sa.select(Consent).where(Consent.ref == consent_ref))
        assert consent.expiry_handled_at is not None
    assert _referral(app, to_b).state == ReferralState.SUSPENDED
    actions = [e.action for e in participants_log(app, participant_id)]
    assert "consent.expire" in actions and "referral.suspend" in actions
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_the_sweep_leaves_a_consent_alone_until_its_last_day_has_passed(app):
    holder = participants_intervenant(app)
    participant_id, _ = participants_file(app, holder)
    b = participants_partner(app)
    participants_consent(
        app, participant_id, [b], given_on=local_today() - timedelta(days=3), expires_on=local_today()
    )
    to_b = participants_referral(app, participant_id, b, ReferralState.SENT)
    with app.app_context():
        assert expiry.handle_expired_consents() == 0
    assert _referral(app, to_b).state == ReferralState.SENT


def test_the_expiry_sweep_is_registered_as_a_periodic_task(app):
    from coord.notify.schedule import _PERIODIC

    assert _PERIODIC["referrals.consent_expiry"] is expiry.handle_expired_consents


def test_an_organization_that_loses_two_referrals_gets_one_e_mail_per_intake_person(app):
    holder = participants_intervenant(app)
    participant_id, _ = participants_file(app, holder)
    b = participants_partner(app)
    for n in range(2):
        participants_intake(app, b, participants_intervenant(app, b, email=f"accueil{n}@example.org"))
    consent_ref = participants_consent(app, participant_id, [b])
    participants_referral(app, participant_id, b, ReferralState.ACCEPTED)
    participants_referral(app, participant_id, b, ReferralState.SENT)
    participants_referral(app, participant_id, b, ReferralState.DECLINED)  # not open: left alone
    with app.app_context():
        from coord.referrals import consents

        suspended = consents.withdraw_consent(db.session.get(Person, holder), consent_ref)
        assert len(suspended) == 2
        addresses = sorted(db.session.scalars(sa.select(OutboxMessage.to_address)))
        assert addresses == ["accueil0@example.org", "accueil1@example.org"]
        states = sorted(db.session.scalars(sa.select(Referral.state)))
        assert states == ["declined", "suspended", "suspended"]
