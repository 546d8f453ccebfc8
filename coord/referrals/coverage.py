"""What a participant's consents cover today: the one place every rule and service asks.

A consent covers a purpose for an organization when it names both, has not been withdrawn, and today is
between the day it was given and the last day it covers. Asked at every read, so a withdrawal or an expiry
takes effect in the same request, before any sweep marks the rows it suspends.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from coord.core.localtime import local_today
from coord.extensions import db
from coord.referrals.models import Consent, Participant


def active_consents(participant_id: int, on: date | None = None) -> list[Consent]:
    on = on or local_today()
    return list(
        db.session.scalars(
            sa.select(Consent)
            .where(
                Consent.participant_id == participant_id,
                Consent.withdrawn_at.is_(None),
                Consent.given_on <= on,
                Consent.expires_on >= on,
            )
            .order_by(Consent.expires_on.desc(), Consent.id.desc())
        )
    )


def covering_consent(
    participant_id: int, purpose: str, organization_id: int, on: date | None = None
) -> Consent | None:
    """The active consent that covers `purpose` for `organization_id` (the one lasting longest), or None."""
    for consent in active_consents(participant_id, on):
        if purpose in consent.purposes and organization_id in consent.organization_ids:
            return consent
    return None


def covers(participant: Participant, purpose: str, organization_id: int, on: date | None = None) -> bool:
    """True when the participant's own organization asks, or an active consent covers that organization."""
    if participant.anonymized_at is not None:
        return False
    if organization_id == participant.organization_id:
        return True
    return covering_consent(participant.id, purpose, organization_id, on) is not None


def covered_organizations(participant: Participant, purpose: str, on: date | None = None) -> set[int]:
    """The organizations that may receive the participant's information for `purpose` today: the
    participant's own organization, and those an active consent names for that purpose."""
    if participant.anonymized_at is not None:
        return set()
    found = {participant.organization_id}
    for consent in active_consents(participant.id, on):
        if purpose in consent.purposes:
            found |= consent.organization_ids
    return found


def still_active(consent: Consent) -> bool:
    """Lock the consent's row (PostgreSQL: FOR UPDATE, until the caller commits) and say whether it is still
    not withdrawn. A withdrawal committing meanwhile is then seen here; one starting after waits for the
    caller's commit, and its suspension sweep sees what the caller wrote under the consent."""
    locked = db.session.scalar(
        sa.select(Consent.id)
        .where(Consent.id == consent.id, Consent.withdrawn_at.is_(None))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return locked is not None
