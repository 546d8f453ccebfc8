"""Password reset, invitations, password policy, second factor."""

from __future__ import annotations

import email
import re
import time
from email import policy
from pathlib import Path

import pyotp
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from coord.directory.models import Person
from coord.extensions import db
from tests.support import PASSWORD, csrf_token, email_of, logged_in, login, make_person, post_form, text

NEW_PASSWORD = "une phrase de passe bien longue"


def outbox_messages(app):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime) if folder.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def link_in(message, path_prefix):
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", text)
    assert match, text
    return match.group(1)


def request_reset(app, address):
    client = app.test_client()
    response = post_form(client, "/password/forgot", {"email": address}, token_page="/password/forgot")
    assert response.status_code == 302
    response.close()  # the answer is sent: the e-mail leaves now
    return client


def set_password(client, path, password=NEW_PASSWORD, confirm=None):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": confirm or password, "csrf_token": token})


def test_reset_token_works_once(app):
    address = email_of(app, make_person(app))
    request_reset(app, address)
    (message,) = outbox_messages(app)
    assert message["To"] == address
    path = link_in(message, "/password/reset/")
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert set_password(client, path).status_code == 302
    assert login(app.test_client(), address, NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), address, PASSWORD).status_code == 200
    again = app.test_client().get(path)
    assert again.status_code == 404 and "n'est plus valide" in text(again)


def test_reset_token_expires(app, monkeypatch):
    address = email_of(app, make_person(app))
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3 * 3600)
    request_reset(app, address)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    path = link_in(outbox_messages(app)[0], "/password/reset/")
    assert app.test_client().get(path).status_code == 404
    assert set_password(app.test_client(), "/password/forgot").status_code in (200, 400)


def test_tampered_and_garbage_tokens_get_404(app):
    address = email_of(app, make_person(app))
    request_reset(app, address)
    path = link_in(outbox_messages(app)[0], "/password/reset/")
    client = app.test_client()
    assert client.get(path[:-3] + "abc").status_code == 404
    assert client.get("/password/reset/garbage").status_code == 404
    assert client.get("/password/reset/" + "x" * 3000).status_code == 404
    assert client.get("/invitation/" + path.rsplit("/", 1)[1]).status_code == 404  # wrong purpose


def test_reset_for_unknown_or_inactive_address_sends_nothing_and_says_the_same(app):
    inactive = email_of(app, make_person(app, active=False))
    for address in ("nobody@example.org", inactive):
        client = app.test_client()
        token = csrf_token(client, "/password/forgot")
        response = client.post(
            "/password/forgot", data={"email": address, "csrf_token": token}, follow_redirects=True
        )
        assert "Si un compte actif utilise cette adresse" in text(response)
    assert outbox_messages(app) == []


def test_reset_e_mail_over_smtp_is_multipart_in_the_recipients_language(make_app, smtp_server):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    address = email_of(app, make_person(app, preferred_language="en"))
    request_reset(app, address)
    (message,) = smtp_server.messages
    assert message["To"] == address
    assert message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in message.get_payload()]
    assert types == ["text/plain", "text/html"]
    assert "Choose a new coord password" in message["Subject"]


def test_password_policy_length_common_and_confirmation(app):
    address = email_of(app, make_person(app))
    request_reset(app, address)
    path = link_in(outbox_messages(app)[0], "/password/reset/")
    client = app.test_client()
    for password, confirm, expected in [
        ("court", None, "Utilisez au moins 12 caractères"),
        ("password1234", None, "trop courant"),
        (NEW_PASSWORD, "autre chose encore", "Les deux mots de passe"),
        ("x" * 300, None, "256"),
    ]:
        response = set_password(client, path, password, confirm)
        assert response.status_code == 200
        assert expected in text(response), expected
    assert login(app.test_client(), address, PASSWORD).status_code == 302  # unchanged


def test_invitation_sets_a_first_password(app):
    coordinator = email_of(app, make_person(app, roles=("coordinator",)))
    organization_id = make_person(app)  # any organization will do: reuse one
    with app.app_context():
        organization_id = db.session.get(Person, organization_id).organization_id
    client = logged_in(app.test_client(), coordinator)
    response = post_form(
        client,
        "/people/new",
        {
            "email": "Nouvelle.Personne@Example.org",
            "display_name": "Nouvelle Personne",
            "organization_id": organization_id,
            "preferred_language": "fr",
            "roles": ["intervenant"],
            "send_invitation": "y",
        },
    )
    assert response.status_code == 302
    (message,) = outbox_messages(app)
    assert message["To"] == "nouvelle.personne@example.org"
    assert "Votre compte coord" in message["Subject"]
    path = link_in(message, "/invitation/")
    newcomer = app.test_client()
    assert set_password(newcomer, path).status_code == 302
    assert login(app.test_client(), "nouvelle.personne@example.org", NEW_PASSWORD).status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_person_without_password_cannot_log_in(app, client):
    address = email_of(app, make_person(app, password=None))
    assert login(client, address, "").status_code == 200
    assert login(client, address, "anything at all 123").status_code == 200


def test_change_own_password_requires_the_current_one(app, client):
    address = email_of(app, make_person(app))
    logged_in(client, address)
    bad = post_form(
        client,
        "/account/password",
        {"current_password": "wrong one here", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert bad.status_code == 400 and "Le mot de passe actuel est incorrect" in text(bad)
    good = post_form(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert good.status_code == 302
    assert client.get("/").status_code == 302  # every session ended, this one included
    assert login(app.test_client(), address, NEW_PASSWORD).status_code == 302


# Second factor ------------------------------------------------------------------------------------


def enrol(client):
    html = text(client.get("/account/2fa"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    assert "<svg" in html
    response = post_form(
        client, "/account/2fa", {"code": pyotp.TOTP(secret).now()}, token_page="/account/2fa"
    )
    assert response.status_code == 302
    return secret


def test_totp_enrolment_then_login_asks_for_a_code(app, client):
    address = email_of(app, make_person(app))
    logged_in(client, address)
    secret = enrol(client)
    post_form(client, "/logout")
    fresh = app.test_client()
    response = login(fresh, address)
    assert response.headers["Location"] == "/login/code"
    assert fresh.get("/").status_code == 302  # not logged in yet
    wrong = post_form(fresh, "/login/code", {"code": "000000"}, token_page="/login/code")
    assert "n'est pas valide" in text(wrong)
    totp = pyotp.TOTP(secret)
    code = totp.at(time.time() + 30)  # the next step: enrolment used the current one
    ok = post_form(fresh, "/login/code", {"code": code}, token_page="/login/code")
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert fresh.get("/").status_code == 200
    # The same code cannot be replayed.
    post_form(fresh, "/logout")
    replay = app.test_client()
    login(replay, address)
    again = post_form(replay, "/login/code", {"code": code}, token_page="/login/code")
    assert again.status_code == 200 and replay.get("/").status_code == 302


def test_totp_required_for_a_role_forces_enrolment(make_app):
    app = make_app(TOTP_REQUIRED_ROLES=("admin",))
    client = app.test_client()
    response = login(client, email_of(app, make_person(app, roles=("admin",))))
    assert response.headers["Location"] == "/account/2fa"
    blocked = client.get("/people")
    assert blocked.status_code == 302 and blocked.headers["Location"] == "/account/2fa"
    enrol(client)
    assert client.get("/people").status_code == 200
    refused = post_form(client, "/account/2fa/disable", token_page="/account/")
    assert refused.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Person.totp_secret).where(Person.id > 0).limit(1)) is not None
