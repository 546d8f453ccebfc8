"""What the review of the merged training calendar found, each shown fixed: the public feed gives no video
link; a begun session cannot be cancelled; a free seat goes to a newcomer when nobody waiting may take it;
an outside person never gets a seat on a partners-only session; a typed organization name counts with the
directory's organization; the public registration form is capped per address; seat bookkeeping reaches no
calendar while a module's new title reaches the feeds; a far-future closing date is a message."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from coord.calendar.models import CalendarScopeState
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.directory.models import Organization
from coord.extensions import db
from coord.training import catalogue, registration, sessions, waitlist
from coord.training.models import Registration, Trainer, TrainingModule, TrainingSession
from coord.training.registration import OutsideData
from tests.directory.factories import make_organization
from tests.support import post_form
from tests.training.factories_reg import (
    coordinator,
    email_of,
    make_session,
    partner,
    partner_org,
    person,
    registrations,
    session_ref,
    update_session,
)
from tests.training.factories_ses import session_input


def _statuses(app, session_id: int) -> dict[int, str]:
    return {r.id: r.status for r in registrations(app, session_id)}


def test_the_public_feed_gives_no_video_link_but_the_trainers_own_calendar_does(app, client):
    trainer = partner(app)
    session_id = make_session(app, audience="open", video_url="https://meet.example/secret-room")
    with app.app_context():
        db.session.add(Trainer(session_id=session_id, person_id=trainer))
        db.session.commit()
    public = client.get("/feeds/public/training.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in public and "secret-room" not in public
    with app.app_context():
        from coord.calendar.sources import PERSON, Scope, Window, events_for

        now = utcnow()
        own = events_for(Scope(PERSON, trainer), Window(now, now + timedelta(days=60)))
        assert [e.video_url for e in own] == ["https://meet.example/secret-room"]


def test_a_session_that_has_begun_cannot_be_cancelled_and_its_attendance_stands(app):
    boss = coordinator(app)
    session_id = make_session(app, starts_at=utcnow() - timedelta(hours=1))
    with app.app_context():
        db.session.add(Registration(session_id=session_id, status="registered", email="a@example.org"))
        db.session.commit()
        with pytest.raises(ServiceError, match="a commencé"):
            sessions.cancel(person(boss), session_id, "Formateur malade")
        assert db.session.get(TrainingSession, session_id).status == "confirmed"
    assert list(_statuses(app, session_id).values()) == ["registered"]


def test_a_free_seat_goes_to_a_newcomer_when_nobody_waiting_may_take_it(app):
    """Capacity 3, 2 seats per organization. A, B and C hold the seats; A's second and third people wait.
    B cancels: A's second gets the offer. C cancels: A's third may not take it (A holds 2). A newcomer of
    another organization then gets that seat at once, instead of waiting behind nobody who may take it."""
    from coord.training import cancellation

    session_id = make_session(app, capacity=3, per_organization_limit=2)
    org_a = partner_org(app)
    a1, a2, a3 = (partner(app, org_a) for _ in range(3))
    b1, c1, d1 = partner(app), partner(app), partner(app)
    with app.app_context():
        for someone in (a1, b1, c1, a2, a3):
            registration.register_self(person(someone), session_id)
    for leaving in (b1, c1):
        with app.app_context():
            ref = db.session.scalar(sa.select(Registration.ref).where(Registration.person_id == leaving))
            cancellation.cancel(person(leaving), ref)
    with app.app_context():
        registration.register_self(person(d1), session_id)
        by_person = {r.person_id: r.status for r in db.session.scalars(sa.select(Registration))}
    assert (by_person[a2], by_person[a3], by_person[d1]) == ("offered", "waiting", "registered")


def test_an_outside_person_never_gets_a_seat_on_a_session_made_partners_only(app, client):
    session_id = make_session(app, audience="open")
    ref = session_ref(app, session_id)
    with app.app_context():
        registration.register_outside(ref, OutsideData("Camille Roy", "camille@example.org", "École X", "fr"))
        pending = db.session.scalar(sa.select(Registration))
        from coord.training import links

        token = links.token_for(pending, "verify")
    update_session(app, session_id, audience="partners")
    with app.app_context(), pytest.raises(ServiceError, match="réservée aux personnes"):
        registration.verify(token)
    assert list(_statuses(app, session_id).values()) == ["unverified"]


def test_a_typed_organization_name_counts_with_the_directorys_organization(app):
    org = partner_org(app)
    with app.app_context():
        name = db.session.get(Organization, org).name
        assert waitlist.organization_key(None, f"  {name.upper()} ") == f"org:{org}"
        assert waitlist.organization_key(None, "Maison des jeunes  Saint-Michel") == (
            "name:maison des jeunes saint-michel"
        )


def test_the_public_registration_form_is_capped_per_address(make_app):
    app = make_app(TRAINING_REGISTRATIONS_PER_ADDRESS="3 per hour")
    client = app.test_client()
    ref = session_ref(app, make_session(app, audience="open"))
    codes = []
    for n in range(4):
        data = {
            "name": "Camille Roy",
            "email": f"c{n}@example.org",
            "organization": "École X",
            "language": "fr",
        }
        path = f"/trainings/{ref}/register"
        codes.append(post_form(client, path, data, token_page=path).status_code)
    assert codes == [200, 200, 200, 429]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 3


def _generations(app) -> dict[str, int]:
    with app.app_context():
        return {row.scope: row.generation for row in db.session.scalars(sa.select(CalendarScopeState))}


def test_seat_bookkeeping_reaches_no_calendar_but_a_renamed_module_reaches_the_feeds(app, client):
    boss = coordinator(app)
    session_id = make_session(app, audience="open")
    first = client.get("/feeds/public/training.ics")
    before = _generations(app)
    with app.app_context():
        registration.register_outside(
            session_ref(app, session_id), OutsideData("Camille Roy", "c@example.org", "École X", "fr")
        )
    assert _generations(app).get("training:") == before.get("training:")  # the public calendar: unchanged
    again = client.get("/feeds/public/training.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    with app.app_context():
        module = db.session.get(TrainingSession, session_id).module
        values = {
            "title_fr": "Titre renommé",
            "title_en": module.title_en,
            "description_fr": module.description_fr,
            "description_en": module.description_en,
            "audience_fr": module.audience_fr,
            "audience_en": module.audience_en,
            "duration_minutes": module.duration_minutes,
            "prerequisite_ids": [],
            "active": True,
        }
        catalogue.update_module(person(boss), module.code, values)
    renamed = client.get("/feeds/public/training.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert renamed.status_code == 200 and "Titre renommé" in renamed.get_data(as_text=True)


def test_a_module_cannot_require_a_module_that_requires_it(app):
    boss = coordinator(app)
    with app.app_context():
        initial = catalogue.find_module("mi-initial")
        continuing = catalogue.find_module("mi-continuing")  # requires the initial module
        values = {
            "title_fr": initial.title_fr,
            "title_en": initial.title_en,
            "duration_minutes": initial.duration_minutes,
            "prerequisite_ids": [continuing.id],
            "active": True,
        }
        with pytest.raises(ServiceError) as refused:
            catalogue.update_module(person(boss), "mi-initial", values)
        assert refused.value.field == "prerequisite_ids"
        assert catalogue.find_module("mi-initial").prerequisites == []


def test_a_far_future_closing_date_is_a_message_not_a_crash(app):
    boss = coordinator(app)
    with app.app_context(), pytest.raises(ServiceError) as refused:
        sessions.create(person(boss), session_input(registration_closes=date(9999, 12, 31)))
    assert refused.value.field == "registration_closes"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(TrainingModule.id))) >= 11
        assert db.session.scalar(sa.select(sa.func.count(TrainingSession.id))) == 0


def test_once_begun_the_coordinator_cancels_no_registration_and_confirms_nothing(app):
    from coord.training import cancellation

    boss = coordinator(app)
    begun = make_session(app, starts_at=utcnow() - timedelta(minutes=30), status="planned")
    with app.app_context():
        held = Registration(
            session_id=begun, status="registered", email="a@example.org", attendance="present"
        )
        db.session.add(held)
        db.session.commit()
        with pytest.raises(ServiceError, match="a commencé"):
            cancellation.cancel(person(boss), held.ref)
        with pytest.raises(ServiceError, match="a commencé"):
            sessions.confirm(person(boss), begun)
        assert db.session.get(Registration, held.id).status == "registered"
        assert db.session.get(TrainingSession, begun).status == "planned"


def test_a_session_made_partners_only_offers_no_seat_to_an_outside_person_waiting(app):
    from coord.training import cancellation

    session_id = make_session(app, capacity=1, audience="open")
    seated = partner(app)
    with app.app_context():
        registration.register_self(person(seated), session_id)
        waiting = Registration(
            session_id=session_id, status="waiting", email="w@example.org", name="W", queue_number=1
        )
        db.session.add(waiting)
        db.session.get(TrainingSession, session_id).next_queue_number = 2
        db.session.commit()
    update_session(app, session_id, audience="partners")
    with app.app_context():
        ref = db.session.scalar(sa.select(Registration.ref).where(Registration.person_id == seated))
        cancellation.cancel(person(seated), ref)
        assert db.session.scalar(
            sa.select(Registration.status).where(Registration.email == "w@example.org")
        ) == ("waiting")


def test_an_accented_organization_name_matches_on_every_backend(app):
    school = make_organization(app, name="École secondaire Jeanne-Mance", sector="education")
    with app.app_context():
        assert waitlist.organization_key(None, "ÉCOLE SECONDAIRE  jeanne-mance") == f"org:{school}"


def test_every_page_links_the_public_pages_for_visitors_without_an_account(client):
    """The login page (and every other) lists, in its footer, what a visitor may open without an account:
    the modules' public pages, from their manifests."""
    page = client.get("/login").get_data(as_text=True)
    footer = page[page.index('<footer class="site-footer">') :]
    for path, label in (
        ("/outreach/request", "Demander une séance de sensibilisation"),
        ("/trainings/", "Formations ouvertes à tous"),
        ("/trainings/attestations/verify", "Vérifier une attestation"),
    ):
        assert f'href="{path}"' in footer and label in footer
        assert client.get(path).status_code == 200


def test_my_trainings_gives_every_waiting_place_in_a_fixed_number_of_queries(app, client):
    """Each waiting place's rank is read in one query for all of them, not one per registration."""
    from tests.support import counted_queries, logged_in, text
    from tests.training.factories_ses import make_session as plan_session
    from tests.training.factories_ses import register as add_registration

    boss, me = coordinator(app), partner(app)
    logged_in(client, email_of(app, me))

    def wait_on_a_new_session(ahead: int, days: int) -> None:
        session_id = plan_session(app, boss, days=days, capacity=1)
        add_registration(app, session_id)  # the seat
        for _ in range(ahead):
            add_registration(app, session_id, status="waiting")
        add_registration(app, session_id, status="waiting", person_id=me)

    wait_on_a_new_session(ahead=2, days=30)
    client.get("/training/mine")
    with counted_queries(app) as few:
        page = text(client.get("/training/mine"))
    assert "Rang sur la liste d'attente\u00a0: 3" in page
    for days, ahead in ((31, 0), (32, 4), (33, 1)):
        wait_on_a_new_session(ahead=ahead, days=days)
    with counted_queries(app) as many:
        page = text(client.get("/training/mine"))
    assert len(many) == len(few)
    assert all(f"Rang sur la liste d'attente\u00a0: {rank}" in page for rank in (1, 2, 3, 5))


def test_only_the_coordinator_edits_confirms_registers_others_and_changes_the_catalogue(app, client):
    """The forbidden paths a partner's intervenant might try by URL: each a 403, nothing changed."""
    from tests.support import logged_in

    session_id = make_session(app, status="planned")
    ref = session_ref(app, session_id)
    someone = partner(app)
    logged_in(client, email_of(app, someone))
    for path in (f"/training/sessions/{ref}/edit", f"/training/sessions/{ref}/register-someone"):
        assert client.get(path).status_code == 403, path
    for path, data in (
        (f"/training/sessions/{ref}/edit", {"capacity": "99"}),
        (f"/training/sessions/{ref}/confirm", {}),
        (f"/training/sessions/{ref}/register-someone", {"person": str(someone)}),
        (
            "/training/modules/trauma/edit",
            {"title_fr": "Piraté", "title_en": "Hijacked", "duration_minutes": "60"},
        ),
    ):
        assert post_form(client, path, data, token_page="/").status_code == 403, path
    with app.app_context():
        session = db.session.get(TrainingSession, session_id)
        assert (session.status, session.capacity, registrations(app, session_id)) == ("planned", 10, [])
        assert catalogue.find_module("trauma").title_en == "Trauma-informed approaches"
