"""Sessions: create, change, confirm, cancel (the coordinator, rule training.manage).

Each service checks permission, validates everything before it changes anything, writes its audit entry,
queues its e-mails and commits once. Trainer rows are added and removed explicitly (`session.trainers` is
read-only) so that the trainers' calendars hear of it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from coord import audit
from coord.calendar import freebusy
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.core.text import check_multi_line
from coord.directory.models import Person, PersonRole
from coord.extensions import db
from coord.training import session_messages, waitlist
from coord.training.lookup import find_session, request_or_none
from coord.training.models import (
    ACTIVE,
    HOLDING,
    Registration,
    RegistrationStatus,
    RequestStatus,
    SessionPart,
    SessionStatus,
    Trainer,
    TrainingModule,
    TrainingRequest,
    TrainingSession,
)
from coord.training.permissions import PARTNER_ROLES as TRAINER_ROLES
from coord.training.session_rules import (
    SessionInput,
    check_confirmable,
    check_settings,
    part_times,
    registration_window,
)


def _module(module_id: int | None, current: int | None = None) -> TrainingModule:
    module = db.session.get(TrainingModule, module_id) if isinstance(module_id, int) else None
    if module is None or (not module.active and module.id != current):
        raise ServiceError(_l("Choose a module of the catalogue."), "module_id")
    return module


def may_train(keep: list[int] = ()):
    """Who may be a session's trainer: an active intervenant, partner or coordinator (not a requester,
    researcher or administrator alone); `keep`: the session's current trainers stay choosable."""
    has_role = sa.exists().where(PersonRole.person_id == Person.id, PersonRole.role.in_(TRAINER_ROLES))
    return sa.and_(Person.active.is_(True), sa.or_(has_role, Person.id.in_(list(keep))) if keep else has_role)


def _trainers(ids: list[int], keep: list[int] = ()) -> list[Person]:
    wanted = list(dict.fromkeys(i for i in ids if isinstance(i, int)))
    if not wanted:
        return []
    people = list(db.session.scalars(sa.select(Person).where(Person.id.in_(wanted), may_train(keep))))
    if len(people) != len(wanted):
        raise ServiceError(
            _l("Choose trainers among the active intervenants, partners and coordinators."), "trainer_ids"
        )
    return sorted(people, key=lambda p: wanted.index(p.id))


def _check_busy(trainers: list[Person], parts, ignore_uids: tuple[str, ...]) -> None:
    """Refuse when a trainer has something else during a part, naming what (its kind, never its title)."""
    for person in trainers:
        for starts_at, ends_at in parts:
            found = freebusy.conflicts(person.id, starts_at, ends_at, ignore_uids=ignore_uids)
            if found:
                raise ServiceError(
                    _l(
                        "%(name)s is not free then: %(what)s at that time.",
                        name=person.display_name,
                        what=freebusy.kind_label(found[0].kind).lower(),
                    ),
                    "trainer_ids",
                )


def _validated(data: SessionInput, current_module: int | None = None, keep: list[int] = ()):
    module = _module(data.module_id, current_module)
    parts = part_times(data.parts)
    opens_at, closes_at = registration_window(data, parts[0][0])
    check_settings(data, module.title_fr)
    trainers = _trainers(data.trainer_ids, keep)
    return module, parts, opens_at, closes_at, trainers


def _apply(session: TrainingSession, data: SessionInput, module, parts, opens_at, closes_at) -> bool:
    """Write the values and the parts (existing parts keep their ids, so their UIDs); True if times moved."""
    before = [(p.starts_at, p.ends_at) for p in session.parts]
    session.module_id = module.id
    session.module = module
    session.capacity = data.capacity
    session.place = (data.place or "").strip()
    session.video_url = (data.video_url or "").strip()
    session.audience = data.audience
    session.per_organization_limit = data.per_organization_limit
    session.language = data.language
    session.cancel_hours_before = data.cancel_hours_before
    session.offer_hours = data.offer_hours
    session.notes = data.notes or ""
    session.registration_opens_at = opens_at
    session.registration_closes_at = closes_at
    existing = sorted(session.parts, key=lambda p: p.starts_at)
    for index, (starts_at, ends_at) in enumerate(parts):
        if index < len(existing):
            existing[index].starts_at, existing[index].ends_at = starts_at, ends_at
        else:
            session.parts.append(SessionPart(starts_at=starts_at, ends_at=ends_at))
    for extra in existing[len(parts) :]:
        session.parts.remove(extra)
    session.starts_at = parts[0][0]
    session.ends_at = max(end for _, end in parts)
    return before != list(parts)


def _set_trainers(session: TrainingSession, trainers: list[Person]) -> tuple[list[Person], list[Person]]:
    """Add and delete Trainer rows; the people added and removed."""
    current = {
        row.person_id: row
        for row in db.session.scalars(sa.select(Trainer).where(Trainer.session_id == session.id))
    }
    wanted = {p.id: p for p in trainers}
    added = [p for pid, p in wanted.items() if pid not in current]
    removed = [db.session.get(Person, pid) for pid in current if pid not in wanted]
    for person in added:
        db.session.add(Trainer(session_id=session.id, person_id=person.id))
    for pid, row in current.items():
        if pid not in wanted:
            db.session.delete(row)
    return added, removed


def create(actor: Person, data: SessionInput, request_ref: str = "") -> TrainingSession:
    """A new PLANNED session; from a request, the request becomes SCHEDULED and its requester is told."""
    require(actor, "training.manage")
    module, parts, opens_at, closes_at, trainers = _validated(data)
    request = request_or_none(request_ref)
    if request_ref and (request is None or request.status != RequestStatus.OPEN):
        raise ServiceError(_l("This request was already handled."), "request")
    if request is not None:
        request = lock_row(TrainingRequest, request.id)
        if request.status != RequestStatus.OPEN:
            raise ServiceError(_l("This request was already handled."), "request")
    _check_busy(trainers, parts, ())
    session = TrainingSession(status=SessionStatus.PLANNED, created_by_id=actor.id, sequence=0)
    _apply(session, data, module, parts, opens_at, closes_at)
    db.session.add(session)
    db.session.flush()
    _set_trainers(session, trainers)
    if request is not None:
        session.request_id = request.id
        request.status = RequestStatus.SCHEDULED
        request.handled_by_id = actor.id
        request.handled_at = utcnow()
        session_messages.request_scheduled(request, session)
    audit.record("training.session.create", actor=actor, obj=session)
    db.session.commit()
    return session


def seats_taken(session_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.session_id == session_id, Registration.status.in_([str(s) for s in HOLDING]))
    )


def change(actor: Person, session_id: int, data: SessionInput) -> TrainingSession:
    """New values; a change of time or place raises SEQUENCE and tells the registrants and trainers."""
    require(actor, "training.manage")
    session = lock_row(TrainingSession, session_id)
    if session is None or session.status == SessionStatus.CANCELLED:
        raise ServiceError(_l("A cancelled session cannot be changed."), None)
    if utcnow() >= session.starts_at:  # its attendance and attestations stand
        raise ServiceError(_l("This session has begun: it can no longer be changed."), None)
    current_trainers = [t.id for t in session.trainers]
    module, parts, opens_at, closes_at, trainers = _validated(data, session.module_id, current_trainers)
    taken = seats_taken(session.id)
    if data.capacity < taken:
        raise ServiceError(
            ngettext(
                "%(num)d person holds a seat: the capacity cannot be lower.",
                "%(num)d people hold a seat: the capacity cannot be lower.",
                taken,
            ),
            "capacity",
        )
    if session.status == SessionStatus.CONFIRMED:
        check_confirmable(len(trainers), data.place, data.video_url)
    _check_busy(trainers, parts, tuple(p.uid for p in session.parts))
    old_place = (session.place, session.video_url)
    old_capacity, old_limit = session.capacity, session.per_organization_limit
    old_trainers = list(session.trainers)
    moved = _apply(session, data, module, parts, opens_at, closes_at)
    added, removed = _set_trainers(session, trainers)
    told = moved or old_place != (session.place, session.video_url)
    if told:
        session.sequence += 1
    db.session.flush()
    if session.status == SessionStatus.CONFIRMED:
        keep = [p for p in old_trainers if p.id in {t.id for t in trainers}]
        session_messages.session_changed(
            session, trainers=keep if told else [], added=added, removed=removed, registrants=told
        )
    elif told:  # a planned session's registrants hold its .ics too; its trainers are invited at confirmation
        session_messages.session_changed(session, trainers=[], added=[], removed=[], registrants=True)
    audit.record("training.session.update", actor=actor, obj=session)
    if session.capacity > old_capacity or session.per_organization_limit != old_limit:
        db.session.flush()
        waitlist.promote(session.id)  # the seats now free for someone waiting, offered in this transaction
    db.session.commit()
    return session


def confirm(actor: Person, session_id: int) -> TrainingSession:
    """PLANNED → CONFIRMED (a trainer and a place or link needed); the trainers get the invitation."""
    require(actor, "training.manage")
    session = lock_row(TrainingSession, session_id)
    if session is None or session.status != SessionStatus.PLANNED:
        return session  # done already (a second click) or cancelled: nothing to do
    if utcnow() >= session.starts_at:
        raise ServiceError(_l("This session has begun: it can no longer be confirmed."), None)
    check_confirmable(len(session.trainers), session.place, session.video_url)
    session.status = SessionStatus.CONFIRMED
    db.session.flush()
    session_messages.session_confirmed(session)
    audit.record("training.session.confirm", actor=actor, obj=session)
    db.session.commit()
    return session


def cancel(actor: Person, session_id: int, reason: str) -> TrainingSession:
    """Cancelled with a reason: every active registration cancelled, everyone told (iTIP CANCEL)."""
    require(actor, "training.manage")
    reason = (reason or "").strip()
    check_multi_line(reason, "reason")
    if not reason:
        raise ServiceError(_l("Give the reason: the registrants read it."), "reason")
    if len(reason) > 1000:
        raise ServiceError(_l("Keep this under %(max)d characters.", max=1000), "reason")
    session = lock_row(TrainingSession, session_id)
    if session is None or session.status == SessionStatus.CANCELLED:
        return session
    now = utcnow()
    if now >= session.starts_at:  # its attendance and attestations stand
        raise ServiceError(_l("This session has begun: it can no longer be cancelled."), "reason")
    active = [r for r in session.registrations if r.status in {str(s) for s in ACTIVE}]
    seated = [r for r in active if r.status == RegistrationStatus.REGISTERED]
    waiting = [r for r in active if r.status in (RegistrationStatus.WAITING, RegistrationStatus.OFFERED)]
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    session.sequence += 1
    for registration in active:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.offer_expires_at = None
    db.session.flush()
    session_messages.session_cancelled(session, seated, waiting, list(session.trainers))
    audit.record("training.session.cancel", actor=actor, obj=session, detail=f"{len(active)} registrations")
    db.session.commit()
    return session


def people_told_of_cancel(session: TrainingSession) -> int:
    """How many people a cancellation tells (the registrants, those waiting or offered, the trainers)."""
    active = sum(
        1
        for r in session.registrations
        if r.status in {str(s) for s in ACTIVE if s != RegistrationStatus.UNVERIFIED}
    )
    return active + len(session.trainers)


def confirm_by_ref(actor: Person, ref: str) -> TrainingSession:
    require(actor, "training.manage")
    return confirm(actor, find_session(ref).id)


def cancel_by_ref(actor: Person, ref: str, reason: str) -> TrainingSession:
    require(actor, "training.manage")
    return cancel(actor, find_session(ref).id, reason)
