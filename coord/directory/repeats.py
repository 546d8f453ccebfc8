"""A second click on a button that e-mails someone (an invitation, an address to confirm) is recognized:
the same request made again within REPEAT_WINDOW, by anyone, sends nothing more. Callers hold the person's
row (coord.core.locks) first, so two clicks at the same moment are one after the other here."""

from __future__ import annotations

from sqlalchemy import select

from coord import audit
from coord.core.localtime import utcnow
from coord.core.locks import REPEAT_WINDOW
from coord.directory.models import Person
from coord.extensions import db


def just_done(action: str, person: Person, detail: str | None = None) -> bool:
    """The audit log has `action` on this person (with this detail, when given) within REPEAT_WINDOW."""
    query = select(audit.AuditEntry.id).where(
        audit.AuditEntry.action == action,
        audit.AuditEntry.object_type == "person",
        audit.AuditEntry.object_id == str(person.id),
        audit.AuditEntry.outcome == audit.Outcome.SUCCESS,
        audit.AuditEntry.at >= utcnow() - REPEAT_WINDOW,
    )
    if detail is not None:
        query = query.where(audit.AuditEntry.detail == detail)
    return db.session.scalar(query.limit(1)) is not None
