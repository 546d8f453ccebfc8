"""The session form after review: the rows it needs (2 for a new session, the parts plus one when changing),
"Add a part" re-renders with one more row and saves nothing; trainers as checkboxes among the active
intervenants, partners and coordinators (the service refuses anyone else); from a request, its details
beside the form and never in the registrants' notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.core.errors import ServiceError
from coord.extensions import db
from coord.training import sessions
from coord.training.models import MAX_PARTS, TrainingRequest, TrainingSession
from tests.directory.factories import email_of, make_person
from tests.support import csrf_token, logged_in, post_form, text
from tests.training.factories_ses import coordinator, in_days, make_session, module_id, person, session_input

NEW = "/training/sessions/new"


def _rows(page: str) -> int:
    return sum(1 for n in range(MAX_PARTS + 1) if f'name="parts-{n}-day"' in page)


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
        "audience": "partners",
        "language": "fr",
        "cancel_hours_before": "48",
        "offer_hours": "48",
        "place": "Salle 201",
        "notes": "",
    }
    data.update(values)
    return data


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession))


def test_the_form_shows_the_rows_it_needs_and_adds_one_without_saving(app, client):
    boss = coordinator(app)
    logged_in(client, email_of(app, boss))
    page = text(client.get(NEW))
    assert _rows(page) == 2 and 'name="add_part"' in page
    empty = {"parts-1-day": "", "parts-1-start": "", "parts-1-end": ""}  # the browser sends both rows
    added = post_form(client, NEW, {**_form(app), **empty, "add_part": "1"}, token_page=NEW)
    assert added.status_code == 200 and _count(app) == 0
    page = text(added)
    assert _rows(page) == 3 and 'value="09:30"' in page  # what was typed stays
    full = {f"parts-{n}-day": "" for n in range(MAX_PARTS)}
    page = text(post_form(client, NEW, {**_form(app), **full, "add_part": "1"}, token_page=NEW))
    assert _rows(page) == MAX_PARTS and 'name="add_part"' not in page
    two_days = {"parts-1-day": in_days(31).isoformat(), "parts-1-start": "09:00", "parts-1-end": "12:00"}
    saved = post_form(client, NEW, _form(app, **two_days), token_page=NEW)
    assert saved.status_code == 302 and _count(app) == 1
    with app.app_context():
        ref = db.session.scalar(sa.select(TrainingSession.ref))
    assert _rows(text(client.get(f"/training/sessions/{ref}/edit"))) == 3


def test_trainers_are_checkboxes_of_people_who_may_train(app, client):
    boss = coordinator(app)
    may = {
        make_person(app, roles=(role,), display_name=f"Peut {role}") for role in ("intervenant", "partner")
    }
    may_not = [
        make_person(app, roles=(role,), display_name=f"Exclu {role}")
        for role in ("requester", "researcher", "admin")
    ]
    inactive = make_person(app, display_name="Exclu inactif", active=False)
    logged_in(client, email_of(app, boss))
    page = text(client.get(NEW))
    for who in may | {boss}:
        assert f'type="checkbox" value="{who}"' in page or f'value="{who}" type="checkbox"' in page
    assert "Peut intervenant" in page and "Exclu" not in page and "Ctrl" not in page
    for who in [*may_not, inactive]:
        with app.test_request_context(), pytest.raises(ServiceError) as refused:
            sessions.create(person(boss), session_input(trainer_ids=[who]))
        assert refused.value.field == "trainer_ids"
    response = post_form(client, NEW, _form(app, trainer_ids=str(may_not[0])), token_page=NEW)
    assert response.status_code == 400 and _count(app) == 0
    assert "intervenant·e·s, partenaires et coordonnateur·rice·s" in text(response)
    assert post_form(client, NEW, _form(app, trainer_ids=sorted(may)), token_page=NEW).status_code == 302


def test_a_former_trainer_stays_on_the_session_being_changed(app):
    boss, trainer = coordinator(app), make_person(app)
    session_id = make_session(app, boss, trainer_ids=[trainer])
    with app.app_context():
        person(trainer).role_rows[0].role = "requester"
        db.session.commit()
    with app.test_request_context():
        changed = sessions.change(person(boss), session_id, session_input(trainer_ids=[trainer], capacity=12))
        assert changed.capacity == 12 and [t.id for t in changed.trainers] == [trainer]


def test_a_request_s_details_are_shown_beside_the_form_never_copied_to_the_notes(app, client):
    outside = app.test_client()
    form = {
        "organization_name": "École Saint-Luc",
        "contact_name": "Marie Côté",
        "contact_email": "marie@example.org",
        "module": "trauma",
        "audience": "Le personnel",
        "expected_size": "25",
        "period_start": in_days(20).isoformat(),
        "period_end": in_days(90).isoformat(),
        "language": "fr",
        "details": "Deux élèves suivis par la DPJ dans le groupe.",
        "website": "",
    }
    token = csrf_token(outside, "/trainings/request")
    assert outside.post("/trainings/request", data={**form, "csrf_token": token}).status_code == 303
    with app.app_context():
        ref = db.session.scalar(sa.select(TrainingRequest.ref))
    logged_in(client, email_of(app, coordinator(app)))
    page = text(client.get(NEW, query_string={"request": ref}))
    beside, notes = page.split('name="notes"', 1)
    assert "Deux élèves suivis par la DPJ" in beside.split('id="request-details"', 1)[1]
    assert "DPJ" not in notes.split("</textarea>", 1)[0]
    assert f'value="{ref}"' in page and _rows(page) == 2
