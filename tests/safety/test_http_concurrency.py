"""Twenty tabs press the same button at the same moment, over real HTTP (werkzeug threaded, like gunicorn's
workers): every answer is a success or a redirect, and each invitee receives exactly one e-mail per change,
counted on a real SMTP server. Run it on PostgreSQL (COORD_TEST_DB=postgresql) for real row locks."""

from __future__ import annotations

import pytest

from coord.meetings import agenda_publication, minutes_emails
from tests.calendar.factories import committee_with_people, local, single_meeting, weekly_series
from tests.directory.factories import email_of
from tests.meetings.factories import add
from tests.meetings.minutes_support import minutes_world
from tests.safety.factories import TRIES, Browser, all_at_once, audited, browsers, outbox, received, succeeded

INVITATION, CANCELLATION = "calendar/calendar_invitation", "calendar/calendar_cancellation"


@pytest.fixture
def app(make_app, smtp_server):
    """The app the live server serves, sending over SMTP to the test's server."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)


@pytest.fixture
def smtp_app(app):
    return app


@pytest.fixture
def server(live_server):
    return live_server


def _addresses(app, people: list[int]) -> set[str]:
    return {email_of(app, person_id) for person_id in people}


def _once_each(counter, addresses: set[str]) -> bool:
    return set(counter) == addresses and set(counter.values()) == {1}


def test_twenty_publishes_then_twenty_cancels_of_a_meeting(smtp_app, server, smtp_server):
    committee, coordinator, members = committee_with_people(smtp_app, members=3)
    meeting = single_meeting(smtp_app, coordinator, committee, start=local(2026, 12, 8, 13, 0), publish=False)
    invitees = _addresses(smtp_app, [coordinator, *members])
    tabs = browsers(server, email_of(smtp_app, coordinator))

    assert succeeded(all_at_once(tabs, f"/meetings/{meeting}/publish"))
    assert _once_each(outbox(smtp_app, INVITATION), invitees)
    assert _once_each(received(smtp_server), invitees)

    add(smtp_app, coordinator, meeting, "Tour de table", 20)
    assert succeeded(all_at_once(tabs, f"/meetings/{meeting}/agenda/publish"))
    assert _once_each(outbox(smtp_app, agenda_publication.TEMPLATE), invitees)

    assert succeeded(all_at_once(tabs, f"/meetings/{meeting}/cancel"))
    assert _once_each(outbox(smtp_app, CANCELLATION), invitees)
    assert set(received(smtp_server).values()) == {3}  # invitation, agenda, cancellation: once each


def test_twenty_publishes_then_twenty_cancels_of_a_series(smtp_app, server, smtp_server):
    committee, coordinator, members = committee_with_people(smtp_app, members=3)
    series = weekly_series(
        smtp_app, coordinator, committee, first_start=local(2026, 12, 1, 9, 30), publish=False
    )
    invitees = _addresses(smtp_app, [coordinator, *members])
    tabs = browsers(server, email_of(smtp_app, coordinator))

    assert succeeded(all_at_once(tabs, f"/meetings/series/{series}/publish"))
    assert _once_each(outbox(smtp_app, INVITATION), invitees)

    assert succeeded(all_at_once(tabs, f"/meetings/series/{series}/cancel"))
    assert _once_each(outbox(smtp_app, CANCELLATION), invitees)
    assert set(received(smtp_server).values()) == {2} and set(received(smtp_server)) == invitees


def test_two_coordinators_and_their_double_clicks_circulate_minutes_once(smtp_app, server, smtp_server):
    world = minutes_world(smtp_app)
    secretary = Browser(server).log_in(email_of(smtp_app, world.secretary))
    secretary.fetch_token(f"/meetings/{world.meeting}/minutes/edit")
    status = secretary.post(
        f"/meetings/{world.meeting}/minutes/edit", {"base_revision": "0", "general": "Notes de la rencontre."}
    )
    assert status in (302, 303)
    tabs = browsers(server, email_of(smtp_app, world.coordinator), TRIES // 2)
    tabs += browsers(server, email_of(smtp_app, world.secretary), TRIES // 2)

    assert succeeded(all_at_once(tabs, f"/meetings/{world.meeting}/minutes/circulate"))
    sent = outbox(smtp_app, minutes_emails.TEMPLATE)
    assert sent and set(sent.values()) == {1}
    assert audited(smtp_app, "minutes.circulate") == 1  # one circulation, not one per tab that raced
    assert set(received(smtp_server).values()) == {1} and set(received(smtp_server)) == set(sent)
