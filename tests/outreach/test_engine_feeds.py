"""A presenter's feed shows their sessions at once: confirmed, moved to another presenter, cancelled; a
change to someone else's session leaves the feed's cache key as it was."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from coord.outreach import workflow
from tests.calendar.factories import feed_path
from tests.outreach.factories_engine import (
    coordinator,
    make_presenter,
    make_request,
    person,
    presenter_person,
    soon,
)

WEEK = [(day, "08:00", "18:00") for day in range(7)]


def _uids(client, path) -> dict[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    return {str(e["UID"]): str(e.get("STATUS", "")) for e in calendar.walk("VEVENT")}


def test_a_presenters_feed_follows_confirm_reassign_and_cancel(app, client):
    boss = coordinator(app)
    first, second = make_presenter(app, windows=WEEK), make_presenter(app, windows=WEEK)
    first_feed = feed_path(app, presenter_person(app, first))
    second_feed = feed_path(app, presenter_person(app, second))
    request_id = make_request(app)
    other_id = make_request(app)
    uid = f"outreach-{request_id}@coord"
    assert _uids(client, first_feed) == {}

    start = soon(days=20, hour=10)
    with app.app_context():
        workflow.confirm(person(boss), request_id, start, start + timedelta(minutes=90), [first])
    assert _uids(client, first_feed) == {uid: "CONFIRMED"}
    etag = client.get(first_feed).headers["ETag"]

    with app.app_context():  # someone else's session: the first presenter's feed stays as it was
        workflow.confirm(person(boss), other_id, start, start + timedelta(minutes=90), [second])
    assert client.get(first_feed, headers={"If-None-Match": etag}).status_code == 304

    with app.app_context():  # moved a day later, and given to the second presenter
        later = start + timedelta(days=1)
        workflow.reschedule(person(boss), request_id, later, later + timedelta(minutes=90), [second])
    assert _uids(client, first_feed) == {}
    assert uid in _uids(client, second_feed)

    with app.app_context():
        workflow.cancel(person(boss), request_id, "program", "Tempête de neige")
    assert uid not in _uids(client, second_feed)  # the feed holds confirmed and held sessions only
