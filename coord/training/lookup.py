"""Finding a session by the reference in its URL (a 404 when there is none)."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from coord.extensions import db
from coord.training.models import TrainingSession


def find_session(ref: str) -> TrainingSession:
    session = db.session.scalar(sa.select(TrainingSession).where(TrainingSession.ref == (ref or "")[:24]))
    if session is None:
        raise NotFound()
    return session
