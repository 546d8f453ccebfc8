"""Seat offers: claiming one (from the e-mail's link, or one's own page), and their expiry, which passes
the seat to the next person waiting (`@periodic`, run by the worker's sweep or `send-pending`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.actor import ANONYMOUS, SYSTEM
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.permissions import require
from coord.extensions import db
from coord.notify.schedule import periodic
from coord.training import links, registration_messages, waitlist
from coord.training.dates import spoken
from coord.training.models import Audience, Registration, RegistrationStatus


class OfferGone(ServiceError):
    """The offer was claimed, expired or passed on: a clear page, nothing changed."""


def offer_of(claim_token: str) -> Registration:
    """The registration a claim link names (404 for a forged, tampered or old-offer link)."""
    registration = links.read(claim_token, "claim")
    if registration is None:
        raise NotFound()
    return registration


def check_open(registration: Registration, now: datetime) -> None:
    if registration.status == RegistrationStatus.REGISTERED:
        raise OfferGone(gettext("You already have this seat."))
    if registration.status != RegistrationStatus.OFFERED:
        raise OfferGone(gettext("This offer is no longer open: the seat went to the next person waiting."))
    if registration.offer_expires_at is not None and registration.offer_expires_at <= now:
        raise OfferGone(
            gettext("This offer expired on %(when)s.", when=spoken(registration.offer_expires_at))
        )


def _claim(registration: Registration, actor) -> Registration:
    now = utcnow()
    waitlist.lock(registration.session_id)
    db.session.refresh(registration)
    try:
        check_open(registration, now)
        if registration.person_id is None and registration.session.audience != Audience.OPEN:
            raise OfferGone(gettext("This session is for the partners' people only."))
    except OfferGone:
        db.session.rollback()
        raise
    registration.status = RegistrationStatus.REGISTERED
    registration.offer_expires_at = None
    audit.record(
        "training.registration.claim", actor=actor, object_type=waitlist.OBJECT, object_id=registration.id
    )
    registration_messages.registered(registration)
    db.session.commit()
    return registration


def claim(claim_token: str, actor=ANONYMOUS) -> Registration:
    """Take the offered seat from the e-mail's link (POST)."""
    return _claim(offer_of(claim_token), actor)


def claim_own(actor, registration_ref: str) -> Registration:
    """A signed-in person takes the seat offered to them, from their own page."""
    registration = db.session.scalar(sa.select(Registration).where(Registration.ref == registration_ref[:24]))
    if registration is None:
        raise NotFound()
    require(actor, "training.view_registration", registration)
    if registration.person_id != actor.id:
        raise NotFound()
    return _claim(registration, actor)


def _expired(now: datetime, session_id: int | None = None):
    query = sa.select(Registration).where(
        Registration.status == RegistrationStatus.OFFERED, Registration.offer_expires_at <= now
    )
    if session_id is not None:
        query = query.where(Registration.session_id == session_id)
    return query


@periodic("training.offers")
def expire_offers(now: datetime | None = None) -> int:
    """Every offer past its deadline lapses (e-mail) and its seat is offered to the next person; one
    transaction per session, under its lock (two sweeps at once find the work done)."""
    now = now or utcnow()
    session_ids = sorted(set(db.session.scalars(_expired(now).with_only_columns(Registration.session_id))))
    db.session.rollback()
    lapsed = 0
    for session_id in session_ids:
        waitlist.lock(session_id)
        for registration in db.session.scalars(
            _expired(now, session_id).execution_options(populate_existing=True)
        ):
            registration.status = RegistrationStatus.LAPSED
            audit.record(
                "training.registration.lapse",
                actor=SYSTEM,
                object_type=waitlist.OBJECT,
                object_id=registration.id,
            )
            registration_messages.lapsed(registration)
            lapsed += 1
        db.session.flush()
        waitlist.promote(session_id, now)
        db.session.commit()
    return lapsed
