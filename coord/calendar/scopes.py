"""Calendars other than a person's own, registered by the modules that fill them.

A module declares a `ScopeType` in its manifest's `calendar_scopes` for each calendar it offers (a
committee's meetings, the public training calendar, ...). The calendar's generic pages
(/calendar/<name>/…), its feeds (/feeds/<token>.ics, or /feeds/public/<name>.ics for a public scope)
and the subscriptions page then serve it without naming the module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


def _nothing(person) -> list:
    return []


@dataclass(frozen=True)
class ScopeType:
    name: str  # URL segment and the feed link's scope, e.g. "committee"
    # The calendar's name, in the given language (None: the reader's), for the scope's object (or None).
    label: Callable[[object | None, str | None], str]
    # The rule (coord.core.permissions) for the pages; it guards the object `find` returns. Not for public.
    permission: str | None = None
    # Scopes with an id: the object the id names, or None (404). Scopes without: leave None.
    find: Callable[[int], object | None] | None = None
    # The objects (or [None] for a scope without id) this person may subscribe to, for the subscriptions page.
    offered: Callable[[object], Iterable[object | None]] = _nothing
    # Whether a person's private feed of this scope still works (rechecked on every request).
    feed_allowed: Callable[[object, object | None], bool] | None = None
    public: bool = False  # pages and /feeds/public/<name>.ics for everyone, signed in or not
    order: int = 100

    @property
    def has_id(self) -> bool:
        return self.find is not None

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name in ("me", "public", "subscriptions"):
            raise ValueError(f"scope name {self.name!r} cannot be a URL segment of the calendar")
        if not self.public and self.permission is None:
            raise ValueError(f"private scope {self.name!r} needs a permission")
