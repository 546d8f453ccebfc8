"""The booking rules the coordinator sets: minimum notice, travel buffer, weekly maximum per presenter,
booking horizon and session length. New values apply to slots and confirmations from now on; sessions
already booked keep their times."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from coord import audit
from coord.core.errors import ServiceError
from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach.models import OutreachSettings
from coord.outreach.settings import current as current_settings
from coord.outreach.settings import for_update as settings_for_update

# field: (lowest, highest), the same bounds as the table's CHECK constraints.
BOUNDS = {
    "minimum_notice_days": (0, 365),
    "buffer_minutes": (0, 480),
    "max_per_week": (1, 20),
    "horizon_days": (7, 730),
    "session_minutes": (30, 480),
}
MESSAGES = {
    "minimum_notice_days": _l("Give a minimum notice between %(min)d and %(max)d days."),
    "buffer_minutes": _l("Give a travel time between %(min)d and %(max)d minutes."),
    "max_per_week": _l("Give a weekly maximum between %(min)d and %(max)d sessions."),
    "horizon_days": _l("Give a booking horizon between %(min)d and %(max)d days."),
    "session_minutes": _l("Give a session length between %(min)d and %(max)d minutes."),
}


@dataclass(frozen=True)
class Values:
    minimum_notice_days: int
    buffer_minutes: int
    max_per_week: int
    horizon_days: int
    session_minutes: int


def settings_page(actor: Person) -> OutreachSettings:
    """The current settings (the defaults until the coordinator saves them)."""
    require(actor, "outreach.manage")
    return current_settings()


def update(actor: Person, values: Values) -> list[str]:
    """Save the settings; returns the names of the fields that changed."""
    require(actor, "outreach.manage")
    for name, (low, high) in BOUNDS.items():
        value = getattr(values, name)
        if type(value) is not int or not low <= value <= high:
            raise ServiceError(MESSAGES[name] % {"min": low, "max": high}, name)
    if values.horizon_days <= values.minimum_notice_days:
        raise ServiceError(
            ngettext(
                "The horizon must go beyond the minimum notice (%(num)d day): no time could be booked.",
                "The horizon must go beyond the minimum notice (%(num)d days): no time could be booked.",
                values.minimum_notice_days,
            ),
            "horizon_days",
        )
    settings = settings_for_update()
    changed = [name for name in BOUNDS if getattr(settings, name) != getattr(values, name)]
    if not changed:
        return []
    for name in changed:
        setattr(settings, name, getattr(values, name))
    audit.record(
        "outreach.settings.update",
        obj=settings,
        actor=actor,
        detail=", ".join(f"{name}={getattr(values, name)}" for name in changed),
    )
    db.session.commit()
    return changed
