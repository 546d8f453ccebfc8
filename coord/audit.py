"""The append-only audit log: who did what to which object, from where, with what outcome.

Entries are only ever inserted. The ORM refuses updates and deletes of loaded entries, and the
database itself refuses them through triggers created by the migrations.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context, request
from sqlalchemy import Index, Integer, String, event, select
from sqlalchemy import insert as sa_insert
from sqlalchemy.orm import Mapped, mapped_column

from coord.core.actor import ANONYMOUS, SYSTEM, SystemActor
from coord.core.localtime import UTCDateTime, utcnow
from coord.extensions import db

__all__ = ["ANONYMOUS", "SYSTEM", "AuditEntry", "Outcome", "record", "record_each", "record_now", "search"]


class Outcome(enum.StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        # The login throttles count recent failures of an account, or from a client address, here when
        # their counters' storage (Redis) is down.
        Index("ix_audit_entry_action_object_id_at", "action", "object_id", "at"),
        Index("ix_audit_entry_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: the log outlives people
    actor_label: Mapped[str] = mapped_column(String(20), default="")  # "system" or "anonymous" when no person
    organization_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(10), default=Outcome.SUCCESS)
    detail: Mapped[str] = mapped_column(String(500), default="")  # never confidential content
    # Whose data this entry touches, e.g. "participant:42": the per-participant access log reads it. An object
    # with an `audit_subject` property fills it by itself (refusals by `require` included).
    subject: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly("audit entries cannot be deleted")


def record(
    action: str,
    *,
    actor,
    obj: object | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: Outcome = Outcome.SUCCESS,
    detail: str = "",
    subject: str = "",
) -> AuditEntry:
    """Add an entry to the current transaction; the caller's commit writes it with the change.

    `actor` is required: the person acting, or SYSTEM (jobs, the CLI) or ANONYMOUS (not signed in)."""
    if actor is None:
        raise TypeError("audit.record needs an actor: a person, SYSTEM or ANONYMOUS")
    if obj is not None:
        object_type = object_type or obj.__class__.__tablename__
        object_id = getattr(obj, "id", "")
        subject = subject or getattr(obj, "audit_subject", "")
    entry = AuditEntry(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_label=actor.name if isinstance(actor, SystemActor) else "",
        organization_id=getattr(actor, "organization_id", None),
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        ip=(request.remote_addr or "")[:64] if has_request_context() else "",
        outcome=str(outcome),
        detail=detail[:500],
        subject=subject,
    )
    db.session.add(entry)
    return entry


def record_each(action: str, *, actor, objs) -> None:
    """One entry per object (a list that shows many rows), written by a single statement: the cost of
    auditing a page does not grow with its rows. Added to the current transaction like `record`."""
    values = []
    for obj in objs:
        entry = record(action, actor=actor, obj=obj)
        db.session.expunge(entry)
        values.append({column.key: getattr(entry, column.key) for column in AuditEntry.__table__.columns})
    for row in values:
        row.pop("id")
    if values:
        db.session.execute(sa_insert(AuditEntry), values)


def record_now(action: str, **kwargs) -> None:
    """Write an entry in its own commit (refusals and failures, where nothing else is committed)."""
    db.session.rollback()
    record(action, **kwargs)
    db.session.commit()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    since: datetime | None = None
    until: datetime | None = None


def search(filters: AuditFilter, page: int, per_page: int = 50):
    """Entries matching the filters, newest first, as a Flask-SQLAlchemy pagination."""
    query = select(AuditEntry)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEntry.object_id == filters.object_id)
    if filters.outcome:
        query = query.where(AuditEntry.outcome == filters.outcome)
    if filters.since:
        query = query.where(AuditEntry.at >= filters.since)
    if filters.until:
        query = query.where(AuditEntry.at < filters.until)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
