"""The booking settings (one row): minimum notice, buffer for travel, weekly maximum, horizon, length."""

from __future__ import annotations

from coord.extensions import db
from coord.outreach.models import OutreachSettings

SETTINGS_ID = 1


def current() -> OutreachSettings:
    """The settings row, made with the defaults the first time (flushed, not committed)."""
    settings = db.session.get(OutreachSettings, SETTINGS_ID)
    if settings is None:
        settings = OutreachSettings(
            id=SETTINGS_ID,
            minimum_notice_days=10,
            buffer_minutes=60,
            max_per_week=3,
            horizon_days=120,
            session_minutes=90,
        )
        db.session.add(settings)
        db.session.flush()
    return settings
