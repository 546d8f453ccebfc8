"""Registering: oneself, someone else (the coordinator), or an outside person from the public page (who
verifies their address first). Every path ends in `waitlist.place`, under the session's lock."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core import throttle
from coord.core.actor import ANONYMOUS
from coord.core.errors import ServiceError, TooManyAttempts
from coord.core.localtime import utcnow
from coord.core.permissions import require
from coord.core.text import check_single_line
from coord.directory.models import Person
from coord.extensions import db
from coord.training import links, prerequisites, registration_messages, waitlist
from coord.training.lookup import find_session
from coord.training.models import ACTIVE, Audience, Registration, RegistrationStatus, TrainingSession

logger = logging.getLogger(__name__)

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
LANGUAGES = ("fr", "en")


def _already(error: IntegrityError) -> ServiceError:
    db.session.rollback()
    return ServiceError(gettext("This person is already registered for this session."), "session")


def _register_person(actor, session_id: int, person: Person) -> Registration:
    """Place a person with an account, under the session's lock."""
    session = waitlist.lock(session_id)
    registration = Registration(
        session_id=session.id,
        person_id=person.id,
        organization_id=person.organization_id,
        organization_key=waitlist.organization_key(person.organization_id, ""),
        language=person.preferred_language if person.preferred_language in LANGUAGES else "fr",
        registered_by_id=actor.id,
        status=RegistrationStatus.WAITING,
    )
    try:
        waitlist.place(session, registration, actor)
        db.session.commit()
    except IntegrityError as error:
        raise _already(error) from None
    return registration


def register_self(actor, session_id: int) -> Registration:
    """A seat, or a place on the waiting list, for the signed-in person."""
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        raise NotFound()
    require(actor, "training.register_self", session)
    return _register_person(actor, session.id, actor)


def register_other(actor, session_id: int, person_id: int | None) -> Registration:
    """The coordinator registers an active person (same rules; the person's language for messages)."""
    require(actor, "training.manage")
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        raise NotFound()
    person = db.session.get(Person, person_id) if person_id else None
    if person is None or not person.active:
        raise ServiceError(gettext("Choose an active person."), "person")
    return _register_person(actor, session.id, person)


@dataclass
class OutsideData:
    name: str
    email: str
    organization: str
    language: str
    website: str = ""  # the honeypot: people leave it empty


def _clean(data: OutsideData) -> OutsideData:
    name = " ".join((data.name or "").split())
    email = (data.email or "").strip().lower()
    organization = " ".join((data.organization or "").split())
    check_single_line(data.name or "", "name")
    check_single_line(data.organization or "", "organization")
    check_single_line(data.email or "", "email")
    if not name or len(name) > 120:
        raise ServiceError(gettext("Give your name (120 characters at most)."), "name")
    if len(email) > 254 or not EMAIL.match(email):
        raise ServiceError(gettext("Give a valid e-mail address."), "email")
    if not organization or len(organization) > 200:
        raise ServiceError(gettext("Give your organization's name (200 characters at most)."), "organization")
    if data.language not in LANGUAGES:
        raise ServiceError(gettext("Choose a language."), "language")
    return OutsideData(name, email, organization, data.language)


def throttle_public_form(address: str) -> None:
    """Count one post of the public registration form from this client address: TooManyAttempts (429) past
    TRAINING_REGISTRATIONS_PER_ADDRESS (each post may e-mail someone). Let through while the storage is down
    (an address still gets at most one more e-mail per 10 minutes)."""
    limit = current_app.config.get("TRAINING_REGISTRATIONS_PER_ADDRESS", "20 per hour")
    try:
        wait = throttle.hit("training-registration", limit, address)
    except throttle.StorageDown as error:
        logger.warning("training registration counters unavailable (%s)", error)
        return
    if wait is not None:
        raise TooManyAttempts(wait, hint=_l("You can also write to the program."))


def register_outside(session_ref: str, data: OutsideData) -> None:
    """The public form: an unverified registration (holding nothing) and the verification e-mail. The same
    address again gets the link again (or, once verified, its own page's link); the answer is the same."""
    session = find_session(session_ref)
    if session.audience != Audience.OPEN:
        raise NotFound()
    if (data.website or "").strip():
        return  # a robot filled the hidden field: nothing is written, the page says the same
    clean = _clean(data)
    waitlist.check_open(session, utcnow())
    prerequisites.check(session.module, None, clean.email)
    existing = db.session.scalar(
        sa.select(Registration).where(
            Registration.session_id == session.id,
            Registration.email == clean.email,
            Registration.status.in_([str(s) for s in ACTIVE]),
        )
    )
    if existing is not None:
        # At most one more e-mail per 10 minutes: the form cannot be used to flood someone's inbox.
        now = utcnow()
        window = f"{now:%Y%m%d%H}{now.minute // 10}"
        if existing.status == RegistrationStatus.UNVERIFIED:
            registration_messages.verify_link(existing, f"training-verify-again:{existing.id}:{window}")
        else:
            registration_messages.follow_again(existing, f"training-follow-again:{existing.id}:{window}")
        db.session.commit()
        return
    registration = Registration(
        session_id=session.id,
        status=RegistrationStatus.UNVERIFIED,
        name=clean.name,
        email=clean.email,
        organization_name=clean.organization,
        organization_key=waitlist.organization_key(None, clean.organization),
        language=clean.language,
    )
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # the same address at the same moment: that one's link is on its way
        return
    audit.record(
        "training.registration.create",
        actor=ANONYMOUS,
        object_type=waitlist.OBJECT,
        object_id=registration.id,
    )
    registration_messages.verify_link(registration)
    db.session.commit()


def verification(verify_token: str) -> Registration:
    """The registration a verify link names (404 when the link is not valid)."""
    registration = links.read(verify_token, "verify")
    if registration is None:
        raise NotFound()
    return registration


def verify(verify_token: str) -> Registration:
    """Confirm the address (POST): the registration is placed like any other. Again: nothing changes."""
    registration = verification(verify_token)
    session = waitlist.lock(registration.session_id)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.UNVERIFIED:
        db.session.rollback()
        return registration
    registration.verified_at = utcnow()
    try:
        waitlist.place(session, registration, ANONYMOUS, created=False)
        audit.record(
            "training.registration.verify",
            actor=ANONYMOUS,
            object_type=waitlist.OBJECT,
            object_id=registration.id,
        )
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise
    except IntegrityError as error:
        raise _already(error) from None
    return registration
