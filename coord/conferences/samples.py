"""Real values for the case conferences' URL variables, taken from the demo data (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.conferences.models import CaseConference
from coord.extensions import db


def route_samples() -> dict[str, object]:
    return {"conference_id": db.session.scalar(select(CaseConference.id).order_by(CaseConference.id))}
