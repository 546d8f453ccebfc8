"""Registration tests' helpers: modules and sessions written directly (the sessions part owns their forms),
partner people, and the e-mails the outbox wrote."""

from __future__ import annotations

import itertools
from datetime import timedelta

import sqlalchemy as sa

from coord.core.localtime import utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.training.models import (
    Audience,
    Prerequisite,
    Registration,
    SessionPart,
    SessionStatus,
    TrainingModule,
    TrainingSession,
)
from tests.directory.factories import link_in, make_organization, make_person, outbox_messages

_counter = itertools.count(1)

__all__ = ["link_in", "outbox_messages"]


def make_module(app, title_fr: str | None = None, requires: tuple[int, ...] = ()) -> int:
    n = next(_counter)
    with app.app_context():
        module = TrainingModule(
            code=f"reg-module-{n}",
            title_fr=title_fr or f"Module {n}",
            title_en=f"Module {n} (en)",
            duration_minutes=180,
        )
        db.session.add(module)
        db.session.flush()
        for required in requires:
            db.session.add(Prerequisite(module_id=module.id, required_id=required))
        db.session.commit()
        return module.id


def make_session(app, module_id: int | None = None, days: float = 20, **values) -> int:
    """A confirmed session `days` from now (one 3-hour part), open for registration since yesterday."""
    module_id = module_id or make_module(app)
    now = utcnow()
    starts = values.pop("starts_at", now + timedelta(days=days))
    ends = starts + timedelta(hours=3)
    with app.app_context():
        session = TrainingSession(
            module_id=module_id,
            status=values.pop("status", SessionStatus.CONFIRMED),
            audience=values.pop("audience", Audience.PARTNERS),
            capacity=values.pop("capacity", 10),
            place=values.pop("place", "Salle 200, 1000 rue Sherbrooke"),
            registration_opens_at=values.pop("opens", now - timedelta(days=1)),
            registration_closes_at=values.pop("closes", starts - timedelta(hours=1)),
            starts_at=starts,
            ends_at=ends,
            **values,
        )
        session.parts.append(SessionPart(starts_at=starts, ends_at=ends))
        db.session.add(session)
        db.session.commit()
        return session.id


def partner_org(app) -> int:
    return make_organization(app, is_partner=True)


def partner(app, organization_id: int | None = None, language: str = "fr", roles=("intervenant",)) -> int:
    return make_person(
        app,
        roles=roles,
        organization_id=organization_id or partner_org(app),
        preferred_language=language,
    )


def coordinator(app) -> int:
    return make_person(app, roles=("coordinator",), organization_id=partner_org(app))


def person(person_id: int) -> Person:
    return db.session.get(Person, person_id)


def email_of(app, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).email


def registrations(app, session_id: int) -> list[Registration]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Registration).where(Registration.session_id == session_id).order_by(Registration.id)
        ).all()
        db.session.expunge_all()
        return rows


def registration(app, registration_id: int) -> Registration:
    with app.app_context():
        row = db.session.get(Registration, registration_id)
        db.session.expunge_all()
        return row


def update_registration(app, registration_id: int, **values) -> None:
    with app.app_context():
        row = db.session.get(Registration, registration_id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def update_session(app, session_id: int, **values) -> None:
    with app.app_context():
        row = db.session.get(TrainingSession, session_id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def session_ref(app, session_id: int) -> str:
    with app.app_context():
        return db.session.get(TrainingSession, session_id).ref


def messages_to(app, address: str) -> list:
    return [m for m in outbox_messages(app) if m["To"] == address]
