"""Signed, expiring, single-use tokens for invitations, password resets and e-mail changes.

A token carries the person's id and a fingerprint of their e-mail address, current password hash and
token version. Setting a password changes the hash, so a token works once; a link sent to a former
address dies when the address changes; and the token version (raised on deactivation, e-mail change,
password reset and password change, never lowered) kills every older token for good: reactivating a
person revives none. The signature covers the purpose, so an invitation cannot be used as a reset link
and the other way round.

An e-mail-change token also carries the new address; it is valid only while that address is the one
waiting for confirmation (a newer request or a cancellation kills it), and confirming raises the version.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from coord.core.ids import MAX_ID
from coord.directory.models import Person
from coord.extensions import db

INVITE = "invite"
RESET = "reset"
EMAIL_CHANGE = "email-change"
MAX_LENGTH = 800

_MAX_AGES = {
    INVITE: "INVITATION_MAX_AGE",
    RESET: "PASSWORD_RESET_MAX_AGE",
    EMAIL_CHANGE: "EMAIL_CHANGE_MAX_AGE",
}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"coord.directory.{purpose}")


def _fingerprint(person: Person, new_email: str = "") -> str:
    material = f"{person.id}:{person.email}:{person.password_hash or ''}:{person.token_version}:{new_email}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def make_token(person: Person, purpose: str) -> str:
    """An invitation or reset token; for EMAIL_CHANGE, the token of the address waiting for confirmation."""
    if purpose == EMAIL_CHANGE:
        if not person.pending_email:
            raise ValueError("no e-mail change is waiting for confirmation")
        return email_change_token(person, person.pending_email)
    return _serializer(purpose).dumps({"p": person.id, "f": _fingerprint(person)})


def email_change_token(person: Person, new_email: str) -> str:
    """A token for moving the account to `new_email`; valid only while that address is the one waiting."""
    return _serializer(EMAIL_CHANGE).dumps(
        {"p": person.id, "e": new_email, "f": _fingerprint(person, new_email)}
    )


def max_age(purpose: str) -> timedelta:
    return current_app.config[_MAX_AGES[purpose]]


def _payload(token: str, purpose: str) -> tuple[Person, dict] | None:
    if not token or len(token) > MAX_LENGTH:
        return None
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age(purpose).total_seconds()))
    except BadData:
        return None
    person_id = data.get("p") if isinstance(data, dict) else None
    if not isinstance(person_id, int) or isinstance(person_id, bool) or not 0 < person_id <= MAX_ID:
        return None
    person = db.session.get(Person, person_id)
    if person is None or not person.active:
        return None
    return person, data


def person_for_token(token: str, purpose: str) -> Person | None:
    """The active person a valid, unexpired, unused invitation or reset token names, or None."""
    if purpose == EMAIL_CHANGE:
        raise ValueError("use email_change_for_token")
    found = _payload(token, purpose)
    if found is None or found[1].get("f") != _fingerprint(found[0]):
        return None
    return found[0]


def email_change_for_token(token: str) -> tuple[Person, str] | None:
    """(person, new address) for a valid, unexpired, unused e-mail-change token whose address is still
    the one waiting for confirmation, or None."""
    found = _payload(token, EMAIL_CHANGE)
    if found is None:
        return None
    person, data = found
    new_email = data.get("e")
    if not isinstance(new_email, str) or not new_email or new_email != person.pending_email:
        return None
    if data.get("f") != _fingerprint(person, new_email):
        return None
    return person, new_email
