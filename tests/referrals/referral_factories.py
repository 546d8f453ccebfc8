"""Participants, consents, intake people and referrals for the referral tests (made with the models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from coord.core.localtime import local_today
from coord.extensions import db
from coord.referrals.models import (
    Consent,
    ConsentOrganization,
    IntakePerson,
    Participant,
    Purpose,
    Referral,
)
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import logged_in

_numbers = iter(range(1, 10**6))


def referral_participant(app, organization_id: int, intervenant_id: int, **values) -> int:
    n = next(_numbers)
    with app.app_context():
        participant = Participant(
            code=f"SPH-2026-{n:04d}",
            code_year=2026,
            code_number=n,
            age_at_intake=values.get("age", 16),
            organization_id=organization_id,
            intervenant_id=intervenant_id,
            status=values.get("status", "active"),
            private_note=values.get("private_note", ""),
        )
        db.session.add(participant)
        db.session.commit()
        return participant.id


def referral_consent(
    app, participant_id: int, organization_ids, purposes=(Purpose.REFERRAL,), **values
) -> int:
    with app.app_context():
        today = local_today()
        consent = Consent(
            participant_id=participant_id,
            given_on=values.get("given_on", today - timedelta(days=1)),
            expires_on=values.get("expires_on", today + timedelta(days=180)),
            form="written",
            purposes=[str(p) for p in purposes],
            withdrawn_at=values.get("withdrawn_at"),
        )
        consent.organization_rows = [ConsentOrganization(organization_id=org) for org in organization_ids]
        db.session.add(consent)
        db.session.commit()
        return consent.id


def referral_intake(app, organization_id: int, person_id: int) -> int:
    with app.app_context():
        row = IntakePerson(organization_id=organization_id, person_id=person_id)
        db.session.add(row)
        db.session.commit()
        return row.id


@dataclass
class ReferralWorld:
    """Two partner organizations: the sender's (with a participant) and the receiver (with its intake)."""

    sender_org: int
    receiver_org: int
    sender: int  # the participant's intervenant of reference
    intake: int  # an intake person of the receiving organization
    colleague: int  # a person of the receiving organization who is not its intake
    coordinator: int
    participant: int
    participant_ref: str
    consent: int | None


def referral_world(
    app, consent: bool = True, purposes=(Purpose.REFERRAL, Purpose.FOLLOW_UP)
) -> ReferralWorld:
    sender_org = make_organization(app, is_partner=True)
    receiver_org = make_organization(app, is_partner=True)
    coordination = make_organization(app, is_partner=True)
    sender = make_person(app, roles=("intervenant",), organization_id=sender_org)
    intake = make_person(app, roles=("intervenant",), organization_id=receiver_org)
    colleague = make_person(app, roles=("intervenant",), organization_id=receiver_org)
    coordinator = make_person(app, roles=("coordinator",), organization_id=coordination)
    referral_intake(app, receiver_org, intake)
    participant = referral_participant(app, sender_org, sender)
    consent_id = referral_consent(app, participant, [receiver_org], purposes) if consent else None
    with app.app_context():
        ref = db.session.get(Participant, participant).ref
    return ReferralWorld(
        sender_org, receiver_org, sender, intake, colleague, coordinator, participant, ref, consent_id
    )


def referral_client(app, person_id: int):
    return logged_in(app.test_client(), email_of(app, person_id))


REFERRAL_FORM = {
    "services": ["individual_follow_up", "accompaniment"],
    "services_other": "",
    "needs": ["harm_reduction"],
    "urgency": "within_72_hours",
    "note": "Note confidentielle: fugue récente",
}


def referral_form(world: ReferralWorld, **changes) -> dict:
    return {"organization": str(world.receiver_org), **REFERRAL_FORM, **changes}


def referral_only(app) -> Referral:
    """The one referral (in an app context)."""
    return db.session.scalars(sa.select(Referral)).one()


def referral_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Referral))


def referral_sent(app, world: ReferralWorld, urgency: str = "within_72_hours") -> str:
    """A referral sent through the service by the participant's intervenant; returns its ref."""
    from coord.directory.models import Person
    from coord.referrals import referrals

    with app.test_request_context():
        data = referrals.ReferralData(
            organization_id=world.receiver_org,
            services=list(REFERRAL_FORM["services"]),
            needs=list(REFERRAL_FORM["needs"]),
            urgency=urgency,
            note=REFERRAL_FORM["note"],
        )
        sender = db.session.get(Person, world.sender)
        return referrals.send_referral(sender, world.participant_ref, data).ref


def referral_state(app, ref: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Referral.state).where(Referral.ref == ref))
