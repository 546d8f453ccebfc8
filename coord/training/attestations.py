"""Attestations: the verification code, the public check of a code, and the PDF for a person present.

A code is 10 random base32 characters and 4 of an HMAC of them (a key derived from SECRET_KEY for the
purpose "coord.training.attestation"), shown grouped "ABCD-EFGH-IJ-KLMN". A tampered or mistyped code is
told apart from an unknown one without a query; a code verifies only while its registration holds a seat
and is marked present (partly present gives no attestation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from coord import audit
from coord.core import throttle
from coord.core.errors import TooManyAttempts
from coord.core.localtime import to_local
from coord.core.permissions import require
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.extensions import db
from coord.training import links
from coord.training.models import Attendance, Registration, RegistrationStatus, TrainingSession

logger = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
RANDOM_LENGTH = 10
CHECK_LENGTH = 4
CODE = re.compile(f"[{ALPHABET}]{{{RANDOM_LENGTH + CHECK_LENGTH}}}")
MAX_INPUT = 40
PURPOSE = b"coord.training.attestation"
VERIFY_PATH = "/trainings/attestations/verify"
DEFAULT_VERIFY_PER_ADDRESS = "30 per 10 minutes"
READ = "training.attestation.read"
PRINT_CSS = Path(__file__).resolve().parent.parent.parent / "static" / "css" / "print.css"


# Codes --------------------------------------------------------------------------------------------------


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, PURPOSE, hashlib.sha256).digest()


def _check(random_part: str) -> str:
    digest = hmac.new(_key(), random_part.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CHECK_LENGTH]


def new_code() -> str:
    """A fresh code, stored without dashes (14 characters)."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return random_part + _check(random_part)


def grouped(code: str | None) -> str:
    """ "ABCD-EFGH-IJ-KLMN" for people to read and type."""
    if not code:
        return ""
    return f"{code[:4]}-{code[4:8]}-{code[8:10]}-{code[10:]}"


def normalized(text: str | None) -> str | None:
    """The code as stored, from what someone typed (spaces, dashes, lower case allowed); None when it is
    not a well-formed code with a right checksum."""
    value = re.sub(r"[\s\-]", "", (text or "")[:MAX_INPUT]).upper()
    if not CODE.fullmatch(value):
        return None
    random_part, check = value[:RANDOM_LENGTH], value[RANDOM_LENGTH:]
    if not hmac.compare_digest(check, _check(random_part)):
        return None
    return value


def counts(registration: Registration) -> bool:
    """Whether the registration's attestation stands: a seat held and marked present."""
    return (
        registration.status == RegistrationStatus.REGISTERED
        and registration.attendance == Attendance.PRESENT
        and bool(registration.attestation_code)
    )


# What an attestation says -------------------------------------------------------------------------------


@dataclass
class AttestationFacts:
    registration: Registration
    session: TrainingSession
    name: str
    language: str
    title: str
    days: list[date]
    minutes: int
    trainers: list[str]
    code: str
    verify_url: str


def _loaded(query) -> Registration | None:
    return (
        db.session.scalars(
            query.options(
                orm.joinedload(Registration.person),
                orm.joinedload(Registration.session).joinedload(TrainingSession.parts),
            )
        )
        .unique()
        .one_or_none()
    )


def facts(registration: Registration, language: str | None = None) -> AttestationFacts:
    session = registration.session
    language = language or registration.language or "fr"
    return AttestationFacts(
        registration=registration,
        session=session,
        name=registration.display_name,
        language=language,
        title=session.module.title(language),
        days=[to_local(part.starts_at).date() for part in session.parts],
        minutes=sum(int((p.ends_at - p.starts_at).total_seconds() // 60) for p in session.parts),
        trainers=[trainer.display_name for trainer in session.trainers],
        code=grouped(registration.attestation_code),
        verify_url=absolute_url(VERIFY_PATH) + "?code=" + grouped(registration.attestation_code),
    )


def hours_text(minutes: int) -> str:
    """ "7 h", "3 h 30" / "7 hours", "3 h 30 min" in the language being rendered."""
    hours, rest = divmod(int(minutes), 60)
    if not rest:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return gettext("%(hours)d h %(minutes)02d min", hours=hours, minutes=rest)


# The public check ---------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """What the check page says: `state` "valid", "unknown" or "invalid"; `facts` only when valid."""

    state: str
    facts: AttestationFacts | None = None


def verify(text: str, language: str) -> Verdict:
    """Check a typed code: one query at most, and nothing said about a code that does not verify."""
    code = normalized(text)
    if code is None:
        return Verdict("invalid")
    registration = _loaded(sa.select(Registration).where(Registration.attestation_code == code))
    if registration is None or not counts(registration):
        return Verdict("unknown")
    return Verdict("valid", facts(registration, language))


def throttle_check(address: str) -> None:
    """Count one check from this client address (or IPv6 /64); TooManyAttempts (429) past the cap. While
    the limiter's storage is down, checks are let through (they reveal nothing without a right code)."""
    limit = current_app.config.get("TRAINING_VERIFY_PER_ADDRESS", DEFAULT_VERIFY_PER_ADDRESS)
    try:
        wait = throttle.hit("training-verify", limit, address)
    except throttle.StorageDown as error:
        logger.warning("attestation check counters unavailable (%s)", error)
        return
    if wait is not None:
        raise TooManyAttempts(wait, hint=_l("Try again later, or write to the program."))


# Downloads ----------------------------------------------------------------------------------------------


class NoAttestation(Exception):
    """The registration has no attestation (not marked present, or its seat given up): a 404."""


def _downloadable(registration: Registration | None) -> Registration:
    if registration is None or not counts(registration):
        raise NoAttestation()
    return registration


def for_reader(actor: Person, registration_ref: str) -> AttestationFacts:
    """A signed-in reader's download: their own (rule training.view_registration) or the coordinator's."""
    registration = _loaded(sa.select(Registration).where(Registration.ref == (registration_ref or "")[:24]))
    if registration is None:
        raise NoAttestation()
    require(actor, "training.view_registration", registration)
    _downloadable(registration)
    audit.record(READ, actor=actor, obj=registration)
    db.session.commit()
    return facts(registration)


def for_follow_token(token: str) -> AttestationFacts:
    """An outside person's download from their own page's signed link."""
    from coord.core.actor import ANONYMOUS

    found = links.read(token, "follow")
    registration = _downloadable(found)
    audit.record(READ, actor=ANONYMOUS, obj=registration)
    db.session.commit()
    return facts(registration)


def pdf(html: str) -> bytes:
    """The attestation's printable HTML as a PDF, with print.css (WeasyPrint imported only when needed)."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=current_app.static_folder)
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
