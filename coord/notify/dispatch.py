"""After the commit, hand outbox rows to rq on Redis, or deliver them in-process when REDIS_URL is unset.

Rows created in a transaction are collected at flush and dispatched only after the commit; a rollback
forgets them. Redis being down never fails the change: the row waits and the next sweep dispatches it.
Jobs carry ids only, and a job id per (message, attempt) keeps a message from being queued twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from flask import Flask, current_app, has_app_context
from redis import Redis, RedisError
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue
from rq.exceptions import DuplicateJobError
from rq.job import JobStatus
from sqlalchemy import event
from sqlalchemy.orm import Session

from coord.core.after_response import after_response
from coord.notify.models import OutboxMessage

logger = logging.getLogger(__name__)

SEND_JOB = "coord.notify.jobs.send_message"
SWEEP_JOB = "coord.notify.jobs.sweep"
SEND_JOB_TIMEOUT = 180  # seconds; NOTIFY_SENDING_TIMEOUT must be longer (rq kills a horse at +60 s)
FAILED_JOB_TTL = 24 * 3600
_SESSION_KEY = "coord.notify.to_dispatch"
_LATER_KEY = "coord.notify.after_response"  # rows to dispatch once the request's answer has gone
_AFTER_RESPONSE = "_coord_dispatch_after_response"  # a plain attribute on the OutboxMessage, not a column
_in_process_sweep = ContextVar("coord_notify_in_process_sweep", default=False)


def dispatch_after_commit(
    session: Session, message_id: int, attempts: int = 0, after_response: bool = False
) -> None:
    """Dispatch this message once the session's transaction commits (nothing happens on rollback); with
    `after_response`, only once the current request's answer has been sent."""
    session.info.setdefault(_LATER_KEY if after_response else _SESSION_KEY, {})[message_id] = attempts


def mark_after_response(message: OutboxMessage, after_response: bool = True) -> None:
    """A new row to dispatch after the answer (see `dispatch_after_response`)."""
    setattr(message, _AFTER_RESPONSE, after_response)


@event.listens_for(Session, "after_flush")
def _collect_new_messages(session: Session, flush_context) -> None:
    for obj in session.new:
        if isinstance(obj, OutboxMessage):
            dispatch_after_commit(session, obj.id, obj.attempts or 0, getattr(obj, _AFTER_RESPONSE, False))


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    items = session.info.pop(_SESSION_KEY, None)
    later = session.info.pop(_LATER_KEY, None)
    if has_app_context():
        if items:
            dispatch(list(items.items()))
        if later:
            dispatch_after_response(list(later.items()))


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_SESSION_KEY, None)
        session.info.pop(_LATER_KEY, None)


def dispatch_after_response(items: list[tuple[int, int]]) -> None:
    """Dispatch once the current answer has been sent (see coord.core.after_response): neither the
    enqueueing nor an in-process delivery then weighs on the answer's timing. Outside a request, now."""

    def dispatch_later() -> None:
        dispatch(items)

    after_response(dispatch_later)


def dispatch(items: list[tuple[int, int]]) -> None:
    """(message id, attempts so far) pairs: enqueue them on rq, or deliver them now without Redis."""
    app = current_app._get_current_object()
    try:
        if app.config.get("REDIS_URL"):
            enqueue_sends(app, items)
        else:
            deliver_in_process(app, [message_id for message_id, _attempts in items])
    except Exception:  # the change is committed: never fail the request because of its e-mail
        logger.exception("dispatch of %d outbox message(s) failed; the sweep will retry", len(items))


# With Redis -----------------------------------------------------------------------------------------


def redis_connection(app: Flask) -> Redis:
    """One client per app for dispatching; short timeouts so a dead Redis cannot stall a request."""
    state = app.extensions.setdefault("coord.notify", {})
    if "redis" not in state:
        state["redis"] = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5, retry=Retry(NoBackoff(), 0)
        )
    return state["redis"]


def queue(app: Flask, connection: Redis | None = None) -> Queue:
    return Queue(app.config["NOTIFY_QUEUE"], connection=connection or redis_connection(app))


def sweep_queue_name(app: Flask) -> str:
    """The sweep's own queue, which the worker serves before the sends."""
    return f"{app.config['NOTIFY_QUEUE']}-sweep"


def enqueue_sends(app: Flask, items: Iterable[tuple[int, int]], at: datetime | None = None) -> bool:
    """Enqueue send jobs (at `at`, through rq's scheduler); False, with a warning, when Redis is down."""
    items = list(items)
    if at is not None:  # rq schedules to the whole second, rounded down: round up, never run early
        at = at.replace(microsecond=0) + timedelta(seconds=1)
    try:
        send_queue = queue(app)
        for message_id, attempts in items:
            enqueue_unique(
                send_queue,
                SEND_JOB,
                (message_id,),
                job_id=f"outbox-{message_id}-{attempts}",
                at=at,
                job_timeout=SEND_JOB_TIMEOUT,
            )
    except (RedisError, OSError) as error:
        logger.warning(
            "Redis unavailable (%s): %d outbox message(s) wait for the next sweep",
            type(error).__name__,
            len(items),
        )
        return False
    return True


def enqueue_unique(
    rq_queue: Queue, func: str, args: tuple, *, job_id: str, at: datetime | None = None, **options
):
    """Enqueue unless a job with this id is already waiting or running; a dead one (failed) is replaced."""
    options = {"result_ttl": 0, "failure_ttl": FAILED_JOB_TTL, **options}
    for _ in range(3):
        try:
            if at is not None:
                return rq_queue.enqueue_at(at, func, *args, job_id=job_id, unique=True, **options)
            return rq_queue.enqueue(func, *args, job_id=job_id, unique=True, **options)
        except DuplicateJobError:
            existing = rq_queue.fetch_job(job_id)
            if existing is None:
                continue  # finished meanwhile
            if existing.get_status(refresh=False) in (
                JobStatus.FAILED,
                JobStatus.STOPPED,
                JobStatus.CANCELED,
            ):
                existing.delete()
                continue
            return existing
    return None


def enqueue_sweep(connection: Redis, rq_queue: Queue, every_seconds: int) -> None:
    """Enqueue one sweep per period across all workers (a Redis lock that expires with the period)."""
    lock = f"coord:notify:sweep-lock:{rq_queue.name}"
    if connection.set(lock, "1", nx=True, ex=max(1, int(every_seconds))):
        enqueue_unique(rq_queue, SWEEP_JOB, (), job_id=f"outbox-sweep-{rq_queue.name}")


# Without Redis ---------------------------------------------------------------------------------------


def deliver_in_process(app: Flask, message_ids: list[int]) -> None:
    """Send now, each in a fresh app context (so a fresh session: the caller's has just committed)."""
    from coord.notify.outbox import deliver_message  # here: outbox imports this module (a cycle)

    for message_id in message_ids:
        with app.app_context():
            try:
                deliver_message(message_id)
            except Exception:
                logger.exception("outbox message %s: in-process delivery failed", message_id)
    _sweep_now_and_then(app)


def _sweep_now_and_then(app: Flask) -> None:
    """Embedded mode has no scheduler: retry due messages after a dispatch, at most once per period."""
    if _in_process_sweep.get():
        return
    state = app.extensions.setdefault("coord.notify", {})
    now = time.monotonic()
    last = state.setdefault("last_sweep", now)
    if now - last < app.config["NOTIFY_SWEEP_SECONDS"]:
        return
    state["last_sweep"] = now
    from coord.notify.schedule import sweep  # here: schedule imports this module (a cycle)

    try:
        with app.app_context():
            sweep(periodic=False, limit=20)
    except Exception:
        logger.exception("in-process outbox sweep failed")


@contextmanager
def sweeping() -> Iterator[None]:
    """While a sweep runs, deliveries it causes do not start another one."""
    token = _in_process_sweep.set(True)
    try:
        yield
    finally:
        _in_process_sweep.reset(token)
