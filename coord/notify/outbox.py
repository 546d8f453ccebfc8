"""The outbox API: services queue e-mails in their own transaction; senders claim, render and send once.

`queue_email(...)` adds a row to `db.session` (the caller commits it with its change). A row stores
plain values only; links carrying secrets (password reset, invitation, RSVP) are computed when the
message is sent, by the `@context_builder(template)` function of the module that owns the template.
`deliver_message(id)` claims the row with one conditional UPDATE, so a message is sent at most once
even with several workers, a retried job, or a worker that died after sending.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select, update

from coord.core.localtime import utcnow
from coord.core.urls import public_url
from coord.directory.models import Person
from coord.extensions import db
from coord.notify import dispatch, mail
from coord.notify.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

ContextBuilder = Callable[[OutboxMessage], dict]
_BUILDERS: dict[str, ContextBuilder] = {}


class Undeliverable(Exception):
    """A context builder refuses to send (e.g. the recipient's address changed): the row becomes failed."""


def context_builder(template: str) -> Callable[[ContextBuilder], ContextBuilder]:
    """Register the function that completes a template's context at send time (links, tokens, dates)."""

    def register(func: ContextBuilder) -> ContextBuilder:
        if template in _BUILDERS and _BUILDERS[template] is not func:
            raise ValueError(f"context builder for {template!r} defined twice")
        _BUILDERS[template] = func
        return func

    return register


def queue_email(
    to_person: Person | None,
    template: str,
    *,
    to_address: str | None = None,
    language: str | None = None,
    context: dict | None = None,
    attachments: list | None = None,
    dedupe_key: str | None = None,
    after_response: bool = False,
) -> OutboxMessage | None:
    """Add a message to the current transaction (no commit); None when `dedupe_key` is already queued.

    `after_response`: dispatch it only once the current request's answer has been sent, so that the
    answer's timing does not show whether a message was queued (a password reset, a login alert)."""
    address = to_address or (to_person.email if to_person is not None else None)
    if not address:
        raise ValueError("queue_email needs a person or an address")
    language = language or (to_person.preferred_language if to_person is not None else None)
    languages = current_app.config["LANGUAGES"]
    if language not in languages:
        language = languages[0]
    if dedupe_key is not None and _already_queued(dedupe_key):
        return None
    values = _plain(context or {})
    message = OutboxMessage(
        person=to_person,
        to_address=address,
        language=language,
        template=template,
        context=values,
        attachments=[_attachment(item) for item in attachments or []],
        status=OutboxStatus.PENDING,
        attempts=0,
        last_error="",
        dedupe_key=dedupe_key,
    )
    dispatch.mark_after_response(message, after_response)
    db.session.add(message)
    return message


def _already_queued(dedupe_key: str) -> bool:
    """In the database, or added earlier in this transaction (without flushing the caller's objects)."""
    if any(isinstance(obj, OutboxMessage) and obj.dedupe_key == dedupe_key for obj in db.session.new):
        return True
    query = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    with db.session.no_autoflush:
        return db.session.scalar(query) is not None


def _plain(context: dict) -> dict:
    """A JSON copy: ORM objects, datetimes or lazy strings fail here, at queue time, not in the worker."""
    try:
        return json.loads(json.dumps(context))
    except TypeError as error:
        raise TypeError(f"outbox context takes plain JSON values (ids, names, ISO dates): {error}") from None


def _attachment(item: dict) -> dict:
    return {
        "filename": str(item["filename"]),
        "content_type": str(item["content_type"]),
        "text": str(item["text"]),
    }


# Sending ---------------------------------------------------------------------------------------------


def claim(message_id: int) -> bool:
    """Atomically take a due pending row for sending (and count the attempt); False if it is not ours."""
    now = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver_message(message_id: int) -> str | None:
    """Claim, render, send, record; returns the new status, or None when there was nothing to send."""
    if not claim(message_id):
        return None
    message = db.session.get(OutboxMessage, message_id)
    try:
        email = render(message)
    except Undeliverable as error:
        return _finish(message, OutboxStatus.FAILED, f"not sent: {error}"[:500])
    except Exception as error:
        logger.exception("outbox message %s (%s) could not be rendered", message.id, message.template)
        return _finish(message, OutboxStatus.FAILED, f"not rendered: {type(error).__name__}")
    try:
        mail.deliver(email)
    except mail.DeliveryError as error:
        return _after_failure(message, error)
    message.sent_at = utcnow()
    return _finish(message, OutboxStatus.SENT, "")


def render(message: OutboxMessage) -> EmailMessage:
    """The e-mail in the recipient's language, with the builder's context. Links come from the configured
    public address, whoever queued the message and whatever Host their request carried."""
    app = current_app._get_current_object()
    context = dict(message.context or {})
    context.pop("_base_url", None)  # messages queued before 0005 kept the request's address: never used
    with app.test_request_context("/", base_url=public_url()):  # url_for(..., _external=True) in jobs
        builder = _BUILDERS.get(message.template)
        if builder is not None:
            context.update(builder(message))
        return mail.build_message(
            message.to_address,
            message.template,
            message.language,
            message_id=message.message_id,
            attachments=message.attachments or (),
            **context,
        )


def _after_failure(message: OutboxMessage, error: mail.DeliveryError) -> str:
    config = current_app.config
    if error.permanent or message.attempts >= config["NOTIFY_MAX_ATTEMPTS"]:
        logger.warning("outbox message %s failed after %d attempt(s)", message.id, message.attempts)
        return _finish(message, OutboxStatus.FAILED, str(error))
    delays = list(config["NOTIFY_RETRY_DELAYS"]) or [60]
    delay = delays[min(message.attempts, len(delays)) - 1]
    message.next_attempt_at = utcnow() + timedelta(seconds=delay)
    status = _finish(message, OutboxStatus.PENDING, str(error))
    logger.info("outbox message %s: attempt %d failed, next in %s s", message.id, message.attempts, delay)
    if config.get("REDIS_URL"):
        dispatch.enqueue_sends(current_app, [(message.id, message.attempts)], at=message.next_attempt_at)
    return status


def _finish(message: OutboxMessage, status: OutboxStatus, error: str) -> str:
    message.status = status
    message.last_error = error[:500]
    if status is not OutboxStatus.PENDING:
        message.next_attempt_at = None
    db.session.commit()
    return status
