"""In Chromium, with and without JavaScript: every destructive or mass-mailing action asks first. The first
button opens a confirmation page that says what will happen and to how many people; nothing has changed
yet; its button does the action."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.calendar.answers import occurrence_key
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import CommitteeMembership, Person
from coord.extensions import db
from coord.meetings.models import AgendaItem, Meeting, MeetingSeries, Minutes, MinutesState
from coord.outreach.models import OutreachRequest
from tests.calendar.factories import committee_with_people, single_meeting, weekly_series
from tests.directory.factories import email_of, make_person
from tests.meetings.factories import add
from tests.meetings.minutes_support import minutes_world
from tests.outreach.factories_engine import coordinator as program_coordinator
from tests.outreach.factories_engine import make_request
from tests.support import log_in_browser, logged_in, text

pytestmark = pytest.mark.browser


def _ask(page, path: str, action_suffix: str) -> str:
    """Open `path`, press the button of the action whose address ends with `action_suffix`: the confirmation
    page (at that address, by GET) comes; returns what it says."""
    page.goto(path)
    page.locator(f"main form[method=get][action$='{action_suffix}'] button").first.click()
    page.wait_for_url(f"**{action_suffix}?*")
    consequences = page.locator(".confirm-consequences")
    consequences.wait_for()
    return page.locator("main h1").inner_text() + "\n" + consequences.inner_text()


def _confirm(page) -> None:
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()


def _value(app, statement):
    with app.app_context():
        return db.session.scalar(statement)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_each_destructive_or_mass_mailing_action_asks_first(app, chromium, live_server, javascript):
    committee, coordinator, (member, other) = committee_with_people(app)
    soon = utcnow().astimezone(LOCAL_TZ).replace(hour=9, minute=30, second=0, microsecond=0) + timedelta(
        days=7
    )
    meeting = single_meeting(app, coordinator, committee, start=soon, publish=False)
    first_item = add(app, coordinator, meeting, "Trajectoires", 30)
    add(app, coordinator, meeting, "Varia", 10)
    series = weekly_series(app, coordinator, committee, first_start=soon + timedelta(days=1), publish=False)
    held = minutes_world(app)
    outsider = make_person(app)
    context = chromium.new_context(locale="fr-CA", base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in_browser(page, email_of(app, coordinator))

    # Publishing a meeting: three invitees (two members and the coordinator) are named by their number
    said = _ask(page, f"/meetings/{meeting}", f"/meetings/{meeting}/publish")
    assert "3 personnes recevront une invitation" in said
    assert _value(app, sa.select(Meeting.published_at).where(Meeting.id == meeting)) is None
    _confirm(page)
    assert _value(app, sa.select(Meeting.published_at).where(Meeting.id == meeting)) is not None

    # Deleting an agenda item
    said = _ask(page, f"/meetings/{meeting}/agenda", f"/items/{first_item}/delete")
    assert "Trajectoires" in said
    assert _value(app, sa.select(sa.func.count()).where(AgendaItem.meeting_id == meeting)) == 2
    _confirm(page)
    assert _value(app, sa.select(sa.func.count()).where(AgendaItem.meeting_id == meeting)) == 1

    # Publishing the agenda
    said = _ask(page, f"/meetings/{meeting}/agenda", f"/meetings/{meeting}/agenda/publish")
    assert "3 personnes recevront l’ordre du jour" in said
    assert _value(app, sa.select(Meeting.agenda_published_at).where(Meeting.id == meeting)) is None
    _confirm(page)
    assert _value(app, sa.select(Meeting.agenda_published_at).where(Meeting.id == meeting)) is not None

    # Cancelling the meeting: the invitees will be told
    said = _ask(page, f"/meetings/{meeting}", f"/meetings/{meeting}/cancel")
    assert "3 personnes seront avisées" in said
    assert _value(app, sa.select(Meeting.status).where(Meeting.id == meeting)) != "cancelled"
    _confirm(page)
    assert _value(app, sa.select(Meeting.status).where(Meeting.id == meeting)) == "cancelled"

    # Publishing a series, cancelling one of its meetings, then the whole series
    said = _ask(page, f"/meetings/series/{series}", f"/meetings/series/{series}/publish")
    assert "3 personnes recevront une invitation" in said
    _confirm(page)
    assert _value(app, sa.select(MeetingSeries.published_at).where(MeetingSeries.id == series)) is not None
    with app.app_context():
        key = occurrence_key(db.session.get(MeetingSeries, series).first_start + timedelta(days=7))
    said = _ask(page, f"/meetings/series/{series}/occurrences/{key}", f"/occurrences/{key}/cancel")
    assert "Les autres rencontres de la série restent" in said
    _confirm(page)
    assert _value(app, sa.select(Meeting.status).where(Meeting.series_id == series)) == "cancelled"
    said = _ask(page, f"/meetings/series/{series}", f"/meetings/series/{series}/cancel")
    assert "3 personnes seront avisées" in said
    assert _value(app, sa.select(MeetingSeries.status).where(MeetingSeries.id == series)) != "cancelled"
    _confirm(page)
    assert _value(app, sa.select(MeetingSeries.status).where(MeetingSeries.id == series)) == "cancelled"

    # Minutes of a meeting held last week: circulating them mails the invitees, approving locks them
    page.goto(f"/meetings/{held.meeting}/minutes/edit")
    page.get_by_label("Notes générales").fill("Rencontre tenue en mode hybride.")
    page.locator(".minutes-form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{held.meeting}/minutes")
    said = _ask(page, f"/meetings/{held.meeting}/minutes", "/minutes/circulate")
    assert "4 personnes seront avisées par courriel" in said  # the coordinator, the secretary, two members
    assert (
        _value(app, sa.select(Minutes.state).where(Minutes.meeting_id == held.meeting)) == MinutesState.DRAFT
    )
    _confirm(page)
    assert _value(app, sa.select(Minutes.state).where(Minutes.meeting_id == held.meeting)) == "circulated"
    said = _ask(page, f"/meetings/{held.meeting}/minutes", "/minutes/approve")
    assert "verrouillé" in said
    _confirm(page)
    assert _value(app, sa.select(Minutes.state).where(Minutes.meeting_id == held.meeting)) == "approved"

    # Removing a committee member, deactivating a person
    with app.app_context():
        name = db.session.get(Person, other).display_name
    said = _ask(page, f"/committees/{committee}", f"/members/{other}/remove")
    assert name in said
    member_of = sa.select(sa.func.count()).where(
        CommitteeMembership.committee_id == committee, CommitteeMembership.person_id == other
    )
    assert _value(app, member_of) == 1
    _confirm(page)
    assert _value(app, member_of) == 0
    said = _ask(page, f"/people/{outsider}", f"/people/{outsider}/deactivate")
    assert "déconnecté" in said
    assert _value(app, sa.select(Person.active).where(Person.id == outsider)) is True
    _confirm(page)
    assert _value(app, sa.select(Person.active).where(Person.id == outsider)) is False
    context.close()


def test_the_confirmation_page_changes_nothing_and_goes_back(app, page):
    committee, coordinator, _ = committee_with_people(app)
    soon = utcnow() + timedelta(days=7)
    meeting = single_meeting(app, coordinator, committee, start=soon, publish=True)
    log_in_browser(page, email_of(app, coordinator))
    _ask(page, f"/meetings/{meeting}", f"/meetings/{meeting}/cancel")
    page.get_by_role("link", name="Revenir sans rien changer").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/meetings/{meeting}")
    assert _value(app, sa.select(Meeting.status).where(Meeting.id == meeting)) != "cancelled"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_declining_a_request_and_cancelling_a_session_ask_first(app, chromium, live_server, javascript):
    boss = program_coordinator(app)
    declined = make_request(app, contact_name="Sylvie Tremblay")
    cancelled = make_request(app, contact_name="Karim Haddad")
    with app.app_context():
        refs = {rid: db.session.get(OutreachRequest, rid).ref for rid in (declined, cancelled)}
    context = chromium.new_context(locale="fr-CA", base_url=live_server, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in_browser(page, email_of(app, boss))

    for request_id, action, reason, state in (
        (declined, "decline", "Aucune personne animatrice libre ce mois-ci.", "declined"),
        (cancelled, "cancel", "Le groupe a été dissous.", "cancelled"),
    ):
        said = _ask(page, f"/outreach/requests/{refs[request_id]}", f"/{refs[request_id]}/{action}")
        assert ("Sylvie Tremblay" if action == "decline" else "Karim Haddad") in said
        assert (
            _value(app, sa.select(OutreachRequest.state).where(OutreachRequest.id == request_id))
            == "requested"
        )
        page.locator("main form[method=post] textarea").fill(reason)
        _confirm(page)
        assert _value(app, sa.select(OutreachRequest.state).where(OutreachRequest.id == request_id)) == state
    context.close()


def test_nothing_left_to_confirm_is_said_on_the_page_it_came_from(app):
    """A second tab, or a coordinator who came first: the confirmation says why there is nothing to do."""
    committee, coordinator, _ = committee_with_people(app)
    meeting = single_meeting(app, coordinator, committee, start=utcnow() + timedelta(days=7), publish=True)
    client = logged_in(app.test_client(), email_of(app, coordinator))
    response = client.get(f"/meetings/{meeting}/publish", follow_redirects=True)
    assert "Cette rencontre est déjà publiée." in text(response)
    assert "confirm-consequences" not in text(response)
    outsider = logged_in(app.test_client(), email_of(app, make_person(app)))
    assert outsider.get(f"/meetings/{meeting}/cancel").status_code == 403
