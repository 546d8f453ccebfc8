"""The meetings index across committees, its search, and meetings without a committee for their creator."""

from __future__ import annotations

from datetime import timedelta

from coord.core.localtime import utcnow
from coord.meetings.models import MinutesState
from tests.calendar.factories import committee_with_people, feed_path, single_meeting
from tests.directory.factories import email_of, make_person
from tests.meetings.minutes_support import add_action, client_of, minutes_world
from tests.meetings.register_factories import minutes_with_decisions
from tests.support import logged_in, text


def test_a_meeting_without_committee_stays_with_its_creator(app, client):
    coordinator = make_person(app, roles=("coordinator",))
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    meeting = single_meeting(app, coordinator, None, start=start)
    logged_in(client, email_of(app, coordinator))
    assert "Rencontre ponctuelle" in text(client.get("/meetings/"))  # "Rencontres"
    assert "Rencontre ponctuelle" in text(client.get("/"))  # "Mon horaire"
    week = text(client.get(f"/calendar/me/week?d={start.date().isoformat()}"))
    assert "Rencontre ponctuelle" in week
    feed = client.get(feed_path(app, coordinator)).get_data(as_text=True)
    assert f"meeting-{meeting}@" in feed


def test_the_index_lists_upcoming_and_recent_meetings_across_committees(app):
    first, coordinator, (member, _) = committee_with_people(app)
    soon = utcnow().replace(microsecond=0) + timedelta(days=3)
    single_meeting(app, coordinator, first, start=soon)
    single_meeting(app, coordinator, first, start=soon - timedelta(days=10))
    other, other_coordinator, _ = committee_with_people(app)
    single_meeting(app, other_coordinator, other, start=soon)  # not the member's committee
    page = text(client_of(app, member).get("/meetings/"))
    upcoming, recent = page.split('id="upcoming-title"')[1].split('id="recent-title"')
    assert upcoming.count("Rencontre ponctuelle") == 1 and recent.count("Rencontre ponctuelle") == 1
    staff = text(client_of(app, coordinator).get("/meetings/"))
    assert (
        staff.split('id="upcoming-title"')[1].split('id="recent-title"')[0].count("Rencontre ponctuelle") == 2
    )


def test_a_guest_sees_the_meeting_in_the_index_without_the_committee_link(app):
    committee, coordinator, _ = committee_with_people(app)
    guest = make_person(app)
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    meeting = single_meeting(app, coordinator, committee, start=start, guests=[guest])
    client = client_of(app, guest)
    assert "Rencontre ponctuelle" in text(client.get("/meetings/"))
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert f"/meetings/committee/{committee}" not in page
    assert client.get(f"/meetings/committee/{committee}").status_code == 403  # what the link would have done
    member_page = client_of(app, coordinator).get(f"/meetings/{meeting}").get_data(as_text=True)
    assert f"/meetings/committee/{committee}" in member_page


def test_search_finds_meetings_decisions_and_actions_the_reader_may_read(app):
    world = minutes_world(app)
    minutes_with_decisions(
        app, world.meeting, MinutesState.APPROVED, [(None, "Adopter la trajectoire commune")]
    )
    add_action(app, world, "Écrire la trajectoire aux écoles")
    member = client_of(app, world.member)
    found = text(member.get("/meetings/?q=trajectoire"))
    assert "Adopter la trajectoire commune" in found and "Écrire la trajectoire aux écoles" in found
    assert "Aucune rencontre trouvée." in found  # the meeting's title does not match
    assert "Rencontre ponctuelle" in text(member.get("/meetings/?q=ponctuelle"))
    outsider = text(client_of(app, world.outsider).get("/meetings/?q=trajectoire"))
    assert "Adopter la trajectoire" not in outsider and "Écrire la trajectoire" not in outsider
    assert (
        "%" not in text(member.get("/meetings/?q=%25")).split('id="results-title"')[1].split("</section>")[0]
    )


def test_search_hides_draft_decisions_from_members(app):
    world = minutes_world(app)
    minutes_with_decisions(app, world.meeting, MinutesState.DRAFT, [(None, "Décision secrète en brouillon")])
    assert "Décision secrète" not in text(client_of(app, world.member).get("/meetings/?q=secr"))
    assert "Décision secrète" in text(client_of(app, world.secretary).get("/meetings/?q=secr"))


def test_bad_search_input_gets_a_message_beside_the_field_never_a_500(app):
    world = minutes_world(app)
    client = client_of(app, world.member)
    cases = {
        "q=" + "x" * 5000: "caractères au plus",
        "committee=999999": "Choisissez un comité dans la liste.",
        "committee=abc": "Choisissez un comité dans la liste.",
        "start=2026-12-01&end=2026-11-01": "La date de fin précède la date de début.",
        "start=2026-13-45": "AAAA-MM-JJ",
        "end=99999-01-01": "AAAA-MM-JJ",
        "q=a%01b": "",
    }
    for query, message in cases.items():
        response = client.get(f"/meetings/?{query}")
        assert response.status_code == 400, query
        body = text(response)
        assert message in body and 'aria-invalid="true"' in body, query
    other, _, _ = committee_with_people(app)  # a committee the member does not sit on
    assert client.get(f"/meetings/?committee={other}").status_code == 400
    assert client.get(f"/meetings/?committee={world.committee}&start=2020-01-01").status_code == 200
