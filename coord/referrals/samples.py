"""Real values for the referrals' URL variables, taken from the demo data (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.extensions import db
from coord.referrals.models import ConfidentialityIncident, Consent, Participant, Referral


def route_samples() -> dict[str, object]:
    return {
        "participant_ref": db.session.scalar(select(Participant.ref).order_by(Participant.id)),
        "consent_ref": db.session.scalar(select(Consent.ref).order_by(Consent.id)),
        "referral_ref": db.session.scalar(select(Referral.ref).order_by(Referral.id)),
        "incident_ref": db.session.scalar(
            select(ConfidentialityIncident.ref).order_by(ConfidentialityIncident.id)
        ),
    }
