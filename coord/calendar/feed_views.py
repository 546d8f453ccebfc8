"""GET /feeds/<token>.ics (private feeds, reached by their secret URL only) and
/feeds/public/<name>.ics (the feeds of public scopes). No session: the calendar's manifest declares
/feeds/ sessionless, so these answers never set a cookie nor vary on one."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import force_locale

from coord.calendar import access, feeds
from coord.calendar.feed_links import resolve
from coord.calendar.registry import scope_type
from coord.calendar.sources import Scope
from coord.i18n import babel_locale

bp = Blueprint("calendar_feeds", __name__, url_prefix="/feeds")
LANGUAGES = ("fr", "en")


@bp.get("/public/<name>.ics")
def public_feed(name: str):
    registered = scope_type(name)
    if registered is None or not registered.public or registered.has_id:
        abort(404)
    language = request.args.get("lang", "fr")
    if language not in LANGUAGES:
        abort(400)
    with force_locale(babel_locale(language)):  # the events are built in it too (titles a source translates)
        return feeds.feed_response(
            Scope(name), language, lambda: feeds.feed_title(registered.label(None, None)), f"{name}.ics"
        )


@bp.get("/<token>.ics")
def private_feed(token: str):
    link = resolve(token)
    choice = access.feed_choice(link) if link else None
    if choice is None:
        abort(404)
    scope = access.scope_of(choice, link.person_id)
    language = link.person.preferred_language
    with force_locale(babel_locale(language)):
        return feeds.feed_response(
            scope, language, lambda: feeds.feed_title(choice.label(language)), "coord.ics"
        )
