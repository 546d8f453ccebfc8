"""The coordinator publishes presenters, sets their languages and weekly windows, deactivates them."""

from __future__ import annotations

from datetime import time

import pytest
import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.extensions import db
from coord.outreach.models import AvailabilityWindow, Presenter
from tests.directory.factories import make_organization, make_person
from tests.outreach.factories_admin import client_as, make_presenter, partner_person
from tests.support import post_form, text


@pytest.fixture
def coordinator(app):
    return client_as(app)


def _presenter(app, presenter_id) -> Presenter:
    with app.app_context():
        presenter = db.session.get(Presenter, presenter_id)
        presenter.windows  # noqa: B018 (loaded before the session ends)
        db.session.expunge_all()
        return presenter


def _windows(app, presenter_id) -> list[tuple[int, time, time]]:
    with app.app_context():
        return [
            (w.weekday, w.starts, w.ends)
            for w in db.session.scalars(
                sa.select(AvailabilityWindow)
                .where(AvailabilityWindow.presenter_id == presenter_id)
                .order_by(AvailabilityWindow.weekday, AvailabilityWindow.starts)
            )
        ]


def test_publish_a_person_of_a_partner_organization(app, coordinator):
    person_id = partner_person(app, display_name="Karine Intervenante")
    outsider = make_person(app, display_name="Pierre Extérieur")  # not a partner organization
    page = text(coordinator.get("/outreach/presenters"))
    assert "Karine Intervenante" in page and "Pierre Extérieur" not in page
    response = post_form(
        coordinator,
        "/outreach/presenters",
        {"person_id": str(person_id), "languages": ["fr", "en"]},
        token_page="/outreach/presenters",
    )
    assert response.status_code == 302
    with app.app_context():
        presenter = db.session.scalar(sa.select(Presenter).where(Presenter.person_id == person_id))
        assert presenter.active and presenter.languages == "fr,en"
        assert db.session.scalar(
            sa.select(AuditEntry.id).where(AuditEntry.action == "outreach.presenter.publish")
        )
    assert response.location.endswith(f"/outreach/presenters/{presenter.id}")
    page = text(coordinator.get(response.location))
    assert "Karine Intervenante a été ajoutée" not in page  # the flash names them (see below)
    assert "Karine Intervenante" in page and "Français, Anglais" in page

    # Someone outside the partner organizations, twice the same person, or no language: a form message.
    for data, message in [
        ({"person_id": str(outsider), "languages": ["fr"]}, "Choisissez une personne active"),
        ({"person_id": "99999999999", "languages": ["fr"]}, "Choisissez une personne active"),
        ({"person_id": str(person_id), "languages": ["fr"]}, "figure déjà parmi"),
        ({"person_id": str(partner_person(app)), "languages": []}, "au moins une langue"),
        ({"person_id": str(partner_person(app)), "languages": ["fr", "de"]}, "au moins une langue"),
    ]:
        response = post_form(coordinator, "/outreach/presenters", data, token_page="/outreach/presenters")
        assert response.status_code == 400, data
        assert message in text(response), data
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Presenter)) == 1


def test_candidates_are_active_people_who_may_present(app, coordinator):
    partner_org = make_organization(app, is_partner=True)
    inactive_org = make_organization(app, is_partner=True, active=False)
    shown = partner_person(app, organization_id=partner_org, display_name="Présente Oui")
    researcher = partner_person(
        app, organization_id=partner_org, roles=("researcher",), display_name="Cherche Non"
    )
    gone = partner_person(app, organization_id=partner_org, active=False, display_name="Partie Non")
    closed = partner_person(app, organization_id=inactive_org, display_name="Fermé Non")
    page = text(coordinator.get("/outreach/presenters"))
    assert "Présente Oui" in page
    for name in ("Cherche Non", "Partie Non", "Fermé Non"):
        assert name not in page
    for person_id in (researcher, gone, closed):
        response = post_form(
            coordinator, "/outreach/presenters", {"person_id": str(person_id), "languages": ["fr"]}
        )
        assert response.status_code == 400
    assert shown


def test_windows_are_checked(app, coordinator):
    presenter_id = make_presenter(app, windows=[(1, "9:00", "12:00")])
    url = f"/outreach/presenters/{presenter_id}/windows"
    page = f"/outreach/presenters/{presenter_id}"
    ok = post_form(coordinator, url, {"weekday": "1", "starts": "13:00", "ends": "16:30"}, token_page=page)
    assert ok.status_code == 302
    touching = post_form(
        coordinator, url, {"weekday": "1", "starts": "12:00", "ends": "13:00"}, token_page=page
    )
    assert touching.status_code == 400  # an hour is shorter than a session (90 minutes by default)
    assert "au moins une séance (90\u00a0minutes)" in text(touching)
    for data, message in [
        (
            {"weekday": "1", "starts": "11:00", "ends": "14:00"},
            "chevauche une autre plage ce jour-là (9\u00a0h à 12\u00a0h)",
        ),
        ({"weekday": "2", "starts": "14:00", "ends": "13:00"}, "La fin doit venir après le début."),
        ({"weekday": "2", "starts": "14:00", "ends": "14:00"}, "La fin doit venir après le début."),
        ({"weekday": "7", "starts": "9:00", "ends": "12:00"}, "Choisissez un jour de la semaine."),
        ({"weekday": "lundi", "starts": "9:00", "ends": "12:00"}, "Choisissez un jour de la semaine."),
        ({"weekday": "2", "starts": "25:00", "ends": "26:00"}, "pas un horaire valide"),
        ({"weekday": "2", "starts": "", "ends": "12:00"}, "Ce champ est obligatoire."),
        ({"weekday": "2", "starts": "9:00" * 2500, "ends": "12:00"}, ""),
    ]:
        response = post_form(coordinator, url, data, token_page=page)
        assert response.status_code == 400, data
        assert message in text(response), (data, text(response)[:3000])
    assert _windows(app, presenter_id) == [(1, time(9), time(12)), (1, time(13), time(16, 30))]
    # The page lists them by day, in Québec French.
    html = text(coordinator.get(page))
    assert "Mardi" in html and "9\u00a0h à 12\u00a0h" in html and "13\u00a0h à 16\u00a0h\u00a030" in html


def test_remove_a_window(app, coordinator):
    presenter_id = make_presenter(app, windows=[(1, "9:00", "12:00"), (3, "13:00", "16:00")])
    with app.app_context():
        window_id = db.session.scalar(
            sa.select(AvailabilityWindow.id).where(
                AvailabilityWindow.presenter_id == presenter_id, AvailabilityWindow.weekday == 1
            )
        )
    page = f"/outreach/presenters/{presenter_id}"
    response = post_form(coordinator, f"{page}/windows/{window_id}/remove", token_page=page)
    assert response.status_code == 302
    assert _windows(app, presenter_id) == [(3, time(13), time(16))]
    # Another presenter's window, through this presenter's URL: not found, nothing removed.
    other = make_presenter(app, windows=[(2, "9:00", "12:00")])
    with app.app_context():
        other_window = db.session.scalar(
            sa.select(AvailabilityWindow.id).where(AvailabilityWindow.presenter_id == other)
        )
    assert post_form(coordinator, f"{page}/windows/{other_window}/remove", token_page=page).status_code == 404
    assert _windows(app, other) == [(2, time(9), time(12))]


def test_languages_deactivate_and_reactivate(app, coordinator):
    presenter_id = make_presenter(app, windows=[(1, "9:00", "12:00")])
    page = f"/outreach/presenters/{presenter_id}"
    assert (
        post_form(coordinator, f"{page}/languages", {"languages": ["en"]}, token_page=page).status_code == 302
    )
    assert _presenter(app, presenter_id).languages == "en"
    refused = post_form(coordinator, f"{page}/languages", {}, token_page=page)
    assert refused.status_code == 400 and "au moins une langue" in text(refused)
    assert _presenter(app, presenter_id).languages == "en"

    response = post_form(coordinator, f"{page}/deactivate", token_page=page)
    assert response.status_code == 302 and not _presenter(app, presenter_id).active
    html = text(coordinator.get(page))
    assert "n'est pas offerte" in html and "Offrir de nouveau" in html
    listing = text(coordinator.get("/outreach/presenters"))
    assert "non offert·e" in listing
    assert post_form(coordinator, f"{page}/reactivate", token_page=page).status_code == 302
    assert _presenter(app, presenter_id).active


def test_reactivating_needs_an_active_account(app, coordinator):
    person_id = partner_person(app)
    presenter_id = make_presenter(app, person_id=person_id, active=False)
    with app.app_context():
        from coord.directory.models import Person

        db.session.get(Person, person_id).active = False
        db.session.commit()
    page = f"/outreach/presenters/{presenter_id}"
    response = post_form(coordinator, f"{page}/reactivate", token_page=page, follow_redirects=True)
    assert "réactivez-le d'abord dans le répertoire" in text(response)
    assert not _presenter(app, presenter_id).active


@pytest.mark.parametrize(
    "roles", [("partner",), ("requester",), ("researcher",), ("intervenant",), ("admin",)]
)
def test_only_the_coordinator_manages_presenters(app, roles):
    presenter_id = make_presenter(app, windows=[(1, "9:00", "12:00")])
    with app.app_context():
        window_id = db.session.scalar(sa.select(AvailabilityWindow.id))
    candidate = partner_person(app)
    client = client_as(app, roles=roles)
    for url in ("/outreach/presenters", f"/outreach/presenters/{presenter_id}"):
        assert client.get(url).status_code == 403, url
    base = f"/outreach/presenters/{presenter_id}"
    for url, data in [
        ("/outreach/presenters", {"person_id": str(candidate), "languages": ["fr"]}),
        (f"{base}/languages", {"languages": ["en"]}),
        (f"{base}/windows", {"weekday": "2", "starts": "9:00", "ends": "12:00"}),
        (f"{base}/windows/{window_id}/remove", {}),
        (f"{base}/deactivate", {}),
        (f"{base}/reactivate", {}),
    ]:
        assert post_form(client, url, data).status_code == 403, url
    presenter = _presenter(app, presenter_id)
    assert presenter.active and presenter.languages == "fr"
    assert _windows(app, presenter_id) == [(1, time(9), time(12))]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Presenter)) == 1


def test_signed_out_people_are_sent_to_log_in(app, client):
    presenter_id = make_presenter(app)
    for url in (
        "/outreach/presenters",
        f"/outreach/presenters/{presenter_id}",
        "/outreach/settings",
        "/outreach/requests",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_deactivating_says_how_many_sessions_ahead_stay_theirs(app, coordinator):
    from tests.outreach.factories_admin import local, make_request

    presenter_id = make_presenter(app, windows=[(1, "9:00", "12:00")])
    for days in (12, 19):
        make_request(
            app,
            state="confirmed",
            starts_at=local(days, 9),
            ends_at=local(days, 10, 30),
            presenter_ids=[presenter_id],
        )
    page = f"/outreach/presenters/{presenter_id}"
    html = text(coordinator.get(page))
    assert html.count('href="/outreach/requests/') == 2  # the sessions ahead, linked to their page
    assert "2 séances à venir" in text(coordinator.get("/outreach/presenters"))
    response = post_form(coordinator, f"{page}/deactivate", token_page=page, follow_redirects=True)
    assert "2 séances à venir lui restent assignées" in text(response)
    # Its open times are gone from the page (and from the public form, which reads the same slots).
    assert "Aucune heure offerte" in text(response)
