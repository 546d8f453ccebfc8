"""Bad input to the agenda gives a form message or a 400, never a 500, half-written data or stored script."""

from __future__ import annotations

import re

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings import agenda
from coord.meetings.models import AgendaItem
from tests.calendar.factories import meeting_of, person
from tests.directory.factories import make_person
from tests.meetings.factories import ITEM_FORM, add, editor_client, item_count, item_order, post
from tests.support import text


def test_bad_durations_titles_and_presenters_get_a_form_message(app, client):
    committee, coordinator, (member, _), meeting = editor_client(app, client)
    inactive = make_person(app, active=False)
    cases = [
        {"duration_minutes": "0"},
        {"duration_minutes": "-5"},
        {"duration_minutes": "601"},
        {"duration_minutes": "abc"},
        {"duration_minutes": ""},
        {"duration_minutes": "1e3"},
        {"duration_minutes": "9" * 400},
        {"duration_minutes": "--5"},
        {"duration_minutes": "٣٠"},
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 201},
        {"kind": "vote"},
        {"presenter_id": "999999"},
        {"presenter_id": str(inactive)},
        {"presenter_id": "abc"},
        {"presenter_name": "n" * 121},
        {"presenter_id": str(member), "presenter_name": "Aussi un nom"},
        {"description": "d" * 20_001},
    ]
    for case in cases:
        response = post(client, meeting, "/items", ITEM_FORM | case)
        assert response.status_code == 400, case
        assert 'class="errors"' in response.get_data(as_text=True) or "flash-error" in response.get_data(
            as_text=True
        ), case
    assert item_count(app, meeting) == 0

    item = add(app, coordinator, meeting, "Ouverture", 20)
    for case in cases:
        assert post(client, meeting, f"/items/{item}/edit", ITEM_FORM | case).status_code == 400, case
    assert item_order(app, meeting) == [("Ouverture", 1)]
    with app.app_context():
        assert db.session.get(AgendaItem, item).duration_minutes == 20


def test_the_service_refuses_what_a_form_would_not_send(app):
    committee, coordinator, _, meeting = _meeting(app)
    with app.app_context():
        actor = person(coordinator)
        for data, field in [
            (agenda.ItemData("Point", 0), "duration_minutes"),
            (agenda.ItemData("Point", 601), "duration_minutes"),
            (agenda.ItemData("Point", True), "duration_minutes"),
            (agenda.ItemData("", 10), "title"),
            (agenda.ItemData("x" * 201, 10), "title"),
            (agenda.ItemData("Point", 10, kind="vote"), "kind"),
            (agenda.ItemData("Point", 10, presenter_id=2**40), "presenter_id"),
            (agenda.ItemData("Point", 10, description="d" * 20_001), "description"),
        ]:
            try:
                agenda.add_item(actor, meeting, data)
            except agenda.ServiceError as error:
                assert error.field == field, data
            else:
                raise AssertionError(f"accepted {data}")
        assert not meeting_of(meeting).agenda_items


def _meeting(app):
    from tests.meetings.factories import committee_meeting

    return committee_meeting(app)


def test_an_agenda_holds_at_most_100_items_and_a_huge_reorder_is_refused(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    with app.app_context():
        db.session.add_all(
            AgendaItem(meeting_id=meeting, position=n, title=f"Point {n}", duration_minutes=1)
            for n in range(1, 101)
        )
        db.session.commit()
    response = post(client, meeting, "/items", ITEM_FORM)
    assert response.status_code == 400 and "flash-error" in response.get_data(as_text=True)
    assert item_count(app, meeting) == 100
    ids = [str(n) for n in range(1, 10_001)]
    assert post(client, meeting, "/reorder", {"item_ids": ids}).status_code == 400
    assert [position for _, position in item_order(app, meeting)] == list(range(1, 101))
    with app.app_context():
        try:
            agenda.reorder(person(coordinator), meeting, list(range(1, 10_001)))
        except agenda.ServiceError as error:
            assert error.field == "item_ids"
        else:
            raise AssertionError("a 10,000-id reorder was accepted")


def test_html_in_a_description_is_kept_as_typed_and_never_runs(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    typed = (
        "Voir **le bilan** <script>alert('x')</script>\n\n"
        '<img src=x onerror="alert(1)"> [lien](javascript:alert(1)) '
        "[site](https://spheres.example/bilan)\n\n<iframe src=//evil></iframe>"
    )
    title = "<script>alert('titre')</script> Bilan"
    form = ITEM_FORM | {"title": title, "description": typed, "presenter_name": "<b>Dre</b> Roy"}
    assert post(client, meeting, "/items", form).status_code == 303
    with app.app_context():
        item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting))
        assert (item.title, item.description, item.presenter_name) == (title, typed, "<b>Dre</b> Roy")
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert "<script" not in html.lower() and "<iframe" not in html.lower() and "<img" not in html.lower()
    assert not re.search(r"<[^>]*onerror", html, re.IGNORECASE)  # typed markup stays text
    assert 'href="javascript' not in html.lower()
    assert "<strong>le bilan</strong>" in html
    assert '<a href="https://spheres.example/bilan" rel="noopener noreferrer">site</a>' in html
    assert "<script>alert('x')</script>" in text(client.get(f"/meetings/{meeting}/agenda"))  # shown as text
    edit_page = client.get(f"/meetings/{meeting}/agenda/items/{item.id}/edit").get_data(as_text=True)
    assert "<script" not in edit_page.lower()


def test_unknown_meetings_items_and_directions(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    item = add(app, coordinator, meeting, "Ouverture", 20)
    assert client.get("/meetings/2147483647/agenda").status_code == 404
    assert client.get("/meetings/99999999999/agenda").status_code == 404
    assert post(client, 2147483647, "/items", ITEM_FORM).status_code == 404
    assert client.get(f"/meetings/{meeting}/agenda/items/2147483647/edit").status_code == 404
    for direction in ("", "left", "UP", "up" * 1000):
        assert post(client, meeting, f"/items/{item}/move", {"direction": direction}).status_code == 400
    assert client.get(f"/meetings/{meeting}/agenda/publish").status_code == 200  # its confirmation page
    assert client.post(f"/meetings/{meeting}/agenda/items", data=ITEM_FORM).status_code == 400  # no CSRF
    assert item_count(app, meeting) == 1


def test_an_item_stays_editable_after_its_presenter_is_deactivated(app, client):
    committee, coordinator, (member, _), meeting = editor_client(app, client)
    item = add(app, coordinator, meeting, "Bilan", 20, presenter_id=member)
    with app.app_context():
        person(member).active = False
        db.session.commit()
    form = ITEM_FORM | {"title": "Bilan annuel", "presenter_id": str(member)}
    assert post(client, meeting, f"/items/{item}/edit", form).status_code == 303
    assert item_order(app, meeting) == [("Bilan annuel", 1)]
    assert post(client, meeting, "/items", form).status_code == 400  # but not on a new item
