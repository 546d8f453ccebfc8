"""Known devices: after a successful login the browser gets a long-lived signed cookie naming the person, a
random device id, and a fingerprint of the person's password hash (so it dies when the password changes).

A login attempt that carries a valid cookie for the account it names is "from a known device": failures
from other addresses do not hold it back; it keeps its own throttle (`attempts.py`). The cookie opens no
session and proves nothing by itself: the password (and the code) are still asked.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from coord.directory.models import Person

COOKIE = "coord_device"
PATH = "/login"  # sent with the login and code posts only
MAX_LENGTH = 500


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="coord.directory.device")


def _fingerprint(person: Person) -> str:
    return hashlib.sha256(f"{person.id}:{person.password_hash or ''}".encode()).hexdigest()[:16]


def new_cookie(person: Person) -> str:
    """The value of a new device cookie for the person (a new device id each login)."""
    return _serializer().dumps({"p": person.id, "d": secrets.token_urlsafe(12), "f": _fingerprint(person)})


def max_age() -> int:
    return int(current_app.config["LOGIN_DEVICE_MAX_AGE"].total_seconds())


def device_of(value: str | None, person: Person | None) -> str | None:
    """The device id when `value` is a valid, unexpired device cookie of this person with their current
    password; else None (no cookie, another person's, forged, expired, or from before a password change)."""
    if not value or person is None or len(value) > MAX_LENGTH:
        return None
    try:
        data = _serializer().loads(value, max_age=max_age())
    except BadData:
        return None
    if not isinstance(data, dict) or data.get("p") != person.id or data.get("f") != _fingerprint(person):
        return None
    device = data.get("d")
    return device if isinstance(device, str) and 0 < len(device) <= 32 else None
