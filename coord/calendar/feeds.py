"""Feeds over HTTP: resolve the scope, render (or take from the cache), answer with ETag, 304 and gzip."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response, abort, current_app, request
from flask_babel import force_locale, gettext

from coord.calendar import cache, ical
from coord.calendar.changes import current_generation
from coord.calendar.events import CalendarEvent, redacted
from coord.calendar.sources import Scope, Window, events_for
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.urls import public_url
from coord.extensions import db
from coord.i18n import babel_locale

MAX_PAST_DAYS = 3 * 366
MAX_FUTURE_DAYS = 5 * 366


@dataclass(frozen=True)
class RenderedFeed:
    etag: str
    gzipped: bytes

    def body(self) -> bytes:
        return gzip.decompress(self.gzipped)

    def dump(self) -> bytes:
        return self.etag.encode() + b"\n" + self.gzipped

    @classmethod
    def load(cls, raw: bytes) -> RenderedFeed:
        etag, _, gzipped = raw.partition(b"\n")
        return cls(etag.decode(), gzipped)


def _days(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        abort(400)
    return int(raw)


def requested_window(now: datetime) -> tuple[Window, str]:
    """The window asked for (?past=<days>&future=<days>, defaults from the config), whole local days."""
    past = _days("past", current_app.config["CALENDAR_PAST_DAYS"], 0, MAX_PAST_DAYS)
    future = _days("future", current_app.config["CALENDAR_FUTURE_DAYS"], 1, MAX_FUTURE_DAYS)
    today = now.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    window = Window(today - timedelta(days=past), today + timedelta(days=future + 1))
    return window, f"{today:%Y%m%d}:{past}:{future}"


def feed_events(scope: Scope, window: Window, now: datetime) -> list[CalendarEvent]:
    """The scope's events, redacted, without cancellations older than the keep period."""
    keep = timedelta(days=current_app.config["CALENDAR_CANCELLED_KEEP_DAYS"])
    return [
        redacted(event)
        for event in events_for(scope, window)
        if not (event.is_cancelled and event.last_modified < now - keep)
    ]


def _render(scope: Scope, window: Window, name: str, now: datetime) -> RenderedFeed:
    body = ical.render_feed(feed_events(scope, window, now), name)
    etag = 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return RenderedFeed(etag, gzip.compress(body, compresslevel=6, mtime=0))


def rendered_feed(scope: Scope, language: str, name_for_language) -> tuple[RenderedFeed, datetime]:
    """The feed from the cache when nothing changed since it was rendered; else rendered and cached.

    Only the default window is cached: a window the client chooses (?past=&future=) is rendered for that
    request alone, so no client can fill the cache with keys of its choosing."""
    now = utcnow()
    window, window_key = requested_window(now)
    custom = bool(request.args.get("past") or request.args.get("future"))
    generation, changed_at = current_generation(db.session)
    key = f"{scope.key}:{language}:{window_key}:{generation}:{public_url()}"
    cached = None if custom else cache.get(key)
    if cached is not None:
        feed = RenderedFeed.load(cached)
    else:
        with force_locale(babel_locale(language)):
            feed = _render(scope, window, name_for_language(), now)
        if not custom:
            cache.put(key, feed.dump())
    return feed, (changed_at or now).replace(microsecond=0)


def _not_modified(feed: RenderedFeed, last_modified: datetime) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains_weak(feed.etag.removeprefix("W/").strip('"'))
    since = request.if_modified_since
    return since is not None and since >= last_modified


def feed_response(feed: RenderedFeed, last_modified: datetime, filename: str) -> Response:
    gzip_ok = request.accept_encodings["gzip"] > 0
    if _not_modified(feed, last_modified):
        response = Response(status=304)
    elif gzip_ok:
        response = Response(feed.gzipped)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(feed.body())
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["ETag"] = feed.etag
    response.last_modified = last_modified
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def feed_title(suffix: str) -> str:
    return gettext("SPHÈRES — %(name)s", name=suffix)
