"""Forbidden paths found in review: admin takeover, re-invitation, guessing, odd input."""

from __future__ import annotations

from sqlalchemy import select

from coord.directory.models import Person
from coord.extensions import db
from tests.directory.factories import email_of, enrol, link_in, make_committee, make_person, outbox_messages
from tests.support import PASSWORD, logged_in, post_form, text


def test_coordinator_cannot_edit_invite_or_reactivate_an_administrator(app):
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    admin_id = make_person(app, roles=("admin",))
    with app.app_context():
        admin = db.session.get(Person, admin_id)
        data = {
            "email": "attacker@example.org",
            "display_name": admin.display_name,
            "organization_id": admin.organization_id,
            "preferred_language": "fr",
            "roles": ["admin"],
        }
    assert coordinator.get(f"/people/{admin_id}/edit").status_code == 403
    assert post_form(coordinator, f"/people/{admin_id}/edit", data).status_code == 403
    assert post_form(coordinator, f"/people/{admin_id}/invite").status_code == 403
    with app.app_context():
        db.session.get(Person, admin_id).active = False
        db.session.commit()
    assert post_form(coordinator, f"/people/{admin_id}/reactivate").status_code == 403
    with app.app_context():
        admin = db.session.get(Person, admin_id)
        assert admin.email != "attacker@example.org" and not admin.active


def test_no_invitation_for_someone_who_has_a_password(app):
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    person_id = make_person(app)
    response = post_form(coordinator, f"/people/{person_id}/invite", follow_redirects=True)
    assert "a déjà choisi un mot de passe" in text(response)
    assert outbox_messages(app) == []


def test_wrong_current_passwords_are_limited(app, client):
    logged_in(client, email_of(app, make_person(app)))
    data = {
        "current_password": "wrong guess 123",
        "password": "a brand new passphrase",
        "confirm": "a brand new passphrase",
    }
    statuses = [
        post_form(client, "/account/password", data, token_page="/account/").status_code for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_turning_off_the_second_factor_needs_the_password(app, client):
    person_id = make_person(app)
    logged_in(client, email_of(app, person_id))
    enrol(client)
    post_form(client, "/account/2fa/disable", {"current_password": "not my password"}, token_page="/account/")
    with app.app_context():
        assert db.session.get(Person, person_id).totp_secret is not None
    post_form(client, "/account/2fa/disable", {"current_password": PASSWORD}, token_page="/account/")
    with app.app_context():
        assert db.session.get(Person, person_id).totp_secret is None


def test_non_ascii_digits_in_a_code_get_a_message_not_a_500(app, client):
    logged_in(client, email_of(app, make_person(app)))
    response = post_form(client, "/account/2fa", {"code": "１２３４５６"}, token_page="/account/2fa")
    assert response.status_code == 200 and "n'est pas valide" in text(response)


def test_huge_ids_give_404(app, client):
    logged_in(client, email_of(app, make_person(app, roles=("coordinator",))))
    huge = 10**25
    for url in (
        f"/people/{huge}",
        f"/people/{huge}/edit",
        f"/committees/{huge}",
        f"/organizations/{huge}/edit",
    ):
        assert client.get(url).status_code == 404, url
    assert post_form(client, f"/people/{huge}/deactivate").status_code == 404
    assert client.get(f"/people?organization={huge}").status_code == 400


def test_partners_see_only_their_own_committees_members(app):
    partner_id = make_person(app, roles=("partner",))
    own = make_committee(app, code="clinique", member_ids=[partner_id])
    other = make_committee(app, code="directeur")
    client = logged_in(app.test_client(), email_of(app, partner_id))
    assert client.get(f"/committees/{own}").status_code == 200
    assert client.get(f"/committees/{other}").status_code == 403


def test_reset_request_is_audited_without_an_actor(app):
    from coord.audit import AuditEntry

    address = email_of(app, make_person(app))
    response = post_form(
        app.test_client(), "/password/forgot", {"email": address}, token_page="/password/forgot"
    )
    response.close()  # the answer is sent: the e-mail leaves now
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "auth.password_reset_requested")
        )
        assert entry.actor_id is None and entry.object_type == "person"
    (message,) = outbox_messages(app)
    assert link_in(message, "/password/reset/")
