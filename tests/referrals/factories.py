"""Participants and consents for tests (functions of each area prefixed by it: conferences_...)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import sqlalchemy as sa

from coord.core.localtime import local_today, utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import Consent, ConsentForm, ConsentOrganization, Participant

_numbers = itertools.count(9000)


def conferences_participant(
    app, intervenant_id: int, covered_org_ids=(), purposes=("referral", "case_conference")
) -> tuple[int, str]:
    """A participant of the intervenant's organization, with an active consent covering those
    organizations for those purposes (none when no organization is given). Returns (id, ref)."""
    with app.app_context():
        intervenant = db.session.get(Person, intervenant_id)
        today, number = local_today(), next(_numbers)
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
