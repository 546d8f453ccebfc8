"""`make bench`: the personal feed of a person with 5,000 events, against bare `icalendar` and against itself.

Prints `# coord feed benchmark (<backend>, <cache> cache)` then one `name: value` line per figure; progress
goes to stderr. The figures are ratios of times measured in the same run (so they compare across
machines); the `_ms` lines are absolute times, for information only. Requests go through the whole WSGI
stack with Flask's test client and send Accept-Encoding: gzip, as calendar clients do.

- feed_first_vs_bare_icalendar: a request with nothing kept at all (no event text, no feed version),
  divided by building the same events with bare `icalendar` (the same properties: the fair baseline below
  writes the very bytes of the feed) and calling `to_ical()`.
- feed_after_change_vs_bare_icalendar: a request right after one of the 5,000 events changed.
- feed_after_unrelated_change_vs_warm: a request right after a meeting outside this feed changed, divided by
  a warm request.
- feed_warm_vs_cold: a request with nothing changed, divided by the first one (nothing kept).
- feed_304_vs_warm: the request with If-None-Match set to the ETag, divided by the warm full answer, over
  HTTP against the gunicorn below (where a 304 saves what it is for: sending the body); without Redis for
  that server, the in-process figure. `feed_304_vs_warm_in_process` is the same through Flask's test client,
  where both answers cost a lookup and neither sends anything (about 1 whatever is done).
- feed_renders_per_change_50_clients: a real gunicorn (4 workers, the feeds kept in Redis) on the same
  database; one event changes, then 50 clients ask for the feed at once: the feed renders counted in Redis.
  The same server gives the `http_*_ms` lines (cold, warm, 304, after a change) and the 50 clients' times.

Times are medians; the measured requests alternate with the baseline builds (or with warm requests) so
that each pair sees the same machine load. One unmeasured request first warms up imports, translations
and SQLAlchemy's statement cache. Also: SQL queries per feed request (after a change, warm, and for a
person with 50 events against the person with 5,000: the count must not grow with the number of events).
"""

from __future__ import annotations

import gzip
import http.client
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from time import perf_counter

import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale, gettext
from icalendar import Calendar, Event, Timezone, vDuration, vRecur, vText, vUri
from sqlalchemy import event as sa_event

from bench import dataset
from bench.scratch import Scratch, cache_prefix, drop_cached_feeds, scratch_app
from coord.calendar import feeds
from coord.calendar.events import CalendarEvent, Status, Visibility
from coord.calendar.feed_links import ensure_link, token
from coord.calendar.sources import PERSON, Scope
from coord.calendar.timezone import TZID, VTIMEZONE_TEXT
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import Person
from coord.extensions import db
from coord.i18n import babel_locale
from coord.meetings.models import Meeting, MeetingGuest

FIRST_RUNS = 5  # nothing kept; each followed by one bare-icalendar build
CHANGE_RUNS = 7  # one event changed; each followed by one bare build
UNRELATED_RUNS = 9  # a meeting elsewhere changed; each followed by one warm request
WARM_RUNS = 40  # each a full answer and a 304, one after the other
CLIENTS = 50
WORKERS = 4
GZIP = {"Accept-Encoding": "gzip"}
ROOT = Path(__file__).resolve().parent.parent
_started = perf_counter()


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(f"[{perf_counter() - _started:7.1f}s] {message}", file=sys.stderr, flush=True)


class QueryCounter:
    """SQL statements sent to the database (every cursor execute on the app's engine)."""

    def __init__(self, engine) -> None:
        self.count = 0
        sa_event.listen(engine, "before_cursor_execute", self._executed)

    def _executed(self, *args) -> None:
        self.count += 1


def ratio(value: float) -> str:
    """Two decimals; two significant digits below 0.1 (0.0013 rather than 0.00)."""
    if value <= 0 or value >= 0.1:
        return f"{value:.2f}"
    return f"{value:.{1 - math.floor(math.log10(value))}f}"


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


# --- the fair baseline: the feed's properties, written with bare icalendar, nothing kept
def _description(event: CalendarEvent, url: str, video: str, details: str) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.video_url:
        parts.append(video.replace("%(url)s", event.video_url))
    parts.append(details.replace("%(url)s", url))
    return "\n\n".join(parts)


def _bare_vevent(event: CalendarEvent, public_url: str, video: str, details: str) -> Event:
    url = public_url + event.url
    component = Event()
    component.add("uid", event.uid)
    component.add("dtstamp", event.last_modified)
    if event.recurrence_id is not None:
        component.add("recurrence-id", event.recurrence_id.astimezone(LOCAL_TZ))
    component.add("dtstart", event.start.astimezone(LOCAL_TZ))
    component.add("dtend", event.end.astimezone(LOCAL_TZ))
    component.add("summary", vText(event.title))
    if event.location:
        component.add("location", vText(event.location))
    component.add("description", vText(_description(event, url, video, details)))
    component.add("url", vUri(url), parameters={"VALUE": "URI"})
    if event.video_url:
        component.add("conference", vUri(event.video_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    component.add("status", event.status.name)
    component.add("sequence", event.sequence)
    if event.created is not None:
        component.add("created", event.created)
    component.add("last-modified", event.last_modified)
    component.add("transp", "TRANSPARENT" if event.status is Status.CANCELLED else "OPAQUE")
    if event.visibility is Visibility.CONFIDENTIAL:
        component.add("class", "CONFIDENTIAL")
    if event.rrule:
        component.add("rrule", vRecur.from_ical(event.rrule))
        if event.exdates:
            component.add("exdate", [instant.astimezone(LOCAL_TZ) for instant in sorted(event.exdates)])
    return component


def bare_icalendar(
    events: list[CalendarEvent], name: str, public_url: str, video: str, details: str
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//SPHERES Montreal//coord//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(hours=1)))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(Timezone.from_ical(VTIMEZONE_TEXT))
    for item in events:
        calendar.add_component(_bare_vevent(item, public_url, video, details))
        for override in item.overrides:
            calendar.add_component(_bare_vevent(override, public_url, video, details))
    return calendar.to_ical()


class Baseline:
    """The big person's feed events as the app builds them (taken once, unmeasured), and the bare build."""

    def __init__(self, app: Flask, person_id: int) -> None:
        with app.test_request_context("/feeds/bench.ics"), force_locale(babel_locale("fr")):
            now = utcnow()
            window, _ = feeds.requested_window(now)
            labels = feeds.ical.Labels.current()
            cutoff = now - timedelta(days=app.config["CALENDAR_CANCELLED_KEEP_DAYS"])
            self.events = feeds.feed_events(
                Scope(PERSON, person_id), window, cutoff, labels.confidential_title
            )
            self.name = feeds.feed_title(gettext("My schedule"))
            self.labels = labels
            db.session.remove()
        self.public_url = app.config["PUBLIC_URL"].rstrip("/")

    def build(self) -> bytes:
        return bare_icalendar(
            self.events, self.name, self.public_url, self.labels.video_link, self.labels.details
        )


# --- the app side
def seed(app: Flask) -> tuple[dataset.DataSet, str, str, int, int]:
    """The data set, the secret feed paths of the big and the small person, a meeting of the big person's
    feed and one outside it."""
    with app.app_context():
        today = utcnow().astimezone(LOCAL_TZ).date()
        first_day = today - timedelta(days=app.config["CALENDAR_PAST_DAYS"]) + timedelta(days=1)
        last_day = today + timedelta(days=app.config["CALENDAR_FUTURE_DAYS"]) - timedelta(days=1)
        stamp = utcnow().replace(microsecond=0) - timedelta(days=10)
        data = dataset.build(first_day, last_day, stamp, app.config["PUBLIC_URL"])
        paths = []
        for person_id in (data.big_person_id, data.small_person_id):
            link = ensure_link(db.session.get(Person, person_id), "person")
            db.session.commit()
            paths.append(f"/feeds/{token(link)}.ics")
        window_start = utcnow() + timedelta(days=1)
        guest_of_big = sa.select(MeetingGuest.meeting_id).where(
            MeetingGuest.person_id == data.big_person_id, MeetingGuest.meeting_id.is_not(None)
        )
        published = (
            Meeting.published_at.is_not(None),
            Meeting.series_id.is_(None),
            Meeting.starts_at > window_start,
        )
        inside = db.session.scalar(
            sa.select(Meeting.id).where(Meeting.id.in_(guest_of_big), *published).limit(1)
        )
        outside = db.session.scalar(
            sa.select(Meeting.id)
            .where(
                Meeting.id.not_in(guest_of_big),
                Meeting.committee_id > dataset.COMMITTEES_PER_REGION,
                *published,
            )
            .limit(1)
        )
        db.session.remove()
    return data, paths[0], paths[1], inside, outside


class Changes:
    """Changes one meeting's place through the ORM (its row's change stamp moves, as any edit's does)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.n = 0

    def __call__(self, meeting_id: int) -> None:
        self.n += 1
        with self.app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            meeting.location = f"Salle {self.n} du 1560 rue Sherbrooke Est"
            db.session.commit()
            db.session.remove()


def forget_everything(scratch: Scratch) -> None:
    """Nothing kept: no event text, no feed version (in-process, or this run's Redis keys)."""
    scratch.app.extensions.pop("coord_feed_cache", None)
    if scratch.config.get("REDIS_URL"):
        drop_cached_feeds(scratch.config["REDIS_URL"], scratch.marker)


class Feed:
    def __init__(self, app: Flask, counter: QueryCounter) -> None:
        self.client = app.test_client()
        self.counter = counter

    def get(self, path: str, headers: dict, expect: int = 200) -> tuple[float, int, object]:
        """(seconds, SQL queries, response) for one request, the whole body read."""
        self.counter.count = 0
        start = perf_counter()
        response = self.client.get(path, headers=headers)
        response.get_data()
        elapsed = perf_counter() - start
        if response.status_code != expect:
            raise BenchError(f"GET {path[:16]}…: {response.status_code}, expected {expect}")
        return elapsed, self.counter.count, response


def body_of(response) -> bytes:
    data = response.get_data()
    return gzip.decompress(data) if response.headers.get("Content-Encoding") == "gzip" else data


def check_events(body: bytes, expected: int, who: str) -> bytes:
    found = body.count(b"BEGIN:VEVENT") - body.count(b"RECURRENCE-ID")
    if found != expected:
        raise BenchError(f"the feed of {who} holds {found} events, expected {expected}")
    return body


def measure(scratch: Scratch, data: dataset.DataSet, big: str, small: str, inside: int, outside: int) -> dict:
    app = scratch.app
    with app.app_context():
        counter = QueryCounter(db.engine)
    feed, change = Feed(app, counter), Changes(app)
    big_feed = "the 5,000-event person"

    log("first request (unmeasured: imports, translations, statement cache)")
    body = body_of(feed.get(big, GZIP)[2])
    check_events(body, dataset.BIG_FEED, big_feed)
    baseline = Baseline(app, data.big_person_id)
    bare_body = baseline.build()
    if bare_body != body:
        raise BenchError("the bare-icalendar baseline does not write the feed's bytes: not a fair baseline")

    log(f"nothing kept, and bare icalendar, interleaved, x{FIRST_RUNS}")
    first, bare = [], []
    for _ in range(FIRST_RUNS):
        forget_everything(scratch)
        first.append(feed.get(big, GZIP)[0])
        start = perf_counter()
        baseline.build()
        bare.append(perf_counter() - start)

    log(f"one event of the feed changed, and bare icalendar, interleaved, x{CHANGE_RUNS}")
    after_change, change_queries = [], []
    for _ in range(CHANGE_RUNS):
        change(inside)
        seconds, queries, response = feed.get(big, GZIP)
        after_change.append(seconds)
        change_queries.append(queries)
        start = perf_counter()
        baseline.build()
        bare.append(perf_counter() - start)
    if f"Salle {change.n} du 1560".encode() not in body_of(response):
        raise BenchError("the change does not show in the feed")

    log(f"a meeting elsewhere changed, and warm requests, interleaved, x{UNRELATED_RUNS}")
    unrelated, warm = [], []
    for _ in range(UNRELATED_RUNS):
        change(outside)
        unrelated.append(feed.get(big, GZIP)[0])
        warm.append(feed.get(big, GZIP)[0])

    log(f"warm requests and 304 answers, interleaved, x{WARM_RUNS}")
    warm_queries, not_modified = [], []
    etag = feed.get(big, GZIP)[2].headers["ETag"]
    for _ in range(WARM_RUNS):
        seconds, queries, response = feed.get(big, GZIP)
        warm.append(seconds)
        warm_queries.append(queries)
        if response.headers["ETag"] != etag:
            raise BenchError("the ETag changed though nothing did")
        seconds, _, response = feed.get(big, {**GZIP, "If-None-Match": etag}, expect=304)
        not_modified.append(seconds)
        if response.get_data():
            raise BenchError("a 304 answer with a body")
    body = check_events(body_of(feed.get(big, GZIP)[2]), dataset.BIG_FEED, f"{big_feed} (warm)")

    log("after a change, for the 50-event person and the 5,000-event one (SQL queries)")
    change(inside)
    _, small_queries, response = feed.get(small, GZIP)
    check_events(body_of(response), dataset.SMALL_FEED, "the 50-event person")
    _, big_queries, _ = feed.get(big, GZIP)

    first_s, change_s, bare_s = map(statistics.median, (first, after_change, bare))
    unrelated_s, warm_s, not_modified_s = map(statistics.median, (unrelated, warm, not_modified))
    if small_queries != big_queries:
        log(f"WARNING: SQL queries per feed grow with events: {small_queries} (50), {big_queries} (5,000)")
    return {
        "people": str(data.people),
        "events_total": str(data.events_total),
        "feed_events": str(body.count(b"BEGIN:VEVENT")),
        "feed_first_vs_bare_icalendar": ratio(first_s / bare_s),
        "feed_after_change_vs_bare_icalendar": ratio(change_s / bare_s),
        "feed_after_unrelated_change_vs_warm": ratio(unrelated_s / warm_s),
        "feed_warm_vs_cold": ratio(warm_s / first_s),
        "feed_304_vs_warm": ratio(not_modified_s / warm_s),  # replaced by the HTTP figure when there is one
        "feed_304_vs_warm_in_process": ratio(not_modified_s / warm_s),
        "sql_queries_per_feed_after_change": str(max(change_queries)),
        "sql_queries_per_feed_warm": str(max(warm_queries)),
        "sql_queries_per_feed_50_events": str(small_queries),
        "sql_queries_per_feed_5000_events": str(big_queries),
        "feed_bytes": str(len(body)),
        "bare_icalendar_bytes": str(len(bare_body)),
        "feed_first_ms": milliseconds(first_s),
        "feed_after_change_ms": milliseconds(change_s),
        "feed_after_unrelated_change_ms": milliseconds(unrelated_s),
        "feed_warm_ms": milliseconds(warm_s),
        "feed_304_ms": milliseconds(not_modified_s),
        "bare_icalendar_ms": milliseconds(bare_s),
    }


# --- a real server: gunicorn, 4 workers, feeds kept in Redis
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_redis() -> str | None:
    import redis

    url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
        return url
    except (redis.RedisError, OSError):
        return None
    finally:
        client.close()


class Server:
    """gunicorn serving the scratch database (bench.server:app()), feeds kept in `redis_url`."""

    def __init__(self, scratch: Scratch, redis_url: str) -> None:
        self.port = _free_port()
        config = {**scratch.config, "REDIS_URL": redis_url}
        self.log = scratch.tmp / "gunicorn.log"
        env = {**os.environ, "BENCH_SERVER_CONFIG": json.dumps(config)}
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, our own arguments)
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--error-logfile",
                str(self.log),
                "bench.server:app()",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[1] == 200:
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise BenchError(f"gunicorn did not start (see {self.log}): {self.log.read_text()[-2000:]}")

    def get(self, path: str, headers: dict | None = None) -> tuple[float, int, bytes, dict]:
        """(seconds, status, body, headers): a new connection per request, as polling clients do."""
        start = perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path, headers={**GZIP, **(headers or {})})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        return perf_counter() - start, response.status, body, dict(response.getheaders())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _renders(redis_url: str, marker: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return int(client.get(cache_prefix(marker) + "stats:renders") or 0)
    finally:
        client.close()


def over_http(scratch: Scratch, big: str, small: str, inside: int) -> dict:
    redis_url = _server_redis()
    if redis_url is None:
        log("no Redis (BENCH_REDIS_URL, REDIS_URL or redis://127.0.0.1:6379/0): no gunicorn figures")
        return {"feed_renders_per_change_50_clients": "n/a (no Redis)"}
    log(f"gunicorn, {WORKERS} workers, feeds kept in Redis")
    drop_cached_feeds(redis_url, scratch.marker)
    server, change = Server(scratch, redis_url), Changes(scratch.app)
    try:
        for _ in range(4 * WORKERS):  # every worker's imports and statement cache
            server.get(small)
        cold, warm, not_modified, after_change = [], [], [], []
        for _ in range(5):
            drop_cached_feeds(redis_url, scratch.marker)
            cold.append(server.get(big)[0])
        etag = server.get(big)[3]["ETag"]
        for _ in range(20):
            warm.append(server.get(big)[0])
            seconds, status, _, _ = server.get(big, {"If-None-Match": etag})
            if status != 304:
                raise BenchError(f"a conditional request over HTTP answered {status}")
            not_modified.append(seconds)
        for _ in range(5):
            change(inside)
            after_change.append(server.get(big)[0])

        log(f"{CLIENTS} clients at once right after a change")
        change(inside)
        before = _renders(redis_url, scratch.marker)
        times: list[float] = []
        statuses: list[int] = []
        start = threading.Barrier(CLIENTS)

        def client() -> None:
            start.wait(timeout=60)
            seconds, status, _, _ = server.get(big)
            times.append(seconds)
            statuses.append(status)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        renders = _renders(redis_url, scratch.marker) - before
        if statuses.count(200) != CLIENTS:
            raise BenchError(f"{CLIENTS} clients: answers {sorted(set(statuses))}")
    finally:
        server.stop()
        drop_cached_feeds(redis_url, scratch.marker)
    times.sort()
    return {
        "feed_renders_per_change_50_clients": str(renders),
        "http_cold_ms": milliseconds(statistics.median(cold)),
        "http_warm_ms": milliseconds(statistics.median(warm)),
        "http_304_ms": milliseconds(statistics.median(not_modified)),
        "http_304_vs_warm": ratio(statistics.median(not_modified) / statistics.median(warm)),
        "http_after_change_ms": milliseconds(statistics.median(after_change)),
        "http_50_clients_p95_ms": milliseconds(times[int(0.95 * (len(times) - 1))]),
        "http_50_clients_max_ms": milliseconds(times[-1]),
    }


def main() -> int:
    try:
        with scratch_app() as scratch:
            print(f"# coord feed benchmark ({scratch.backend}, {scratch.cache} cache)", flush=True)
            log(f"seeding a {scratch.backend} scratch database")
            start = perf_counter()
            data, big, small, inside, outside = seed(scratch.app)
            seeded = perf_counter() - start
            log(f"seeded {data.rows:,} rows in {seeded:.1f}s")
            figures = measure(scratch, data, big, small, inside, outside)
            figures.update(over_http(scratch, big, small, inside))
            if figures.get("http_304_vs_warm", "n/a") != "n/a":
                figures["feed_304_vs_warm"] = figures["http_304_vs_warm"]
            figures["seed_ms"] = milliseconds(seeded)
    except BenchError as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        return 1
    for name, value in figures.items():
        print(f"{name}: {value}")
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
