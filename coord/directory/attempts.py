"""Failed-attempt limits per account (login, second factor, password change).

An attempt is counted *before* the credentials are checked, atomically in the limiter's storage
(memory, or Redis when REDIS_URL is set), so parallel guesses cannot slip past the limit; a success
clears the count. Keys are hashed: no e-mail address ends up in Redis or in the limiter's logs.
"""

from __future__ import annotations

import hashlib
import logging

from flask import abort, current_app
from limits import parse

from coord import audit
from coord.core.actor import current_actor
from coord.extensions import limiter

logger = logging.getLogger(__name__)
NAMESPACE = "coord-attempts"


def _item():
    return parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])


def _key(kind: str, identity: object) -> str:
    return hashlib.sha256(f"{kind}:{identity}".encode()).hexdigest()[:32]


def take(kind: str, identity: object, person_id: int | None = None) -> None:
    """Count one attempt; past the limit, write an audit entry and answer 429."""
    try:
        allowed = limiter.limiter.hit(_item(), NAMESPACE, kind, _key(kind, identity))
    except Exception:  # storage down (Redis): log, let the attempt through rather than lock everyone out
        logger.exception("attempt limiter storage unavailable")
        return
    if not allowed:
        audit.record_now(
            "auth.lockout",
            actor=current_actor(),
            object_type="person" if person_id else "",
            object_id=person_id or "",
            outcome=audit.Outcome.DENIED,
            detail=kind,
        )
        abort(429)


def forgive(kind: str, identity: object) -> None:
    """A success clears the count for this account."""
    try:
        limiter.limiter.clear(_item(), NAMESPACE, kind, _key(kind, identity))
    except Exception:
        logger.exception("attempt limiter storage unavailable")
