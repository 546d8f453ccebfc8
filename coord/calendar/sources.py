"""Where calendar events come from: each module declares its sources in its manifest.

A source answers three questions with a bounded number of queries (never one per event): the events of a
scope within a window, one event by UID, and whether a person is invited to a UID. To let feeds be served
without building their events, it also says how to tell that a scope's events changed, best first:
- `follows(scope)`: the scopes whose generations (coord.calendar.changes) move with every change of the
  scope's events, because the source raises them in the changing transaction. Every source's are read
  together, with the feed's own, in one small indexed query, whatever the number of events.
- `fingerprint(scope, window)`: a query of its own over the rows it reads (count, latest change...).
A source with neither still works: its feeds build their events on every request (and render only the
events that changed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import sqlalchemy as sa

from coord.calendar.events import CalendarEvent
from coord.calendar.registry import registry

PERSON = "person"  # the calendar's own scope: everything a person is invited to, registered for, or presents


@dataclass(frozen=True)
class Scope:
    """Whose calendar: PERSON with the person's id, or a scope a module registered (coord.calendar.scopes)
    with its object's id, or None for a scope without one."""

    kind: str
    id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id or ''}"


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Followed:
    """The scopes of `kind` whose ids a SELECT of one integer column gives (e.g. a person's committees)."""

    kind: str
    ids: sa.Select


class EventSource(Protocol):
    def events(self, scope: Scope, window: Window) -> Iterable[CalendarEvent]:
        """Events (series whole, with exceptions) overlapping the window; not redacted."""

    def event(self, uid: str) -> CalendarEvent | None:
        """The event with this UID (a series with its overrides), or None."""

    def is_invited(self, uid: str, person_id: int) -> bool:
        """Whether the person is among the event's invitees (for answers by signed link)."""

    def with_invitees(self, window: Window) -> Iterable[tuple[CalendarEvent, list]]:
        """Every published event overlapping the window with its invitees (for reminders)."""

    def follows(self, scope: Scope) -> Iterable[Scope | Followed]:
        """Optional (preferred to `fingerprint`): besides `scope` itself, the scopes whose generations
        cover `events(scope, window)`. The source promises that every write of a row those events read, and
        of whatever selects those rows, raises in the same transaction the generation of `scope` or of one
        of these (`changes.track(Model, scopes=...)`). Time moving the window is the feed's own concern."""

    def fingerprint(self, scope: Scope, window: Window) -> tuple:
        """Optional, when `follows` is not given. Something that changes whenever `events(scope, window)`
        would change because a row it reads changed, was added or removed: e.g. (count, latest change
        stamp, sum of ids) of those rows, exceptions included, in one indexed query. Changes that select
        other rows without touching them (memberships, guests, consents) raise the scope's generation
        instead (coord.calendar.changes)."""


def sources() -> list[EventSource]:
    """The sources of every module (its manifest's `calendar_sources`), in the module list's order."""
    return registry().sources


def events_for(scope: Scope, window: Window) -> list[CalendarEvent]:
    found = [event for source in sources() for event in source.events(scope, window)]
    return sorted(found, key=lambda event: (event.start, event.uid))


def followed_and_fingerprints(scope: Scope, window: Window) -> tuple[list[Scope | Followed], list] | None:
    """The scopes whose generations the feed follows (its own first, then every source's `follows`) and
    the fingerprints of the sources that give one instead; None when a source gives neither (build it)."""
    followed: list[Scope | Followed] = [scope]
    fingerprints = []
    for source in sources():
        follows = getattr(source, "follows", None)
        if follows is not None:
            followed.extend(follows(scope))
            continue
        fingerprint = getattr(source, "fingerprint", None)
        if fingerprint is None:
            return None
        fingerprints.append(fingerprint(scope, window))
    return followed, fingerprints


def events_with_invitees(window: Window) -> list[tuple[CalendarEvent, list]]:
    return [pair for source in sources() for pair in source.with_invitees(window)]


def find_event(uid: str) -> tuple[CalendarEvent, EventSource] | None:
    for source in sources():
        event = source.event(uid)
        if event is not None:
            return event, source
    return None
