"""Secret feed URLs: one per person and feed, at least 128 random bits, reset at will.

The token is HMAC-SHA256(SECRET_KEY, nonce) in base64url (256 bits). The row keeps the nonce (so the
person's page can show the link again) and the token's SHA-256 (so a request finds its row); neither
gives the URL without the application's secret key. A reset draws a new nonce: the old URL is dead at once.

A link records the person's token version it was made under; when the person's version goes up
(deactivation, e-mail change, password reset or change) the link answers 404 for good, even after a
reactivation. The person asks for a new link (a new nonce, under the current version).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import orm

from coord.calendar.models import FeedLink
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.extensions import db

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _token_from_nonce(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    digest = hmac.new(key, b"coord.calendar.feed:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _renew(link: FeedLink, person: Person) -> None:
    link.nonce = secrets.token_hex(16)
    link.token_hash = _hash(_token_from_nonce(link.nonce))
    link.token_version = person.token_version


def is_live(link: FeedLink) -> bool:
    """Made under the person's current token version (a link made before the last raise is dead)."""
    return link.token_version == link.person.token_version


def token(link: FeedLink) -> str:
    return _token_from_nonce(link.nonce)


def https_url(link: FeedLink) -> str:
    return absolute_url(f"/feeds/{token(link)}.ics")


def webcal_url(link: FeedLink) -> str:
    return re.sub(r"^https?://", "webcal://", https_url(link))


def find_link(person: Person, scope: str, scope_id: int | None = None) -> FeedLink | None:
    return db.session.scalar(
        sa.select(FeedLink).where(
            FeedLink.person_id == person.id, FeedLink.scope == scope, FeedLink.scope_id == scope_id
        )
    )


def ensure_link(person: Person, scope: str, scope_id: int | None = None) -> FeedLink:
    """The person's link for this feed, created (not committed) when missing."""
    link = find_link(person, scope, scope_id)
    if link is None:
        link = FeedLink(person_id=person.id, scope=scope, scope_id=scope_id)
        _renew(link, person)
        db.session.add(link)
    elif link.token_version != person.token_version:
        _renew(link, person)  # the old URL stays dead: a new nonce
    return link


def renew(link: FeedLink) -> None:
    """A new secret URL (not committed); the old one answers 404 from now on."""
    _renew(link, link.person)


def resolve(raw_token: str) -> FeedLink | None:
    """The link a well-formed token names, if its owner is still active and it was made under the owner's
    current token version; None otherwise."""
    if not TOKEN_RE.match(raw_token or ""):
        return None
    link = db.session.scalar(
        sa.select(FeedLink)
        .where(FeedLink.token_hash == _hash(raw_token))
        .options(orm.joinedload(FeedLink.person).lazyload(Person.role_rows))
    )
    if link is None or not link.person.active or not is_live(link):
        return None
    return link


def public_url(scope: str, language: str = "fr") -> str:
    """The address of a public scope's feed (no secret in it)."""
    suffix = "" if language == "fr" else f"?lang={language}"
    return absolute_url(f"/feeds/public/{scope}.ics{suffix}")
