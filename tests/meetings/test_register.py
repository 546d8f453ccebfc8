"""A committee's register of decisions and the CSV exports of its decisions and actions."""

from __future__ import annotations

import csv
import io

from coord.meetings.models import MinutesState
from tests.meetings.minutes_support import add_action, client_of, minutes_world
from tests.meetings.register_factories import minutes_with_decisions
from tests.support import text


def _csv(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_register_lists_decisions_under_their_item_for_members(app):
    world = minutes_world(app, items=2)
    minutes_with_decisions(
        app,
        world.meeting,
        MinutesState.APPROVED,
        [(world.items[1], "Le comité adopte le plan."), (None, "Autre")],
    )
    page = client_of(app, world.member).get(f"/meetings/committee/{world.committee}/decisions")
    assert page.status_code == 200
    body = text(page)
    assert "Registre des décisions" in body
    assert "2. Point 2" in body and "Le comité adopte le plan." in body and "Autre" in body


def test_register_hides_draft_decisions_from_members_but_not_from_editors(app):
    world = minutes_world(app)
    minutes_with_decisions(app, world.meeting, MinutesState.DRAFT, [(None, "Décision en brouillon")])
    url = f"/meetings/committee/{world.committee}/decisions"
    assert "Décision en brouillon" not in text(client_of(app, world.member).get(url))
    assert "Décision en brouillon" in text(client_of(app, world.secretary).get(url))
    assert "Décision en brouillon" not in client_of(app, world.member).get(url + ".csv").get_data(
        as_text=True
    )


def test_register_and_exports_are_refused_to_outsiders(app):
    world = minutes_world(app)
    outsider = client_of(app, world.outsider)
    assert outsider.get(f"/meetings/committee/{world.committee}/decisions").status_code == 403
    assert outsider.get(f"/meetings/committee/{world.committee}/decisions.csv").status_code == 403
    assert outsider.get(f"/actions/committee/{world.committee}.csv").status_code == 403
    assert client_of(app, world.member).get("/meetings/committee/999999/decisions.csv").status_code == 404


def test_decisions_csv_neutralizes_formulas(app):
    world = minutes_world(app)
    minutes_with_decisions(app, world.meeting, MinutesState.APPROVED, [(world.items[0], "=HYPERLINK(1)")])
    response = client_of(app, world.member).get(f"/meetings/committee/{world.committee}/decisions.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Date", "Rencontre", "Point", "Décision", "Procès-verbal"]
    assert rows[1][2] == "1. Point 1"
    assert rows[1][3] == "'=HYPERLINK(1)"


def test_actions_csv_lists_the_committees_actions_neutralized(app):
    world = minutes_world(app)
    minutes_with_decisions(app, world.meeting, MinutesState.APPROVED, [])
    add_action(app, world, "@SUM(A1) appeler le CLSC", owner_name="-Karim")
    add_action(app, world, "Réserver la salle", status="done")
    client = client_of(app, world.member)
    rows = _csv(client.get(f"/actions/committee/{world.committee}.csv"))
    assert rows[0][2] == "Action"
    described = {row[2]: row for row in rows[1:]}
    assert described["'@SUM(A1) appeler le CLSC"][3] == "'-Karim"
    assert "Réserver la salle" in described
    only_open = _csv(client.get(f"/actions/committee/{world.committee}.csv?status=open"))
    assert [row[2] for row in only_open[1:]] == ["'@SUM(A1) appeler le CLSC"]


def test_actions_csv_with_an_unknown_status_gives_a_message(app):
    world = minutes_world(app)
    response = client_of(app, world.member).get(f"/actions/committee/{world.committee}.csv?status=nope")
    assert response.status_code == 400
    assert "Choisissez" in text(response) or "choisissez" in text(response)
