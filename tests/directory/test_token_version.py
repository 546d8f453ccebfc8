"""Tokens that stay dead: every token and secret link carries (or is checked against) the person's
token_version, which goes up on deactivation, e-mail change, password reset and password change."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from coord.calendar.models import FeedLink
from coord.directory import tokens
from coord.directory.models import Person
from coord.extensions import db
from tests.calendar.factories import feed_path, sent_messages
from tests.conferences.factories import schedule_conference
from tests.directory.factories import (
    NEW_PASSWORD,
    email_of,
    enrol,
    link_in,
    make_person,
    request_reset,
    set_password,
)
from tests.support import PASSWORD, logged_in, login, post_form, text


def answer_path(app, person_id: int) -> str:
    """The answer link of the person's case-conference invitation."""
    address = email_of(app, person_id)
    (message,) = [m for m in sent_messages(app) if m["To"] == address and "/answer/" in m.as_string()]
    return re.search(r"https?://[^/\s]+(/answer/\S+)", message.get_body(("plain",)).get_content()).group(1)


def reset_path(app, address: str) -> str:
    request_reset(app, address)
    messages = [m for m in sent_messages(app) if m["To"] == address and "/password/reset/" in m.as_string()]
    return link_in(messages[-1], "/password/reset/")


def version(app, person_id: int) -> int:
    with app.app_context():
        return db.session.get(Person, person_id).token_version


def linked_person(app):
    """A police officer invited to a case conference, with a session, a feed link, an answer link and a
    reset link."""
    _conference_id, _organizer, officer_id = schedule_conference(app)
    address = email_of(app, officer_id)
    session = logged_in(app.test_client(), address)
    links = {
        "feed": feed_path(app, officer_id),
        "answer": answer_path(app, officer_id),
        "reset": reset_path(app, address),
    }
    client = app.test_client()
    for name, path in links.items():
        assert client.get(path).status_code == 200, name
    return officer_id, session, links


def assert_dead(app, session, links: dict) -> None:
    client = app.test_client()
    for name, path in links.items():
        assert client.get(path).status_code == 404, name
    assert session.get("/account/").status_code == 302


def test_deactivating_then_reactivating_leaves_every_old_link_dead(app):
    officer_id, session, links = linked_person(app)
    invitee_id = make_person(app, password=None)
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    assert post_form(coordinator, f"/people/{invitee_id}/invite").status_code == 302
    invitee_messages = [m for m in sent_messages(app) if m["To"] == email_of(app, invitee_id)]
    links["invitation"] = link_in(invitee_messages[0], "/invitation/")

    for person_id in (officer_id, invitee_id):
        assert post_form(coordinator, f"/people/{person_id}/deactivate").status_code == 302
        assert post_form(coordinator, f"/people/{person_id}/reactivate").status_code == 302

    assert_dead(app, session, links)
    # New links work again: a new reset, a new invitation.
    assert app.test_client().get(reset_path(app, email_of(app, officer_id))).status_code == 200
    assert post_form(coordinator, f"/people/{invitee_id}/invite").status_code == 302
    invitee_messages = [m for m in sent_messages(app) if m["To"] == email_of(app, invitee_id)]
    assert app.test_client().get(link_in(invitee_messages[-1], "/invitation/")).status_code == 200


def test_a_password_reset_ends_sessions_and_every_link(app):
    officer_id, session, links = linked_person(app)
    address = email_of(app, officer_id)
    fresh_reset = reset_path(app, address)
    assert set_password(app.test_client(), fresh_reset).status_code == 302
    assert_dead(app, session, links)
    assert app.test_client().get(fresh_reset).status_code == 404


def test_a_password_change_ends_sessions_and_every_link(app):
    officer_id, session, links = linked_person(app)
    changed = post_form(
        session,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_page="/account/",
    )
    assert changed.status_code == 302
    assert_dead(app, session, links)


def test_a_feed_link_made_before_the_last_bump_stays_dead_and_a_new_one_is_offered(app):
    officer_id, session, links = linked_person(app)
    old = links["feed"]
    set_password(app.test_client(), reset_path(app, email_of(app, officer_id)))
    client = logged_in(app.test_client(), email_of(app, officer_id), NEW_PASSWORD)
    page = text(client.get("/calendar/subscriptions"))
    assert old not in page and "Get my subscription link" in page
    post_form(
        client,
        "/calendar/subscriptions",
        {"scope": "person", "scope_id": ""},
        token_page="/calendar/subscriptions",
    )
    new = feed_path(app, officer_id)
    assert new != old
    assert app.test_client().get(new).status_code == 200
    assert app.test_client().get(old).status_code == 404
    with app.app_context():
        assert (
            db.session.scalar(sa.select(sa.func.count(FeedLink.id)).where(FeedLink.person_id == officer_id))
            == 1
        )


def test_the_version_only_goes_up_and_reset_tokens_carry_it(app):
    person_id = make_person(app)
    coordinator = logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))
    versions = [version(app, person_id)]
    for action in ("deactivate", "reactivate", "deactivate", "reactivate"):
        assert post_form(coordinator, f"/people/{person_id}/{action}").status_code == 302
        versions.append(version(app, person_id))
    assert versions == [0, 1, 1, 2, 2]
    with app.app_context():
        person = db.session.get(Person, person_id)
        token = tokens.make_token(person, tokens.RESET)
        assert tokens.person_for_token(token, tokens.RESET) is person
        person.token_version += 1
        db.session.commit()
        assert tokens.person_for_token(token, tokens.RESET) is None


def test_a_pending_second_factor_step_does_not_survive_a_password_reset(app, client):
    """Someone who knows the old password waits at the code step; the owner resets the password."""
    address = email_of(app, make_person(app))
    logged_in(client, address)
    secret = enrol(client)
    post_form(client, "/logout")
    intruder = app.test_client()
    assert login(intruder, address).headers["Location"] == "/login/code"
    assert set_password(app.test_client(), reset_path(app, address)).status_code == 302
    code = pyotp.TOTP(secret).at(time.time() + 30)
    post_form(intruder, "/login/code", {"code": code}, token_page="/login")
    assert intruder.get("/account/").status_code == 302
