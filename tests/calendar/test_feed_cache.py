"""Feeds that stay fast when people change things: each event rendered once per version, keys per feed,
one render at a time, 304 without the body, no session. Counted, never timed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coord.calendar import cache, feeds, ical
from coord.calendar.registry import registry
from coord.calendar.sources import PERSON, Scope, Window, events_for
from coord.core.localtime import utcnow
from coord.directory.models import CommitteeMembership
from coord.extensions import db
from coord.meetings import meeting_services as services
from coord.meetings.models import Meeting, MeetingGuest
from tests.calendar.factories import committee_with_people, feed_path, meeting_of, person, single_meeting
from tests.calendar.independent_parsers import all_readers_agree
from tests.directory.factories import email_of, make_person
from tests.support import logged_in

EVENTS = 200


def add_meetings(app, committee: int, count: int = EVENTS) -> list[int]:
    """Published meetings of the committee, inserted in bulk over the next weeks."""
    with app.app_context():
        now = datetime.now(UTC).replace(microsecond=0)
        start = now + timedelta(days=1)
        rows = [
            {
                "committee_id": committee,
                "title": f"Rencontre {n}",
                "starts_at": start + timedelta(hours=3 * n),
                "ends_at": start + timedelta(hours=3 * n, minutes=45),
                "published_at": now,
                "status": "planned",
                "sequence": 0,
                "location": "Salle 2.14",
                "video_url": "https://meet.example/x" if n % 2 else "",
                "notes": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(count)
        ]
        first = (db.session.scalar(sa.select(sa.func.max(Meeting.id))) or 0) + 1
        db.session.execute(sa.insert(Meeting), rows)
        db.session.commit()
        return db.session.scalars(sa.select(Meeting.id).where(Meeting.id >= first)).all()


class Renders:
    """Counts the events icalendar renders (ical.event_text) while it is installed."""

    def __init__(self, monkeypatch, pause: threading.Event | None = None) -> None:
        self.count = 0
        self.pause = pause
        original = ical.event_text

        def counted(event, labels):
            if self.pause is not None:
                self.pause.wait(timeout=30)  # hold the render until every request has arrived
            self.count += 1
            return original(event, labels)

        monkeypatch.setattr(ical, "event_text", counted)


def move(app, who: int, meeting_id: int, place: str) -> None:
    with app.app_context():
        meeting = meeting_of(meeting_id)
        data = services.MeetingData(meeting.title, meeting.starts_at, meeting.ends_at, place)
        services.update_meeting(person(who), meeting_id, data)


def feed_key(app, person_id: int) -> str:
    with app.test_request_context("/feeds/x.ics"):
        return feeds.current_version(Scope(PERSON, person_id), "fr", lambda: "SPHÈRES")[2]


def test_a_feed_is_the_bytes_one_icalendar_rendering_writes(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    add_meetings(app, committee, 20)
    body = client.get(feed_path(app, member)).data
    with app.test_request_context("/feeds/x.ics"), force_locale("fr_CA"):
        now = utcnow()
        window, _ = feeds.requested_window(now)
        events = feeds.feed_events(Scope(PERSON, member), window, now - timedelta(days=30), None)
        whole = ical.render_feed(events, feeds.feed_title("Mon horaire"))
    assert body == whole
    assert len(all_readers_agree(body.decode(), now - timedelta(days=1), now + timedelta(days=60))) == 20


def test_a_change_renders_one_event_not_all_of_them(app, client, monkeypatch):
    committee, coordinator, (member, other) = committee_with_people(app)
    ids = add_meetings(app, committee)
    renders = Renders(monkeypatch)
    path = feed_path(app, member)
    first = client.get(path)
    assert renders.count == EVENTS
    assert client.get(feed_path(app, other)).status_code == 200
    assert renders.count == EVENTS  # the same events in another person's feed: their texts are kept

    move(app, coordinator, ids[7], "Nouveau lieu, salle 3")
    second = client.get(path)
    assert renders.count == EVENTS + 1
    assert second.headers["ETag"] != first.headers["ETag"]
    assert b"Nouveau lieu" in second.data and second.data.count(b"BEGIN:VEVENT") == EVENTS


def test_an_unrelated_change_leaves_the_feed_key_unchanged(app, client, monkeypatch):
    committee, coordinator, (member, _) = committee_with_people(app)
    other_committee, other_coordinator, (stranger, _) = committee_with_people(app)
    add_meetings(app, committee, 10)
    elsewhere = add_meetings(app, other_committee, 1)[0]
    path = feed_path(app, member)
    first = client.get(path)
    key = feed_key(app, member)
    renders = Renders(monkeypatch)
    before = _feed_renders(app)

    move(app, other_coordinator, elsewhere, "Ailleurs")  # a meeting outside this feed
    with app.app_context():  # someone else joins another committee
        db.session.add(CommitteeMembership(person_id=make_person(app), committee_id=other_committee))
        db.session.commit()
    assert feed_key(app, member) == key
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert renders.count == 0 and _feed_renders(app) == before

    move(app, coordinator, add_meetings(app, committee, 1)[0], "Ici")  # one of its own
    assert feed_key(app, member) != key


def _feed_renders(app) -> int:
    with app.app_context():
        return cache.render_counts()[0]


def test_membership_and_guest_changes_reach_the_feed_at_once(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    other_committee, other_coordinator, _ = committee_with_people(app)
    theirs = add_meetings(app, other_committee, 3)
    path = feed_path(app, member)
    assert b"BEGIN:VEVENT" not in client.get(path).data

    with app.app_context():  # joins the other committee: its meetings, no row of them changed
        db.session.add(CommitteeMembership(person_id=member, committee_id=other_committee))
        db.session.commit()
    assert client.get(path).data.count(b"BEGIN:VEVENT") == 3

    with app.app_context():
        db.session.delete(
            db.session.scalar(
                sa.select(CommitteeMembership).where(
                    CommitteeMembership.person_id == member,
                    CommitteeMembership.committee_id == other_committee,
                )
            )
        )
        db.session.add(MeetingGuest(meeting_id=theirs[0], person_id=member))  # but a guest of one
        db.session.commit()
    body = client.get(path).data
    assert body.count(b"BEGIN:VEVENT") == 1 and f"meeting-{theirs[0]}@".encode() in body


def _concurrent_requests_render_once(app, monkeypatch, clients: int = 6) -> None:
    committee, coordinator, (member, _) = committee_with_people(app)
    ids = add_meetings(app, committee, 5)
    path = feed_path(app, member)
    assert app.test_client().get(path).status_code == 200
    move(app, coordinator, ids[0], "Nouveau lieu")
    before = _feed_renders(app)
    arrived = threading.Event()
    Renders(monkeypatch, pause=arrived)
    start = threading.Barrier(clients)
    answers = []

    def poll() -> None:
        client = app.test_client()
        start.wait(timeout=30)
        answers.append(client.get(path))

    threads = [threading.Thread(target=poll) for _ in range(clients)]
    for thread in threads:
        thread.start()
    _wait_for_entries(app, clients)
    arrived.set()
    for thread in threads:
        thread.join(timeout=60)
    assert [answer.status_code for answer in answers] == [200] * clients
    assert len({answer.data for answer in answers}) == 1 and b"Nouveau lieu" in answers[0].data
    assert _feed_renders(app) - before == 1


def _wait_for_entries(app, clients: int) -> None:
    """Until every request has missed the kept version and asked for the render (the first one holds it,
    paused: the others wait for it)."""
    import time

    deadline = time.monotonic() + 30  # a bound on waiting, not a measured time
    while time.monotonic() < deadline and app.extensions.get("test_feed_entries", 0) < clients:
        time.sleep(0.01)


@pytest.fixture
def count_entries(monkeypatch):
    """Counts the requests that ask cache.once for a render."""
    original = cache.once
    lock = threading.Lock()

    def once(name, ready, build):
        from flask import current_app

        app = current_app._get_current_object()
        with lock:
            app.extensions["test_feed_entries"] = app.extensions.get("test_feed_entries", 0) + 1
        return original(name, ready, build)

    monkeypatch.setattr(cache, "once", once)


@pytest.mark.redis
def test_concurrent_requests_after_a_change_render_once_with_redis(
    make_app, redis_url, monkeypatch, count_entries
):
    _concurrent_requests_render_once(make_app(REDIS_URL=redis_url), monkeypatch)


def test_concurrent_requests_after_a_change_render_once_in_process(app, monkeypatch, count_entries):
    _concurrent_requests_render_once(app, monkeypatch)


class BodyReads:
    """The kinds of kept entries read (cache.get / cache.get_many) while installed."""

    def __init__(self, monkeypatch) -> None:
        self.kinds: list[str] = []
        get, get_many = cache.get, cache.get_many

        def counted_get(kind, key):
            self.kinds.append(kind)
            return get(kind, key)

        def counted_get_many(kind, keys):
            self.kinds.append(kind)
            return get_many(kind, keys)

        monkeypatch.setattr(cache, "get", counted_get)
        monkeypatch.setattr(cache, "get_many", counted_get_many)


def _a_304_reads_no_body(app, monkeypatch) -> None:
    client = app.test_client()
    committee, coordinator, (member, _) = committee_with_people(app)
    add_meetings(app, committee, 5)
    path = feed_path(app, member)
    etag = client.get(path).headers["ETag"]
    assert client.get(path).status_code == 200  # the body, from the cache
    reads = BodyReads(monkeypatch)
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert reads.kinds == ["meta"]
    full = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert full.status_code == 200 and reads.kinds == ["meta", "meta", "body"]


@pytest.mark.redis
def test_a_304_reads_no_body_with_redis(make_app, redis_url, monkeypatch):
    import redis

    app = make_app(REDIS_URL=redis_url)
    _a_304_reads_no_body(app, monkeypatch)
    store = redis.Redis.from_url(redis_url)
    try:  # the bodies gone: a 304 all the same; a full answer renders again
        store.delete(*store.keys("coord:feed:body:*"))
        client = app.test_client()
        path = feed_path(app, db_person(app))
        etag = client.get(path).headers["ETag"]
        store.delete(*store.keys("coord:feed:body:*"))
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        full = client.get(path)
        assert full.status_code == 200 and full.data.count(b"BEGIN:VEVENT") == 5
    finally:
        store.close()


def db_person(app) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(CommitteeMembership.person_id).order_by(CommitteeMembership.person_id.desc())
        )


def test_a_304_reads_no_body_in_process(app, monkeypatch):
    _a_304_reads_no_body(app, monkeypatch)


def test_feeds_set_no_cookie_and_do_not_vary_on_it(app):
    committee, coordinator, (member, _) = committee_with_people(app)
    single_meeting(app, coordinator, committee)
    path = feed_path(app, member)
    client = logged_in(app.test_client(), email_of(app, member))  # a browser with a session cookie
    assert "Cookie" in client.get("/calendar/subscriptions").headers.get("Vary", "")
    full = client.get(path)
    for response in (
        full,
        client.get(path, headers={"If-None-Match": full.headers["ETag"]}),
        client.get("/feeds/" + "A" * 43 + ".ics"),  # 404, an error page with a form in its layout
        client.get(f"{path}?past=abc"),  # 400
        client.get("/feeds/public/nope.ics"),
    ):
        assert "Set-Cookie" not in response.headers, response.status_code
        assert "Cookie" not in response.headers.get("Vary", ""), response.status_code
    assert full.status_code == 200 and full.headers["Vary"] == "Accept-Encoding"


@pytest.mark.redis
def test_kept_texts_hold_no_confidential_content(make_app, redis_url):
    """Case conferences are kept redacted, per language, like the feeds that show them."""
    import redis

    from tests.conferences.factories import schedule_conference

    app = make_app(REDIS_URL=redis_url)
    conference_id, organizer, invitee = schedule_conference(app)
    client = app.test_client()
    for who in (organizer, invitee):
        assert client.get(feed_path(app, who)).status_code == 200
    store = redis.Redis.from_url(redis_url)
    try:
        kept = b"".join(store.get(key) or b"" for key in store.keys("coord:feed:event:*"))
    finally:
        store.close()
    assert f"case-conference-{conference_id}@".encode() in kept
    assert b"J.T." not in kept and b"Participante de 15" not in kept
    assert b"Case conference" in kept and b"Rencontre de concertation" in kept


class WithoutFingerprint:
    """A source that gives no fingerprint (as a module's may not): its feeds are built on each request."""

    def __init__(self, source) -> None:
        self.source = source

    def events(self, scope, window):
        return self.source.events(scope, window)


def test_a_source_without_fingerprint_still_feeds_and_renders_only_changes(app, client, monkeypatch):
    committee, coordinator, (member, _) = committee_with_people(app)
    ids = add_meetings(app, committee, 10)
    with app.app_context():
        sources = registry().sources
        monkeypatch.setattr(registry(), "sources", [WithoutFingerprint(s) for s in sources])
        assert len(events_for(Scope(PERSON, member), Window(*_window()))) == 10
    renders = Renders(monkeypatch)
    path = feed_path(app, member)
    first = client.get(path)
    assert renders.count == 10
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    move(app, coordinator, ids[3], "Autre salle")
    second = client.get(path)
    assert renders.count == 11 and b"Autre salle" in second.data


def _window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(days=90), now + timedelta(days=548)


def _scope_generations(app) -> dict[str, int]:
    from coord.calendar.models import CalendarScopeState

    with app.app_context():
        return dict(
            db.session.execute(sa.select(CalendarScopeState.scope, CalendarScopeState.generation)).all()
        )


def test_a_meeting_change_raises_its_committee_and_guests_never_every_feed(app):
    from coord.calendar.changes import current_generation

    committee, coordinator, (member, _) = committee_with_people(app)
    other_committee, _, (stranger, _) = committee_with_people(app)
    guest = make_person(app)
    meeting_id = add_meetings(app, committee, 1)[0]
    with app.app_context():
        db.session.add(MeetingGuest(meeting_id=meeting_id, person_id=guest))
        db.session.commit()
        global_before = current_generation(db.session)[0]
    before = _scope_generations(app)
    move(app, coordinator, meeting_id, "Salle 4")
    after = _scope_generations(app)
    with app.app_context():
        assert current_generation(db.session)[0] == global_before
    raised = {scope for scope in after if after[scope] != before.get(scope)}
    assert raised == {f"committee:{committee}", f"person:{guest}"}


def test_a_feed_key_follows_the_day_the_window_slides_with(app, client, monkeypatch):
    committee, coordinator, (member, _) = committee_with_people(app)
    add_meetings(app, committee, 3)
    client.get(feed_path(app, member))
    today = feed_key(app, member)
    assert feed_key(app, member) == today
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(feeds, "utcnow", lambda: tomorrow)
    assert feed_key(app, member) != today  # events slide out of the 90 days back: a new key each day


class Queries:
    """SQL statements sent while installed."""

    def __init__(self, app) -> None:
        self.statements: list[str] = []
        with app.app_context():
            self.engine = db.engine
        sa.event.listen(self.engine, "before_cursor_execute", self._sent)

    def _sent(self, connection, cursor, statement, *args) -> None:
        self.statements.append(statement)

    def stop(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._sent)


def test_a_warm_feed_and_a_304_read_the_link_and_the_generations_only(app, client):
    """Whatever the number of events: the link (with its person), then one statement for the key."""
    committee, coordinator, (member, _) = committee_with_people(app)
    add_meetings(app, committee, 30)
    path = feed_path(app, member)
    etag = client.get(path).headers["ETag"]
    for headers in ({}, {"If-None-Match": etag}):
        queries = Queries(app)
        try:
            answer = client.get(path, headers=headers)
        finally:
            queries.stop()
        assert answer.status_code == (304 if headers else 200)
        assert len(queries.statements) == 2, queries.statements
        assert "calendar_scope_state" in queries.statements[1]
