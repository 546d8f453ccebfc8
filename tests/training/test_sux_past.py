"""Sessions that have begun or ended, after review: no more changes (service and page), "Terminée" instead of
seats and registration dates (with the number present for the coordinator and trainers), no "Cancel" on
the registrants of a begun session; a scheduled request links to its session."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coord.core.errors import ServiceError
from coord.extensions import db
from coord.training import sessions
from coord.training.models import TrainingRequest
from tests.directory.factories import email_of, make_person
from tests.support import csrf_token, logged_in, post_form, text
from tests.training.factories_att import make_session as make_past_session
from tests.training.factories_att import register, registration, session_id
from tests.training.factories_ses import coordinator, in_days, person, session_input


def _marked(app, ref: str, attendance: str) -> None:
    with app.app_context():
        registration(ref).attendance = attendance
        db.session.commit()


def test_a_begun_session_can_no_longer_be_changed_and_its_attendance_stands(app, client):
    boss, trainer = coordinator(app), make_person(app)
    ref = make_past_session(app, days=-1, parts=3, trainer_ids=[trainer])  # yesterday to tomorrow: under way
    seat = register(app, ref, person_id=make_person(app))
    _marked(app, seat, "present")
    with app.test_request_context():
        with pytest.raises(ServiceError) as refused:
            sessions.change(person(boss), session_id(app, ref), session_input(days=30, trainer_ids=[trainer]))
        assert "a commencé" in str(refused.value.message) or "begun" in str(refused.value.message)
    with app.app_context():
        assert registration(seat).attendance == "present"
        assert registration(seat).session.place == "Centre SPHÈRES"
    logged_in(client, email_of(app, boss))
    page = text(client.get(f"/training/sessions/{ref}"))
    assert f"/training/sessions/{ref}/edit" not in page and "En cours" in page
    edit = client.get(f"/training/sessions/{ref}/edit")
    assert edit.status_code == 303 and edit.headers["Location"].endswith(f"/training/sessions/{ref}")
    assert "ne peut plus être modifiée" in text(client.get(edit.headers["Location"]))
    posted = post_form(client, f"/training/sessions/{ref}/edit", {"capacity": "5"})
    assert posted.status_code == 303
    with app.app_context():
        assert registration(seat).session.capacity == 10


def test_an_ended_session_says_so_with_the_number_present_for_its_managers(app, client):
    boss, trainer = coordinator(app), make_person(app)
    ref = make_past_session(app, days=-3, trainer_ids=[trainer], audience="open")
    for attendance in ("present", "present", "absent"):
        _marked(app, register(app, ref, person_id=make_person(app)), attendance)
    for who in (boss, trainer):
        reader = logged_in(app.test_client(), email_of(app, who))
        page = text(reader.get(f"/training/sessions/{ref}"))
        assert "Terminée · 2 personnes présentes" in page
        assert "places libres" not in page and "Inscriptions du" not in page
    logged_in(client, email_of(app, boss))
    plan = text(client.get("/training/"))
    assert "Terminée · 2 personnes présentes" in plan
    partner = logged_in(app.test_client(), email_of(app, make_person(app)))
    page = text(partner.get(f"/training/sessions/{ref}"))
    assert "Terminée" in page and "présentes" not in page
    public = text(app.test_client().get(f"/trainings/{ref}"))
    assert "Terminée" in public and "présentes" not in public and "places libres" not in public


def test_the_registrants_of_a_begun_session_offer_no_cancel(app, client):
    boss = coordinator(app)
    past = make_past_session(app, days=-2)
    coming = make_past_session(app, days=10)
    seats = {ref: register(app, ref, person_id=make_person(app)) for ref in (past, coming)}
    waiting = register(app, coming, status="waiting")
    logged_in(client, email_of(app, boss))
    page = text(client.get(f"/training/sessions/{past}/registrants"))
    assert f"/training/registrations/{seats[past]}/cancel" not in page
    page = text(client.get(f"/training/sessions/{coming}/registrants"))
    assert f"/training/registrations/{seats[coming]}/cancel" in page
    assert f"/training/registrations/{waiting}/cancel" in page


def test_a_scheduled_request_links_to_its_session(app, client):
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
        "details": "Plutôt en après-midi.",
        "website": "",
    }
    outside = app.test_client()
    token = csrf_token(outside, "/trainings/request")
    assert outside.post("/trainings/request", data={**form, "csrf_token": token}).status_code == 303
    boss = coordinator(app)
    with app.app_context():
        request_ref = db.session.scalar(sa.select(TrainingRequest.ref))
    logged_in(client, email_of(app, boss))
    page = text(client.get(f"/training/requests/{request_ref}"))
    assert f'href="/training/sessions/new?request={request_ref}"' in page and "Voir la séance" not in page
    with app.test_request_context():
        made = sessions.create(person(boss), session_input(), request_ref).ref
    page = text(client.get(f"/training/requests/{request_ref}"))
    assert "Voir la séance" in page and f'href="/training/sessions/{made}"' in page
