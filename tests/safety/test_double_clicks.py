"""A double click, or two people pressing the same button at once, on what changes state or sends e-mail:
the second attempt waits for the first (the row is locked) and finds the work done. Nothing is done or sent
twice, and nobody gets an error page. Services run in twenty threads at once; pages are posted twice."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord.directory import committees, email_change, organizations, people
from coord.directory.models import CommitteeMembership
from coord.extensions import db
from coord.meetings import actions, agenda, attendance, minutes, series_services
from coord.meetings.models import Meeting, MeetingSeries, MinutesComment
from tests.calendar.factories import committee_with_people, local, person, weekly_series
from tests.directory.factories import email_of, make_organization, make_person
from tests.meetings.minutes_support import add_action, client_of, days_ago, minutes_world
from tests.safety.factories import TRIES, at_once, audited, outbox
from tests.support import csrf_token, text

ALL_OK = ["ok"] * TRIES


def _circulated_world(app):
    world = minutes_world(app)
    with app.app_context():
        minutes.save_minutes(person(world.secretary), world.meeting, 0, "Notes.", {}, [], [])
    return world


def test_minutes_circulated_and_approved_once_by_twenty_clicks(app):
    world = _circulated_world(app)
    assert at_once(app, lambda: minutes.circulate(person(world.secretary), world.meeting)).count("ok") == 1
    assert audited(app, "minutes.circulate") == 1
    assert set(outbox(app, "meetings/minutes_circulated").values()) == {1}

    assert at_once(app, lambda: minutes.approve(person(world.coordinator), world.meeting)).count("ok") == 1
    assert audited(app, "minutes.approve") == 1


def test_a_second_click_on_circulate_says_so_and_sends_nothing(app):
    world = _circulated_world(app)
    client = client_of(app, world.secretary)
    url = f"/meetings/{world.meeting}/minutes/circulate"
    first = client.post(url, data={"csrf_token": csrf_token(client, "/"), "confirmed": "1"})
    second = client.post(url, data={"csrf_token": csrf_token(client, "/"), "confirmed": "1"})
    assert first.status_code == second.status_code == 302
    page = text(client.get(f"/meetings/{world.meeting}/minutes"))
    assert "déjà" in page  # "already circulated", in the reader's language
    assert set(outbox(app, "meetings/minutes_circulated").values()) == {1}


def test_a_double_clicked_comment_is_added_once(app):
    world = _circulated_world(app)
    with app.app_context():
        minutes.circulate(person(world.secretary), world.meeting)
    results = at_once(app, lambda: minutes.add_comment(person(world.member), world.meeting, "Point 2 : ok"))
    assert results == ALL_OK
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MinutesComment)) == 1


def test_an_agenda_item_deleted_by_twenty_clicks_is_deleted_once_and_nobody_fails(app):
    world = minutes_world(app, items=3, held_days_ago=-7)
    item = world.items[1]
    results = at_once(app, lambda: agenda.delete_item(person(world.coordinator), world.meeting, item))
    assert results == ALL_OK
    assert audited(app, "agenda.item.delete") == 1
    client = client_of(app, world.coordinator)
    again = client.post(
        f"/meetings/{world.meeting}/agenda/items/{item}/delete", data={"csrf_token": csrf_token(client, "/")}
    )
    assert again.status_code in (302, 303)  # a late second click lands on the agenda, not on a 404


def test_twenty_moves_of_one_item_read_what_the_others_left(app):
    world = minutes_world(app, items=3, held_days_ago=-7)
    last = world.items[2]
    results = at_once(app, lambda: agenda.move_item(person(world.coordinator), world.meeting, last, "up"))
    assert results == ALL_OK
    assert audited(app, "agenda.item.move") == 2  # up twice, then it is first: the others change nothing


def test_an_action_marked_done_by_twenty_clicks_is_done_once(app):
    world = minutes_world(app)
    action = add_action(app, world, "Écrire au CIUSSS", owner_id=world.member)
    done_on = days_ago(1)
    results = at_once(app, lambda: actions.mark_done(person(world.member), action, done_on))
    assert results == ALL_OK
    assert audited(app, "action.done") == 1
    assert at_once(app, lambda: actions.reopen(person(world.member), action)) == ALL_OK
    assert audited(app, "action.reopen") == 1
    assert at_once(app, lambda: actions.cancel_action(person(world.coordinator), action)) == ALL_OK
    assert audited(app, "action.cancel") == 1


def test_attendance_recorded_by_two_editors_at_once_never_fails(app):
    world = minutes_world(app)
    presence = {world.member: "present", world.members[1]: "excused"}
    results = at_once(
        app, lambda: attendance.record_attendance(person(world.secretary), world.meeting, presence)
    )
    assert results == ALL_OK


def test_an_occurrence_cancelled_by_twenty_clicks_tells_each_invitee_once(app):
    committee, coordinator, members = committee_with_people(app, members=2)
    series = weekly_series(app, coordinator, committee, first_start=local(2026, 12, 1, 9, 30))
    start = local(2026, 12, 15, 9, 30)
    results = at_once(app, lambda: series_services.cancel_occurrence(person(coordinator), series, start))
    assert results == ALL_OK
    cancelled = outbox(app, "calendar/calendar_cancellation")
    assert len(cancelled) == 3 and set(cancelled.values()) == {1}
    moved_to = local(2026, 12, 22, 14, 0)
    move = lambda: series_services.move_occurrence(  # noqa: E731
        person(coordinator), series, local(2026, 12, 22, 9, 30), moved_to, moved_to + timedelta(hours=1)
    )
    assert at_once(app, move) == ALL_OK
    assert set(outbox(app, "calendar/calendar_invitation").values()) == {2}  # the series, then the move


def test_an_invitation_double_clicked_is_sent_once(app):
    coordinator = make_person(app, roles=("coordinator",))
    newcomer = make_person(app, password=None)
    assert at_once(app, lambda: people.invite_person(person(coordinator), newcomer)) == ALL_OK
    client = client_of(app, coordinator)
    again = client.post(
        f"/people/{newcomer}/invite", data={"csrf_token": csrf_token(client, "/"), "confirmed": "1"}
    )
    assert again.status_code == 302
    assert outbox(app, "directory/invitation") == {email_of(app, newcomer): 1}


def test_an_address_change_double_clicked_sends_one_link(app):
    admin = make_person(app, roles=("admin",))
    someone = make_person(app)
    change = lambda: email_change.request_email_change(person(admin), someone, "nouvelle@example.org")  # noqa: E731
    assert at_once(app, change) == ALL_OK
    assert outbox(app, "directory/email_change_confirm") == {"nouvelle@example.org": 1}
    assert audited(app, "person.email_change_requested") == 1


def test_a_member_added_by_twenty_clicks_is_added_once(app):
    committee, coordinator, _ = committee_with_people(app)
    newcomer = make_person(app)
    add = lambda: committees.add_member(person(coordinator), committee, newcomer)  # noqa: E731
    assert at_once(app, add) == ALL_OK
    remove = lambda: committees.remove_member(person(coordinator), committee, newcomer)  # noqa: E731
    assert at_once(app, remove) == ALL_OK
    assert audited(app, "committee.member_remove") == 1
    with app.app_context():
        query = sa.select(CommitteeMembership.id).where(CommitteeMembership.person_id == newcomer)
        assert db.session.scalar(query) is None


def test_a_person_or_an_organization_deactivated_by_twenty_clicks_is_deactivated_once(app):
    coordinator = make_person(app, roles=("coordinator",))
    organization = make_organization(app)
    staff = [make_person(app, organization_id=organization) for _ in range(2)]
    assert at_once(app, lambda: people.set_active(person(coordinator), staff[0], False)) == ALL_OK
    assert audited(app, "person.deactivate") == 1
    deactivate = lambda: organizations.deactivate_organization(person(coordinator), organization)  # noqa: E731
    assert at_once(app, deactivate) == ALL_OK
    assert audited(app, "organization.deactivate") == 1 and audited(app, "person.deactivate") == 2


MEETING_FORM = {
    "title": "Comité",
    "day": "2026-12-10",
    "start_time": "14:00",
    "end_time": "15:00",
    "location": "Salle 2.14",
    "video_url": "",
    "guests": "",
}
SERIES_FORM = {
    "title": "Série",
    "first_day": "2026-12-08",
    "start_time": "09:30",
    "duration_minutes": "120",
    "frequency": "monthly_by_weekday",
    "interval": "1",
    "ends": "never",
    "location": "CIUSSS, salle 2.14",
    "video_url": "",
    "guests": "",
}


def test_a_meeting_or_a_series_form_sent_twice_creates_one(app):
    committee, coordinator, _ = committee_with_people(app)
    client = client_of(app, coordinator)
    for path, form, model in (
        ("/meetings/new", MEETING_FORM, Meeting),
        ("/meetings/series/new", SERIES_FORM, MeetingSeries),
    ):
        data = {**form, "committee_id": str(committee), "csrf_token": csrf_token(client, path)}
        first, second = client.post(path, data=data), client.post(path, data=data)
        assert first.status_code == second.status_code == 302
        assert first.headers["Location"] == second.headers["Location"]  # both on the one created
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 1
        other = client.post(path, data={**data, "title": "Autre rencontre"})
        assert other.status_code == 302 and other.headers["Location"] != first.headers["Location"]
