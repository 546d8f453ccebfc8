"""Who an account belongs to: an address changes only when the new address confirms it, the old address is
told, and no operation lets one person act as another."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from coord.audit import AuditEntry
from coord.core.permissions import PermissionDenied
from coord.directory.models import Person
from coord.extensions import db
from tests.calendar.factories import sent_messages
from tests.conferences.factories import schedule_conference
from tests.directory.factories import NEW_PASSWORD, email_of, link_in, make_person, request_reset
from tests.support import PASSWORD, csrf_token, logged_in, login, post_form, text

ATTACKER_ADDRESS = "coordo.perso@example.org"


def to(app, address: str) -> list:
    return [message for message in sent_messages(app) if message["To"] == address]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def person_data(app, person_id: int, **overrides) -> dict:
    with app.app_context():
        person = db.session.get(Person, person_id)
        data = {
            "email": person.email,
            "display_name": person.display_name,
            "organization_id": person.organization_id,
            "preferred_language": person.preferred_language,
            "roles": sorted(person.roles),
        }
    data.update(overrides)
    return data


def audit_actions(app, person_id: int) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == "person", AuditEntry.object_id == str(person_id))
            .order_by(AuditEntry.id)
        )
        return [(entry.action, entry.actor_id, entry.outcome) for entry in rows]


def ask_change(client, person_id: int, address: str):
    return post_form(
        client, f"/people/{person_id}/email", {"email": address}, token_page=f"/people/{person_id}"
    )


def ask_own_change(client, address: str, password: str = PASSWORD):
    return post_form(
        client, "/account/email", {"email": address, "current_password": password}, token_page="/account/"
    )


def confirm(client, path: str):
    return post_form(client, path, token_page=path)


# The hole: a coordinator took over a police officer's account --------------------------------------


def test_a_coordinator_cannot_take_over_an_account_by_changing_its_address(app):
    """The coordinator changed the officer's address to their own, asked for a reset, logged in as the
    officer and read a case conference they were not invited to."""
    conference_id, _organizer, officer_id = schedule_conference(app)
    officer_address = email_of(app, officer_id)
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    assert coordinator.get(f"/conferences/{conference_id}").status_code == 403

    post_form(coordinator, f"/people/{officer_id}/edit", person_data(app, officer_id, email=ATTACKER_ADDRESS))
    request_reset(app, ATTACKER_ADDRESS)

    assert email_of(app, officer_id) == officer_address
    assert to(app, ATTACKER_ADDRESS) == []  # no reset link reaches the coordinator
    assert login(app.test_client(), ATTACKER_ADDRESS).status_code == 200  # not a login
    assert [a for a, _, _ in audit_actions(app, officer_id) if a == "person.update"] == []


def test_coordinators_change_nobodys_address(app):
    coordinator_id = make_person(app, roles=("coordinator",))
    coordinator = logged_in(app.test_client(), email_of(app, coordinator_id))
    for target_id in (
        make_person(app, roles=("partner",)),
        make_person(app, roles=("coordinator",)),
        make_person(app, roles=("intervenant",), password=None),
    ):
        before = email_of(app, target_id)
        page = text(coordinator.get(f"/people/{target_id}"))
        assert f'action="/people/{target_id}/email"' not in page
        assert "administrat" in page  # says who can change it
        assert ask_change(coordinator, target_id, ATTACKER_ADDRESS).status_code == 403
        post_form(
            coordinator, f"/people/{target_id}/edit", person_data(app, target_id, email=ATTACKER_ADDRESS)
        )
        assert email_of(app, target_id) == before
        assert ("permission.denied", coordinator_id, "denied") in audit_actions(app, target_id)
    assert sent_messages(app) == []
    from coord.directory import email_change

    with app.app_context(), pytest.raises(PermissionDenied):
        email_change.request_email_change(db.session.get(Person, coordinator_id), target_id, ATTACKER_ADDRESS)


# Confirmed from the new address, announced to the old one -------------------------------------------


def test_an_administrator_starts_a_change_that_the_new_address_confirms(app):
    admin_id = make_person(app, roles=("admin",), display_name="Ada Admin")
    admin = logged_in(app.test_client(), email_of(app, admin_id))
    target_id = make_person(app, roles=("coordinator",), email="claire@example.org", preferred_language="en")
    target = logged_in(app.test_client(), "claire@example.org")

    response = ask_change(admin, target_id, "Claire.Nouvelle@Example.org")
    assert response.status_code == 302
    # Nothing changes yet: same address, same session, the change is shown as waiting.
    assert email_of(app, target_id) == "claire@example.org"
    assert target.get("/account/").status_code == 200
    assert "claire.nouvelle@example.org" in text(admin.get(f"/people/{target_id}"))
    assert "claire.nouvelle@example.org" in text(target.get("/account/"))

    (confirmation,) = to(app, "claire.nouvelle@example.org")
    (notice,) = to(app, "claire@example.org")
    path = link_in(confirmation, "/email/confirm/")
    notice_text = body(notice)
    assert "Ada Admin" in notice_text and "claire.nouvelle@example.org" in notice_text
    assert "coordination@coord.local" in notice_text  # whom to contact
    assert re.search(r"\d{1,2}:\d{2}", notice_text)  # when (English: 9:30 AM)
    assert "http" not in notice_text and "http" not in notice.get_body(("html",)).get_content()

    page = app.test_client().get(path)  # a mail scanner following the link changes nothing
    assert page.status_code == 200 and "claire.nouvelle@example.org" in text(page)
    assert email_of(app, target_id) == "claire@example.org"

    done = confirm(app.test_client(), path)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert email_of(app, target_id) == "claire.nouvelle@example.org"
    assert target.get("/account/").status_code == 302  # the session ended with the change
    assert app.test_client().get(path).status_code == 404  # once
    assert login(app.test_client(), "claire@example.org").status_code == 200
    assert login(app.test_client(), "claire.nouvelle@example.org").status_code == 302
    to_old = to(app, "claire@example.org")  # the request's notice, then the change's
    assert len(to_old) == 2 and all("http" not in body(message) for message in to_old)
    actions = audit_actions(app, target_id)
    assert ("person.email_change_requested", admin_id, "success") in actions
    assert ("person.email_changed", target_id, "success") in actions


def test_an_administrator_changes_their_own_address_only_on_their_account_page(app):
    admin_id = make_person(app, roles=("admin",))
    admin = logged_in(app.test_client(), email_of(app, admin_id))
    assert ask_change(admin, admin_id, "autre@example.org").status_code == 403
    assert sent_messages(app) == []


def test_own_change_needs_the_current_password_and_the_new_addresss_confirmation(app, client):
    person_id = make_person(app, email="moi@example.org", roles=("partner",))
    logged_in(client, "moi@example.org")
    wrong = ask_own_change(client, "moi.nouveau@example.org", "not my password at all")
    assert wrong.status_code == 400 and "Le mot de passe actuel est incorrect" in text(wrong)
    for bad, message in (("pas-une-adresse", "adresse courriel valide"), ("x" * 300 + "@e.org", "254")):
        response = ask_own_change(client, bad)
        assert response.status_code == 400 and message in text(response)
    same = ask_own_change(client, "MOI@example.org")
    assert same.status_code == 400 and "déjà l’adresse de ce compte" in text(same)
    assert sent_messages(app) == []

    assert ask_own_change(client, "moi.nouveau@example.org").status_code == 302
    assert email_of(app, person_id) == "moi@example.org"
    (notice,) = to(app, "moi@example.org")
    assert "vous-même" in body(notice) and "http" not in body(notice)
    assert re.search(r"\d{1,2} h \d{2}", body(notice))  # 9 h 30 (OQLF)
    path = link_in(to(app, "moi.nouveau@example.org")[0], "/email/confirm/")
    assert confirm(app.test_client(), path).status_code == 302
    assert email_of(app, person_id) == "moi.nouveau@example.org"
    assert client.get("/account/").status_code == 302
    assert ("person.email_change_requested", person_id, "success") in audit_actions(app, person_id)


def test_a_confirmation_link_dies_when_anything_changed_meanwhile(app, client, monkeypatch):
    person_id = make_person(app, email="moi@example.org")
    logged_in(client, "moi@example.org")

    def new_link(address, password=PASSWORD):
        assert ask_own_change(client, address, password).status_code == 302
        return link_in(to(app, address)[-1], "/email/confirm/")

    first = new_link("un@example.org")
    second = new_link("deux@example.org")
    assert app.test_client().get(first).status_code == 404  # a newer request replaced it
    assert app.test_client().get(second).status_code == 200

    cancelled = post_form(client, "/account/email/cancel", token_page="/account/")
    assert cancelled.status_code == 302
    assert app.test_client().get(second).status_code == 404

    tampered = new_link("trois@example.org")
    assert app.test_client().get(tampered[:-4] + "abcd").status_code == 404
    assert app.test_client().get("/email/confirm/" + "x" * 2000).status_code == 404

    # The address was taken by someone else meanwhile: a message, no 500, nothing changed.
    make_person(app, email="trois@example.org")
    taken = confirm(app.test_client(), tampered)
    assert taken.status_code == 400 and "déjà" in text(taken)
    assert email_of(app, person_id) == "moi@example.org"

    # A password change meanwhile kills the link.
    link = new_link("quatre@example.org")
    changed = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_page="/account/",
    )
    assert changed.status_code == 302
    assert app.test_client().get(link).status_code == 404

    # Expired (signed three days ago: the session cookie is signed then too, so log in then).
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3 * 86400)
    logged_in(client, "moi@example.org", NEW_PASSWORD)
    old = new_link("cinq@example.org", NEW_PASSWORD)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    assert app.test_client().get(old).status_code == 404
    assert email_of(app, person_id) == "moi@example.org"


def test_a_deactivated_persons_confirmation_link_is_dead(app):
    admin = logged_in(app.test_client(), email_of(app, make_person(app, roles=("admin",))))
    target_id = make_person(app)
    assert ask_change(admin, target_id, "ailleurs@example.org").status_code == 302
    path = link_in(to(app, "ailleurs@example.org")[0], "/email/confirm/")
    assert post_form(admin, f"/people/{target_id}/deactivate").status_code == 302
    assert post_form(admin, f"/people/{target_id}/reactivate").status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_staff_can_cancel_a_pending_change(app):
    admin = logged_in(app.test_client(), email_of(app, make_person(app, roles=("admin",))))
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    target_id = make_person(app)
    assert ask_change(admin, target_id, "ailleurs@example.org").status_code == 302
    path = link_in(to(app, "ailleurs@example.org")[0], "/email/confirm/")
    response = post_form(coordinator, f"/people/{target_id}/email/cancel", token_page=f"/people/{target_id}")
    assert response.status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert "En attente de confirmation" not in text(admin.get(f"/people/{target_id}"))


def test_an_invitation_sent_to_a_former_address_dies_when_the_address_changes(app):
    admin = logged_in(app.test_client(), email_of(app, make_person(app, roles=("admin",))))
    person_id = make_person(app, password=None)
    assert post_form(admin, f"/people/{person_id}/invite").status_code == 302
    invitation = link_in(to(app, email_of(app, person_id))[0], "/invitation/")
    assert ask_change(admin, person_id, "bonne.adresse@example.org").status_code == 302
    assert app.test_client().get(invitation).status_code == 200  # not changed yet
    path = link_in(to(app, "bonne.adresse@example.org")[0], "/email/confirm/")
    assert confirm(app.test_client(), path).status_code == 302
    assert app.test_client().get(invitation).status_code == 404


# Nobody acts as another person ------------------------------------------------------------------------


def test_the_account_pages_act_on_the_signed_in_person_only(app, client):
    """Person ids slipped into the account forms are ignored: language, password, second factor and
    address are the signed-in person's own."""
    me = make_person(app, preferred_language="fr")
    other = make_person(app, preferred_language="fr")
    other_address = email_of(app, other)
    logged_in(client, email_of(app, me))
    post_form(
        client, "/account/language", {"preferred_language": "en", "person_id": other}, token_page="/account/"
    )
    post_form(
        client,
        "/account/email",
        {"email": "detour@example.org", "current_password": PASSWORD, "person_id": other},
        token_page="/account/",
    )
    with app.app_context():
        assert db.session.get(Person, other).preferred_language == "fr"
        assert db.session.get(Person, other).pending_email is None
        assert db.session.get(Person, me).pending_email == "detour@example.org"
    assert email_of(app, other) == other_address
    token = csrf_token(client, "/account/")
    assert client.post(f"/account/{other}/email", data={"csrf_token": token}).status_code == 404
