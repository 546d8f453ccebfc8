"""Referrals helpers for tests: participants, consents, referrals, disclosure lines (written directly)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import sqlalchemy as sa

from coord.core.localtime import local_today, utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import (
    Consent,
    ConsentForm,
    ConsentOrganization,
    Disclosure,
    Participant,
    Purpose,
    Referral,
    ReferralState,
)
from tests.directory.factories import make_organization, make_person

_numbers = iter(range(1, 10**6))


def registers_people(app) -> dict[str, int]:
    """A partner organization with an intervenant and a coordinator, and a second partner: their ids."""
    home = make_organization(app, is_partner=True)
    other = make_organization(app, is_partner=True)
    return {
        "home": home,
        "other": other,
        "intervenant": make_person(app, roles=("intervenant",), organization_id=home),
        "coordinator": make_person(app, roles=("coordinator",), organization_id=home),
    }


def registers_participant(
    app,
    intervenant_id: int,
    *,
    status: str = "active",
    closed_on: date | None = None,
    private_note: str = "Note privée fictive",
    anonymized: bool = False,
) -> int:
    """A participant of the intervenant's organization; closed on `closed_on` when given."""
    number = next(_numbers)
    with app.app_context():
        intervenant = db.session.get(Person, intervenant_id)
        participant = Participant(
            code=None if anonymized else f"SPH-2020-{number:04d}",
            code_year=2020,
            code_number=number,
            age_at_intake=16,
            organization_id=intervenant.organization_id,
            intervenant_id=intervenant.id,
            status=status if closed_on is None else "closed",
            closed_on=closed_on,
            private_note="" if anonymized else private_note,
            anonymized_at=utcnow() if anonymized else None,
        )
        db.session.add(participant)
        db.session.commit()
        return participant.id


def registers_consent(
    app, participant_id: int, organization_ids, purposes=(Purpose.REFERRAL,), **dates
) -> int:
    with app.app_context():
        given_on = dates.get("given_on", local_today() - timedelta(days=10))
        consent = Consent(
            participant_id=participant_id,
            given_on=given_on,
            expires_on=dates.get("expires_on", given_on + timedelta(days=365)),
            form="written",
            purposes=list(purposes),
        )
        consent.organization_rows = [ConsentOrganization(organization_id=o) for o in organization_ids]
        db.session.add(consent)
        db.session.commit()
        return consent.id


def registers_referral(app, participant_id: int, to_organization_id: int, **values) -> int:
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        referral = Referral(
            participant_id=participant_id,
            from_organization_id=participant.organization_id,
            to_organization_id=to_organization_id,
            sender_id=participant.intervenant_id,
            urgency="routine",
            state=values.pop("state", ReferralState.SENT),
            due_at=utcnow() + timedelta(days=10),
            note=values.pop("note", "Note confidentielle"),
            **values,
        )
        db.session.add(referral)
        db.session.commit()
        return referral.id


def registers_disclosure(app, participant_id: int, to_organization_id: int, **values) -> int:
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        line = Disclosure(
            participant_id=participant_id,
            what=values.pop("what", "referral_summary"),
            purpose=values.pop("purpose", Purpose.REFERRAL),
            from_organization_id=values.pop("from_organization_id", participant.organization_id),
            to_organization_id=to_organization_id,
            actor_id=values.pop("actor_id", participant.intervenant_id),
            **values,
        )
        db.session.add(line)
        db.session.commit()
        return line.id


# Case conferences ------------------------------------------------------------------------------------

_conference_numbers = itertools.count(9000)  # codes apart from the registers' ones


def conferences_participant(
    app, intervenant_id: int, covered_org_ids=(), purposes=("referral", "case_conference")
) -> tuple[int, str]:
    """A participant of the intervenant's organization, with an active consent covering those
    organizations for those purposes (none when no organization is given). Returns (id, ref)."""
    with app.app_context():
        intervenant = db.session.get(Person, intervenant_id)
        today, number = local_today(), next(_conference_numbers)
        participant = Participant(
            code=f"SPH-{today.year}-{number:04d}",
            code_year=today.year,
            code_number=number,
            age_at_intake=15,
            organization_id=intervenant.organization_id,
            intervenant_id=intervenant.id,
            recognizes_harms=True,
            voluntary=True,
        )
        db.session.add(participant)
        db.session.flush()
        if covered_org_ids:
            consent = Consent(
                participant_id=participant.id,
                given_on=today - timedelta(days=10),
                expires_on=today + timedelta(days=300),
                form=ConsentForm.WRITTEN,
                purposes=list(purposes),
            )
            consent.organization_rows = [ConsentOrganization(organization_id=o) for o in covered_org_ids]
            db.session.add(consent)
        db.session.commit()
        return participant.id, participant.ref


def conferences_withdraw_consents(app, participant_id: int) -> None:
    """Withdraw every consent of the participant now (as the referrals' service would)."""
    with app.app_context():
        db.session.execute(
            sa.update(Consent).where(Consent.participant_id == participant_id).values(withdrawn_at=utcnow())
        )
        db.session.commit()


def conferences_expire_consents(app, participant_id: int) -> None:
    """Make every consent of the participant end yesterday."""
    with app.app_context():
        yesterday = local_today() - timedelta(days=1)
        db.session.execute(
            sa.update(Consent)
            .where(Consent.participant_id == participant_id)
            .values(given_on=yesterday - timedelta(days=30), expires_on=yesterday)
        )
        db.session.commit()
