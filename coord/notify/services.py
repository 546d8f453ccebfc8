"""The coordinator's outbox: messages that need attention, and sending a failed or uncertain one again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from coord import audit
from coord.core.errors import ServiceError
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.dispatch import dispatch_after_commit
from coord.notify.models import OutboxMessage, OutboxStatus

NEEDS_ATTENTION = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN, OutboxStatus.PENDING)
RETRYABLE = (OutboxStatus.FAILED, OutboxStatus.UNCERTAIN)


def list_messages(actor: Person, status: str = "", page: int = 1, per_page: int = 50):
    """Messages with this status (default: failed, uncertain and pending), newest first."""
    require(actor, "outbox.manage")
    statuses = [status] if status else list(NEEDS_ATTENTION)
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status.in_(statuses))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def status_counts(actor: Person) -> dict[str, int]:
    require(actor, "outbox.manage")
    rows = db.session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id))
        .where(OutboxMessage.status.in_(NEEDS_ATTENTION))
        .group_by(OutboxMessage.status)
    )
    return {status: count for status, count in rows}


def retry_message(actor: Person, message_id: int) -> OutboxMessage:
    """Put a failed or uncertain message back in line; it is sent after the commit."""
    require(actor, "outbox.manage")
    message = lock_row(
        OutboxMessage, db.get_or_404(OutboxMessage, message_id).id
    )  # a second click: no resend
    if message.status not in RETRYABLE:
        raise ServiceError(_l("Only a failed or uncertain message can be sent again."))
    previous = message.status
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = None
    message.claimed_at = None
    audit.record(
        "outbox.retry", actor=actor, obj=message, detail=f"status={previous};attempts={message.attempts}"
    )
    dispatch_after_commit(db.session(), message.id, message.attempts)
    db.session.commit()
    return message
