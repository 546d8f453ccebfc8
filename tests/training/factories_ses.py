"""Sessions tests' helpers: the coordinator, trainers, a module by its code, sessions made through the
service (in Montréal wall-clock time), registrations written directly (the registration part's)."""

from __future__ import annotations

import importlib.util
import itertools
from datetime import date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from coord.core.localtime import LOCAL_TZ
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.training import sessions
from coord.training.models import Registration, TrainingModule, TrainingSession
from coord.training.session_rules import SessionInput
from tests.directory.factories import make_person

_numbers = itertools.count(1)


def person(person_id: int) -> Person:
    return db.session.get(Person, person_id)


def coordinator(app, **values) -> int:
    return make_person(app, roles=("coordinator",), **values)


def module_id(code: str = "trauma") -> int:
    return db.session.scalar(sa.select(TrainingModule.id).where(TrainingModule.code == code))


def in_days(days: int) -> date:
    return datetime.now(LOCAL_TZ).date() + timedelta(days=days)


def session_input(days: int = 30, code: str = "trauma", **values) -> SessionInput:
    """A one-day session `days` from today, 9 h to 12 h, registration from today until the day before."""
    day = in_days(days)
    values.setdefault("parts", [(day, time(9), time(12))])
    return SessionInput(
        module_id=values.pop("module_id", None) or module_id(code),
        capacity=values.pop("capacity", 10),
        registration_opens=values.pop("registration_opens", in_days(0)),
        registration_closes=values.pop("registration_closes", day - timedelta(days=1)),
        place=values.pop("place", "Salle 201, 1000 rue Sherbrooke"),
        **values,
    )


def make_session(app, boss: int, **values) -> int:
    with app.app_context():
        return sessions.create(person(boss), session_input(**values)).id


def register(app, session_id: int, status: str = "registered", person_id=None, **values) -> int:
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        queue = None
        if status == "waiting":
            queue = session.next_queue_number
            session.next_queue_number += 1
        registration = Registration(
            session_id=session_id,
            status=status,
            person_id=person_id,
            name=values.get("name", "" if person_id else "Alex Dehors"),
            email=values.get("email", "" if person_id else f"dehors{next(_numbers)}@ext.example.org"),
            language=values.get("language", "fr"),
            queue_number=queue,
        )
        db.session.add(registration)
        db.session.commit()
        return registration.id


def outbox(template: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if template:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


def _migration():
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0015_training_calendar.py"
    spec = importlib.util.spec_from_file_location("training_catalogue_0015", path)
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found
