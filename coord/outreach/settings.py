"""The booking settings (one row): minimum notice, buffer for travel, weekly maximum, horizon, length."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from coord.extensions import db
from coord.outreach.models import OutreachSettings

SETTINGS_ID = 1
DEFAULTS = {
    "minimum_notice_days": 10,
    "buffer_minutes": 60,
    "max_per_week": 3,
    "horizon_days": 120,
    "session_minutes": 90,
}


def current() -> OutreachSettings:
    """The settings: the saved row, else the defaults (a transient object: reading writes nothing, so a page
    that shows open times stays a pure read)."""
    settings = db.session.get(OutreachSettings, SETTINGS_ID)
    return settings if settings is not None else OutreachSettings(id=SETTINGS_ID, **DEFAULTS)


def for_update() -> OutreachSettings:
    """The settings row to change, made with the defaults the first time (not committed).

    Made with INSERT ... ON CONFLICT DO NOTHING, so that two coordinators saving at once do not collide (the
    second waits for the first's transaction and then reads its row)."""
    settings = db.session.get(OutreachSettings, SETTINGS_ID)
    if settings is None:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(
            dialect.insert(OutreachSettings)
            .values(id=SETTINGS_ID, **DEFAULTS)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        settings = db.session.get(OutreachSettings, SETTINGS_ID)
    return settings
