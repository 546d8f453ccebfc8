"""Holding presenters' time: the one place that assigns a presenter to a session, so double booking is
impossible.

`assign()` runs inside the caller's transaction (the caller commits once):
1. it locks each presenter, in id order, by raising the presenter's `bookings_version` (an UPDATE: a row lock
   on PostgreSQL, the database's write lock on SQLite), so two bookings of one presenter run one after the
   other, across workers and instances;
2. only then it reads what the presenter already has: other sessions (buffers included), every other coord
   commitment from the calendar's free/busy service (committee meetings, trainings given, case conferences,
   and the modules that come later), and the week's count;
3. it writes the assignments, or raises `BookingConflict` with a message that says what is in the way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coord.calendar.freebusy import conflicts
from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ, to_local
from coord.extensions import db
from coord.outreach.models import Assignment, OutreachRequest, Presenter, RequestState
from coord.outreach.settings import current as current_settings


class BookingConflict(ServiceError):
    """The time is not free for a presenter (answered 409 with this message)."""


@dataclass(frozen=True)
class Rules:
    buffer: timedelta
    max_per_week: int

    @classmethod
    def from_settings(cls) -> Rules:
        settings = current_settings()
        return cls(timedelta(minutes=settings.buffer_minutes), settings.max_per_week)


def lock_presenters(presenter_ids: list[int]) -> None:
    """Serialize bookings per presenter until the transaction ends (ids in order, so no deadlock)."""
    for presenter_id in sorted(set(presenter_ids)):
        db.session.execute(
            sa.update(Presenter)
            .where(Presenter.id == presenter_id)
            .values(bookings_version=Presenter.bookings_version + 1)
            .execution_options(synchronize_session=False)
        )


def week_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """Monday 0 h to the next Monday 0 h, Montréal time, around `moment` (aware UTC bounds)."""
    local = to_local(moment)
    monday = (local - timedelta(days=local.weekday())).date()
    start = datetime(monday.year, monday.month, monday.day, tzinfo=LOCAL_TZ)
    end_day = monday + timedelta(days=7)
    end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=LOCAL_TZ)
    return start, end


def _active_assignments(presenter_id: int, start: datetime, end: datetime, request_id: int | None):
    query = (
        sa.select(Assignment)
        .join(OutreachRequest, Assignment.request_id == OutreachRequest.id)
        .where(
            Assignment.presenter_id == presenter_id,
            Assignment.active.is_(True),
            Assignment.busy_from < end,
            Assignment.busy_until > start,
            OutreachRequest.state.in_((RequestState.REQUESTED, RequestState.CONFIRMED, RequestState.HELD)),
        )
    )
    if request_id is not None:
        query = query.where(Assignment.request_id != request_id)
    return db.session.scalars(query).all()


def _weekly_count(presenter_id: int, starts_at: datetime, request_id: int | None) -> int:
    week_start, week_end = week_bounds(starts_at)
    query = (
        sa.select(sa.func.count())
        .select_from(Assignment)
        .join(OutreachRequest, Assignment.request_id == OutreachRequest.id)
        .where(
            Assignment.presenter_id == presenter_id,
            Assignment.active.is_(True),
            OutreachRequest.starts_at >= week_start,
            OutreachRequest.starts_at < week_end,
            OutreachRequest.state.in_((RequestState.REQUESTED, RequestState.CONFIRMED, RequestState.HELD)),
        )
    )
    if request_id is not None:
        query = query.where(Assignment.request_id != request_id)
    return db.session.scalar(query) or 0


def check_free(
    presenter: Presenter,
    starts_at: datetime,
    ends_at: datetime,
    rules: Rules,
    request: OutreachRequest | None = None,
) -> None:
    """Raise BookingConflict when the presenter cannot take [starts_at, ends_at) (caller holds the lock)."""
    name = presenter.person.display_name
    request_id = request.id if request is not None else None
    busy_from, busy_until = starts_at - rules.buffer, ends_at + rules.buffer
    # Another session's held time (its buffers included) may not meet this session: two sessions of one
    # presenter are at least one buffer apart.
    if _active_assignments(presenter.id, starts_at, ends_at, request_id):
        raise BookingConflict(
            _l("%(name)s already has an awareness session at that time (travel time included).", name=name)
        )
    ignore = (request.uid,) if request is not None and request.id is not None else ()
    found = [
        busy
        for busy in conflicts(presenter.person_id, busy_from, busy_until, ignore_uids=ignore)
        if not busy.uid.startswith("outreach-")
    ]
    if found:
        raise BookingConflict(
            _l("%(name)s has another commitment in coord at that time (travel time included).", name=name)
        )
    if _weekly_count(presenter.id, starts_at, request_id) >= rules.max_per_week:
        raise BookingConflict(_l("%(name)s already has the most sessions allowed that week.", name=name))


def assign(
    request: OutreachRequest,
    presenters: list[Presenter],
    starts_at: datetime,
    ends_at: datetime,
    rules: Rules | None = None,
) -> None:
    """Give the session this time and these presenters (locks, checks, writes; no commit)."""
    rules = rules or Rules.from_settings()
    lock_presenters([presenter.id for presenter in presenters])
    if request.id is None:
        db.session.flush()
    for presenter in presenters:
        check_free(presenter, starts_at, ends_at, rules, request)
    kept = {presenter.id for presenter in presenters}
    by_presenter = {assignment.presenter_id: assignment for assignment in request.assignments}
    for assignment in request.assignments:
        assignment.active = assignment.presenter_id in kept
    for presenter in presenters:
        assignment = by_presenter.get(presenter.id)
        if assignment is None:
            assignment = Assignment(presenter=presenter, busy_from=starts_at, busy_until=ends_at)
            request.assignments.append(assignment)
        assignment.active = True
        assignment.busy_from = starts_at - rules.buffer
        assignment.busy_until = ends_at + rules.buffer
    request.starts_at = starts_at
    request.ends_at = ends_at


def release(request: OutreachRequest) -> None:
    """Free the presenters' time (a declined or cancelled request)."""
    for assignment in request.assignments:
        assignment.active = False
