"""Real values for the outreach URL variables, taken from the demo data (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.extensions import db
from coord.outreach import links
from coord.outreach.models import AvailabilityWindow, OutreachRequest, Presenter, RequestState


def route_samples() -> dict[str, object]:
    """A presenter and one of their windows; a confirmed session ahead (its ref and its requester link)."""
    window = db.session.scalar(select(AvailabilityWindow).order_by(AvailabilityWindow.id))
    session = db.session.scalar(
        select(OutreachRequest)
        .where(OutreachRequest.state == RequestState.CONFIRMED)
        .order_by(OutreachRequest.starts_at.desc())
    )
    return {
        "presenter_id": window.presenter_id if window else db.session.scalar(select(Presenter.id)),
        "window_id": window.id if window else None,
        "ref": session.ref if session else None,
        "token": links.token_for(session) if session else None,
    }
