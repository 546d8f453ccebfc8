"""Open slots: the times a requester may pick, made from the presenters' weekly availability.

A slot is free when it respects the minimum notice and the horizon, and its presenter has no other session
within the buffer, no other coord commitment (the calendar's free/busy service) and room in that week. Times
are wall-clock Montréal times, so a 9 h window gives 9 h slots on both sides of a daylight-saving change.
A slot's id names the presenter and the local start ("12-202611171330"); a forged or stale id finds nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from coord.calendar.freebusy import busy_times
from coord.calendar.sources import Window
from coord.core.localtime import LOCAL_TZ, to_local, utcnow
from coord.extensions import db
from coord.outreach.booking import week_bounds
from coord.outreach.models import Assignment, OutreachRequest, Presenter, RequestState
from coord.outreach.settings import current as current_settings

_SLOT_ID = re.compile(r"^(\d{1,9})-(\d{12})$")
MAX_SLOTS = 400  # the most a page lists


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    presenter_id: int

    @property
    def id(self) -> str:
        return f"{self.presenter_id}-{to_local(self.starts_at):%Y%m%d%H%M}"


def _exists(local: datetime) -> bool:
    """False for a wall-clock time the clocks skip (2 h 30 on the night of the spring change)."""
    return local.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) == local.replace(tzinfo=None)


def _candidates(presenter: Presenter, first: date, last: date, length: timedelta, step: timedelta):
    """Each start in the presenter's windows, day by day, in wall-clock time (DST-proof)."""
    day = first
    while day <= last:
        for window in presenter.windows:
            if window.weekday != day.weekday():
                continue
            start = datetime.combine(day, window.starts, tzinfo=LOCAL_TZ)
            window_end = datetime.combine(day, window.ends, tzinfo=LOCAL_TZ).astimezone(UTC)
            while True:
                # The wall-clock start; its end is `length` of real time later (a night of change is
                # an hour shorter or longer on the wall, never for the people in the room).
                real_start = start.astimezone(UTC)
                if real_start + length > window_end:
                    break
                if _exists(start):
                    yield real_start.astimezone(LOCAL_TZ), (real_start + length).astimezone(LOCAL_TZ)
                start += step
        day += timedelta(days=1)


def _taken(presenter_ids: list[int], window: Window):
    """The presenters' held times (buffers included) and their session starts, in one query."""
    rows = db.session.execute(
        sa.select(
            Assignment.presenter_id, Assignment.busy_from, Assignment.busy_until, OutreachRequest.starts_at
        )
        .join(OutreachRequest, Assignment.request_id == OutreachRequest.id)
        .where(
            Assignment.presenter_id.in_(presenter_ids),
            Assignment.active.is_(True),
            Assignment.busy_until > window.start,
            Assignment.busy_from < window.end,
            OutreachRequest.state.in_((RequestState.REQUESTED, RequestState.CONFIRMED, RequestState.HELD)),
        )
    ).all()
    return rows


def open_slots(presenter_ids: list[int] | None = None, now: datetime | None = None) -> list[Slot]:
    """Every free slot from the minimum notice to the horizon, by time (at most MAX_SLOTS)."""
    settings = current_settings()
    now = now or utcnow()
    earliest = now + timedelta(days=settings.minimum_notice_days)
    latest = now + timedelta(days=settings.horizon_days)
    length = timedelta(minutes=settings.session_minutes)
    buffer = timedelta(minutes=settings.buffer_minutes)
    query = (
        sa.select(Presenter).where(Presenter.active.is_(True)).options(orm.selectinload(Presenter.windows))
    )
    if presenter_ids is not None:
        query = query.where(Presenter.id.in_(presenter_ids))
    presenters = [p for p in db.session.scalars(query).unique() if p.windows and p.person.active]
    if not presenters:
        return []
    window = Window(earliest - timedelta(days=7), latest + timedelta(days=7))
    taken = _taken([p.id for p in presenters], window)
    slots = []
    for presenter in presenters:
        held = [(row.busy_from, row.busy_until) for row in taken if row.presenter_id == presenter.id]
        weeks = Counter(week_bounds(row.starts_at)[0] for row in taken if row.presenter_id == presenter.id)
        busy = [b for b in busy_times(presenter.person_id, window) if not b.uid.startswith("outreach-")]
        first, last = to_local(earliest).date(), to_local(latest).date()
        for start, end in _candidates(presenter, first, last, length, length + buffer):
            if start < earliest or end > latest:
                continue
            if any(a < end and b > start for a, b in held):
                continue
            if any(b.overlaps(start - buffer, end + buffer) for b in busy):
                continue
            if weeks[week_bounds(start)[0]] >= settings.max_per_week:
                continue
            slots.append(
                Slot(start.astimezone(earliest.tzinfo), end.astimezone(earliest.tzinfo), presenter.id)
            )
    return sorted(slots)[:MAX_SLOTS]


def find_slot(slot_id: str, now: datetime | None = None) -> Slot | None:
    """The open slot with this id, if it is still open; None for a forged, stale or taken id."""
    match = _SLOT_ID.match(slot_id or "")
    if match is None:
        return None
    try:
        local = datetime.strptime(match.group(2), "%Y%m%d%H%M").replace(tzinfo=LOCAL_TZ)
    except ValueError:
        return None
    presenter_id = int(match.group(1))
    for slot in open_slots([presenter_id], now=now):
        if to_local(slot.starts_at) == local:
            return slot
    return None
