"""The reminder 2 days before a session's first part, to each person holding a seat: once per
registration and start time (the outbox's dedupe key), whatever the number of sweeps."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.notify.schedule import periodic
from coord.training import registration_messages
from coord.training.models import Registration, RegistrationStatus, SessionStatus, TrainingSession

DAYS_BEFORE = 2


@periodic("training.reminders")
def queue_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now; returns how many were queued."""
    now = now or utcnow()
    rows = db.session.scalars(
        sa.select(Registration)
        .join(TrainingSession, TrainingSession.id == Registration.session_id)
        .where(
            Registration.status == RegistrationStatus.REGISTERED,
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.starts_at > now,
            TrainingSession.starts_at <= now + timedelta(days=DAYS_BEFORE),
        )
        .order_by(Registration.id)
    ).all()
    queued = 0
    for registration in rows:
        start = registration.session.starts_at
        key = f"training-reminder:{registration.id}:{start:%Y%m%dT%H%MZ}"
        queued += registration_messages.reminder(registration, key) is not None
    return queued
