"""Cancelling a registration: by the person until the session's deadline, by the coordinator until its end.
A freed seat goes to the next person waiting; a place on the waiting list just goes."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.actor import ANONYMOUS
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.extensions import db
from coord.training import links, registration_messages, waitlist
from coord.training.dates import spoken
from coord.training.models import ACTIVE, HOLDING, Registration, RegistrationStatus, TrainingSession


def registration_by_ref(registration_ref: str) -> Registration:
    registration = db.session.scalar(sa.select(Registration).where(Registration.ref == registration_ref[:24]))
    if registration is None:
        raise NotFound()
    return registration


def deadline(session: TrainingSession):
    """Until when the person may cancel themself."""
    return session.starts_at - timedelta(hours=session.cancel_hours_before)


def check_allowed(session: TrainingSession, by_coordinator: bool) -> None:
    now = utcnow()
    if by_coordinator:
        if now >= session.starts_at:  # its attendance and attestations stand
            raise ServiceError(gettext("This session has begun: its registrations stand as they are."))
        return
    if now >= deadline(session):
        raise ServiceError(
            gettext(
                "Cancellations closed on %(when)s; write to the coordinator.", when=spoken(deadline(session))
            )
        )


def _cancel(registration: Registration, actor, by_coordinator: bool) -> Registration:
    session = waitlist.lock(registration.session_id)
    db.session.refresh(registration)
    if registration.status not in [str(s) for s in ACTIVE]:
        db.session.rollback()
        return registration  # already cancelled: the second click finds it done
    try:
        check_allowed(session, by_coordinator)
    except ServiceError:
        db.session.rollback()
        raise
    had_seat = registration.status in [str(s) for s in HOLDING]
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    registration.offer_expires_at = None
    audit.record(
        "training.registration.cancel", actor=actor, object_type=waitlist.OBJECT, object_id=registration.id
    )
    registration_messages.cancelled(registration, was_registered)
    db.session.flush()
    if had_seat:
        waitlist.promote(session.id)
    db.session.commit()
    return registration


def cancel(actor, registration_ref: str) -> Registration:
    """The person (until the deadline) or the coordinator (until the end)."""
    registration = registration_by_ref(registration_ref)
    require(actor, "training.cancel_registration", registration)
    by_coordinator = registration.person_id != actor.id and may(actor, "training.manage")
    return _cancel(registration, actor, by_coordinator)


def follower(follow_token: str) -> Registration:
    """The outside registrant a follow link names (404 when the link is not valid)."""
    registration = links.read(follow_token, "follow")
    if registration is None:
        raise NotFound()
    return registration


def cancel_outside(follow_token: str) -> Registration:
    """An outside person cancels from their own page (until the deadline)."""
    return _cancel(follower(follow_token), ANONYMOUS, by_coordinator=False)
