"""What the calendar pages show and the changes they make, with the permission checks."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import gettext

from coord import audit
from coord.calendar import access, feed_links
from coord.calendar.models import FeedLink
from coord.calendar.registry import scope_type
from coord.calendar.scopes import ScopeType
from coord.calendar.sources import PERSON, Scope
from coord.core.permissions import require
from coord.extensions import db


@dataclass(frozen=True)
class ScopePage:
    scope: Scope
    title: str
    registered: ScopeType | None  # None for the person's own calendar
    needs_login: bool = False

    @property
    def public(self) -> bool:
        """A public scope without an id has a public feed (/feeds/public/<name>.ics)."""
        return self.registered is not None and self.registered.public and not self.registered.has_id


def my_calendar(actor) -> ScopePage:
    return ScopePage(Scope(PERSON, actor.id), gettext("My calendar"), None)


def scope_page(actor, name: str, scope_id: int | None) -> ScopePage:
    """A registered scope's calendar: 404 when unknown (or its object is), 403 when not allowed."""
    registered = scope_type(name)
    if registered is None or registered.has_id != (scope_id is not None):
        abort(404)
    obj = None
    if registered.has_id:
        obj = registered.find(scope_id)
        if obj is None:
            abort(404)
    if not registered.public:
        if not actor.is_authenticated:
            return ScopePage(Scope(name, scope_id), "", registered, needs_login=True)
        require(actor, registered.permission, obj)
    return ScopePage(Scope(name, scope_id), registered.label(obj, None), registered)


@dataclass(frozen=True)
class FeedOffer:
    choice: access.FeedChoice
    link: FeedLink | None
    label: str


def subscriptions(actor) -> list[FeedOffer]:
    """The person's private feeds, with their secret link when already asked for and still live (a link
    made before the person's last token-version raise is dead: the page offers a new one)."""
    offers = []
    for choice in access.available_feeds(actor):
        link = feed_links.find_link(actor, choice.scope, choice.scope_id)
        offers.append(FeedOffer(choice, link if link and feed_links.is_live(link) else None, choice.label()))
    return offers


def public_subscriptions() -> list[tuple[ScopeType, str]]:
    return [(registered, registered.label(None, None)) for registered in access.public_feeds()]


def create_subscription(actor, scope: str, raw_scope_id: str) -> FeedLink:
    """Create the secret link of one of the person's feeds (links exist only once asked for); 404 for a
    feed the person is not offered."""
    for choice in access.available_feeds(actor):
        if (choice.scope, str(choice.scope_id or "")) == (scope, raw_scope_id):
            link = feed_links.find_link(actor, choice.scope, choice.scope_id)
            if link is None or not feed_links.is_live(link):
                link = feed_links.ensure_link(actor, choice.scope, choice.scope_id)
                db.session.flush()
                audit.record("calendar.feed_create", obj=link, actor=actor, detail=choice.scope)
                db.session.commit()
            return link
    abort(404)


def reset_subscription(actor, link_id: int) -> None:
    """A new secret URL for one of the person's own links; the old one answers 404 from now on."""
    link = db.session.get(FeedLink, link_id)
    if link is None or link.person_id != actor.id:
        abort(404)
    feed_links.renew(link)
    audit.record("calendar.feed_reset", obj=link, actor=actor, detail=link.scope)
    db.session.commit()
