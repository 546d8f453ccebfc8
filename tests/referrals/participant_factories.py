"""Referrals helpers for tests. Helper A's (participants and consents) are prefixed `participants_`."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.core.localtime import local_today, utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.referrals.models import (
    Consent,
    ConsentOrganization,
    IntakePerson,
    Participant,
    Referral,
    ReferralState,
    participant_subject,
)
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import logged_in


def participants_partner(app, **values) -> int:
    """An active partner organization."""
    return make_organization(app, is_partner=True, **values)


def participants_intervenant(
    app, organization_id: int | None = None, roles=("intervenant",), **values
) -> int:
    return make_person(
        app, roles=roles, organization_id=organization_id or participants_partner(app), **values
    )


def participants_client(app, person_id: int):
    return logged_in(app.test_client(), email_of(app, person_id))


def participants_file(app, intervenant_id: int, age: int = 16, **values) -> tuple[int, str]:
    """A participant held by `intervenant_id` (in their organization): (id, ref)."""
    with app.app_context():
        holder = db.session.get(Person, intervenant_id)
        year = local_today().year
        number = (
            db.session.scalar(
                sa.select(sa.func.max(Participant.code_number)).where(Participant.code_year == year)
            )
            or 0
        ) + 1
        participant = Participant(
            code=f"SPH-{year}-{number:04d}",
            code_year=year,
            code_number=number,
            age_at_intake=age,
            intake_date=values.pop("intake_date", local_today()),
            organization_id=holder.organization_id,
            intervenant_id=holder.id,
            recognizes_harms=True,
            voluntary=True,
            private_note=values.pop("private_note", ""),
            **values,
        )
        db.session.add(participant)
        db.session.commit()
        return participant.id, participant.ref


def participants_consent(
    app, participant_id: int, organization_ids, given_on=None, expires_on=None, purposes=("referral",)
) -> str:
    with app.app_context():
        given_on = given_on or local_today()
        consent = Consent(
            participant_id=participant_id,
            given_on=given_on,
            expires_on=expires_on or given_on + timedelta(days=300),
            form="written",
            given_by="participant",
            purposes=list(purposes),
            organization_rows=[ConsentOrganization(organization_id=o) for o in organization_ids],
        )
        db.session.add(consent)
        db.session.commit()
        return consent.ref


def participants_intake(app, organization_id: int, person_id: int) -> None:
    with app.app_context():
        db.session.add(IntakePerson(organization_id=organization_id, person_id=person_id))
        db.session.commit()


def participants_referral(
    app, participant_id: int, to_organization_id: int, state=ReferralState.ACCEPTED
) -> int:
    """A referral row made directly with the model (the referral services are another helper's)."""
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        referral = Referral(
            participant_id=participant_id,
            from_organization_id=participant.organization_id,
            to_organization_id=to_organization_id,
            sender_id=participant.intervenant_id,
            services=["individual_follow_up"],
            needs=[],
            urgency="routine",
            state=state,
            due_at=utcnow() + timedelta(days=5),
        )
        db.session.add(referral)
        db.session.commit()
        return referral.id


def participants_log(app, participant_id: int, action: str | None = None) -> list[AuditEntry]:
    """The audit entries whose subject is the participant (optionally one action), oldest first."""
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.subject == participant_subject(participant_id))
        if action:
            query = query.where(AuditEntry.action == action)
        rows = list(db.session.scalars(query.order_by(AuditEntry.id)))
        for row in rows:
            db.session.expunge(row)
        return rows
