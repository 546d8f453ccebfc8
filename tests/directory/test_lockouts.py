"""Throttles that nobody can aim: per (account, address) pair with growing delays, known devices, the
password reset, alerts to the owner, the per-address cap behind the proxy, and Redis down."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from coord import create_app
from coord.audit import AuditEntry
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.models import OutboxMessage
from tests.conftest import base_config
from tests.directory.factories import (
    NEW_PASSWORD,
    email_of,
    enrol,
    link_in,
    make_person,
    outbox_messages,
    set_password,
)
from tests.support import PASSWORD, csrf_token, logged_in, login, post_form, text

ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"
WRONG = "wrong password 123"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connections are refused


def behind_proxy(make_app, **overrides):
    """The documented set-up: one trusted reverse proxy that sets X-Forwarded-For."""
    return make_app(PROXY_FIX_HOPS=1, **overrides)


def attempt(client, email, password, address, **kwargs):
    """A login POST that reached the proxy from `address`, answered in full (as a server does: what is
    left for after the answer runs)."""
    token = csrf_token(client)
    headers = {"X-Forwarded-For": address, **kwargs.pop("headers", {})}
    data = {"email": email, "password": password, "csrf_token": token}
    response = client.post("/login", data=data, headers=headers, **kwargs)
    response.get_data()
    response.close()
    return response


def code_attempt(client, code, address):
    """A second-factor code POST from `address`, answered in full."""
    response = post_form(
        client, "/login/code", {"code": code}, token_page="/login/code", headers={"X-Forwarded-For": address}
    )
    response.get_data()
    response.close()
    return response


def audit_rows(app, action):
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        return [(row.actor_label, row.outcome, row.ip, row.detail) for row in rows]


def device_cookie(client):
    return client.get_cookie("coord_device", path="/login")


# The aimed lockout ---------------------------------------------------------------------------------


def test_an_attacker_address_cannot_lock_the_victim_out(make_app):
    app = behind_proxy(make_app)
    email = email_of(app, make_person(app))
    attacker = app.test_client()
    statuses = [attempt(attacker, email, WRONG, ATTACKER).status_code for _ in range(12)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}, statuses
    # The attacker's own pair stays refused, even with the right password ...
    assert attempt(attacker, email, PASSWORD, ATTACKER).status_code == 429
    # ... but the victim, from another address, logs in at once.
    assert attempt(app.test_client(), email, PASSWORD, VICTIM).status_code == 302
    refusals = audit_rows(app, "auth.lockout")
    assert refusals and {(label, outcome, ip) for label, outcome, ip, _ in refusals} == {
        ("anonymous", "denied", ATTACKER)
    }


def test_the_attackers_pair_waits_longer_after_each_failure(make_app):
    app = behind_proxy(make_app, LOGIN_FIRST_DELAY=timedelta(seconds=1))
    email = email_of(app, make_person(app))
    attacker = app.test_client()
    for _ in range(5):
        assert attempt(attacker, email, WRONG, ATTACKER).status_code == 200
    refused = attempt(attacker, email, WRONG, ATTACKER)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert "Trop de tentatives" in text(refused)
    time.sleep(1.1)
    assert attempt(attacker, email, WRONG, ATTACKER).status_code == 200  # one more try after 1 s ...
    again = attempt(attacker, email, WRONG, ATTACKER)
    assert again.status_code == 429 and again.headers["Retry-After"] == "2"  # ... then wait 2 s
    time.sleep(1.1)
    assert attempt(attacker, email, WRONG, ATTACKER).status_code == 429
    time.sleep(1.0)
    assert attempt(attacker, email, WRONG, ATTACKER).status_code == 200
    assert attempt(attacker, email, WRONG, ATTACKER).headers["Retry-After"] == "4"


def test_rotating_addresses_inside_one_ipv6_network_is_one_address(make_app):
    app = behind_proxy(make_app)
    email = email_of(app, make_person(app))
    attacker = app.test_client()
    statuses = [attempt(attacker, email, WRONG, f"2001:db8:1:2::{n:x}").status_code for n in range(1, 9)]
    assert statuses == [200] * 5 + [429] * 3
    assert attempt(app.test_client(), email, PASSWORD, "2001:db8:1:3::1").status_code == 302


def test_a_known_device_still_gets_in_when_unknown_devices_are_held_back(make_app):
    app = behind_proxy(make_app, LOGIN_ACCOUNT_ADDRESSES=4)
    email = email_of(app, make_person(app))
    laptop = app.test_client()
    assert attempt(laptop, email, PASSWORD, VICTIM).status_code == 302
    assert device_cookie(laptop) is not None
    post_form(laptop, "/logout")
    for n in range(4):  # failures from many addresses: a distributed guess
        attempt(app.test_client(), email, WRONG, f"203.0.113.{n + 1}")
    # An unknown device, from an address that never failed, is held back ...
    held = attempt(app.test_client(), email, PASSWORD, "192.0.2.50")
    assert held.status_code == 429
    # ... the owner's laptop is not, from that address or any other.
    assert attempt(laptop, email, PASSWORD, "192.0.2.50").status_code == 302
    # The laptop keeps its own throttle: its own failures still slow it down.
    post_form(laptop, "/logout")
    statuses = [attempt(laptop, email, WRONG, "192.0.2.51").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_the_device_cookie_is_signed_httponly_lax_and_secure_over_https(make_app):
    app = make_app()
    email = email_of(app, make_person(app))
    plain = app.test_client()
    response = login(plain, email)
    header = next(value for value in response.headers.getlist("Set-Cookie") if "coord_device=" in value)
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/login" in header
    assert "Secure" not in header and "Expires=" in header
    assert email not in header
    secure = app.test_client()
    token = csrf_token(secure)
    response = secure.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    header = next(value for value in response.headers.getlist("Set-Cookie") if "coord_device=" in value)
    assert "Secure" in header


def test_a_forged_or_foreign_device_cookie_is_an_unknown_device(make_app):
    app = behind_proxy(make_app, LOGIN_ACCOUNT_ADDRESSES=2)
    victim = email_of(app, make_person(app))
    other = email_of(app, make_person(app))
    mine = app.test_client()
    assert attempt(mine, other, PASSWORD, ATTACKER).status_code == 302  # a device cookie for `other`
    post_form(mine, "/logout")
    for n in range(2):
        attempt(app.test_client(), victim, WRONG, f"203.0.113.{n + 1}")
    assert attempt(mine, victim, PASSWORD, ATTACKER).status_code == 429  # not the victim's device
    forged = app.test_client()
    forged.set_cookie("coord_device", "eyJwIjoxfQ.forged.signature", path="/login")
    assert attempt(forged, victim, PASSWORD, ATTACKER).status_code == 429


def test_the_device_cookie_dies_when_the_password_changes(make_app):
    app = behind_proxy(make_app, LOGIN_ACCOUNT_ADDRESSES=2)
    email = email_of(app, make_person(app))
    laptop = app.test_client()
    assert attempt(laptop, email, PASSWORD, VICTIM).status_code == 302
    response = post_form(
        laptop,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_page="/account/",
    )
    assert response.status_code == 302
    stale = device_cookie(laptop).value
    thief = app.test_client()
    thief.set_cookie("coord_device", stale, path="/login")
    for n in range(2):
        attempt(app.test_client(), email, WRONG, f"203.0.113.{n + 1}")
    assert attempt(thief, email, NEW_PASSWORD, "192.0.2.9").status_code == 429


def test_a_password_reset_clears_the_accounts_throttles(make_app):
    app = behind_proxy(make_app, LOGIN_ACCOUNT_ADDRESSES=3)
    email = email_of(app, make_person(app))
    for n in range(3):
        attacker = app.test_client()
        for _ in range(6):
            attempt(attacker, email, WRONG, f"203.0.113.{n + 1}")
    assert attempt(app.test_client(), email, PASSWORD, VICTIM).status_code == 429
    response = post_form(
        app.test_client(), "/password/forgot", {"email": email}, token_page="/password/forgot"
    )
    response.close()  # the e-mail leaves after the answer
    path = link_in(outbox_messages(app)[-1], "/password/reset/")
    assert set_password(app.test_client(), path).status_code == 302
    assert attempt(app.test_client(), email, NEW_PASSWORD, VICTIM).status_code == 302
    assert attempt(app.test_client(), email, NEW_PASSWORD, "203.0.113.1").status_code == 302


# Telling the owner --------------------------------------------------------------------------------


def alerts(app):
    with app.app_context():
        return db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "directory/failed_attempts")
        ).all()


def test_the_owner_is_told_once_per_window_in_their_language(make_app):
    app = behind_proxy(make_app)
    person_id = make_person(app, preferred_language="en", display_name="Julie Roy")
    email = email_of(app, person_id)
    for n in range(4):
        attempt(app.test_client(), email, f"secret guess {n}", f"203.0.113.{n + 1}")
    assert alerts(app) == []
    attempt(app.test_client(), email, "secret guess 4", "203.0.113.99")
    for n in range(10):
        attempt(app.test_client(), email, f"secret guess {n}", f"192.0.2.{n + 1}")
    (alert,) = alerts(app)
    assert alert.person_id == person_id and alert.language == "en"
    (message,) = [each for each in outbox_messages(app) if "Julie" in each.get_body(("plain",)).get_content()]
    body = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Julie Roy" in body and "failed" in message["Subject"].lower()
    for content in (body, html, message["Subject"]):
        assert "secret guess" not in content  # never the attempted password
        assert "203.0.113.99" not in content and "113.99" not in content  # a coarse hint at most
    assert "203.0." in body
    assert "/password/forgot" in body


def test_the_alert_is_in_french_for_a_french_reader(make_app):
    app = behind_proxy(make_app)
    email = email_of(app, make_person(app, preferred_language="fr"))
    for _ in range(5):
        attempt(app.test_client(), email, WRONG, ATTACKER)
    (message,) = outbox_messages(app)
    assert "Bonjour" in message.get_body(("plain",)).get_content()
    assert "coord" in message["Subject"]


def test_unknown_addresses_are_throttled_the_same_and_alert_nobody(make_app):
    app = behind_proxy(make_app)
    statuses = [
        attempt(app.test_client(), "nobody@example.org", WRONG, ATTACKER).status_code for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert alerts(app) == []


# The per-address cap behind the proxy ------------------------------------------------------------


def test_the_per_address_cap_counts_the_forwarded_client_address(make_app):
    app = behind_proxy(make_app, LOGIN_ATTEMPTS_PER_ADDRESS="4 per 15 minutes")
    emails = [email_of(app, make_person(app)) for _ in range(6)]
    sprayer = app.test_client()
    statuses = [attempt(sprayer, each, WRONG, ATTACKER).status_code for each in emails[:5]]
    assert statuses == [200] * 4 + [429]
    # Everyone reaches the app through the same proxy address: another client is not capped with it.
    assert attempt(app.test_client(), emails[5], PASSWORD, VICTIM).status_code == 302
    assert {ip for _label, _outcome, ip, _detail in audit_rows(app, "auth.login")} == {ATTACKER, VICTIM}


def test_a_forged_left_hand_forwarded_address_does_not_escape_the_cap(make_app):
    app = behind_proxy(make_app, LOGIN_ATTEMPTS_PER_ADDRESS="3 per 15 minutes")
    email = email_of(app, make_person(app))
    client = app.test_client()
    statuses = [
        attempt(client, email, WRONG, f"10.9.8.{n}, {ATTACKER}").status_code  # the proxy appends the real one
        for n in range(5)
    ]
    assert statuses == [200] * 3 + [429] * 2


# The second factor and the account page -----------------------------------------------------------


def test_the_code_step_is_throttled_per_address_not_for_the_owner(make_app):
    app = behind_proxy(make_app)
    email = email_of(app, make_person(app))
    owner = app.test_client()
    attempt(owner, email, PASSWORD, VICTIM)
    secret = enrol(owner)
    post_form(owner, "/logout")
    thief = app.test_client()  # knows the password, not the code
    assert attempt(thief, email, PASSWORD, ATTACKER).headers["Location"] == "/login/code"
    statuses = [code_attempt(thief, "000000", ATTACKER).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    phone = app.test_client()
    assert attempt(phone, email, PASSWORD, "192.0.2.77").headers["Location"] == "/login/code"
    response = code_attempt(phone, pyotp.TOTP(secret).at(time.time() + 30), "192.0.2.77")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    kinds = {detail for *_rest, detail in audit_rows(app, "auth.lockout")}
    assert all(detail.startswith("totp") for detail in kinds), kinds
    (alert,) = alerts(app)  # five wrong codes: the password is known
    assert alert.context["kind"] == "totp"


def test_current_password_checks_are_throttled_per_address(make_app):
    app = behind_proxy(make_app)
    email = email_of(app, make_person(app))
    stolen = app.test_client()
    attempt(stolen, email, PASSWORD, ATTACKER)
    data = {"current_password": WRONG, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    headers = {"X-Forwarded-For": ATTACKER}
    statuses = [
        post_form(stolen, "/account/password", data, token_page="/account/", headers=headers).status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    owner = app.test_client()
    attempt(owner, email, PASSWORD, VICTIM)
    data["current_password"] = PASSWORD
    headers = {"X-Forwarded-For": VICTIM}
    assert (
        post_form(owner, "/account/password", data, token_page="/account/", headers=headers).status_code
        == 302
    )
    refusals = audit_rows(app, "auth.lockout")
    assert refusals and all(label == "" and outcome == "denied" for label, outcome, *_ in refusals)


# Redis down ----------------------------------------------------------------------------------------


@pytest.fixture
def app_with_redis_down(make_app, database_template, tmp_path):
    """The app with REDIS_URL (so the attempt counters) on a Redis that refuses connections."""
    database = make_app().config["SQLALCHEMY_DATABASE_URI"]  # a fresh database
    config = base_config(
        tmp_path,
        database,
        pg_schema=database_template.schema,
        REDIS_URL=UNREACHABLE_REDIS,
        RATELIMIT_STORAGE_URI=UNREACHABLE_REDIS,
        PROXY_FIX_HOPS=1,
        LOGIN_ACCOUNT_ADDRESSES=3,
    )
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_login_with_redis_down_falls_back_to_the_database(app_with_redis_down):
    app = app_with_redis_down
    email = email_of(app, make_person(app))
    other = email_of(app, make_person(app))
    attacker = app.test_client()
    statuses = [attempt(attacker, email, WRONG, ATTACKER).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2, statuses
    assert attempt(attacker, email, PASSWORD, ATTACKER).status_code == 429
    # The owner, elsewhere, logs in; so does anyone else from the attacker's address.
    assert attempt(app.test_client(), email, PASSWORD, VICTIM).status_code == 302
    assert attempt(app.test_client(), other, PASSWORD, ATTACKER).status_code == 302
    # Failures from many addresses hold unknown devices back, as with Redis.
    for n in range(3):
        attempt(app.test_client(), other, WRONG, f"192.0.2.{n + 1}")
    assert attempt(app.test_client(), other, PASSWORD, "192.0.2.200").status_code == 429
    assert ("anonymous", "denied", ATTACKER) in {row[:3] for row in audit_rows(app, "auth.lockout")}


def test_a_lockout_page_with_redis_down_is_in_the_readers_language(app_with_redis_down):
    app = app_with_redis_down
    email = email_of(app, make_person(app))
    client = app.test_client()
    for _ in range(5):
        attempt(client, email, WRONG, ATTACKER)
    response = attempt(client, email, WRONG, ATTACKER, headers={"Accept-Language": "en"})
    assert response.status_code == 429 and "Too many attempts" in text(response)


def test_the_code_step_and_the_forgotten_password_with_redis_down(app_with_redis_down):
    app = app_with_redis_down
    email = email_of(app, make_person(app))
    client = app.test_client()
    assert attempt(client, email, PASSWORD, VICTIM).status_code == 302
    enrol(client)
    post_form(client, "/logout")
    assert attempt(client, email, PASSWORD, VICTIM).headers["Location"] == "/login/code"
    statuses = [code_attempt(client, "000000", VICTIM).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    forgot = post_form(app.test_client(), "/password/forgot", {"email": email}, token_page="/password/forgot")
    assert forgot.status_code == 302
    assert logged_in(app.test_client(), email_of(app, make_person(app))).get("/").status_code == 200


# The forgotten password -----------------------------------------------------------------------------


def test_the_reset_e_mail_leaves_after_the_answer(app):
    address = email_of(app, make_person(app))
    client = app.test_client()
    response = post_form(client, "/password/forgot", {"email": address}, token_page="/password/forgot")
    assert response.status_code == 302
    assert outbox_messages(app) == []  # not sent while the request was answered
    response.close()  # the server has sent the answer
    (message,) = outbox_messages(app)
    assert message["To"] == address


def test_known_and_unknown_addresses_do_the_same_work(app, monkeypatch):
    """Same statements and the same minimum duration on both paths (no timing here: see `make bench`)."""
    from sqlalchemy import event

    from coord.directory import people

    slept = []
    monkeypatch.setattr(people, "_sleep", slept.append)
    app.config["PASSWORD_FORGOT_MIN_SECONDS"] = 5.0
    address = email_of(app, make_person(app))
    statements = {}

    def count(conn, cursor, statement, *args):
        verb = statement.split()[0].upper()
        statements[verb] = statements.get(verb, 0) + 1

    with app.app_context():
        engine = db.engine
    for case, email in (("known", address), ("unknown", "nobody@example.org")):
        client = app.test_client()
        token = csrf_token(client, "/password/forgot")
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        response = client.post("/password/forgot", data={"email": email, "csrf_token": token})
        event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 302
        if case == "known":
            known = dict(statements)
        response.close()
    unknown = dict(statements)
    assert known["SELECT"] == unknown["SELECT"]
    assert known.get("INSERT", 0) - unknown.get("INSERT", 0) <= 1  # the outbox row
    assert len(slept) == 2 and all(4.5 < seconds <= 5.0 for seconds in slept)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "auth.password_reset_requested")
            .order_by(AuditEntry.id)
        ).all()
        assert [row.outcome for row in rows] == ["success", "failure"]
        assert "nobody" not in rows[1].detail + rows[1].object_id


def test_the_forgotten_password_cap_counts_per_address(make_app):
    app = behind_proxy(make_app, PASSWORD_FORGOT_PER_ADDRESS="2 per hour")
    statuses = []
    for _ in range(3):
        client = app.test_client()
        token = csrf_token(client, "/password/forgot")
        response = client.post(
            "/password/forgot",
            data={"email": "nobody@example.org", "csrf_token": token},
            headers={"X-Forwarded-For": ATTACKER},
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    client = app.test_client()
    token = csrf_token(client, "/password/forgot")
    response = client.post(
        "/password/forgot",
        data={"email": "nobody@example.org", "csrf_token": token},
        headers={"X-Forwarded-For": VICTIM},
    )
    assert response.status_code == 302


def test_failures_on_unknown_accounts_are_logged_under_a_keyed_hash(app):
    login(app.test_client(), "nobody@example.org", WRONG)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login"))
        assert "nobody" not in entry.object_id and entry.object_id != ""
        assert db.session.scalar(select(Person.id).where(Person.email == "nobody@example.org")) is None


# On Redis -------------------------------------------------------------------------------------------


def test_on_redis_the_pairs_devices_and_accounts_are_counted_across_clients(make_app, redis_url):
    app = behind_proxy(
        make_app, REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url, LOGIN_ACCOUNT_ADDRESSES=3
    )
    email = email_of(app, make_person(app))
    laptop = app.test_client()
    assert attempt(laptop, email, PASSWORD, VICTIM).status_code == 302
    post_form(laptop, "/logout")
    statuses = [attempt(app.test_client(), email, WRONG, ATTACKER).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]  # each attempt from a new browser: the pair lives in Redis
    assert attempt(app.test_client(), email, PASSWORD, VICTIM).status_code == 302
    for n in range(2):
        attempt(app.test_client(), email, WRONG, f"192.0.2.{n + 1}")
    assert attempt(app.test_client(), email, PASSWORD, "192.0.2.99").status_code == 429
    assert attempt(laptop, email, PASSWORD, "192.0.2.99").status_code == 302
    import redis

    keys = redis.Redis.from_url(redis_url).keys("*coord-attempts*")
    assert keys, "no attempt counter in Redis"
    assert not [key for key in keys if b"@" in key or b"192.0.2" in key], "an address leaked into a Redis key"
