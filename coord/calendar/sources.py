"""Where calendar events come from: each module declares its sources in its manifest.

A source answers three questions with a bounded number of queries (never one per event): the events of a
scope within a window, one event by UID, and whether a person is invited to a UID. It may also give a
cheap fingerprint of a scope's events (one indexed query): feeds are then served from the cache without
building their events; a source without one still works, its feeds are built on every request (and
rendered only where their events changed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

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


class EventSource(Protocol):
    def events(self, scope: Scope, window: Window) -> Iterable[CalendarEvent]:
        """Events (series whole, with exceptions) overlapping the window; not redacted."""

    def event(self, uid: str) -> CalendarEvent | None:
        """The event with this UID (a series with its overrides), or None."""

    def is_invited(self, uid: str, person_id: int) -> bool:
        """Whether the person is among the event's invitees (for answers by signed link)."""

    def with_invitees(self, window: Window) -> Iterable[tuple[CalendarEvent, list]]:
        """Every published event overlapping the window with its invitees (for reminders)."""

    def fingerprint(self, scope: Scope, window: Window) -> tuple:
        """Optional. Something that changes whenever `events(scope, window)` would change because a row it
        reads changed, was added or removed: e.g. (count, latest change stamp, sum of ids) of those rows,
        exceptions included, in one indexed query. Changes that select other rows without touching them
        (memberships, guests, consents) raise the scope's generation instead (coord.calendar.changes)."""


def sources() -> list[EventSource]:
    """The sources of every module (its manifest's `calendar_sources`), in the module list's order."""
    return registry().sources


def events_for(scope: Scope, window: Window) -> list[CalendarEvent]:
    found = [event for source in sources() for event in source.events(scope, window)]
    return sorted(found, key=lambda event: (event.start, event.uid))


def fingerprint_for(scope: Scope, window: Window) -> tuple | None:
    """Every source's fingerprint of the scope's events, or None when a source has none (build the feed)."""
    found = []
    for source in sources():
        fingerprint = getattr(source, "fingerprint", None)
        if fingerprint is None:
            return None
        found.append(fingerprint(scope, window))
    return tuple(found)


def events_with_invitees(window: Window) -> list[tuple[CalendarEvent, list]]:
    return [pair for source in sources() for pair in source.with_invitees(window)]


def find_event(uid: str) -> tuple[CalendarEvent, EventSource] | None:
    for source in sources():
        event = source.event(uid)
        if event is not None:
            return event, source
    return None
