"""The requesters' own page, their home page card and menu entry, and who may see which request."""

from __future__ import annotations

from datetime import timedelta

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.outreach.models import OutreachRequest
from tests.directory.factories import email_of, make_organization, make_person
from tests.outreach.factories_requests import confirm_directly, make_request, presenter
from tests.support import logged_in, text


def _requester(app, organization_id=None, roles=("requester",), **values):
    organization_id = organization_id or make_organization(app)
    return make_person(app, roles=roles, organization_id=organization_id, **values), organization_id


def _set(app, request_id, **values):
    with app.app_context():
        request = db.session.get(OutreachRequest, request_id)
        for name, value in values.items():
            setattr(request, name, value)
        db.session.commit()


def test_the_home_page_offers_a_requester_something_to_do(app):
    requester, _org = _requester(app)
    client = logged_in(app.test_client(), email_of(app, requester))
    home = text(client.get("/"))
    assert "Séances de sensibilisation" in home
    assert 'href="/outreach/request"' in home and "Demander une séance" in home
    assert 'href="/outreach/mine"' in home  # the card, and the menu entry


def test_the_coordinator_and_the_researcher_get_no_requester_card(app):
    for roles in (("coordinator",), ("researcher",)):
        person = make_person(app, roles=roles)
        client = logged_in(app.test_client(), email_of(app, person))
        home = text(client.get("/"))
        assert "outreach-card" not in home  # (the footer's public link to the form is for everyone)
        assert "Demander une séance" not in home[: home.index('<footer class="site-footer">')]


def test_the_card_counts_waiting_requests_and_names_the_next_session(app):
    requester, _org = _requester(app)
    make_request(app, requester)
    make_request(app, requester, contact_email="autre@mdj.example")
    confirmed = make_request(app, requester, contact_email="trois@mdj.example")
    confirm_directly(app, confirmed, presenter(app), utcnow() + timedelta(days=15))
    client = logged_in(app.test_client(), email_of(app, requester))
    home = text(client.get("/"))
    assert "2 demandes en attente de confirmation." in home
    assert "Prochaine séance\u00a0:" in home


def test_my_requests_groups_by_state_with_what_was_agreed(app):
    requester, organization = _requester(app)
    colleague, _ = _requester(app, organization, display_name="Collègue")
    waiting = make_request(app, requester, organization_name="Attente")
    upcoming = make_request(app, colleague, organization_name="À venir")  # a colleague's: same organization
    confirm_directly(
        app, upcoming, presenter(app, display_name="Julie Gagnon"), utcnow() + timedelta(days=20)
    )
    held = make_request(app, requester, organization_name="Tenue", contact_email="held@x.example")
    _set(
        app,
        held,
        state="held",
        people_reached=37,
        starts_at=utcnow() - timedelta(days=40),
        ends_at=utcnow() - timedelta(days=40) + timedelta(hours=1),
    )
    declined = make_request(app, requester, organization_name="Refus", contact_email="d@x.example")
    _set(app, declined, state="declined", decline_reason="Hors territoire.")
    client = logged_in(app.test_client(), email_of(app, requester))
    page = text(client.get("/outreach/mine"))
    order = [
        page.index(title)
        for title in (
            "En attente de confirmation",
            "Séances à venir",
            "Séances passées",
            "Refusées ou annulées",
        )
    ]
    assert order == sorted(order)
    assert "Julie Gagnon" in page
    assert "37 personnes rejointes." in page
    assert "Hors territoire." in page
    assert "Moment proposé\u00a0:" in page
    # Each row the reader may act on links to its requester page.
    assert page.count("/outreach/follow/") == 4
    assert 'href="/outreach/request"' in page
    del waiting


def test_another_organizations_requester_sees_none_of_them(app):
    requester, _org = _requester(app)
    make_request(app, requester, organization_name="École Secrète")
    public = make_request(app, organization_name="Demande publique")  # no organization, no account
    outsider, _ = _requester(app)
    client = logged_in(app.test_client(), email_of(app, outsider))
    page = text(client.get("/outreach/mine"))
    assert "École Secrète" not in page and "Demande publique" not in page
    assert "Aucune demande pour l’instant." in page
    del public


def test_an_intervenant_sees_only_what_they_asked_for_not_their_organizations(app):
    requester, organization = _requester(app)
    make_request(app, requester, organization_name="Demande de la requérante")
    intervenant = make_person(app, roles=("intervenant",), organization_id=organization)
    make_request(app, intervenant, organization_name="Ma propre demande", contact_email="i@x.example")
    client = logged_in(app.test_client(), email_of(app, intervenant))
    page = text(client.get("/outreach/mine"))
    assert "Ma propre demande" in page and "Demande de la requérante" not in page


def test_the_researcher_and_the_administrator_may_not_open_the_page(app):
    for roles in (("researcher",), ("admin",)):
        person = make_person(app, roles=roles)
        client = logged_in(app.test_client(), email_of(app, person))
        assert client.get("/outreach/mine").status_code == 403
        assert "/outreach/mine" not in text(client.get("/"))


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/outreach/mine")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
