"""Deactivating an organization deactivates its people (their sessions end, each is audited), after a page
that says how many; reactivating it reactivates nobody."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.directory.models import LoginSession, Organization, Person
from coord.extensions import db
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import counted_queries, csrf_token, logged_in, post_form, text


@pytest.fixture
def coordinator(app):
    return logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))


def _active(app, person_id: int) -> bool:
    with app.app_context():
        return db.session.get(Person, person_id).active


def _audited(app, action: str) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()
        return sorted(entry.object_id for entry in rows)


def test_deactivating_an_organization_deactivates_its_people_and_ends_their_sessions(app, coordinator):
    organization = make_organization(app, name="Maison des jeunes X")
    first, second = (
        make_person(app, organization_id=organization),
        make_person(app, organization_id=organization),
    )
    already = make_person(app, organization_id=organization, active=False)
    elsewhere = make_person(app)
    signed_in = logged_in(app.test_client(), email_of(app, first))
    assert signed_in.get("/").status_code == 200

    page = coordinator.get(f"/organizations/{organization}/deactivate")
    assert page.status_code == 200
    body = text(page)
    assert "Cela désactive aussi ses 2 personnes actives" in body  # says how many, before anything changes
    assert _active(app, first) and _active(app, second)

    response = post_form(coordinator, f"/organizations/{organization}/deactivate")
    assert response.status_code == 302
    assert "2 personnes" in text(coordinator.get(response.headers["Location"]))
    with app.app_context():
        assert not db.session.get(Organization, organization).active
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).where(
                    LoginSession.person_id == first, LoginSession.ended_at.is_(None)
                )
            )
            == 0
        )
    assert not _active(app, first) and not _active(app, second) and not _active(app, already)
    assert _active(app, elsewhere)
    assert signed_in.get("/").status_code == 302  # signed out at once
    assert _audited(app, "organization.deactivate") == [str(organization)]
    assert _audited(app, "person.deactivate") == sorted([str(first), str(second)])


def test_reactivating_the_organization_reactivates_nobody(app, coordinator):
    organization = make_organization(app)
    member = make_person(app, organization_id=organization)
    post_form(coordinator, f"/organizations/{organization}/deactivate")
    response = post_form(coordinator, f"/organizations/{organization}/reactivate")
    assert response.status_code == 302
    message = text(coordinator.get(response.headers["Location"]))
    assert "Ses personnes restent désactivées" in message
    with app.app_context():
        assert db.session.get(Organization, organization).active
    assert not _active(app, member)
    assert _audited(app, "person.reactivate") == []
    assert post_form(coordinator, f"/people/{member}/reactivate").status_code == 302  # whom they choose
    assert _active(app, member)


def test_a_person_of_a_deactivated_organization_stays_deactivated_until_it_is_reactivated(app, coordinator):
    organization = make_organization(app)
    member = make_person(app, organization_id=organization)
    post_form(coordinator, f"/organizations/{organization}/deactivate")
    page = text(coordinator.get(f"/people/{member}"))
    assert "Son organisme est désactivé" in page and f"/people/{member}/reactivate" not in page
    refused = post_form(coordinator, f"/people/{member}/reactivate")
    assert refused.status_code == 302
    assert "Réactivez d'abord son organisme." in text(coordinator.get(refused.headers["Location"]))
    assert not _active(app, member)
    new = post_form(
        coordinator,
        "/people/new",
        {
            "email": "nouvelle@example.org",
            "display_name": "Nouvelle",
            "organization_id": str(organization),
            "preferred_language": "fr",
        },
    )
    assert new.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(Person.id).where(Person.email == "nouvelle@example.org")) is None


def test_an_organization_with_the_coordinator_or_an_administrator_is_not_deactivated_by_them(app):
    organization = make_organization(app)
    coordinator_id = make_person(app, roles=("coordinator",), organization_id=organization)
    colleague = make_person(app, organization_id=organization)
    client = logged_in(app.test_client(), email_of(app, coordinator_id))
    page = text(client.get(f"/organizations/{organization}/deactivate"))
    assert "Vous en faites partie" in page and 'action="/organizations' not in page.split("<main")[1]
    assert post_form(client, f"/organizations/{organization}/deactivate").status_code == 403
    assert _active(app, colleague) and _active(app, coordinator_id)

    with_admin = make_organization(app)
    make_person(app, roles=("admin",), organization_id=with_admin)
    page = text(client.get(f"/organizations/{with_admin}/deactivate"))
    assert "rôle Administrateur·rice" in page
    assert post_form(client, f"/organizations/{with_admin}/deactivate").status_code == 403
    with app.app_context():
        assert (
            db.session.get(Organization, with_admin).active
            and db.session.get(Organization, organization).active
        )


def _statements_to_deactivate(app, coordinator, size: int) -> list[str]:
    organization = make_organization(app)
    for _ in range(size):
        make_person(app, organization_id=organization)
    token = csrf_token(coordinator, f"/organizations/{organization}/deactivate")
    with counted_queries(app) as statements:
        response = coordinator.post(f"/organizations/{organization}/deactivate", data={"csrf_token": token})
    assert response.status_code == 302
    return [statement for statement in statements if not statement.lstrip().upper().startswith("SELECT")]


def test_deactivating_an_organization_writes_in_a_fixed_number_of_statements(app, coordinator):
    """Sessions end in one statement for all its people, who are changed in one batch: besides each
    person's own audit entry, the writes do not grow with their number."""
    small = _statements_to_deactivate(app, coordinator, 2)
    large = _statements_to_deactivate(app, coordinator, 8)
    sessions = [statement for statement in large if "login_session" in statement and "UPDATE" in statement]
    assert len(sessions) == 1

    def besides_audit(statements):
        return [statement for statement in statements if "INSERT INTO audit_entry" not in statement]

    assert len(besides_audit(large)) == len(besides_audit(small)), besides_audit(large)
    assert _audited(app, "person.deactivate") and len(_audited(app, "person.deactivate")) == 10
