"""GET /feeds/<token>.ics (private feeds, reached by their secret URL only) and /feeds/training.ics."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import gettext

from coord.calendar import access, feeds
from coord.calendar.feed_links import resolve
from coord.calendar.sources import Scope, ScopeKind

bp = Blueprint("feeds", __name__, url_prefix="/feeds")


@bp.get("/training.ics")
def training_feed():
    feed, last_modified = feeds.rendered_feed(
        Scope(ScopeKind.TRAINING), "fr", lambda: feeds.feed_title(gettext("Training"))
    )
    return feeds.feed_response(feed, last_modified, "formations.ics")


@bp.get("/<token>.ics")
def private_feed(token: str):
    link = resolve(token)
    scope = access.feed_scope(link) if link else None
    if scope is None:
        abort(404)
    person = link.person
    feed, last_modified = feeds.rendered_feed(
        scope, person.preferred_language, lambda: access.feed_name(link)
    )
    return feeds.feed_response(feed, last_modified, "coord.ics")
