"""Presenters and their weekly availability: the coordinator publishes people of the partner organizations
as presenters, sets their languages and windows, and deactivates them (their confirmed sessions stay).

Every operation requires `outreach.manage`, checks its input, writes an audit entry and commits once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import utcnow
from coord.core.permissions import require
from coord.directory.models import Organization, Person, PersonRole, Role
from coord.extensions import db
from coord.outreach import slots
from coord.outreach.admin_labels import LANGUAGES, clock
from coord.outreach.booking import lock_presenters
from coord.outreach.models import (
    Assignment,
    AvailabilityWindow,
    OutreachRequest,
    Presenter,
    RequestState,
)
from coord.outreach.settings import current as current_settings

PRESENTING_ROLES = (Role.INTERVENANT, Role.PARTNER, Role.COORDINATOR)
MAX_WINDOWS = 21  # per presenter: three a day
NEXT_SLOTS = 6  # shown on a presenter's page
UPCOMING = (RequestState.REQUESTED, RequestState.CONFIRMED)


@dataclass(frozen=True)
class PresentersPage:
    presenters: list[Presenter]
    upcoming: dict[int, int]  # presenter id → sessions ahead (requested on a slot, or confirmed)
    candidates: list[Person]  # people who may be published


@dataclass(frozen=True)
class PresenterPage:
    presenter: Presenter
    sessions: list[OutreachRequest]  # ahead, by time
    next_slots: list[slots.Slot]
    session_minutes: int
    short_windows: set[int] = field(default_factory=set)  # windows too short for one session


def _presenter(presenter_id: int) -> Presenter:
    presenter = db.session.get(Presenter, presenter_id) if 0 < presenter_id <= MAX_ID else None
    if presenter is None:
        raise NotFound()
    return presenter


def candidates() -> list[Person]:
    """Active people of active partner organizations who present (intervenants, partners, coordinators)
    and are not presenters yet, by organization then name."""
    already = sa.select(Presenter.person_id)
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(Organization, Person.organization_id == Organization.id)
            .where(
                Person.active.is_(True),
                Organization.active.is_(True),
                Organization.is_partner.is_(True),
                Person.id.in_(sa.select(PersonRole.person_id).where(PersonRole.role.in_(PRESENTING_ROLES))),
                Person.id.not_in(already),
            )
            .order_by(Organization.short_name, Person.display_name, Person.id)
        )
    )


def may_present(person: Person) -> bool:
    """An active person of an active partner organization, with a role that presents."""
    organization = person.organization
    return (
        person.active
        and organization.active
        and organization.is_partner
        and person.has_role(*PRESENTING_ROLES)
    )


def _upcoming_counts(presenter_ids: list[int]) -> dict[int, int]:
    if not presenter_ids:
        return {}
    rows = db.session.execute(
        sa.select(Assignment.presenter_id, sa.func.count())
        .join(OutreachRequest, Assignment.request_id == OutreachRequest.id)
        .where(
            Assignment.presenter_id.in_(presenter_ids),
            Assignment.active.is_(True),
            OutreachRequest.state.in_(UPCOMING),
            OutreachRequest.starts_at >= utcnow(),
        )
        .group_by(Assignment.presenter_id)
    ).all()
    return Counter({presenter_id: count for presenter_id, count in rows})


def presenters_page(actor: Person) -> PresentersPage:
    """Every presenter (active first, by name) with their windows, and who else may be published."""
    require(actor, "outreach.manage")
    presenters = list(
        db.session.scalars(
            sa.select(Presenter)
            .join(Person, Presenter.person_id == Person.id)
            .options(orm.selectinload(Presenter.windows))
            .order_by(Presenter.active.desc(), Person.display_name, Presenter.id)
        ).unique()
    )
    return PresentersPage(presenters, _upcoming_counts([p.id for p in presenters]), candidates())


def presenter_page(actor: Person, presenter_id: int) -> PresenterPage:
    """One presenter: windows, sessions ahead, and the next open slots their windows give now."""
    require(actor, "outreach.manage")
    presenter = _presenter(presenter_id)
    settings = current_settings()
    sessions = list(
        db.session.scalars(
            sa.select(OutreachRequest)
            .join(Assignment, Assignment.request_id == OutreachRequest.id)
            .where(
                Assignment.presenter_id == presenter.id,
                Assignment.active.is_(True),
                OutreachRequest.state.in_(UPCOMING),
                OutreachRequest.starts_at >= utcnow(),
            )
            .order_by(OutreachRequest.starts_at, OutreachRequest.id)
            .limit(50)
        )
    )
    length = timedelta(minutes=settings.session_minutes)
    short = {
        window.id
        for window in presenter.windows
        if _minutes(window.starts, window.ends) < length.total_seconds() / 60
    }
    offered = slots.open_slots([presenter.id])[:NEXT_SLOTS] if presenter.active else []
    return PresenterPage(presenter, sessions, offered, settings.session_minutes, short)


def _languages(languages: list[str]) -> str:
    chosen = [code for code in LANGUAGES if code in set(languages or [])]
    if not chosen or len(chosen) != len(set(languages)):
        raise ServiceError(_l("Choose at least one language: French, English or both."), "languages")
    return ",".join(chosen)


def publish(actor: Person, person_id: int, languages: list[str]) -> Presenter:
    """Make a person of a partner organization a presenter (or make a former one active again)."""
    require(actor, "outreach.manage")
    value = _languages(languages)
    person = db.session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
    if person is None or not may_present(person):
        raise ServiceError(
            _l("Choose an active person of a partner organization from the list."), "person_id"
        )
    if db.session.scalar(sa.select(Presenter.id).where(Presenter.person_id == person.id)) is not None:
        raise ServiceError(_l("This person is already a presenter."), "person_id")
    presenter = Presenter(person=person, languages=value, active=True)
    db.session.add(presenter)
    try:
        db.session.flush()  # a person is published once (unique): two coordinators at once, one wins
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(_l("This person is already a presenter."), "person_id") from None
    audit.record("outreach.presenter.publish", obj=presenter, actor=actor, detail=value)
    db.session.commit()
    return presenter


def set_languages(actor: Person, presenter_id: int, languages: list[str]) -> None:
    require(actor, "outreach.manage")
    presenter = _presenter(presenter_id)
    value = _languages(languages)
    if presenter.languages == value:
        return
    presenter.languages = value
    audit.record("outreach.presenter.languages", obj=presenter, actor=actor, detail=value)
    db.session.commit()


def deactivate(actor: Person, presenter_id: int) -> int:
    """No more open slots for this presenter; sessions already assigned stay (returns how many are ahead,
    for the coordinator to reassign or keep)."""
    require(actor, "outreach.manage")
    presenter = _presenter(presenter_id)
    ahead = _upcoming_counts([presenter.id]).get(presenter.id, 0)
    if presenter.active:
        presenter.active = False
        audit.record("outreach.presenter.deactivate", obj=presenter, actor=actor, detail=f"ahead={ahead}")
        db.session.commit()
    return ahead


def reactivate(actor: Person, presenter_id: int) -> None:
    require(actor, "outreach.manage")
    presenter = _presenter(presenter_id)
    if presenter.active:
        return
    if not presenter.person.active:
        raise ServiceError(_l("This person's account is deactivated: reactivate it in the directory first."))
    presenter.active = True
    audit.record("outreach.presenter.reactivate", obj=presenter, actor=actor)
    db.session.commit()


def _minutes(starts: time, ends: time) -> int:
    return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)


def add_window(
    actor: Person, presenter_id: int, weekday: int, starts: time, ends: time
) -> AvailabilityWindow:
    """A weekly window (Montréal wall-clock time): the end after the start, long enough for one session,
    and overlapping none of the presenter's other windows that day (touching is fine)."""
    require(actor, "outreach.manage")
    presenter = _presenter(presenter_id)
    lock_presenters([presenter.id])  # two windows added at once are checked one after the other
    db.session.refresh(presenter, ["windows"])
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ServiceError(_l("Choose a day of the week."), "weekday")
    if not isinstance(starts, time):
        raise ServiceError(_l("Give the start time."), "starts")
    if not isinstance(ends, time):
        raise ServiceError(_l("Give the end time."), "ends")
    starts, ends = starts.replace(second=0, microsecond=0), ends.replace(second=0, microsecond=0)
    if ends <= starts:
        raise ServiceError(_l("The end must be after the start."), "ends")
    minutes = current_settings().session_minutes
    if _minutes(starts, ends) < minutes:
        raise ServiceError(
            ngettext(
                "The window must last at least one session (%(num)d minute).",
                "The window must last at least one session (%(num)d minutes).",
                minutes,
            ),
            "ends",
        )
    for other in presenter.windows:
        if other.weekday == weekday and other.starts < ends and other.ends > starts:
            raise ServiceError(
                _l(
                    "This window overlaps another one that day (%(start)s to %(end)s).",
                    start=clock(other.starts),
                    end=clock(other.ends),
                ),
                "starts",
            )
    if len(presenter.windows) >= MAX_WINDOWS:
        raise ServiceError(
            ngettext(
                "A presenter has at most %(num)d window: remove one first.",
                "A presenter has at most %(num)d windows: remove one first.",
                MAX_WINDOWS,
            )
        )
    window = AvailabilityWindow(weekday=weekday, starts=starts, ends=ends)
    presenter.windows.append(window)
    db.session.flush()
    audit.record(
        "outreach.availability.add",
        obj=window,
        actor=actor,
        detail=f"presenter={presenter.id} {weekday} {starts:%H:%M}-{ends:%H:%M}",
    )
    db.session.commit()
    return window


def remove_window(actor: Person, presenter_id: int, window_id: int) -> None:
    """Remove a window (sessions already booked in it stay)."""
    require(actor, "outreach.manage")
    presenter = _presenter(presenter_id)
    window = next((w for w in presenter.windows if w.id == window_id), None)
    if window is None:
        raise NotFound()
    detail = f"presenter={presenter.id} {window.weekday} {window.starts:%H:%M}-{window.ends:%H:%M}"
    presenter.windows.remove(window)
    audit.record("outreach.availability.remove", obj=window, actor=actor, detail=detail)
    db.session.commit()
