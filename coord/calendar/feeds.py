"""Feeds over HTTP: resolve the scope, find the current version (or render it), answer with ETag, 304, gzip.

A feed is the header and VTIMEZONE, then each event's text, then END:VCALENDAR; icalendar writes every piece.
Each event's text is kept (coord.calendar.cache) under a digest of the redacted event itself with what its
text depends on (language, public address, translated labels), so it is rendered once per version and
shared by every feed that shows it. A feed's version is found without building its events: its key is a
digest of the scope, language, window (and its day), name and the generations of the scopes it follows,
read in one query (coord.calendar.changes; a source without `follows` adds its fingerprint). Its ETag
and Last-Modified are kept apart from its body, so a 304 reads no body.
One render per feed at a time (cache.once): the others wait for it, never serve the previous version.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response, abort, current_app, request
from flask_babel import force_locale, gettext

from coord.calendar import cache, ical
from coord.calendar.changes import generations
from coord.calendar.events import CalendarEvent, redacted
from coord.calendar.sources import Scope, Window, events_for, followed_and_fingerprints
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.urls import public_url
from coord.extensions import db
from coord.i18n import babel_locale

MAX_PAST_DAYS = 3 * 366
MAX_FUTURE_DAYS = 5 * 366
FORMAT = "3"  # part of every key: raise it when the way events are written changes


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:40]


@dataclass(frozen=True)
class FeedVersion:
    """One version of a feed: what a conditional request needs, and where its (gzipped) body is kept."""

    etag: str
    last_modified: datetime
    body_key: str
    gzipped: bytes | None = None  # at hand when just rendered

    def dump(self) -> bytes:
        return json.dumps([self.etag, self.last_modified.isoformat(), self.body_key]).encode()

    @classmethod
    def load(cls, raw: bytes) -> FeedVersion:
        etag, last_modified, body_key = json.loads(raw)
        return cls(etag, datetime.fromisoformat(last_modified), body_key)


@dataclass(frozen=True)
class FeedRequest:
    scope: Scope
    window: Window
    window_key: str
    now: datetime
    name: str
    labels: ical.Labels
    context: str  # what an event's text depends on besides the event: language, address, labels
    feed_id: str  # this feed, whatever its version

    @property
    def cancelled_before(self) -> datetime:
        """Cancellations older than this leave feeds (a kept version may keep one until the next day's)."""
        return self.now - timedelta(days=current_app.config["CALENDAR_CANCELLED_KEEP_DAYS"])


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


def feed_events(scope: Scope, window: Window, cancelled_before: datetime, title: str) -> list[CalendarEvent]:
    """The scope's events, redacted (with `title`, the confidential title in the feed's language), without
    cancellations older than the keep period."""
    return [
        redacted(event, title)
        for event in events_for(scope, window)
        if not (event.is_cancelled and event.last_modified < cancelled_before)
    ]


def _version(event: CalendarEvent) -> str:
    # the title as redacted for a confidential event: what redaction changes shows here
    return (
        f"{event.uid}\x1f{event.url}\x1f{event.sequence}\x1f{event.last_modified}\x1f{event.status}"
        f"\x1f{event.visibility}\x1f{event.title}\x1f{event.recurrence_id}\x1e"
    )


def event_key(context: str, event: CalendarEvent) -> str:
    """The kept text's key: the event's identity and version (UID, SEQUENCE, LAST-MODIFIED, status,
    visibility and title as redacted), its overrides' and exceptions', and `context` (language, public
    address, translated labels). Sources move LAST-MODIFIED with every change of what an event shows (it is
    the row's change stamp), so a new version gets a new key."""
    text = context + _version(event)
    if event.overrides:
        text += "".join(map(_version, event.overrides))
    if event.exdates:
        text += "\x1f".join(map(str, event.exdates))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _assemble(feed: FeedRequest) -> bytes:
    """The feed's text: kept event texts, and the missing ones rendered (and kept)."""
    events = feed_events(feed.scope, feed.window, feed.cancelled_before, feed.labels.confidential_title)
    keys = [event_key(feed.context, event) for event in events]
    texts = cache.get_many("event", keys)
    rendered = {}
    for index, text in enumerate(texts):
        if text is None:
            texts[index] = rendered[keys[index]] = ical.event_text(events[index], feed.labels)
    cache.put_many("event", rendered)
    cache.count_render(len(rendered))
    return ical.feed_head(feed.name) + b"".join(texts) + ical.FEED_END


def _etag(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _compress(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


def _render(feed: FeedRequest, key: str | None) -> FeedVersion:
    """Assemble the feed, keep its body (unless that very body is kept already) and its version under
    `key`. Last-Modified moves only when the ETag does."""
    body = _assemble(feed)
    etag = _etag(body)
    body_key = _digest(feed.feed_id, etag)
    gzipped = None
    if not cache.has("body", body_key):
        gzipped = _compress(body)
        cache.put("body", body_key, gzipped)
    last = cache.get("last", feed.feed_id)
    last_etag, _, stamp = last.decode().partition(" ") if last else ("", "", "")
    if last_etag == etag:
        last_modified = datetime.fromisoformat(stamp)
    else:
        last_modified = feed.now.replace(microsecond=0)
        cache.put("last", feed.feed_id, f"{etag} {last_modified.isoformat()}".encode())
    version = FeedVersion(etag, last_modified, body_key, gzipped)
    if key is not None:
        cache.put("meta", key, version.dump())
    return version


def _kept(key: str) -> FeedVersion | None:
    raw = cache.get("meta", key)
    return FeedVersion.load(raw) if raw is not None else None


def _custom(feed: FeedRequest) -> FeedVersion:
    """A window the client chose: rendered for this request alone (kept event texts used and kept, since
    their keys are the events', but no feed key of the client's choosing)."""
    body = _assemble(feed)
    return FeedVersion(_etag(body), feed.now.replace(microsecond=0), "", _compress(body))


def current_version(
    scope: Scope, language: str, name_for_language: Callable[[], str]
) -> tuple[FeedVersion, FeedRequest, str | None]:
    """The feed's current version (rendered when missing, once at a time), the request, and its key."""
    now = utcnow()
    window, window_key = requested_window(now)
    with force_locale(babel_locale(language)):
        name = name_for_language()
        labels = ical.Labels.current()
    context = _digest(FORMAT, language, public_url(), labels)
    feed = FeedRequest(
        scope, window, window_key, now, name, labels, context, _digest(context, scope.key, window_key, name)
    )
    if request.args.get("past") or request.args.get("future"):
        return _custom(feed), feed, None
    found = followed_and_fingerprints(scope, window)
    if found is None:  # a source that can say neither: build the events, render only what changed
        return _render(feed, None), feed, None
    followed, fingerprints = found
    key = _digest(feed.feed_id, generations(db.session, followed), *fingerprints)
    version = _kept(key)
    if version is None:
        version = cache.once(feed.feed_id, lambda: _kept(key), lambda: _render(feed, key))
    return version, feed, key


def _body(version: FeedVersion, feed: FeedRequest, key: str | None) -> bytes:
    """The gzipped body: at hand, kept, or (evicted) rendered again."""
    if version.gzipped is not None:
        return version.gzipped
    kept = cache.get("body", version.body_key)
    if kept is not None:
        return kept
    kept_again = lambda: version if cache.has("body", version.body_key) else None  # noqa: E731
    again = cache.once(feed.feed_id, kept_again, lambda: _render(feed, key))
    return again.gzipped or cache.get("body", again.body_key) or b""


def _not_modified(etag: str, last_modified: datetime) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag.removeprefix("W/").strip('"'))
    since = request.if_modified_since
    return since is not None and since >= last_modified


def feed_response(
    scope: Scope, language: str, name_for_language: Callable[[], str], filename: str
) -> Response:
    """The feed's answer: 304 from its version alone, else its body (gzipped when the client takes it)."""
    version, feed, key = current_version(scope, language, name_for_language)
    if _not_modified(version.etag, version.last_modified):
        response = Response(status=304)
    elif request.accept_encodings["gzip"] > 0:
        response = Response(_body(version, feed, key))
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(gzip.decompress(_body(version, feed, key)))
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["ETag"] = version.etag
    response.last_modified = version.last_modified
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def feed_title(suffix: str) -> str:
    return gettext("SPHÈRES — %(name)s", name=suffix)
