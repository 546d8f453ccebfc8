"""The calendar generation: raised in the same transaction as any change to a tracked model.

Feeds are cached on (scope, language, window, generation), so a change shows on the next request and an
unchanged feed is served from the cache. Modules call `track(Model, ...)` from their calendar.py.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from coord.calendar.models import CalendarState
from coord.timeutil import utcnow

_TRACKED: set[type] = set()


def track(*models: type) -> None:
    _TRACKED.update(models)


def _touches_calendars(session: Session) -> bool:
    tracked = tuple(_TRACKED)
    return bool(tracked) and any(
        isinstance(obj, tracked) for obj in chain(session.new, session.dirty, session.deleted)
    )


@event.listens_for(Session, "before_flush")
def _after_unit_of_work_changes(session: Session, flush_context, instances) -> None:
    if _touches_calendars(session):
        raise_generation(session)


@event.listens_for(Session, "do_orm_execute")
def _after_bulk_changes(state) -> None:
    """Bulk UPDATE / DELETE statements on tracked models skip the flush: count them here."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    if issubclass(state.bind_mapper.class_, tuple(_TRACKED)):
        raise_generation(state.session)


def raise_generation(session: Session) -> None:
    now = utcnow()
    result = session.execute(
        sa.update(CalendarState)
        .where(CalendarState.id == 1)
        .values(generation=CalendarState.generation + 1, changed_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        session.execute(sa.insert(CalendarState).values(id=1, generation=1, changed_at=now))


def current_generation(session: Session) -> tuple[int, datetime | None]:
    row = session.execute(sa.select(CalendarState.generation, CalendarState.changed_at)).first()
    return (row.generation, row.changed_at) if row else (0, None)
