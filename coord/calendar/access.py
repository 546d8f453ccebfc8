"""Who sees which calendar: a person's own, and the scopes modules register (coord.calendar.scopes)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale, gettext

from coord.calendar.models import FeedLink
from coord.calendar.registry import scope_type, scope_types
from coord.calendar.scopes import ScopeType
from coord.calendar.sources import PERSON, Scope
from coord.core.permissions import may
from coord.i18n import babel_locale


@dataclass(frozen=True)
class FeedChoice:
    """A feed a person may subscribe to: PERSON, or a registered scope with its object (or None)."""

    scope: str
    obj: object | None = None

    @property
    def scope_id(self) -> int | None:
        return getattr(self.obj, "id", None)

    def label(self, language: str | None = None) -> str:
        if self.scope == PERSON:
            return _in_language(language, lambda: gettext("My schedule"))
        return scope_type(self.scope).label(self.obj, language)


def _in_language(language: str | None, text):
    if language is None:
        return text()
    with force_locale(babel_locale(language)):
        return text()


def _still_allowed(registered: ScopeType, person, obj) -> bool:
    if registered.feed_allowed is not None:
        return registered.feed_allowed(person, obj)
    return may(person, registered.permission, obj) if registered.permission else registered.public


def feed_choice(link: FeedLink) -> FeedChoice | None:
    """What a link still gives access to, or None (scope gone, object gone, membership or role lost)."""
    if link.scope == PERSON:
        return FeedChoice(PERSON)
    registered = scope_type(link.scope)
    if registered is None:
        return None
    obj = None
    if registered.has_id:
        obj = registered.find(link.scope_id) if link.scope_id is not None else None
        if obj is None:
            return None
    if not _still_allowed(registered, link.person, obj):
        return None
    return FeedChoice(link.scope, obj)


def scope_of(choice: FeedChoice, person_id: int) -> Scope:
    return Scope(PERSON, person_id) if choice.scope == PERSON else Scope(choice.scope, choice.scope_id)


def available_feeds(person) -> list[FeedChoice]:
    """Every private feed this person may subscribe to, personal first."""
    feeds = [FeedChoice(PERSON)]
    for registered in scope_types():
        if not registered.public:
            feeds += [FeedChoice(registered.name, obj) for obj in registered.offered(person)]
    return feeds


def public_feeds() -> list[ScopeType]:
    return [registered for registered in scope_types() if registered.public]
