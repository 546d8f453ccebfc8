"""Feeds over HTTP: secret URLs, access that follows membership, caching, ETag/304/gzip, bad input."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coord.calendar.models import FeedLink
from coord.directory.models import CommitteeMembership, Person
from coord.extensions import db
from coord.meetings import meeting_services as services
from coord.meetings.models import Meeting
from tests.calendar.factories import (
    committee_with_people,
    feed_path,
    local,
    meeting_of,
    person,
    single_meeting,
    weekly_series,
)
from tests.calendar.independent_parsers import all_readers_agree
from tests.directory.factories import email_of, make_person
from tests.support import logged_in, post_form


def test_feed_headers_etag_304_and_gzip(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    weekly_series(app, coordinator, committee, first_start=datetime.now(UTC) + timedelta(days=2))
    path = feed_path(app, member)

    full = client.get(path)
    assert full.status_code == 200
    assert full.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in full.headers["Cache-Control"] and "no-store" not in full.headers["Cache-Control"]
    assert full.headers["ETag"].startswith('W/"') and full.headers["Last-Modified"]
    assert b"BEGIN:VCALENDAR" in full.data and b"Comit" in full.data

    again = client.get(path, headers={"If-None-Match": full.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get(path, headers={"If-Modified-Since": full.headers["Last-Modified"]})
    assert since.status_code == 304

    zipped = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == full.data
    assert "Accept-Encoding" in zipped.headers["Vary"]


def test_a_change_shows_on_the_next_request_with_a_new_etag(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    meeting_id = single_meeting(app, coordinator, committee, start=local(2026, 12, 8, 13, 0))
    path = feed_path(app, member)
    first = client.get(path)
    with app.app_context():
        meeting = meeting_of(meeting_id)
        data = services.MeetingData(
            meeting.title, meeting.starts_at, meeting.ends_at, "Nouveau lieu, salle 3"
        )
        services.update_meeting(person(coordinator), meeting_id, data)
    second = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert b"Nouveau lieu" in second.data
    assert re.search(rb"SEQUENCE:1\r\n", second.data)


def test_unchanged_feed_is_served_from_the_cache_without_rendering(app, client, monkeypatch):
    committee, coordinator, (member, _) = committee_with_people(app)
    single_meeting(app, coordinator, committee)
    path = feed_path(app, member)
    assert client.get(path).status_code == 200

    from coord.calendar import ical

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again although nothing changed")

    monkeypatch.setattr(ical, "render_feed", refuse)
    assert client.get(path).status_code == 200


@pytest.mark.redis
def test_the_feed_cache_takes_no_key_the_client_chooses(make_app, redis_url):
    """Windows and Host headers of the client's choosing do not add Redis keys: a feed version's keys (its
    ETag, its body, its Last-Modified, each event's text, the render counters) and no more."""
    import redis

    app = make_app(REDIS_URL=redis_url)
    client = app.test_client()
    committee, coordinator, (member, _) = committee_with_people(app)
    single_meeting(app, coordinator, committee)
    path = feed_path(app, member)
    store = redis.Redis.from_url(redis_url)
    try:
        assert client.get(path).status_code == 200
        kept = set(store.keys("coord:feed:*"))
        assert {key.split(b":")[2] for key in kept} == {b"meta", b"body", b"last", b"event", b"stats"}
        for days in range(1, 40):
            assert client.get(f"{path}?past={days}&future={days}").status_code == 200
            assert client.get(path, headers={"Host": f"h{days}.example"}).status_code == 400
        assert set(store.keys("coord:feed:*")) == kept
    finally:
        store.close()


def test_reset_feed_url_answers_404_at_once(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    old = feed_path(app, member)
    assert client.get(old).status_code == 200
    logged_in(client, email_of(app, member))
    with app.app_context():
        link_id = db.session.scalar(sa.select(FeedLink.id).where(FeedLink.person_id == member))
    page = client.get("/calendar/subscriptions").get_data(as_text=True)
    assert old in page  # the subscription page shows the live link
    response = post_form(
        client, f"/calendar/subscriptions/{link_id}/reset", token_page="/calendar/subscriptions"
    )
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    new = feed_path(app, member)
    assert new != old and client.get(new).status_code == 200


def test_another_person_cannot_reset_my_link(app, client):
    committee, coordinator, (member, other) = committee_with_people(app)
    feed_path(app, member)
    with app.app_context():
        link_id = db.session.scalar(sa.select(FeedLink.id).where(FeedLink.person_id == member))
    logged_in(client, email_of(app, other))
    response = post_form(
        client, f"/calendar/subscriptions/{link_id}/reset", token_page="/calendar/subscriptions"
    )
    assert response.status_code == 404


def test_removed_committee_member_stops_seeing_its_events(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee, first_start=datetime.now(UTC) + timedelta(days=3))
    personal = feed_path(app, member)
    committee_feed = feed_path(app, member, "committee", committee)
    uid = f"meeting-series-{series_id}@coord.spheres".encode()
    assert uid in client.get(personal).data
    assert uid in client.get(committee_feed).data

    with app.app_context():
        db.session.execute(
            sa.delete(CommitteeMembership).where(
                CommitteeMembership.person_id == member, CommitteeMembership.committee_id == committee
            )
        )
        db.session.commit()

    assert uid not in client.get(personal).data
    assert client.get(committee_feed).status_code == 404


def test_deactivated_person_feed_is_gone(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    path = feed_path(app, member)
    with app.app_context():
        person(member).active = False
        db.session.commit()
    assert client.get(path).status_code == 404


def test_unpublished_meetings_stay_off_feeds(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee, publish=False)
    assert f"meeting-series-{series_id}@".encode() not in client.get(feed_path(app, member)).data


def test_cancelled_events_stay_30_days_then_leave(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    meeting_id = single_meeting(app, coordinator, committee, start=start)
    with app.app_context():
        services.cancel_meeting(person(coordinator), meeting_id)
    body = client.get(feed_path(app, member)).data.decode()
    assert "STATUS:CANCELLED" in body
    with app.app_context():
        old = datetime.now(UTC) - timedelta(days=31)  # cancelled 31 days ago
        db.session.execute(sa.update(Meeting).where(Meeting.id == meeting_id).values(updated_at=old))
        db.session.commit()
    assert f"meeting-{meeting_id}@".encode() not in client.get(feed_path(app, member)).data


def test_bad_feed_requests_get_404_or_400(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    path = feed_path(app, member)
    for bad in (
        "/feeds/nope.ics",
        "/feeds/" + "A" * 43 + ".ics",
        "/feeds/" + "é" * 43 + ".ics",
        "/feeds/%00.ics",
        "/feeds/" + "x" * 5000 + ".ics",
        path.replace(".ics", ".ical"),
    ):
        assert client.get(bad).status_code in (400, 404), bad
    for query in ("past=99999", "future=0", "future=abc", "past=-1", "future=1e9", "past=%F0%9F%98%80"):
        assert client.get(f"{path}?{query}").status_code == 400, query
    assert client.get(f"{path}?past=0&future=7").status_code == 200


def test_window_parameters_bound_the_feed(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    far = datetime.now(UTC).replace(microsecond=0) + timedelta(days=400)
    near = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    far_id = single_meeting(app, coordinator, committee, start=far)
    near_id = single_meeting(app, coordinator, committee, start=near)
    path = feed_path(app, member)
    short = client.get(f"{path}?future=30").data
    assert f"meeting-{near_id}@".encode() in short and f"meeting-{far_id}@".encode() not in short
    assert f"meeting-{far_id}@".encode() in client.get(path).data


def test_a_link_to_a_scope_no_module_registers_answers_404(app, client):
    """A link kept from a scope that is gone (or not built yet) gives nothing away."""
    intervenant = make_person(app, roles=("intervenant",))
    assert client.get(feed_path(app, intervenant, "retired")).status_code == 404
    assert client.get(feed_path(app, intervenant, "committee", 999_999)).status_code == 404
    assert client.get("/feeds/public/retired.ics").status_code == 404
    assert client.get("/feeds/public/committee.ics").status_code == 404


def test_demo_feeds_pass_every_reader(app, client):
    from coord.demo import seed_demo
    from coord.modules import MODULES

    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        ids = {p.email.split("@")[0]: p.id for p in db.session.scalars(sa.select(Person))}
    start = datetime.now(UTC) - timedelta(days=90)
    end = datetime.now(UTC) + timedelta(days=548)
    seen = set()
    for who in ("coordinator", "intervenant", "police", "partner"):
        body = client.get(feed_path(app, ids[who])).data.decode()
        instances = all_readers_agree(body, start, end)
        seen.update(i["summary"] for i in instances)
        assert "A.B." not in body and "fugue" not in body
    assert "Comité clinique mensuel" in seen and "Rencontre de concertation" in seen
