"""Real values for the training URL variables, taken from the demo data (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.training import links
from coord.training.models import (
    Audience,
    Registration,
    RegistrationStatus,
    RequestStatus,
    SessionStatus,
    TrainingRequest,
    TrainingSession,
)


def _registration(status: str, outside: bool = True) -> Registration | None:
    query = select(Registration).where(Registration.status == status).order_by(Registration.id)
    if outside:
        query = query.where(Registration.person_id.is_(None))
    return db.session.scalar(query)


def route_samples() -> dict[str, object]:
    """An upcoming open session, a registration, an open request, and the outside registrants' links:
    verify (an unverified registration), follow (a verified one), claim (the seat offered)."""
    session = db.session.scalar(
        select(TrainingSession)
        .where(
            TrainingSession.audience == Audience.OPEN,
            TrainingSession.status == SessionStatus.CONFIRMED,
            TrainingSession.starts_at > utcnow(),
        )
        .order_by(TrainingSession.starts_at)
    )
    request = db.session.scalar(
        select(TrainingRequest)
        .where(TrainingRequest.status == RequestStatus.OPEN)
        .order_by(TrainingRequest.id)
    )
    registration = _registration(RegistrationStatus.REGISTERED)
    unverified = _registration(RegistrationStatus.UNVERIFIED)
    offered = _registration(RegistrationStatus.OFFERED, outside=False)
    return {
        "session_ref": session.ref if session else None,
        "registration_ref": registration.ref if registration else None,
        "request_ref": request.ref if request else None,
        "module_code": "mi-initial",
        "verify_token": links.token_for(unverified, "verify") if unverified else None,
        "follow_token": links.token_for(registration, "follow") if registration else None,
        "claim_token": links.token_for(offered, "claim") if offered else None,
    }
