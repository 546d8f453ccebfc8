"""Finding a session or a request by the reference in its URL."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from coord.extensions import db
from coord.training.models import TrainingRequest, TrainingSession


def find_session(ref: str) -> TrainingSession:
    session = db.session.scalar(sa.select(TrainingSession).where(TrainingSession.ref == (ref or "")[:24]))
    if session is None:
        raise NotFound()
    return session


def request_or_none(ref: str) -> TrainingRequest | None:
    if not ref:
        return None
    return db.session.scalar(sa.select(TrainingRequest).where(TrainingRequest.ref == ref[:24]))


def find_request(ref: str) -> TrainingRequest:
    """The request of this reference, or a 404."""
    request = request_or_none(ref)
    if request is None:
        raise NotFound()
    return request
