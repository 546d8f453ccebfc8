"""The coordinator's list of requests: tabs by status in the right order, search, links, fixed queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.outreach.models import OutreachRequest
from tests.outreach.factories_admin import client_as, local, make_presenter, make_request
from tests.support import counted_queries, text


@pytest.fixture
def coordinator(app):
    return client_as(app)


def _ref(app, request_id: int) -> str:
    with app.app_context():
        return db.session.get(OutreachRequest, request_id).ref


def _shown(response) -> list[str]:
    """The organizations listed, in order."""
    return re.findall(r'<h3><a href="/outreach/requests/[A-Za-z0-9_-]{16}">([^<]+)</a>', text(response))


def test_waiting_requests_first_oldest_first_linked_to_their_page(app, coordinator):
    now = utcnow()
    newer = make_request(app, organization_name="Maison des jeunes B", created_at=now - timedelta(days=1))
    older = make_request(app, organization_name="École A", created_at=now - timedelta(days=5))
    make_request(app, organization_name="CLSC C", state="declined")
    response = coordinator.get("/outreach/requests")
    assert response.status_code == 200
    assert _shown(response) == ["École A", "Maison des jeunes B"]
    html = text(response)
    assert f'href="/outreach/requests/{_ref(app, older)}"' in html
    assert f'href="/outreach/requests/{_ref(app, newer)}"' in html
    # Each tab says how many; the preferred windows are in Québec French.
    assert re.search(r"À traiter <span class=\"badge\">2</span>", html)
    assert "de 13\u00a0h à 15\u00a0h" in html


def test_confirmed_by_date_and_the_past_ones_flagged(app, coordinator):
    presenter = make_presenter(app)
    later = make_request(
        app,
        organization_name="Plus tard",
        state="confirmed",
        starts_at=local(30, 13),
        ends_at=local(30, 14, 30),
        presenter_ids=[presenter],
    )
    sooner = make_request(
        app,
        organization_name="Bientôt",
        state="confirmed",
        starts_at=local(8, 9),
        ends_at=local(8, 10, 30),
        reschedule_asked=True,
    )
    past = make_request(
        app, organization_name="Passée", state="confirmed", starts_at=local(-2, 9), ends_at=local(-2, 10, 30)
    )
    response = coordinator.get("/outreach/requests?state=confirmed")
    assert _shown(response) == ["Passée", "Bientôt", "Plus tard"]
    html = text(response)
    cards = html.split('class="card request-card"')[1:]
    assert "Bilan à consigner" in cards[0] and "Bilan à consigner" not in cards[1]
    assert "Autre date demandée" in cards[1]
    assert "13\u00a0h à 14\u00a0h\u00a030" in cards[2] and "Présenté par" in cards[2]
    assert {later, sooner, past}


def test_closed_tabs_most_recent_first(app, coordinator):
    first = make_request(
        app, organization_name="Ancienne", state="held", starts_at=local(-60, 9), ends_at=local(-60, 10)
    )
    second = make_request(
        app, organization_name="Récente", state="held", starts_at=local(-5, 9), ends_at=local(-5, 10)
    )
    with app.app_context():
        db.session.get(OutreachRequest, second).people_reached = 41
        db.session.commit()
    response = coordinator.get("/outreach/requests?state=held")
    assert _shown(response) == ["Récente", "Ancienne"]
    assert "41 personnes jointes" in text(response)
    assert first


def test_search_by_name_region_and_milieu(app, coordinator):
    make_request(app, organization_name="Maison des jeunes du Marigot", region="13", milieu="youth_centre")
    make_request(app, organization_name="École secondaire Jeanne-Mance", region="06", milieu="school")
    make_request(app, organization_name="100% jeunesse_test", region="16", milieu="community")
    assert _shown(coordinator.get("/outreach/requests?q=marigot")) == ["Maison des jeunes du Marigot"]
    assert _shown(coordinator.get("/outreach/requests?region=06")) == ["École secondaire Jeanne-Mance"]
    assert _shown(coordinator.get("/outreach/requests?milieu=youth_centre")) == [
        "Maison des jeunes du Marigot"
    ]
    # % and _ are letters, not wildcards.
    assert _shown(coordinator.get("/outreach/requests?q=100%25")) == ["100% jeunesse_test"]
    assert _shown(coordinator.get("/outreach/requests?q=s_e")) == []
    empty = coordinator.get("/outreach/requests?q=introuvable")
    assert "Aucune demande ne correspond à cette recherche." in text(empty)
    # The filters survive a change of tab.
    assert "state=confirmed" in text(coordinator.get("/outreach/requests?region=13")) and "region=13" in text(
        coordinator.get("/outreach/requests?region=13")
    )
    for query in ("state=bogus", "region=99", "milieu=bar", "q=" + "x" * 201, "page=abc", "page=-1"):
        assert coordinator.get(f"/outreach/requests?{query}").status_code == 400, query


def test_the_number_of_queries_does_not_grow_with_the_requests(app, coordinator):
    presenters = [make_presenter(app) for _ in range(2)]

    def add(count: int) -> None:
        for n in range(count):
            make_request(
                app,
                state="confirmed",
                starts_at=local(15 + n, 9),
                ends_at=local(15 + n, 10, 30),
                presenter_ids=presenters,
            )
            make_request(app)

    def queries(state: str) -> int:
        coordinator.get(f"/outreach/requests?state={state}")  # warm (the session's person is loaded)
        with counted_queries(app) as statements:
            assert coordinator.get(f"/outreach/requests?state={state}").status_code == 200
        return len(statements)

    add(2)
    few = queries("confirmed"), queries("requested")
    add(20)
    assert (queries("confirmed"), queries("requested")) == few


@pytest.mark.parametrize(
    "roles", [("partner",), ("requester",), ("researcher",), ("intervenant",), ("admin",)]
)
def test_only_the_coordinator_sees_the_list(app, roles):
    make_request(app, organization_name="École confidentielle", contact_name="Nom Secret")
    client = client_as(app, roles=roles)
    response = client.get("/outreach/requests")
    assert response.status_code == 403
    assert "Nom Secret" not in text(response)
    # Nor is it in their menu.
    assert 'href="/outreach/requests"' not in text(client.get("/"))


def test_the_coordinator_menu_links_to_the_list(app, coordinator):
    html = text(coordinator.get("/"))
    assert '<a href="/outreach/requests">Sensibilisation</a>' in html
