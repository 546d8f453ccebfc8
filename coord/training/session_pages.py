"""What the session pages show, with the reader's can_* flags: the annual plan, a session, the public list
and page, the session form's choices, the cancellation's confirmation. Nothing written.

The plan and the public list load in a fixed number of queries whatever the number of sessions and
registrations: sessions (module joined), their parts, their trainers, the seat counts grouped by session."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import NotFound

from coord.core.confirm import Step
from coord.core.localtime import LOCAL_TZ, local_today, to_local, utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.training import catalogue, registration_pages
from coord.training.dates import typeset
from coord.training.lookup import find_session, request_or_none
from coord.training.models import (
    ACTIVE,
    HOLDING,
    Audience,
    Registration,
    RegistrationStatus,
    SessionStatus,
    Trainer,
    TrainingModule,
    TrainingSession,
)
from coord.training.sessions import may_train, people_told_of_cancel

YEARS = range(2000, 2101)


@dataclass
class SessionRow:
    """One session as lists show it."""

    session: TrainingSession
    trainers: list[str]
    taken: int
    waiting: int
    present: int = 0  # registrants marked present
    trainer_ids: tuple[int, ...] = ()
    show_present: bool = False  # the coordinator or one of its trainers reads: the count of people present

    @property
    def begun(self) -> bool:
        return utcnow() >= self.session.starts_at

    @property
    def ended(self) -> bool:
        return utcnow() >= self.session.ends_at

    @property
    def seats_left(self) -> int:
        return max(0, self.session.capacity - self.taken)

    @property
    def full(self) -> bool:
        return self.seats_left == 0

    @property
    def registration_open(self) -> bool:
        now = utcnow()
        session = self.session
        return (
            session.status != SessionStatus.CANCELLED
            and session.registration_opens_at <= now < session.registration_closes_at
        )


def _rows(sessions: list[TrainingSession]) -> list[SessionRow]:
    """Trainers and seat counts for all the sessions in two queries."""
    ids = [s.id for s in sessions]
    names: dict[int, list[str]] = defaultdict(list)
    trainer_ids: dict[int, list[int]] = defaultdict(list)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    present: dict[int, int] = defaultdict(int)
    if ids:
        for session_id, person_id, name in db.session.execute(
            sa.select(Trainer.session_id, Person.id, Person.display_name)
            .join(Person, Person.id == Trainer.person_id)
            .where(Trainer.session_id.in_(ids))
            .order_by(Person.display_name)
        ):
            names[session_id].append(name)
            trainer_ids[session_id].append(person_id)
        for session_id, status, attendance, count in db.session.execute(
            sa.select(Registration.session_id, Registration.status, Registration.attendance, sa.func.count())
            .where(Registration.session_id.in_(ids))
            .group_by(Registration.session_id, Registration.status, Registration.attendance)
        ):
            counts[(session_id, status)] += count
            if status == RegistrationStatus.REGISTERED and attendance == "present":
                present[session_id] += count
    return [
        SessionRow(
            session=s,
            trainers=names[s.id],
            taken=sum(counts.get((s.id, str(status)), 0) for status in HOLDING),
            waiting=counts.get((s.id, str(RegistrationStatus.WAITING)), 0),
            present=present[s.id],
            trainer_ids=tuple(trainer_ids[s.id]),
        )
        for s in sessions
    ]


def _with_present(rows: list[SessionRow], actor: Person, manage: bool) -> list[SessionRow]:
    """The count of people present is for the coordinator and the session's trainers."""
    for row in rows:
        row.show_present = manage or actor.id in row.trainer_ids
    return rows


def _sessions(*conditions) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            sa.select(TrainingSession)
            .where(*conditions)
            .options(sa.orm.selectinload(TrainingSession.parts))
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    )


@dataclass
class PlanPage:
    year: int
    groups: list[tuple[TrainingModule, list[SessionRow]]]
    can_manage: bool
    years: tuple[int, int] = field(default=(0, 0))


def plan(actor: Person, year: int | None) -> PlanPage:
    """The year's sessions grouped by module, in the catalogue's order."""
    require(actor, "training.plan")
    year = year if year in YEARS else local_today().year
    start = datetime(year, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
    manage = may(actor, "training.manage")
    rows = _with_present(
        _rows(_sessions(TrainingSession.starts_at >= start, TrainingSession.starts_at < end)), actor, manage
    )
    by_module: dict[int, list[SessionRow]] = defaultdict(list)
    for row in rows:
        by_module[row.session.module_id].append(row)
    modules = db.session.scalars(
        sa.select(TrainingModule).order_by(TrainingModule.position, TrainingModule.id)
    )
    groups = [(module, by_module[module.id]) for module in modules if module.id in by_module]
    return PlanPage(year, groups, manage, (year - 1, year + 1))


def public_sessions() -> list[SessionRow]:
    """Open to outside organizations, not over, not cancelled."""
    return _rows(
        _sessions(
            TrainingSession.audience == Audience.OPEN,
            TrainingSession.status != SessionStatus.CANCELLED,
            TrainingSession.ends_at > utcnow(),
        )
    )


@dataclass
class SessionPage:
    row: SessionRow
    box: object | None
    can_manage: bool
    can_teach: bool
    can_confirm: bool
    can_cancel: bool
    public: bool = False
    manage_link: bool = False  # the public page read by a trainer or the coordinator: the signed-in page

    @property
    def session(self) -> TrainingSession:
        return self.row.session


def session_page(actor: Person, ref: str) -> SessionPage:
    require(actor, "training.mine")
    session = find_session(ref)
    manage = may(actor, "training.manage")
    if session.audience == Audience.PARTNERS and not (
        may(actor, "training.plan") or may(actor, "training.teach", session)
    ):
        require(actor, "training.plan")
    active = session.status != SessionStatus.CANCELLED
    begun = utcnow() >= session.starts_at  # its attendance and attestations stand: no more changes
    return SessionPage(
        row=_with_present(_rows([session]), actor, manage)[0],
        box=registration_pages.register_box(actor, session),
        can_manage=manage and active and not begun,
        can_teach=may(actor, "training.teach", session),
        can_confirm=manage and session.status == SessionStatus.PLANNED and utcnow() < session.starts_at,
        can_cancel=manage and active and utcnow() < session.starts_at,
    )


def public_session(ref: str, actor=None) -> SessionPage:
    session = find_session(ref)
    if session.audience != Audience.OPEN:
        raise NotFound()
    return SessionPage(
        row=_rows([session])[0],
        box=registration_pages.register_box(actor, session),
        can_manage=False,
        can_teach=False,
        can_confirm=False,
        can_cancel=False,
        public=True,
        manage_link=getattr(actor, "is_authenticated", False)
        and (may(actor, "training.manage") or may(actor, "training.teach", session)),
    )


@dataclass
class FormChoices:
    modules: list[tuple[int, str]]
    trainers: list[tuple[int, str]]
    session: TrainingSession | None = None
    request: object | None = None

    @property
    def begun(self) -> bool:
        """The session being changed has begun: it can no longer be changed."""
        return self.session is not None and utcnow() >= self.session.starts_at


def form_choices(
    actor: Person, ref: str | None = None, request_ref: str = "", language: str = "fr"
) -> FormChoices:
    """The modules and the active people to choose from; the session being changed, or the request."""
    require(actor, "training.manage")
    session = find_session(ref) if ref else None
    if session is not None and session.status == SessionStatus.CANCELLED:
        raise NotFound()
    request = request_or_none(request_ref)
    modules = [
        (m.id, typeset(m.title(language)))
        for m in catalogue.modules()
        if m.active or (session is not None and m.id == session.module_id)
    ]
    keep = [t.id for t in session.trainers] if session is not None else []
    people = db.session.execute(
        sa.select(Person.id, Person.display_name)
        .where(may_train(keep))
        .order_by(Person.display_name, Person.id)
    )
    return FormChoices(modules, [(pid, name) for pid, name in people], session, request)


def local_parts(session: TrainingSession) -> list[tuple]:
    """The parts as (date, start, end) in Montréal time, for the form."""
    return [
        (to_local(p.starts_at).date(), to_local(p.starts_at).time(), to_local(p.ends_at).time())
        for p in session.parts
    ]


def cancel_step(actor: Person, ref: str) -> Step | None:
    require(actor, "training.manage")
    session = find_session(ref)
    if session.status == SessionStatus.CANCELLED:
        return None  # done already (a second click): the view says so
    if utcnow() >= session.starts_at:
        raise NotFound()  # begun: no cancel button is offered, and its attendance stands
    told = people_told_of_cancel(session)
    active = sum(1 for r in session.registrations if r.status in {str(s) for s in ACTIVE})
    return Step(
        question=_("Cancel this training session?"),
        button=_("Cancel the session"),
        consequences=[
            ngettext("%(num)d registration is cancelled.", "%(num)d registrations are cancelled.", active),
            ngettext(
                "%(num)d person is told by e-mail, with your reason.",
                "%(num)d people are told by e-mail, with your reason.",
                told,
            ),
        ],
        danger=True,
    )


def local_date(moment: datetime):
    return to_local(moment).date()


def closing_date(moment: datetime):
    """The last day registration is open (it closes at the end of that day)."""
    return (to_local(moment) - timedelta(seconds=1)).date()
