"""The consent expiry sweep: suspend the open referrals that expired consents no longer cover.

Access already ends on the day after a consent's last day without it (the rules ask the coverage at every
read); the sweep puts the rows in step: the referrals become "suspended", the intake people are told, and
each consent is marked handled once (`expiry_handled_at`).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from coord import audit
from coord.core.actor import SYSTEM
from coord.core.localtime import local_today, utcnow
from coord.extensions import db
from coord.notify.schedule import periodic
from coord.referrals.consents import suspend_uncovered
from coord.referrals.models import Consent

BATCH = 500


@periodic("referrals.consent_expiry")
def handle_expired_consents(on: date | None = None) -> int:
    """Consents whose last day is before `on` (today) and not yet handled; returns how many."""
    on = on or local_today()
    consents = list(
        db.session.scalars(
            sa.select(Consent)
            .where(Consent.expires_on < on, Consent.expiry_handled_at.is_(None))
            .order_by(Consent.id)
            .limit(BATCH)
        )
    )
    participants = {}
    for consent in consents:
        consent.expiry_handled_at = utcnow()
        if consent.withdrawn_at is None:  # a withdrawn one was handled when it was withdrawn
            audit.record("consent.expire", obj=consent, actor=SYSTEM)
        participants[consent.participant_id] = consent.participant
    for participant in participants.values():
        suspend_uncovered(participant, SYSTEM, on)
    db.session.commit()
    return len(consents)
