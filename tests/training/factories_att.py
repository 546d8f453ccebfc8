"""Attendance tests' helpers: sessions and registrations written directly (the sessions and registration
parts own those services), trainers, the coordinator."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from coord.core.localtime import LOCAL_TZ
from coord.extensions import db
from coord.training.models import (
    Registration,
    SessionPart,
    Trainer,
    TrainingModule,
    TrainingSession,
)
from tests.directory.factories import make_organization, make_person

_counter = itertools.count(1)


def local_day(days: int, hour: int = 9) -> datetime:
    """A Montréal time `days` from today (negative: past), as aware UTC."""
    day = datetime.now(LOCAL_TZ).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ).astimezone(UTC)


def ensure_module(app, code: str = "trauma") -> int:
    """The catalogue's module (seeded by migration 0015)."""
    with app.app_context():
        return db.session.scalar(sa.select(TrainingModule.id).where(TrainingModule.code == code))


def coordinator(app, **values) -> int:
    return make_person(app, roles=("coordinator",), **values)


def make_session(
    app,
    module_code: str = "trauma",
    days: int = -1,
    parts: int = 1,
    hours: int = 7,
    capacity: int = 10,
    trainer_ids=(),
    audience: str = "partners",
) -> str:
    """A session whose first part starts `days` from today at 9 h (two-part sessions on following days)."""
    module_id = ensure_module(app, module_code)
    with app.app_context():
        first = local_day(days)
        session = TrainingSession(
            module_id=module_id,
            status="confirmed",
            audience=audience,
            capacity=capacity,
            place="Centre SPHÈRES",
            registration_opens_at=first - timedelta(days=60),
            registration_closes_at=first - timedelta(days=2),
            starts_at=first,
            ends_at=first + timedelta(days=parts - 1, hours=hours),
        )
        for n in range(parts):
            start = first + timedelta(days=n)
            session.parts.append(SessionPart(starts_at=start, ends_at=start + timedelta(hours=hours)))
        db.session.add(session)
        db.session.flush()
        for person_id in trainer_ids:
            db.session.add(Trainer(session_id=session.id, person_id=person_id))
        db.session.commit()
        return session.ref


def session_id(app, ref: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(TrainingSession.id).where(TrainingSession.ref == ref))


def register(
    app, session_ref: str, person_id: int | None = None, status: str = "registered", **values
) -> str:
    """A registration (a partner's when `person_id`, else an outside person's with a name and address)."""
    n = next(_counter)
    with app.app_context():
        session = db.session.scalar(sa.select(TrainingSession).where(TrainingSession.ref == session_ref))
        queue = None
        if status == "waiting":
            queue = (
                db.session.scalar(
                    sa.select(sa.func.max(Registration.queue_number)).where(
                        Registration.session_id == session.id
                    )
                )
                or 0
            ) + 1
        registration = Registration(
            session_id=session.id,
            status=status,
            person_id=person_id,
            name="" if person_id else values.get("name", f"Externe {n}"),
            email="" if person_id else values.get("email", f"externe{n}@example.org"),
            organization_name=values.get("organization_name", "" if person_id else "Maison des jeunes"),
            language=values.get("language", "fr"),
            queue_number=queue,
            offer_expires_at=values.get("offer_expires_at"),
        )
        db.session.add(registration)
        db.session.commit()
        return registration.ref


def registration(ref: str) -> Registration:
    return db.session.scalar(sa.select(Registration).where(Registration.ref == ref))


__all__ = [
    "coordinator",
    "ensure_module",
    "make_organization",
    "make_person",
    "make_session",
    "register",
    "registration",
]
