"""The audit log: what is written, that it cannot be changed, and how the coordinator reads it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from coord import audit
from coord.audit import AuditEntry, AuditLogIsAppendOnly
from coord.extensions import db
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import logged_in, login, post_form, text


def actions(app):
    with app.app_context():
        return [(e.action, e.outcome) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_changes_to_people_roles_and_organizations_are_audited(app, client):
    coordinator_id = make_person(app, roles=("coordinator",))
    organization_id = make_organization(app)
    logged_in(client, email_of(app, coordinator_id))
    post_form(
        client,
        "/people/new",
        {
            "email": "a@example.org",
            "display_name": "A",
            "organization_id": organization_id,
            "preferred_language": "fr",
            "roles": ["partner"],
        },
    )
    with app.app_context():
        new_id = db.session.scalar(select(AuditEntry.object_id).where(AuditEntry.action == "person.create"))
    post_form(
        client,
        f"/people/{new_id}/edit",
        {
            "email": "a@example.org",
            "display_name": "A B",
            "organization_id": organization_id,
            "preferred_language": "en",
            "roles": ["partner", "intervenant"],
        },
    )
    post_form(client, f"/people/{new_id}/deactivate")
    post_form(client, "/organizations/new", {"name": "Maison X", "short_name": "MX", "sector": "community"})
    recorded = actions(app)
    for expected in [
        "auth.login",
        "person.create",
        "person.update",
        "person.roles",
        "person.deactivate",
        "organization.create",
    ]:
        assert (expected, "success") in recorded, expected
    with app.app_context():
        update = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.update"))
        assert update.detail == "fields=display_name,preferred_language"
        assert update.actor_id == coordinator_id
        roles = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.roles"))
        assert roles.detail == "added=intervenant;removed="


def test_the_orm_refuses_to_update_or_delete_entries(app):
    with app.test_request_context():
        audit.record("test.entry", actor=audit.SYSTEM, object_type="thing", object_id=1)
        db.session.commit()
        entry = db.session.scalar(select(AuditEntry))
        entry.detail = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.scalar(select(AuditEntry)))
        with pytest.raises(AuditLogIsAppendOnly):
            db.session.commit()
        db.session.rollback()


def test_the_database_refuses_to_update_or_delete_entries(app):
    with app.test_request_context():
        audit.record("test.entry", actor=audit.SYSTEM)
        db.session.commit()
        for statement in ("UPDATE audit_entry SET detail = 'x'", "DELETE FROM audit_entry"):
            with pytest.raises(sa.exc.DatabaseError):
                db.session.execute(sa.text(statement))
            db.session.rollback()
        assert db.session.scalar(select(sa.func.count(AuditEntry.id))) == 1
        assert db.session.scalar(select(AuditEntry.detail)) == ""


def test_the_application_offers_no_way_to_change_the_log(app):
    audit_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("directory_audit.")]
    assert audit_rules
    for rule in audit_rules:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}
    assert not [name for name in vars(audit) if name.startswith(("delete", "update", "purge", "edit"))]


def test_coordinator_reads_and_filters_the_log(app, client):
    coordinator = email_of(app, make_person(app, roles=("coordinator",)))
    victim = email_of(app, make_person(app))
    login(app.test_client(), victim, "bad password 12345")
    logged_in(client, coordinator)
    page = text(client.get("/audit/"))
    table = page.split("<tbody>")[1]
    assert "<td>Ouverture de session</td>" in table and "auth.login" not in table  # French speaks French
    assert '<option value="auth.login">Ouverture de session</option>' in page  # the filter, in words too
    failures = text(client.get("/audit/?outcome=failure&action=auth.login"))
    assert failures.count("<td>Ouverture de session</td>") == 1
    mine = text(client.get("/audit/?actor=" + coordinator.upper()))
    assert "<td>Ouverture de session</td>" in mine
    nobody = text(client.get("/audit/?actor=nobody@example.org"))
    assert "<td>Ouverture de session</td>" not in nobody


@pytest.mark.parametrize(
    "query", ["since=not-a-date", "outcome=bogus", "action=" + "x" * 200, "since=2026-13-45"]
)
def test_bad_filters_give_400_not_500(app, client, query):
    logged_in(client, email_of(app, make_person(app, roles=("coordinator",))))
    assert client.get("/audit/?" + query).status_code == 400


def test_date_filter_and_paging(app, client):
    logged_in(client, email_of(app, make_person(app, roles=("coordinator",))))
    assert client.get("/audit/?since=2020-01-01&until=2099-12-31").status_code == 200
    assert client.get("/audit/?page=2").status_code == 200
    assert client.get("/audit/?page=-3").status_code == 400
    assert client.get("/audit/?page=0").status_code == 404
    assert client.get("/audit/?until=9999-12-31").status_code == 400
