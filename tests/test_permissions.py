"""Forbidden paths: each refusal is a 403 page in the reader's language and an audit entry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coord.audit import AuditEntry
from coord.core.permissions import PermissionDenied, may, require
from coord.directory.models import Person
from coord.extensions import db
from tests.directory.factories import email_of, make_person
from tests.support import logged_in, post_form, text


def denied_entries(app):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == "permission.denied")).all()


def test_requester_opening_people_admin_gets_403_and_an_audit_entry(app, client):
    requester_id = make_person(app, roles=("requester",))
    logged_in(client, email_of(app, requester_id))
    response = client.get("/people")
    assert response.status_code == 403
    assert "Accès refusé" in text(response)
    assert "Traceback" not in text(response)
    (entry,) = denied_entries(app)
    assert entry.actor_id == requester_id and entry.outcome == "denied"
    assert entry.detail == "directory.people.manage" and entry.ip == "127.0.0.1"


@pytest.mark.parametrize(
    ("role", "method", "url"),
    [
        ("requester", "get", "/people/new"),
        ("intervenant", "get", "/organizations"),
        ("partner", "get", "/audit/"),
        ("researcher", "get", "/committees"),
        ("requester", "post", "/organizations/new"),
    ],
)
def test_roles_without_the_right_get_403(app, client, role, method, url):
    logged_in(client, email_of(app, make_person(app, roles=(role,))))
    response = post_form(client, url, {"name": "x"}) if method == "post" else client.get(url)
    assert response.status_code == 403
    assert len(denied_entries(app)) == 1


def test_anonymous_visitor_is_sent_to_login(client):
    for url in ("/", "/people", "/audit/", "/account/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_coordinator_cannot_grant_the_admin_role(app, client):
    coordinator_id = make_person(app, roles=("coordinator",))
    target_id = make_person(app)
    logged_in(client, email_of(app, coordinator_id))
    with app.app_context():
        target = db.session.get(Person, target_id)
        data = {
            "email": target.email,
            "display_name": target.display_name,
            "organization_id": target.organization_id,
            "preferred_language": "fr",
            "roles": ["intervenant", "admin"],
        }
    response = post_form(client, f"/people/{target_id}/edit", data)
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Person, target_id).roles == {"intervenant"}


def test_admin_can_grant_admin_but_not_remove_their_own(app, client):
    admin_id = make_person(app, roles=("admin",))
    target_id = make_person(app)
    logged_in(client, email_of(app, admin_id))
    with app.app_context():
        target = db.session.get(Person, target_id)
        base = {"display_name": "X", "preferred_language": "fr", "organization_id": target.organization_id}
        me = db.session.get(Person, admin_id)
    response = post_form(
        client, f"/people/{target_id}/edit", {**base, "email": email_of(app, target_id), "roles": ["admin"]}
    )
    assert response.status_code == 302
    response = post_form(
        client,
        f"/people/{admin_id}/edit",
        {**base, "email": me.email, "organization_id": me.organization_id, "roles": ["coordinator"]},
    )
    assert response.status_code == 400
    assert "votre propre rôle" in text(response)


def test_nobody_deactivates_themselves_and_coordinators_cannot_deactivate_admins(app, client):
    coordinator_id = make_person(app, roles=("coordinator",))
    admin_id = make_person(app, roles=("admin",))
    logged_in(client, email_of(app, coordinator_id))
    assert post_form(client, f"/people/{coordinator_id}/deactivate").status_code == 403
    assert post_form(client, f"/people/{admin_id}/deactivate").status_code == 403
    with app.app_context():
        assert db.session.get(Person, admin_id).active


def test_unknown_actions_and_inactive_people_are_refused(app):
    person_id = make_person(app, roles=("coordinator",))
    with app.test_request_context():
        person = db.session.get(Person, person_id)
        assert may(person, "directory.people.manage")
        assert not may(person, "no.such.action")
        assert not may(None, "directory.people.manage")
        person.active = False
        assert not may(person, "directory.people.manage")
        with pytest.raises(PermissionDenied):
            require(person, "directory.people.manage")


def test_navigation_follows_the_role(app):
    requester = logged_in(app.test_client(), email_of(app, make_person(app, roles=("requester",))))
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    assert 'href="/people"' not in text(requester.get("/"))
    page = text(coordinator.get("/"))
    assert 'href="/people"' in page and 'href="/audit/"' in page
