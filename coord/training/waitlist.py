"""Placing a registration (a seat or the waiting list) and promoting the waiting list when seats free up.

Both run under the session's row lock (`lock(session_id)`: coord.core.locks.lock_row), so that capacity is
never exceeded and queue numbers are given once, whatever the number of people registering at once. Neither
commits: the calling service does, once.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext

from coord import audit
from coord.core.actor import SYSTEM
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.locks import lock_row
from coord.directory.models import Organization
from coord.extensions import db
from coord.training import prerequisites, registration_messages
from coord.training.dates import spoken
from coord.training.models import (
    ACTIVE,
    HOLDING,
    Audience,
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

OBJECT = "training_registration"


def lock(session_id: int) -> TrainingSession:
    """Hold the session's row until commit (the capacity lock) and return it fresh; ServiceError if gone."""
    session = lock_row(TrainingSession, session_id)
    if session is None:
        raise ServiceError(gettext("This session does not exist."), "session")
    return session


def organization_key(organization_id: int | None, name: str) -> str:
    """What the per-organization limit counts: the directory's organization (an outside person who types
    the name of one counts with it, compared casefolded in Python: SQLite lowers ASCII only), else the
    name."""
    name = " ".join((name or "").split()).casefold()
    if organization_id is None and name:
        for found_id, found_name in db.session.execute(sa.select(Organization.id, Organization.name)):
            if " ".join(found_name.split()).casefold() == name:
                organization_id = found_id
                break
    if organization_id is not None:
        return f"org:{organization_id}"
    return f"name:{name}" if name else ""


def _statuses(values) -> list[str]:
    return [str(value) for value in values]


def holding_count(session_id: int, key: str | None = None) -> int:
    query = sa.select(sa.func.count(Registration.id)).where(
        Registration.session_id == session_id, Registration.status.in_(_statuses(HOLDING))
    )
    if key is not None:
        query = query.where(Registration.organization_key == key)
    return db.session.scalar(query) or 0


def waiting_count(session_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Registration.id)).where(
                Registration.session_id == session_id, Registration.status == RegistrationStatus.WAITING
            )
        )
        or 0
    )


def position(registration: Registration) -> int | None:
    """The place on the waiting list (1, 2, 3...), None when not waiting."""
    if registration.status != RegistrationStatus.WAITING or registration.queue_number is None:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.session_id == registration.session_id,
            Registration.status == RegistrationStatus.WAITING,
            Registration.queue_number < registration.queue_number,
        )
    )
    return (ahead or 0) + 1


def positions(registrations: list[Registration]) -> dict[int, int]:
    """The waiting-list places of several registrations at once (one query, whatever their number)."""
    ids = [r.id for r in registrations if r.status == RegistrationStatus.WAITING and r.queue_number]
    if not ids:
        return {}
    other = sa.orm.aliased(Registration)
    rows = db.session.execute(
        sa.select(Registration.id, sa.func.count(other.id))
        .join(
            other,
            sa.and_(
                other.session_id == Registration.session_id,
                other.status == RegistrationStatus.WAITING,
                other.queue_number <= Registration.queue_number,
            ),
        )
        .where(Registration.id.in_(ids))
        .group_by(Registration.id)
    )
    return dict(rows.all())


def check_open(session: TrainingSession, now: datetime) -> None:
    """The session takes registrations now (not cancelled, within its registration dates)."""
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(gettext("This session is cancelled."), "session")
    if now < session.registration_opens_at:
        raise ServiceError(
            gettext("Registration opens on %(when)s.", when=spoken(session.registration_opens_at)), "session"
        )
    if now >= session.registration_closes_at or now >= session.starts_at:
        closed = min(session.registration_closes_at, session.starts_at)
        raise ServiceError(gettext("Registration closed on %(when)s.", when=spoken(closed)), "session")


def check_not_registered(
    session_id: int, person_id: int | None, email: str, exclude: int | None = None
) -> None:
    who = []
    if person_id is not None:
        who.append(Registration.person_id == person_id)
    if email:
        who.append(Registration.email == email)
    query = sa.select(Registration.id).where(
        Registration.session_id == session_id, Registration.status.in_(_statuses(ACTIVE)), sa.or_(*who)
    )
    if exclude is not None:
        query = query.where(Registration.id != exclude)
    if db.session.scalar(query.limit(1)) is not None:
        raise ServiceError(gettext("This person is already registered for this session."), "session")


def check_organization_limit(session: TrainingSession, key: str) -> None:
    limit = session.per_organization_limit
    if limit and key and holding_count(session.id, key) >= limit:
        raise ServiceError(
            gettext(
                "This organization already holds the seats it may have in this session (%(num)d at most).",
                num=limit,
            ),
            "session",
        )


def _waiting_and_held(session: TrainingSession) -> tuple[list[Registration], Counter]:
    """Those waiting, in order, and the seats each organization holds."""
    waiting = db.session.scalars(
        sa.select(Registration)
        .where(Registration.session_id == session.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.queue_number)
    ).all()
    held = Counter(
        db.session.scalars(
            sa.select(Registration.organization_key).where(
                Registration.session_id == session.id, Registration.status.in_(_statuses(HOLDING))
            )
        )
    )
    return list(waiting), held


def _at_limit(session: TrainingSession, key: str, held: Counter) -> bool:
    limit = session.per_organization_limit
    return bool(limit and key and held[key] >= limit)


def _may_take(session: TrainingSession, registration: Registration, held: Counter) -> bool:
    """Someone waiting may be offered a seat: their organization below its limit, and an outside person
    only while the session is open to outside organizations."""
    if registration.person_id is None and session.audience != Audience.OPEN:
        return False
    return not _at_limit(session, registration.organization_key, held)


def eligible_waiting(session: TrainingSession) -> bool:
    """Whether someone waiting could take a free seat (their organization below its limit): a newcomer
    then waits behind them; otherwise a free seat goes to the newcomer."""
    waiting, held = _waiting_and_held(session)
    return any(_may_take(session, r, held) for r in waiting)


def place(
    session: TrainingSession,
    registration: Registration,
    actor,
    now: datetime | None = None,
    created: bool = True,
) -> None:
    """Check every rule, then give a seat (if one is free and nobody waits) or a place on the waiting list;
    `session` is locked. Queues the person's message and the audit entry."""
    now = now or utcnow()
    with db.session.no_autoflush:
        check_open(session, now)
        prerequisites.check(session.module, registration.person_id, registration.email)
        check_not_registered(session.id, registration.person_id, registration.email, exclude=registration.id)
        check_organization_limit(session, registration.organization_key)
        if registration.person_id is None and session.audience != Audience.OPEN:
            raise ServiceError(gettext("This session is for the partners' people only."), "session")
        seat = holding_count(session.id) < session.capacity and not eligible_waiting(session)
    if seat:
        registration.status = RegistrationStatus.REGISTERED
    else:
        registration.status = RegistrationStatus.WAITING
        registration.queue_number = session.next_queue_number
        session.next_queue_number += 1
    if registration.id is None:
        db.session.add(registration)
    db.session.flush()
    if created:  # an outside person's registration was recorded with the form; its verification says so
        audit.record(
            "training.registration.create", actor=actor, object_type=OBJECT, object_id=registration.id
        )
    if registration.status == RegistrationStatus.REGISTERED:
        registration_messages.registered(registration)
    else:
        registration_messages.waiting(registration, position(registration))


def offer_deadline(session: TrainingSession, now: datetime) -> datetime:
    """Now + the session's offer hours, never after its start."""
    return min(now + timedelta(hours=session.offer_hours), session.starts_at)


def promote(session_id: int, now: datetime | None = None) -> list[Registration]:
    """Offer every free seat to the next people waiting (first come first served, skipping those whose
    organization is at its limit). Takes the session's lock; does not commit."""
    now = now or utcnow()
    session = lock(session_id)
    if session.status == SessionStatus.CANCELLED or now >= session.starts_at:
        return []
    free = session.capacity - holding_count(session.id)
    if free <= 0:
        return []
    waiting, held = _waiting_and_held(session)
    offered = []
    for registration in waiting:
        if len(offered) >= free:
            break
        key = registration.organization_key
        if not _may_take(session, registration, held):
            continue
        registration.status = RegistrationStatus.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = offer_deadline(session, now)
        registration.offer_version += 1
        held[key] += 1
        offered.append(registration)
        audit.record(
            "training.registration.offer", actor=SYSTEM, object_type=OBJECT, object_id=registration.id
        )
        registration_messages.offered(registration)
    return offered
