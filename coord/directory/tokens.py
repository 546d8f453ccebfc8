"""Signed, expiring, single-use tokens for invitations and password resets.

A token carries the person's id and a fingerprint of their e-mail address and current password hash;
setting a password changes the hash, so a token works once, and a link sent to a former address dies
when the address changes. The signature covers the purpose, so an
invitation cannot be used as a reset link and the other way round.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from coord.directory.models import Person
from coord.extensions import db

INVITE = "invite"
RESET = "reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"coord.directory.{purpose}")


def _fingerprint(person: Person) -> str:
    material = f"{person.id}:{person.email}:{person.password_hash or ''}:{person.active}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def make_token(person: Person, purpose: str) -> str:
    return _serializer(purpose).dumps({"p": person.id, "f": _fingerprint(person)})


def max_age(purpose: str) -> timedelta:
    key = "INVITATION_MAX_AGE" if purpose == INVITE else "PASSWORD_RESET_MAX_AGE"
    return current_app.config[key]


def person_for_token(token: str, purpose: str) -> Person | None:
    """The active person a valid, unexpired, unused token names, or None."""
    if not token or len(token) > 500:
        return None
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age(purpose).total_seconds()))
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    person = db.session.get(Person, data["p"])
    if person is None or not person.active or data.get("f") != _fingerprint(person):
        return None
    return person
