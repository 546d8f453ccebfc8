"""`make bench`: the personal feed of a person with 5,000 events, measured against bare `icalendar`.

Prints `# coord feed benchmark (<backend>, <cache> cache)` then one `name: value` line per figure; progress
goes to stderr. The figures are ratios of times measured in the same run (so they compare across
machines); the `_ms` lines are the absolute times, for information only.

- feed_vs_bare_icalendar: a cold feed request (through the whole WSGI stack, with Flask's test client)
  divided by building the same 5,000 events with bare `icalendar` in-process and calling `to_ical()`.
- feed_warm_vs_cold: the same request repeated with nothing changed, divided by the cold one.
- feed_304_vs_full: the request with If-None-Match set to the ETag, divided by the (warm) full answer.

"Cold" is the first request after a change: before each cold request the calendar generation is raised
and committed (what any edit to a meeting, a guest list or a membership does), so the request misses the
feed cache and loads, renders, hashes and compresses the feed. One unmeasured request first warms up
imports, translations and SQLAlchemy's statement cache. Times are medians of several runs; cold requests
alternate with bare builds, and full answers with 304s, so that each pair sees the same machine load.
The requests send Accept-Encoding: gzip, as calendar clients do.

Also: SQL queries per feed request (cold, warm, and cold for a person with 50 events against the person
with 5,000: the count must not grow with the number of events), the feed's size and the data set's.
"""

from __future__ import annotations

import gzip
import math
import statistics
import sys
from datetime import timedelta
from time import perf_counter

from flask import Flask
from icalendar import Calendar, Event
from sqlalchemy import event as sa_event

from bench import dataset
from bench.scratch import scratch_app
from coord.calendar import changes, feed_links
from coord.calendar.changes import current_generation
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import Person
from coord.extensions import db

COLD_RUNS = 7  # each followed by one bare-icalendar build, so both see the same machine load
WARM_RUNS = 40  # each a full answer and a 304, one after the other
GZIP = {"Accept-Encoding": "gzip"}
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


# --- the baseline
def bare_icalendar(events: list[dataset.BareEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//coord bench//bare icalendar//FR")
    calendar.add("version", "2.0")
    for item in events:
        component = Event()
        component.add("uid", item.uid)
        component.add("dtstamp", item.last_modified)
        component.add("dtstart", item.start.astimezone(LOCAL_TZ))
        component.add("dtend", item.end.astimezone(LOCAL_TZ))
        component.add("summary", item.title)
        component.add("location", item.location)
        component.add("url", item.url)
        component.add("status", item.status)
        component.add("sequence", item.sequence)
        calendar.add_component(component)
    return calendar.to_ical()


# --- the app side
def seed(app: Flask) -> tuple[dataset.DataSet, str, str]:
    """The data set, and the secret feed paths of the big and the small person."""
    with app.app_context():
        today = utcnow().astimezone(LOCAL_TZ).date()
        first_day = today - timedelta(days=app.config["CALENDAR_PAST_DAYS"]) + timedelta(days=1)
        last_day = today + timedelta(days=app.config["CALENDAR_FUTURE_DAYS"]) - timedelta(days=1)
        stamp = utcnow().replace(microsecond=0) - timedelta(days=10)
        data = dataset.build(first_day, last_day, stamp, app.config["PUBLIC_URL"])
        paths = []
        for person_id in (data.big_person_id, data.small_person_id):
            link = feed_links.ensure_link(db.session.get(Person, person_id), "person")
            db.session.commit()
            paths.append(f"/feeds/{feed_links.token(link)}.ics")
        db.session.remove()
    return data, paths[0], paths[1]


def raise_generation(app: Flask, person_id: int) -> None:
    """An edit elsewhere (a bystander's meeting, say) raises the calendar generation: the next feed request
    misses the cache. Raised here directly, in its own commit, as the change-tracking listener does."""
    with app.app_context():
        before, _ = current_generation(db.session)
        changes.raise_generation(db.session)
        db.session.commit()
        after, _ = current_generation(db.session)
        db.session.remove()
    if after <= before:
        raise BenchError("the calendar generation did not rise: 'cold' would be warm")


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


def check_events(response, expected: int, who: str) -> bytes:
    body = body_of(response)
    found = body.count(b"BEGIN:VEVENT")
    if found != expected:
        raise BenchError(f"the feed of {who} holds {found} VEVENTs, expected {expected}")
    return body


def measure(app: Flask, data: dataset.DataSet, big: str, small: str) -> dict[str, str]:
    with app.app_context():
        counter = QueryCounter(db.engine)
    feed = Feed(app, counter)

    log("first request (unmeasured: imports, translations, statement cache)")
    _, _, response = feed.get(big, GZIP)
    check_events(response, dataset.BIG_FEED, "the 5,000-event person")

    if len(data.big_events) != dataset.BIG_FEED:
        raise BenchError(f"{len(data.big_events)} baseline events, expected {dataset.BIG_FEED}")
    log(f"cold requests and bare icalendar, interleaved, x{COLD_RUNS}")
    cold, cold_queries, bare = [], [], []
    for _ in range(COLD_RUNS):
        raise_generation(app, data.touch_person_id)
        seconds, queries, response = feed.get(big, GZIP)
        cold.append(seconds)
        cold_queries.append(queries)
        start = perf_counter()
        text = bare_icalendar(data.big_events)
        bare.append(perf_counter() - start)
    if text.count(b"BEGIN:VEVENT") != dataset.BIG_FEED:
        raise BenchError("the bare icalendar baseline lost events")
    body = check_events(response, dataset.BIG_FEED, "the 5,000-event person")
    gzipped = len(response.get_data())
    etag = response.headers["ETag"]

    log(f"warm requests and 304 answers, interleaved, x{WARM_RUNS}")
    warm, warm_queries, not_modified = [], [], []
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
    check_events(feed.get(big, GZIP)[2], dataset.BIG_FEED, "the 5,000-event person (warm)")

    log("cold request for the 50-event person")
    raise_generation(app, data.touch_person_id)
    _, small_queries, response = feed.get(small, GZIP)
    check_events(response, dataset.SMALL_FEED, "the 50-event person")
    raise_generation(app, data.touch_person_id)
    _, big_queries, _ = feed.get(big, GZIP)

    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    not_modified_s, bare_s = statistics.median(not_modified), statistics.median(bare)
    if small_queries != big_queries:
        log(f"WARNING: SQL queries per feed grow with events: {small_queries} (50), {big_queries} (5,000)")
    return {
        "people": str(data.people),
        "events_total": str(data.events_total),
        "feed_events": str(body.count(b"BEGIN:VEVENT")),
        "feed_vs_bare_icalendar": ratio(cold_s / bare_s),
        "feed_warm_vs_cold": ratio(warm_s / cold_s),
        "feed_304_vs_full": ratio(not_modified_s / warm_s),
        "sql_queries_per_feed_cold": str(max(cold_queries)),
        "sql_queries_per_feed_warm": str(max(warm_queries)),
        "sql_queries_per_feed_50_events": str(small_queries),
        "sql_queries_per_feed_5000_events": str(big_queries),
        "feed_bytes": str(len(body)),
        "feed_gzip_bytes": str(gzipped),
        "feed_cold_ms": milliseconds(cold_s),
        "feed_warm_ms": milliseconds(warm_s),
        "feed_304_ms": milliseconds(not_modified_s),
        "bare_icalendar_ms": milliseconds(bare_s),
    }


def main() -> int:
    try:
        with scratch_app() as scratch:
            print(f"# coord feed benchmark ({scratch.backend}, {scratch.cache} cache)", flush=True)
            log(f"seeding a {scratch.backend} scratch database")
            start = perf_counter()
            data, big, small = seed(scratch.app)
            seeded = perf_counter() - start
            log(f"seeded {data.rows:,} rows in {seeded:.1f}s")
            figures = measure(scratch.app, data, big, small)
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
