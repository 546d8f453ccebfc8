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
from coord.core.localtime import utcnow

_TRACKED: dict[type, tuple[str, ...] | None] = {}


def track(*models: type, columns: tuple[str, ...] | None = None) -> None:
    """Changes to these models change calendars (only changes to `columns`, when given)."""
    for model in models:
        _TRACKED[model] = columns


def _changes_calendars(obj: object, dirty: bool) -> bool:
    for model, columns in _TRACKED.items():
        if isinstance(obj, model):
            if columns is None or not dirty:
                return True
            state = sa.inspect(obj)
            return any(state.attrs[column].history.has_changes() for column in columns)
    return False


def _touches_calendars(session: Session) -> bool:
    return any(_changes_calendars(obj, False) for obj in chain(session.new, session.deleted)) or any(
        _changes_calendars(obj, True) for obj in session.dirty
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
    if issubclass(state.bind_mapper.class_, tuple(_TRACKED)):  # bulk changes count whatever the columns
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
