"""Decision and action rows of the minutes form: added from empty rows, removed or cancelled when emptied,
action ids stable across saves, done actions staying done, owners among the invitees or typed."""

from __future__ import annotations

import re

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings.models import Decision, MinutesRevision
from tests.meetings.minutes_support import (
    action_rows,
    add_action,
    client_of,
    days_ago,
    load_form,
    minutes_world,
    post_button,
    send,
)


def decisions(app, meeting_id: int) -> list[tuple[str, int | None]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Decision.text, Decision.agenda_item_id)
            .where(Decision.meeting_id == meeting_id)
            .order_by(Decision.position)
        )
        return [tuple(row) for row in rows]


def test_rows_are_added_edited_removed_and_action_ids_stay(app):
    world = minutes_world(app, items=2)
    coordinator = client_of(app, world.coordinator)
    form = load_form(coordinator, world.meeting)
    owner_choices = form.names()
    assert "actions-0-owner" in owner_choices
    form["decisions-0-text"] = "Première décision"
    form["decisions-1-text"] = "Deuxième décision"
    form["decisions-1-item"] = str(world.items[0])
    form["actions-0-description"] = "Appeler le partenaire"
    form["actions-0-owner"] = str(world.member)
    form["actions-1-description"] = "Réserver la salle"
    form["actions-1-owner"] = "other"
    form["actions-1-owner_name"] = "Accueil du CIUSSS"
    form["actions-1-due_date"] = "2031-03-01"
    assert send(coordinator, world.meeting, form).status_code == 302
    assert decisions(app, world.meeting) == [
        ("Première décision", None),
        ("Deuxième décision", world.items[0]),
    ]
    first, second = action_rows(app, world.meeting)
    assert (first.description, first.owner_id, first.committee_id) == (
        "Appeler le partenaire",
        world.member,
        world.committee,
    )
    assert (second.owner_id, second.owner_name, str(second.due_date)) == (
        None,
        "Accueil du CIUSSS",
        "2031-03-01",
    )

    # The form shows them again with their ids, plus three empty rows each.
    form = load_form(coordinator, world.meeting)
    assert form["actions-0-id"] == str(first.id) and form["actions-1-id"] == str(second.id)
    assert form["actions-1-owner"] == "other" and form["actions-1-owner_name"] == "Accueil du CIUSSS"
    assert "decisions-4-text" in form.names() and "decisions-5-text" not in form.names()
    form["decisions-0-text"] = ""  # removed
    form["actions-0-description"] = "Appeler le partenaire avant vendredi"  # edited, same row
    form["actions-1-description"] = ""  # emptied: cancelled, text kept
    form["actions-2-description"] = "Nouvelle action"
    assert send(coordinator, world.meeting, form).status_code == 302
    assert decisions(app, world.meeting) == [("Deuxième décision", world.items[0])]
    first_again, second_again, third = action_rows(app, world.meeting)
    assert first_again.id == first.id and first_again.description == "Appeler le partenaire avant vendredi"
    assert second_again.id == second.id and second_again.status == "cancelled"
    assert second_again.description == "Réserver la salle" and second_again.closed_by_id == world.coordinator
    assert third.description == "Nouvelle action" and third.status == "open"

    with app.app_context():
        snapshot = db.session.scalar(sa.select(MinutesRevision.snapshot).where(MinutesRevision.number == 2))
    assert [a["status"] for a in snapshot["actions"]] == ["open", "cancelled", "open"]
    assert snapshot["decisions"] == [{"item": world.items[0], "text": "Deuxième décision"}]


def test_an_action_done_meanwhile_stays_done(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    action = add_action(app, world, "Envoyer le compte rendu", owner_id=world.member)
    form = load_form(coordinator, world.meeting)
    assert form["actions-0-id"] == str(action) and form["actions-0-status"] == "open"

    owner = client_of(app, world.member)
    done_on = days_ago(1).isoformat()
    assert post_button(owner, f"/actions/{action}/done", {"done_on": done_on}).status_code == 302

    form["actions-0-description"] = "Envoyer le compte rendu (corrigé)"
    assert send(coordinator, world.meeting, form).status_code == 302  # the form still said "open"
    (row,) = action_rows(app, world.meeting)
    assert row.status == "done" and str(row.done_on) == done_on and row.closed_by_id == world.member
    assert row.description == "Envoyer le compte rendu (corrigé)"


def test_status_chosen_in_the_form(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    form = load_form(coordinator, world.meeting)
    form["actions-0-description"] = "Fait pendant la rencontre"
    form["actions-0-status"] = "done"
    form["actions-1-description"] = "Abandonnée"
    form["actions-1-status"] = "cancelled"
    form["actions-2-description"] = "Statut inventé"
    form["actions-2-status"] = "bogus"
    assert send(coordinator, world.meeting, form).status_code == 400
    assert action_rows(app, world.meeting) == []
    form["actions-2-status"] = "open"
    assert send(coordinator, world.meeting, form).status_code == 302
    done, cancelled, still_open = action_rows(app, world.meeting)
    assert done.status == "done" and done.done_on is not None and done.closed_by_id == world.coordinator
    assert cancelled.status == "cancelled" and still_open.status == "open"


def test_an_action_cannot_be_done_before_its_meeting(app):
    world = minutes_world(app, held_days_ago=-3)  # a meeting in three days: minutes prepared ahead
    coordinator = client_of(app, world.coordinator)
    form = load_form(coordinator, world.meeting)
    form["actions-0-description"] = "Préparer la salle"
    form["actions-0-status"] = "done"
    response = send(coordinator, world.meeting, form)
    assert response.status_code == 400 and "actions-0-status-error" in response.get_data(as_text=True)
    form["actions-0-status"] = "open"
    assert send(coordinator, world.meeting, form).status_code == 302


def test_owner_choices_are_the_invitees_and_an_actions_former_owner(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    add_action(app, world, "Action d'une personne sortie du comité", owner_id=world.outsider)
    body = coordinator.get(f"/meetings/{world.meeting}/minutes/edit").get_data(as_text=True)
    select = body.split('name="actions-1-owner"')[1].split("</select>")[0]
    values = set(re.findall(r'<option[^>]*value="([^"]*)"', select))
    expected = {"", "other", *map(str, (world.coordinator, world.secretary, *world.members, world.outsider))}
    assert values == expected
