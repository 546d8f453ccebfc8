"""The session pages over HTTP: the annual plan (a fixed number of queries), the coordinator's form (bad
input is a 400 with the message in French), the session page, the cancellation's confirmation page, the
public list and page, the catalogue; forbidden paths are 403."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from coord.extensions import db
from coord.training.models import TrainingSession
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import counted_queries, logged_in, post_form, text
from tests.training.factories_ses import (
    coordinator,
    in_days,
    make_session,
    module_id,
    register,
)


def _form(app, **values) -> dict:
    day = in_days(30)
    with app.app_context():
        module = module_id("trauma")
    data = {
        "module_id": str(module),
        "parts-0-day": day.isoformat(),
        "parts-0-start": "09:30",
        "parts-0-end": "12:00",
        "capacity": "20",
        "registration_opens": in_days(0).isoformat(),
        "registration_closes": (day - timedelta(days=2)).isoformat(),
        "audience": "open",
        "language": "fr",
        "cancel_hours_before": "48",
        "offer_hours": "48",
        "place": "Salle 201",
        "notes": "",
    }
    data.update(values)
    return data


def test_the_coordinator_plans_a_session_from_the_form(app, client):
    boss = coordinator(app)
    logged_in(client, email_of(app, boss))
    assert client.get("/training/sessions/new").status_code == 200
    response = post_form(client, "/training/sessions/new", _form(app), token_page="/training/sessions/new")
    assert response.status_code == 302, text(response)[:2000]
    page = text(client.get(response.headers["Location"]))
    assert "Les approches sensibles aux traumatismes" in page or "trauma" in page.lower()
    assert "9\u00a0h\u00a030" in page and "20 places libres" in page


def test_bad_input_gives_a_400_with_the_message_beside_the_field(app, client):
    boss = coordinator(app)
    logged_in(client, email_of(app, boss))
    for values, message in [
        ({"capacity": "0"}, "Indiquez une capacité de 1 à 1\u00a0000 personnes."),
        ({"capacity": "-4"}, "Indiquez une capacité de 1 à 1\u00a0000 personnes."),
        ({"capacity": "beaucoup"}, "Indiquez un nombre entier, par exemple 20."),
        ({"parts-0-end": "08:00"}, "La fin doit"),
        ({"registration_closes": in_days(31).isoformat()}, "la veille au plus tard"),
        ({"module_id": "999999"}, "Choisissez un module du catalogue."),
    ]:
        response = post_form(
            client, "/training/sessions/new", _form(app, **values), token_page="/training/sessions/new"
        )
        assert response.status_code == 400, values
        assert message in text(response), values
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0


def test_others_may_not_plan_or_cancel(app, client):
    boss = coordinator(app)
    session_id = make_session(app, boss)
    with app.app_context():
        ref = db.session.get(TrainingSession, session_id).ref
    partner_org = make_organization(app, is_partner=True)
    someone = make_person(app, roles=("intervenant",), organization_id=partner_org)
    logged_in(client, email_of(app, someone))
    assert client.get("/training/sessions/new").status_code == 403
    assert client.get(f"/training/sessions/{ref}/cancel").status_code == 403
    assert post_form(client, f"/training/sessions/{ref}/cancel", {"reason": "x"}).status_code == 403
    page = client.get(f"/training/sessions/{ref}")
    assert page.status_code == 200
    assert "Annuler la séance" not in text(page)


def test_the_cancel_page_says_how_many_are_told_then_cancels(app, client):
    boss = coordinator(app)
    trainer = make_person(app)
    session_id = make_session(app, boss, trainer_ids=[trainer])
    register(app, session_id)
    register(app, session_id, status="waiting")
    with app.app_context():
        ref = db.session.get(TrainingSession, session_id).ref
    logged_in(client, email_of(app, boss))
    page = text(client.get(f"/training/sessions/{ref}/cancel"))
    assert "2 inscriptions sont annulées." in page
    assert "3 personnes sont avisées par courriel" in page
    response = post_form(
        client,
        f"/training/sessions/{ref}/cancel",
        {"reason": ""},
        token_page=f"/training/sessions/{ref}/cancel",
    )
    assert response.status_code == 400
    response = post_form(
        client,
        f"/training/sessions/{ref}/cancel",
        {"reason": "Tempête"},
        token_page=f"/training/sessions/{ref}/cancel",
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(TrainingSession, session_id).status == "cancelled"


def test_the_annual_plan_costs_the_same_queries_for_2_or_30_sessions(app, client):
    boss = coordinator(app)
    logged_in(client, email_of(app, boss))
    today = in_days(0)
    first = (date(today.year + 1, 2, 1) - today).days  # every session in February and March of next year
    year = today.year + 1
    for days in (first, first + 1):
        make_session(app, boss, days=days, trainer_ids=[make_person(app)])
    url = f"/training/?year={year}"
    client.get(url)
    with counted_queries(app) as few:
        small = client.get(url)
    assert small.status_code == 200
    for index in range(28):
        code = ("trauma", "crisis", "entry", "networks")[index % 4]
        session_id = make_session(
            app, boss, days=first + 2 + index, code=code, capacity=3, trainer_ids=[make_person(app)]
        )
        for _ in range(4):
            register(app, session_id, status="registered")
        register(app, session_id, status="waiting")
    with counted_queries(app) as many:
        big = client.get(url)
    assert big.status_code == 200
    assert len(many) == len(few)
    assert "Complet, 1 personne en attente" in text(big)


def test_the_public_list_shows_open_sessions_only(app, client):
    boss = coordinator(app)
    open_id = make_session(app, boss, audience="open", code="crisis")
    closed_id = make_session(app, boss, code="networks", days=35)
    with app.app_context():
        open_ref = db.session.get(TrainingSession, open_id).ref
        closed_ref = db.session.get(TrainingSession, closed_id).ref
    page = client.get("/trainings/")
    assert page.status_code == 200
    body = text(page)
    assert f"/trainings/{open_ref}" in body and closed_ref not in body
    assert "/feeds/public/training.ics" in body and "/calendar/training/month" in body
    assert client.get(f"/trainings/{open_ref}").status_code == 200
    assert client.get(f"/trainings/{closed_ref}").status_code == 404
    assert client.get("/trainings/nope").status_code == 404
    assert client.get(f"/training/sessions/{open_ref}").status_code == 302  # signed-in page: the login first


def test_the_catalogue_and_a_module_page(app, client):
    boss = coordinator(app)
    make_session(app, boss, code="mi-continuing", parts=[(in_days(30), time(9), time(16))])
    logged_in(client, email_of(app, boss))
    assert client.get("/training/modules").status_code == 200
    page = text(client.get("/training/modules/mi-continuing"))
    assert "/training/modules/mi-initial" in page  # its prerequisite
    assert client.get("/training/modules/nope").status_code == 404
    form = client.get("/training/modules/trauma/edit")
    assert form.status_code == 200
    response = post_form(
        client,
        "/training/modules/trauma/edit",
        {"title_fr": "Approches sensibles", "title_en": "Trauma", "duration_minutes": "10", "active": "y"},
        token_page="/training/modules/trauma/edit",
    )
    assert response.status_code == 400
    assert "Indiquez une durée de 30 à 6\u00a0000 minutes." in text(response)


def test_the_edit_form_is_filled_from_the_session_and_saves(app, client):
    boss = coordinator(app)
    session_id = make_session(app, boss, capacity=7)
    with app.app_context():
        ref = db.session.get(TrainingSession, session_id).ref
    logged_in(client, email_of(app, boss))
    page = client.get(f"/training/sessions/{ref}/edit")
    assert page.status_code == 200
    assert 'value="7"' in text(page) and in_days(30).isoformat() in text(page)
    data = _form(app, capacity="9", audience="partners")
    data["parts-0-day"] = in_days(30).isoformat()
    data["registration_closes"] = in_days(29).isoformat()
    response = post_form(
        client, f"/training/sessions/{ref}/edit", data, token_page=f"/training/sessions/{ref}/edit"
    )
    assert response.status_code == 302, text(response)[:3000]
    with app.app_context():
        assert db.session.get(TrainingSession, session_id).capacity == 9
    response = post_form(client, f"/training/sessions/{ref}/confirm", {})
    assert response.status_code == 303  # no trainer yet: refused with a message, nothing changed
    with app.app_context():
        assert db.session.get(TrainingSession, session_id).status == "planned"
