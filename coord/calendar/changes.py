"""Changes that calendars show but that no source's fingerprint sees: raised in the changing transaction.

A feed's cache key comes from its sources' fingerprints (coord.calendar.sources): the rows of its own
events, counted and stamped. What decides *which* events a person sees without touching those rows (a
membership, a guest list, a consent) raises a generation instead, in the same transaction as the change:

- `track(Model, scopes=fn)`: fn(obj) gives the scopes (a person's calendar, a committee's, ...) whose feeds
  the object's change reaches; their generation goes up (`calendar_scope_state`, one row per scope). Write
  fn with `scopes_of(column, kind)`, which sees the old value as well as the new one (a guest moved from one
  person to another changes both calendars). fn returning None means "cannot tell": every feed.
- `track(Model)` without `scopes`: the global generation (`calendar_state`), every feed at once: the safe
  default for a module that says nothing more.
- Bulk UPDATE / DELETE statements on a tracked model do not say which rows they touch: the global one,
  unless the model was tracked with `bulk=True` (its scopes do not depend on the columns such statements
  change): then the scopes of the rows the statement's WHERE selects, read just before it runs.

A source that `follows` scopes (coord.calendar.sources) tracks its own event rows too (a meeting reaches its
committee's scope and its guests'), so a feed's key is read from these generations alone (`generations`:
one small indexed query). Rows a source's fingerprint covers need no tracking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coord.calendar.models import CalendarScopeState, CalendarState
from coord.calendar.sources import Followed, Scope
from coord.core.localtime import utcnow

ScopesOf = Callable[[object], Iterable[Scope] | None]


@dataclass(frozen=True)
class _Tracked:
    model: type
    columns: tuple[str, ...] | None
    scopes: ScopesOf | None
    bulk: bool = False


_TRACKED: list[_Tracked] = []


def track(
    *models: type, columns: tuple[str, ...] | None = None, scopes: ScopesOf | None = None, bulk: bool = False
) -> None:
    """Changes to these models change calendars (only changes to `columns`, when given): the feeds of
    `scopes(obj)` when given, else every feed. `bulk`: bulk UPDATE statements reach the scopes of the rows
    they select (scopes(obj) must then not depend on the columns they set), not every feed."""
    for model in models:
        _TRACKED.append(_Tracked(model, columns, scopes, bulk))


def scopes_of(column: str, kind: str) -> ScopesOf:
    """The scope `kind` of the object's `column` (e.g. a guest row's person), before and after the change;
    None (every feed) when the value is not known yet (a row linked through a relationship, unflushed)."""

    def scopes(obj: object) -> list[Scope] | None:
        history = sa.inspect(obj).attrs[column].history
        values = set(chain(history.added, history.unchanged, history.deleted)) or {getattr(obj, column)}
        if None in values:
            return None
        return [Scope(kind, value) for value in values]

    return scopes


def _changed(entry: _Tracked, obj: object, dirty: bool) -> bool:
    if not isinstance(obj, entry.model):
        return False
    if entry.columns is None or not dirty:
        return True
    state = sa.inspect(obj)
    return any(state.attrs[column].history.has_changes() for column in entry.columns)


def _reached(session: Session) -> set[str] | None:
    """The scope keys the pending changes reach (empty: none), or None for every feed."""
    keys: set[str] = set()
    objects = chain(
        ((obj, False) for obj in chain(session.new, session.deleted)), ((o, True) for o in session.dirty)
    )
    with session.no_autoflush:
        for obj, dirty in objects:
            for entry in _TRACKED:
                if not _changed(entry, obj, dirty):
                    continue
                if entry.scopes is None:
                    return None
                scopes = entry.scopes(obj)
                if scopes is None:
                    return None
                keys.update(scope.key for scope in scopes)
    return keys


@event.listens_for(Session, "before_flush")
def _after_unit_of_work_changes(session: Session, flush_context, instances) -> None:
    if not _TRACKED:
        return
    keys = _reached(session)
    if keys is None:
        raise_generation(session)
    elif keys:
        raise_scope_generations(session, keys)


@event.listens_for(Session, "do_orm_execute")
def _after_bulk_changes(state) -> None:
    """Bulk UPDATE / DELETE statements on tracked models skip the flush: every feed, whatever the columns,
    unless every entry tracking the model said `bulk` (then the scopes of the rows the WHERE selects)."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    entries = [entry for entry in _TRACKED if issubclass(model, entry.model)]
    if not entries:
        return
    keys = _bulk_scopes(state, model, entries)
    if keys is None:
        raise_generation(state.session)
    elif keys:
        raise_scope_generations(state.session, keys)


def _bulk_scopes(state, model: type, entries: list[_Tracked]) -> set[str] | None:
    where = getattr(state.statement, "whereclause", None)
    if not state.is_update or where is None or not all(entry.bulk and entry.scopes for entry in entries):
        return None
    keys: set[str] = set()
    with state.session.no_autoflush:
        for obj in state.session.scalars(sa.select(model).where(where)).all():
            for entry in entries:
                scopes = entry.scopes(obj)
                if scopes is None:
                    return None
                keys.update(scope.key for scope in scopes)
    return keys


def raise_generation(session: Session) -> None:
    """Every feed: the global generation."""
    now = utcnow()
    dialect = session.get_bind(mapper=CalendarState).dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = CalendarState.__table__
    statement = insert(table).values(id=1, generation=1, changed_at=now)  # an upsert: never two inserts
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={"generation": table.c.generation + 1, "changed_at": now},
        )
    )


def raise_scope_generations(session: Session, keys: Iterable[str]) -> None:
    """The feeds of these scopes (Scope.key): an upsert per scope, so concurrent changes never collide."""
    now = utcnow()
    dialect = session.get_bind(mapper=CalendarScopeState).dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = CalendarScopeState.__table__
    for key in sorted(keys):  # one order for every transaction: no deadlock between two of them
        statement = insert(table).values(scope=key, generation=1, changed_at=now)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.scope],
                set_={"generation": table.c.generation + 1, "changed_at": now},
            )
        )


def current_generation(session: Session) -> tuple[int, datetime | None]:
    row = session.execute(sa.select(CalendarState.generation, CalendarState.changed_at)).first()
    return (row.generation, row.changed_at) if row else (0, None)


def generations(session: Session, followed: Iterable[Scope | Followed]) -> tuple[tuple[str, int], ...]:
    """The global generation ("*") and those of the followed scopes that have one, as sorted (scope,
    generation) pairs, in one statement: the scope table read by its primary key, the followed ids (a
    person's committees) by their own indexes."""
    table = CalendarScopeState
    parts = [
        sa.select(sa.literal("*", sa.String).label("scope"), CalendarState.generation).where(
            CalendarState.id == 1
        )
    ]
    keys = sorted({item.key for item in followed if isinstance(item, Scope)})
    if keys:
        parts.append(sa.select(table.scope, table.generation).where(table.scope.in_(keys)))
    for item in followed:
        if isinstance(item, Followed):
            ids = item.ids.subquery()
            key = sa.literal(f"{item.kind}:", sa.String) + sa.cast(next(iter(ids.c)), sa.String)
            parts.append(sa.select(table.scope, table.generation).where(table.scope.in_(sa.select(key))))
    rows = session.execute(sa.union_all(*parts)).all()
    return tuple(sorted({(row[0], row[1]) for row in rows}))
