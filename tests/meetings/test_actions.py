"""Action items: "Mes actions" (open, overdue first, recent done ones below), marking done with a date,
cancelling and reopening, who may do it, a committee's list, carrying forward, and query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.extensions import db
from coord.meetings import actions as service
from coord.meetings import agenda_page
from coord.meetings.models import ActionItem, Meeting
from tests.calendar.factories import person, single_meeting
from tests.directory.factories import make_person
from tests.meetings.minutes_support import (
    add_action,
    client_of,
    days_ago,
    load_form,
    local_start,
    local_today,
    minutes_world,
    post_button,
    send,
)
from tests.support import counted_queries, text

CARD = re.compile(r'<li class="action-card[^"]*" id="action-(\d+)"')


def action(app, action_id: int) -> ActionItem:
    with app.app_context():
        row = db.session.get(ActionItem, action_id)
        db.session.expunge(row)
        return row


def card_ids(html: str, list_id: str) -> list[int]:
    section = html.split(f'id="{list_id}"')[1].split("</ul>")[0]
    return [int(found) for found in CARD.findall(section)]


def audit_of(app, action_name: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action_name)))


def test_my_actions_open_overdue_first_then_by_due_date_then_recently_done(app):
    world = minutes_world(app, held_days_ago=60)
    me = world.member
    later = add_action(app, world, "Plus tard", owner_id=me, due_date=local_today() + timedelta(days=20))
    no_date = add_action(app, world, "Sans échéance", owner_id=me)
    soon = add_action(app, world, "Bientôt", owner_id=me, due_date=local_today() + timedelta(days=2))
    late = add_action(app, world, "En retard", owner_id=me, due_date=days_ago(3))
    very_late = add_action(app, world, "Très en retard", owner_id=me, due_date=days_ago(30))
    today = add_action(app, world, "Aujourd'hui", owner_id=me, due_date=local_today())
    recent = add_action(app, world, "Fait récemment", owner_id=me, status="done", done_on=days_ago(10))
    latest = add_action(app, world, "Fait hier", owner_id=me, status="done", done_on=days_ago(1))
    add_action(app, world, "Fait il y a longtemps", owner_id=me, status="done", done_on=days_ago(45))
    add_action(app, world, "Annulée", owner_id=me, status="cancelled")
    add_action(app, world, "À quelqu'un d'autre", owner_id=world.members[1])
    add_action(app, world, "Externe", owner_name="Partenaire")

    expected_open = [very_late, late, today, soon, later, no_date]
    with app.app_context():
        assert [a.id for a in service.my_actions(person(me))] == [*expected_open, latest, recent]

    page = client_of(app, me).get("/actions/mine")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert card_ids(body, "open-actions") == expected_open
    assert card_ids(body, "done-actions") == [latest, recent]
    overdue = re.findall(r'<li class="action-card action-open overdue" id="action-(\d+)"', body)
    assert sorted(map(int, overdue)) == sorted([very_late, late])
    assert "Annulée" not in body and "il y a longtemps" not in body and "quelqu'un d'autre" not in body


def test_mark_done_with_a_date_or_today(app):
    world = minutes_world(app)
    first = add_action(app, world, "Un", owner_id=world.member)
    second = add_action(app, world, "Deux", owner_id=world.member)
    owner = client_of(app, world.member)
    day = days_ago(2)
    response = post_button(owner, f"/actions/{first}/done", {"done_on": day.isoformat(), "back": "mine"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/actions/mine")
    row = action(app, first)
    assert (row.status, row.done_on, row.closed_by_id) == ("done", day, world.member)
    (entry,) = audit_of(app, "action.done")
    assert (
        entry.actor_id == world.member and entry.object_id == str(first) and entry.detail == day.isoformat()
    )

    assert post_button(owner, f"/actions/{second}/done", {"done_on": ""}).status_code == 302
    assert action(app, second).done_on == local_today()


def test_a_future_date_or_garbage_is_refused_with_a_form_message(app):
    world = minutes_world(app, held_days_ago=5)
    pending = add_action(app, world, "À faire", owner_id=world.member)
    owner = client_of(app, world.member)
    for garbage in (
        (local_today() + timedelta(days=1)).isoformat(),
        "9999-12-31",
        days_ago(6).isoformat(),  # before the meeting
        "0001-01-01",
        "yesterday",
        "2026-02-30",
        "x" * 10_000,
    ):
        response = post_button(owner, f"/actions/{pending}/done", {"done_on": garbage})
        assert response.status_code == 400, garbage
        body = response.get_data(as_text=True)
        assert f'id="done-on-{pending}-error"' in body, garbage
        assert action(app, pending).status == "open"
    response = post_button(owner, f"/actions/{pending}/done", {"done_on": "2030-01-01", "back": "committee"})
    assert response.status_code == 400 and 'id="committee-actions"' in response.get_data(as_text=True)
    assert audit_of(app, "action.done") == []


def test_the_owner_marks_done_but_another_member_may_not(app):
    world = minutes_world(app)
    mine = add_action(app, world, "La mienne", owner_id=world.member)
    other = client_of(app, world.members[1])
    for path in ("done", "cancel", "reopen"):
        assert (
            post_button(other, f"/actions/{mine}/{path}", {"done_on": days_ago(1).isoformat()}).status_code
            == 403
        )
    assert client_of(app, world.outsider).post(f"/actions/{mine}/done").status_code in (400, 403)
    assert post_button(client_of(app, world.outsider), f"/actions/{mine}/done").status_code == 403
    assert action(app, mine).status == "open"
    denied = audit_of(app, "permission.denied")
    assert {entry.detail for entry in denied} == {"meetings.actions.update"}
    # The committee's secretary may.
    assert post_button(client_of(app, world.secretary), f"/actions/{mine}/done").status_code == 302
    assert action(app, mine).closed_by_id == world.secretary
    # Other member's page shows no button for it.
    body = other.get(f"/actions/committee/{world.committee}?status=done").get_data(as_text=True)
    assert f'action="/actions/{mine}/reopen"' not in body
    assert post_button(client_of(app, world.member), f"/actions/{mine}/reopen").status_code == 302
    # The owner cannot cancel what the committee assigned them.
    assert post_button(client_of(app, world.member), f"/actions/{mine}/cancel").status_code == 403
    assert action(app, mine).status == "open"


def test_cancel_and_reopen(app):
    world = minutes_world(app)
    item = add_action(app, world, "À annuler", owner_id=world.member)
    coordinator = client_of(app, world.coordinator)
    response = post_button(coordinator, f"/actions/{item}/cancel", {"back": "committee"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/actions/committee/{world.committee}")
    row = action(app, item)
    assert row.status == "cancelled" and row.closed_by_id == world.coordinator
    assert f'id="action-{item}"' not in client_of(app, world.member).get("/actions/mine").get_data(
        as_text=True
    )
    response = post_button(coordinator, f"/actions/{item}/done")
    assert response.status_code == 400  # a cancelled action is reopened first
    assert post_button(coordinator, f"/actions/{item}/reopen").status_code == 302
    assert action(app, item).status == "open" and action(app, item).closed_by_id is None
    assert [e.action for e in audit_of(app, "action.cancel") + audit_of(app, "action.reopen")] == [
        "action.cancel",
        "action.reopen",
    ]
    assert post_button(coordinator, "/actions/999999/cancel").status_code == 404


def test_committee_list_for_members_and_staff_only(app):
    world = minutes_world(app)
    open_one = add_action(app, world, "Ouverte", owner_id=world.member, due_date=days_ago(1))
    done_one = add_action(app, world, "Faite", owner_id=world.member, status="done", done_on=days_ago(1))
    cancelled = add_action(app, world, "Annulée", owner_name="Externe", status="cancelled")
    base = f"/actions/committee/{world.committee}"
    member = client_of(app, world.member)
    body = member.get(base).get_data(as_text=True)
    assert card_ids(body, "committee-actions") == [open_one]
    assert card_ids(member.get(f"{base}?status=done").get_data(as_text=True), "committee-actions") == [
        done_one
    ]
    all_rows = card_ids(member.get(f"{base}?status=all").get_data(as_text=True), "committee-actions")
    assert all_rows == [open_one, done_one, cancelled]
    assert member.get(f"{base}?status=bogus").status_code == 400
    assert client_of(app, world.outsider).get(base).status_code == 403
    staff = client_of(app, make_person(app, roles=("coordinator",)))
    assert staff.get(base).status_code == 200
    assert member.get("/actions/committee/999999").status_code == 404
    assert member.get("/actions/committee/0").status_code == 404


def test_members_do_not_see_the_actions_of_draft_minutes_in_the_committee_list(app):
    world = minutes_world(app)
    secretary = client_of(app, world.secretary)
    form = load_form(secretary, world.meeting)
    form["actions-0-description"] = "Action encore en brouillon"
    form["actions-1-description"] = "Action du membre"
    form["actions-1-owner"] = str(world.member)
    assert send(secretary, world.meeting, form).status_code == 302
    base = f"/actions/committee/{world.committee}"
    assert "encore en brouillon" in text(secretary.get(base))
    member_page = text(client_of(app, world.member).get(base))
    assert "encore en brouillon" not in member_page and "Action du membre" in member_page
    other_page = text(client_of(app, world.members[1]).get(base))
    assert "encore en brouillon" not in other_page and "Action du membre" not in other_page
    post_button(secretary, f"/meetings/{world.meeting}/minutes/circulate")
    assert "encore en brouillon" in text(client_of(app, world.members[1]).get(base))


def test_open_actions_carry_forward_until_closed(app):
    world = minutes_world(app, held_days_ago=14)
    carried = add_action(app, world, "Suivi", owner_id=world.member)
    next_meeting = single_meeting(
        app,
        world.coordinator,
        world.committee,
        start=local_start(local_today() + timedelta(days=7)),
        publish=False,
    )
    with app.app_context():
        followed = agenda_page.followed_actions(db.session.get(Meeting, next_meeting))
        assert [f.action.id for f in followed] == [carried]
    assert post_button(client_of(app, world.member), f"/actions/{carried}/done").status_code == 302
    with app.app_context():
        assert agenda_page.followed_actions(db.session.get(Meeting, next_meeting)) == []
    assert post_button(client_of(app, world.member), f"/actions/{carried}/reopen").status_code == 302
    with app.app_context():
        assert len(agenda_page.followed_actions(db.session.get(Meeting, next_meeting))) == 1


def test_my_actions_and_committee_queries_do_not_grow(app):
    def measure(count: int) -> tuple[int, int]:
        world = minutes_world(app, members=3)
        meetings = [world.meeting] + [
            single_meeting(
                app, world.coordinator, world.committee, start=local_start(days_ago(20 + n)), publish=False
            )
            for n in range(3)
        ]
        for n in range(count):
            add_action(
                app,
                world,
                f"Action {n}",
                meeting_id=meetings[n % len(meetings)],
                owner_id=world.member if n % 4 else world.members[1],
                due_date=days_ago(n - 5),
                **({"status": "done", "done_on": days_ago(1)} if n % 5 == 0 else {}),
            )
        client = client_of(app, world.member)
        sizes = []
        for path in ("/actions/mine", f"/actions/committee/{world.committee}?status=all"):
            assert client.get(path).status_code == 200
            with counted_queries(app) as statements:
                response = client.get(path)
            assert response.status_code == 200 and f"Action {count - 1}" in response.get_data(as_text=True)
            sizes.append(len(statements))
        return tuple(sizes)

    assert measure(3) == measure(60)
