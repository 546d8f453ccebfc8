"""A module's prerequisites: attended (marked present) at a session of each required module."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext

from coord.core.clock import rendering_language
from coord.core.errors import ServiceError
from coord.extensions import db
from coord.training.models import Attendance, Registration, TrainingModule, TrainingSession


def _attended(module_ids: list[int], person_id: int | None, email: str) -> set[int]:
    """The modules among `module_ids` the person (by account, or by address) was present at."""
    who = []
    if person_id is not None:
        who.append(Registration.person_id == person_id)
    if email:
        who.append(Registration.email == email.lower())
    if not who or not module_ids:
        return set()
    query = (
        sa.select(TrainingSession.module_id)
        .join(Registration, Registration.session_id == TrainingSession.id)
        .where(
            TrainingSession.module_id.in_(module_ids),
            Registration.attendance == Attendance.PRESENT,
            sa.or_(*who),
        )
    )
    return set(db.session.scalars(query))


def missing(module: TrainingModule, person_id: int | None, email: str = "") -> list[TrainingModule]:
    """The required modules the person has not attended."""
    required = list(module.prerequisites)
    attended = _attended([m.id for m in required], person_id, email)
    return [m for m in required if m.id not in attended]


def check(module: TrainingModule, person_id: int | None, email: str) -> None:
    """Refuse (naming the module) when a prerequisite is missing."""
    absent = missing(module, person_id, email)
    if absent:
        title = absent[0].title(rendering_language())
        raise ServiceError(
            gettext("This training requires having attended “%(title)s”.", title=title), "session"
        )
