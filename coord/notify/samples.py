"""Real values for the outbox's URL variables (for the garbage sweep)."""

from __future__ import annotations

from sqlalchemy import select

from coord.extensions import db
from coord.notify.models import OutboxMessage


def route_samples() -> dict[str, object]:
    message_id = db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id))
    return {"message_id": message_id} if message_id is not None else {}
