"""Signed links for people without an account (and for seat offers to anyone).

- verify: the outside registrant's e-mail check (registration id + link version; 48 hours);
- follow: the outside registrant's own page (status, cancel, attestation; registration id + link version;
  400 days), sent once the address is verified;
- claim: a seat offer (registration id + offer version; valid while the offer is: the offer's own expiry
  is checked by the claim itself).

A new offer raises `offer_version`, which kills the claim links of earlier offers; a claim link of an offer
taken, lapsed or cancelled leads to a page that says so. `link_version` is in the verify and follow links
so that raising it would kill them (nothing raises it yet: a cancelled registration's own page still says
it is cancelled, and gives its attestation when there is one). Links are made from the configured public
address, never the request's Host.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from coord.core.urls import absolute_url
from coord.extensions import db
from coord.training.models import Registration

MAX_TOKEN_LENGTH = 300
MAX_AGES = {
    "verify": timedelta(hours=48),
    "follow": timedelta(days=400),
    "claim": timedelta(days=30),  # an upper bound; the offer's own expiry decides
}
PATHS = {"verify": "/trainings/verify/", "follow": "/trainings/follow/", "claim": "/trainings/claim/"}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"coord.training.{purpose}")


def _version(registration: Registration, purpose: str) -> int:
    return registration.offer_version if purpose == "claim" else registration.link_version


def token_for(registration: Registration, purpose: str) -> str:
    return _serializer(purpose).dumps({"r": registration.id, "v": _version(registration, purpose)})


def url_for_link(registration: Registration, purpose: str) -> str:
    """The absolute link for an e-mail (from PUBLIC_URL)."""
    return absolute_url(PATHS[purpose] + token_for(registration, purpose))


def read(token: str, purpose: str) -> Registration | None:
    """The registration of a genuine, unexpired token of this purpose under its current version, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH or purpose not in MAX_AGES:
        return None
    max_age = current_app.config.get(f"TRAINING_{purpose.upper()}_LINK_MAX_AGE", MAX_AGES[purpose])
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    registration_id, version = data.get("r"), data.get("v")
    if type(registration_id) is not int or type(version) is not int or not 0 < registration_id < 2**31:
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or _version(registration, purpose) != version:
        return None
    return registration
