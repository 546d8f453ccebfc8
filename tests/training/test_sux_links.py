"""Trainers' path after review: own calendars and e-mails to people with an account link to the signed-in
session page, the public calendar and outside people keep the public page; the public page offers its
managers a link; "My trainings" lists the sessions one gives, in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coord.calendar.sources import PERSON, Scope, Window
from coord.extensions import db
from coord.training import sessions
from coord.training.calendar import SOURCE, TRAINING
from coord.training.models import TrainingSession
from tests.directory.factories import email_of, make_person
from tests.support import counted_queries, logged_in, text
from tests.training.factories_att import make_session as make_past_session
from tests.training.factories_ses import coordinator, make_session, outbox, person, register, session_input


def _open_session(app, boss: int, trainer: int) -> tuple[int, str]:
    session_id = make_session(app, boss, audience="open", trainer_ids=[trainer])
    with app.app_context():
        return session_id, db.session.get(TrainingSession, session_id).ref


def _window() -> Window:
    now = datetime.now(UTC)
    return Window(now, now + timedelta(days=60))


def test_own_calendars_link_to_the_signed_in_page_the_public_one_to_the_public_page(app):
    boss, trainer = coordinator(app), make_person(app)
    _, ref = _open_session(app, boss, trainer)
    with app.test_request_context():
        [own] = SOURCE.events(Scope(PERSON, trainer), _window())
        [public] = SOURCE.events(Scope(TRAINING), _window())
    assert own.url == f"/training/sessions/{ref}"
    assert public.url == f"/trainings/{ref}"


def test_e_mails_to_trainers_link_to_the_signed_in_page_outside_people_to_the_public_page(app):
    boss, trainer = coordinator(app), make_person(app)
    session_id, ref = _open_session(app, boss, trainer)
    register(app, session_id, status="registered")  # an outside person
    with app.test_request_context():
        sessions.confirm(person(boss), session_id)
        [to_trainer] = outbox("training/session_notice")
        assert to_trainer.context["url"].endswith(f"/training/sessions/{ref}")
        assert f"/training/sessions/{ref}" in str(to_trainer.attachments)
    with app.test_request_context():
        changed = session_input(audience="open", trainer_ids=[trainer], place="Salle 305")
        sessions.change(person(boss), session_id, changed)
        mails = outbox("training/session_notice")[1:]
        outside = [m for m in mails if m.person_id is None]
        inside = [m for m in mails if m.person_id == trainer]
        assert outside and inside
        assert all(m.context["url"].endswith(f"/trainings/{ref}") for m in outside)
        assert all(f"/training/sessions/{ref}" not in str(m.attachments) for m in outside)
        assert all(m.context["url"].endswith(f"/training/sessions/{ref}") for m in inside)


def test_the_public_page_offers_its_trainer_and_the_coordinator_the_signed_in_page(app, client):
    boss, trainer, other = coordinator(app), make_person(app), make_person(app)
    _, ref = _open_session(app, boss, trainer)
    link = f'href="/training/sessions/{ref}"'
    assert link not in text(client.get(f"/trainings/{ref}"))
    for who, shown in ((other, False), (trainer, True), (boss, True)):
        reader = logged_in(app.test_client(), email_of(app, who))
        page = text(reader.get(f"/trainings/{ref}"))
        assert (link in page and "Gérer cette séance" in page) is shown


def test_my_trainings_lists_the_sessions_i_give_in_a_fixed_number_of_queries(app, client):
    boss, trainer = coordinator(app), make_person(app)
    _, ref = _open_session(app, boss, trainer)
    make_past_session(app, days=-400, trainer_ids=[trainer])  # long past: not listed
    logged_in(client, email_of(app, trainer))
    with counted_queries(app) as few:
        page = text(client.get("/training/mine"))
    assert "Les séances que je donne" in page
    assert (
        f'href="/training/sessions/{ref}"' in page and f'href="/training/sessions/{ref}/registrants"' in page
    )
    assert page.count("/registrants") == 1
    recent = make_past_session(app, days=-3, trainer_ids=[trainer])
    for days in (10, 20, 40):
        make_session(app, boss, days=days, trainer_ids=[trainer])
    with counted_queries(app) as many:
        page = text(client.get("/training/mine"))
    assert len(many) == len(few)
    assert page.count("/registrants") == 5 and f"/training/sessions/{recent}/registrants" in page
    outsider = logged_in(app.test_client(), email_of(app, make_person(app)))
    assert "Les séances que je donne" not in text(outsider.get("/training/mine"))
