"""What the demo accounts see in "My trainings" once `seed-demo` has run: every state, from their own
accounts (brief F)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord.calendar.freebusy import busy_times
from coord.calendar.sources import Window
from coord.core.localtime import utcnow
from coord.demo import seed_demo
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.modules import MODULES
from coord.training import prerequisites
from coord.training.models import (
    HOLDING,
    Attendance,
    Audience,
    Registration,
    RegistrationStatus,
    TrainingRequest,
)
from coord.training.registration_pages import MinePage, MineRow, mine
from tests.directory.factories import make_organization, make_person
from tests.support import logged_in, text

PLAN_LINK = "Trouver une séance dans le plan annuel"
ACCOUNTS = ("coordinator", "partner", "intervenant", "police", "requester")


def _account(name: str) -> Person:
    return db.session.scalar(sa.select(Person).where(Person.email == f"{name}@demo.coord.test"))


def _full(row: MineRow) -> bool:
    session = row.session
    return sum(r.status in HOLDING for r in session.registrations) == session.capacity


def _not_training(person: Person, page: MinePage) -> None:
    for row in [*page.upcoming, *page.waiting, *page.offers, *page.past]:
        assert person.id not in {t.id for t in row.session.trainers}, row.session.module.code


def test_each_demo_account_sees_its_own_states(app):
    with app.app_context():
        seed_demo(list(MODULES), "pw")
        now = utcnow()

        partner = _account("partner")
        page = mine(partner)
        _not_training(partner, page)
        assert [row.position for row in page.waiting] == [2]
        assert _full(page.waiting[0])
        assert len(page.offers) == 1 and _full(page.offers[0])
        left = page.offers[0].registration.offer_expires_at - now
        assert timedelta(hours=29) < left <= timedelta(hours=30)
        assert page.offers[0].session.id != page.waiting[0].session.id
        for row in [*page.waiting, *page.offers]:
            assert row.session.starts_at > now
            assert prerequisites.missing(row.session.module, partner.id) == []

        intervenant = _account("intervenant")
        page = mine(intervenant)
        _not_training(intervenant, page)
        assert page.upcoming and all(row.session.starts_at > now for row in page.upcoming)
        marks = {row.registration.attendance: row for row in page.past}
        assert marks[Attendance.PRESENT].has_attestation
        assert not marks[Attendance.PARTIAL].has_attestation

        police = _account("police")
        page = mine(police)
        _not_training(police, page)
        assert any(row.session.audience == Audience.OPEN for row in page.upcoming)

        requester = _account("requester")
        page = mine(requester)
        assert [row.session.audience for row in page.upcoming] == [Audience.OPEN]
        school = db.session.get(Organization, requester.organization_id)
        assert school.short_name == "ESJM" and not school.is_partner
        own_requests = db.session.scalars(
            sa.select(TrainingRequest).where(TrainingRequest.requested_by_id == requester.id)
        ).all()
        assert [r.organization_id for r in own_requests] == [school.id]


def test_demo_accounts_registrations_name_the_account_and_fit_their_calendars(app):
    with app.app_context():
        seed_demo(list(MODULES), "pw")
        window = Window(utcnow() - timedelta(days=400), utcnow() + timedelta(days=400))
        for name in ACCOUNTS:
            person = _account(name)
            rows = db.session.scalars(sa.select(Registration).where(Registration.person_id == person.id))
            for row in rows:
                assert (row.name, row.email) == ("", ""), name
                assert row.organization_key == f"org:{person.organization_id}"
                assert row.language == person.preferred_language
                assert row.registered_by_id == person.id
                if row.status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
                    assert prerequisites.missing(row.session.module, person.id) == []
            busy = [b for b in busy_times(person.id, window) if b.kind == "training"]
            assert busy, name
            for first, second in zip(busy, busy[1:], strict=False):
                assert first.end <= second.start, (name, first, second)


def test_my_trainings_links_to_the_plan_when_nothing_is_to_come(app, client):
    organization_id = make_organization(app, is_partner=True)
    make_person(app, roles=("partner",), email="nouvelle@example.org", organization_id=organization_id)
    make_person(app, roles=("admin",), email="admin-x@example.org")
    body = text(logged_in(client, "nouvelle@example.org").get("/training/mine"))
    assert f'Aucune formation à venir. <a href="/training/">{PLAN_LINK}</a>' in body
    body = text(logged_in(app.test_client(), "admin-x@example.org").get("/training/mine"))
    assert "Aucune formation à venir." in body and PLAN_LINK not in body


def test_each_demo_account_reads_its_states_in_french(app):
    with app.app_context():
        seed_demo(list(MODULES), "pw-demo-2026")
        db.session.commit()
    seen = {}
    for name in ("partner", "intervenant", "police", "requester"):
        client = logged_in(app.test_client(), f"{name}@demo.coord.test", "pw-demo-2026")
        seen[name] = text(client.get("/training/mine"))
    assert "Places qui vous sont offertes" in seen["partner"]
    assert "Rang sur la liste d'attente\u00a0: 2" in seen["partner"]
    assert "Présence\u00a0: présent·e en partie" in seen["intervenant"]
    assert "Télécharger" in seen["intervenant"]
    for name in ("police", "requester"):
        assert "Aucune formation à venir" not in seen[name]
