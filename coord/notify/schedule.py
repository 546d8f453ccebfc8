"""The sweep: re-dispatch due messages, mark dead sends uncertain, run the modules' periodic tasks.

The worker runs it every NOTIFY_SWEEP_SECONDS; `flask --app coord send-pending` runs it once. Periodic
tasks (`@periodic("calendar.reminders")`) queue messages with `dedupe_key`s, so running a task again,
or twice at once, never queues the same reminder twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.notify import dispatch
from coord.notify.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

_PERIODIC: dict[str, Callable[[], object]] = {}


def periodic(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register a task run at each sweep, in an app context; the sweep commits after it."""

    def register(func: Callable[[], object]) -> Callable[[], object]:
        if name in _PERIODIC and _PERIODIC[name] is not func:
            raise ValueError(f"periodic task {name!r} defined twice")
        _PERIODIC[name] = func
        return func

    return register


@dataclass
class SweepResult:
    uncertain: int = 0
    dispatched: int = 0
    tasks: list[str] = field(default_factory=list)
    failed_tasks: list[str] = field(default_factory=list)


def sweep(*, periodic: bool = True, limit: int = 500) -> SweepResult:
    """One pass; safe to run concurrently (claims and dedupe keys keep every message single)."""
    with dispatch.sweeping():
        result = SweepResult(uncertain=mark_stale_sends_uncertain())
        due = due_messages(limit)
        if due:
            dispatch.dispatch(due)
        result.dispatched = len(due)
        if periodic:
            run_periodic_tasks(result)
    return result


def mark_stale_sends_uncertain() -> int:
    """A row still 'sending' after NOTIFY_SENDING_TIMEOUT lost its sender: maybe sent, so never re-sent."""
    limit = utcnow() - timedelta(seconds=current_app.config["NOTIFY_SENDING_TIMEOUT"])
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < limit)
        .values(status=OutboxStatus.UNCERTAIN, last_error="the sender stopped during the send")
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if changed:
        logger.warning("%d outbox message(s) whose sender stopped mid-send are now uncertain", changed)
    return changed


def due_messages(limit: int) -> list[tuple[int, int]]:
    """(id, attempts) of pending rows whose time has come, oldest first."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.attempts)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= utcnow()),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    return [(row.id, row.attempts) for row in rows]


def run_periodic_tasks(result: SweepResult) -> None:
    for name, task in sorted(_PERIODIC.items()):
        try:
            task()
            db.session.commit()
        except IntegrityError:  # a concurrent sweep queued the same reminder first: the next sweep is clean
            db.session.rollback()
            logger.warning("periodic task %s clashed with a concurrent run", name)
            result.failed_tasks.append(name)
        except Exception:
            db.session.rollback()
            logger.exception("periodic task %s failed", name)
            result.failed_tasks.append(name)
        else:
            result.tasks.append(name)
