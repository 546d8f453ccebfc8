"""Marking attendance: the trainer (or the coordinator) marks each registered person present, partly present
or absent, from the first part's start on, in one form and one commit. Marking present makes the
attestation code if the registration has none; a mark changed later is audited like the first one."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coord import audit
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db
from coord.training.attestations import new_code
from coord.training.lookup import find_session
from coord.training.models import Attendance, Registration, RegistrationStatus, TrainingSession

MARKED = "training.attendance.mark"
TOO_EARLY = _l("Attendance can be marked from the start of the session on.")


def mark_attendance(actor: Person, session_ref: str, marks: dict[str, str], now=None) -> int:
    """Apply {registration ref: "present" | "partial" | "absent" | ""} to the session's registered people
    (rule training.teach); an empty mark leaves the registration as it is. Returns how many changed."""
    session = find_session(session_ref)
    require(actor, "training.teach", session)
    session = lock_row(TrainingSession, session.id)
    now = now or utcnow()
    if now < session.starts_at:
        raise ServiceError(TOO_EARLY, None)
    allowed = {str(value) for value in Attendance}
    if any(value and value not in allowed for value in marks.values()):
        raise ServiceError(_l("Choose present, partly present or absent."), None)
    registered = {
        registration.ref: registration
        for registration in db.session.scalars(
            sa.select(Registration).where(
                Registration.session_id == session.id, Registration.status == RegistrationStatus.REGISTERED
            )
        )
    }
    if any(ref not in registered for ref, value in marks.items() if value):
        raise ServiceError(_l("This person no longer holds a seat: reload the page."), None)
    changed = []
    for ref, value in marks.items():
        registration = registered[ref] if value else None
        if registration is None or registration.attendance == value:
            continue
        registration.attendance = value
        registration.attendance_marked_by_id = actor.id
        registration.attendance_marked_at = now
        if value == Attendance.PRESENT and not registration.attestation_code:
            registration.attestation_code = new_code()
        changed.append(registration)
    for registration in changed:
        audit.record(MARKED, actor=actor, obj=registration, detail=registration.attendance)
    db.session.commit()
    return len(changed)
