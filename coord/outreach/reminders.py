"""Reminders 7 days and 1 day before each confirmed session, to its presenters and its contact.

The worker's sweep runs `queue_reminders` every few minutes. Each (session time, recipient, reminder) is
queued once, whatever the number of sweeps: the outbox refuses a second message with the same dedupe key,
and the key names the session's start, so a rescheduled session gets its reminders again for its new time.
A reminder whose moment came while the session was being confirmed or moved is not sent: the people
just got the invitation (the 7-day one is skipped when the last change came less than 7 days before).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.notify.schedule import periodic
from coord.outreach import messages
from coord.outreach.models import HistoryKind, OutreachRequest, RequestState

REMINDERS = (7, 1)  # days before
SCHEDULING = (HistoryKind.CONFIRMED, HistoryKind.RESCHEDULED)


def _scheduled_at(request: OutreachRequest) -> datetime | None:
    """When the session got its current time (its confirmation or last move)."""
    times = [step.at for step in request.history if step.kind in SCHEDULING]
    return max(times) if times else None


def due(request: OutreachRequest, now: datetime) -> int | None:
    """The reminder due now (1 within a day of the start, else 7 within a week), or None; none when the
    session got its time after that reminder's moment (its invitation just told them)."""
    if request.starts_at <= now:
        return None
    scheduled = _scheduled_at(request)
    for days in sorted(REMINDERS):
        moment = request.starts_at - timedelta(days=days)
        if now >= moment:
            return None if scheduled is not None and scheduled > moment else days
    return None


@periodic("outreach.reminders")
def queue_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now; returns how many were queued."""
    now = now or utcnow()
    rows = db.session.scalars(
        sa.select(OutreachRequest)
        .where(
            OutreachRequest.state == RequestState.CONFIRMED,
            OutreachRequest.starts_at > now,
            OutreachRequest.starts_at <= now + timedelta(days=max(REMINDERS)),
        )
        .options(orm.selectinload(OutreachRequest.history), orm.selectinload(OutreachRequest.assignments))
    ).all()
    queued = 0
    for request in rows:
        days = due(request, now)
        if days is None:
            continue
        key = f"outreach-reminder:{request.id}:{request.starts_at:%Y%m%dT%H%MZ}:{days}d"
        queued += messages.reminder_to_contact(request, days, f"{key}:contact") is not None
        for presenter in request.presenters:
            if presenter.person.active:
                message = messages.reminder_to_presenter(
                    request, presenter.person, days, f"{key}:{presenter.person_id}"
                )
                queued += message is not None
    return queued
