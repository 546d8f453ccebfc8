"""Login, logout, sessions, lockout, cookies."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coord.audit import AuditEntry
from coord.core.localtime import utcnow
from coord.directory import people
from coord.directory.models import LoginSession, Person
from coord.extensions import db
from tests.directory.factories import email_of, make_person
from tests.support import PASSWORD, csrf_token, logged_in, login, post_form, text


def audit_actions(app, action_prefix=""):
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(row.action, row.outcome) for row in rows if row.action.startswith(action_prefix)]


def test_login_page_is_french_with_named_fields(client):
    html = text(client.get("/login"))
    assert '<html lang="fr-CA">' in html
    assert "Se connecter" in html or "Connexion" in html
    assert 'name="email"' in html and 'autocomplete="username"' in html
    assert 'name="password"' in html and 'autocomplete="current-password"' in html
    assert 'name="csrf_token"' in html


def test_successful_login_renews_the_session_and_is_audited(app, client):
    person_id = make_person(app, roles=("coordinator",))
    client.get("/login")
    before = client.get_cookie("coord_session").value
    response = login(client, email_of(app, person_id))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    after = client.get_cookie("coord_session").value
    assert after != before
    assert client.get("/").status_code == 200
    assert ("auth.login", "success") in audit_actions(app, "auth.login")
    # The pre-login cookie gives no access.
    other = app.test_client()
    other.set_cookie("coord_session", before)
    assert other.get("/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client):
    person_id = make_person(app)
    wrong = login(client, email_of(app, person_id), "not the password at all")
    unknown = login(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    message = "L'adresse courriel ou le mot de passe est incorrect"
    assert message in text(wrong)
    assert message in text(unknown)
    assert audit_actions(app, "auth.login") == [("auth.login", "failure"), ("auth.login", "failure")]


def test_sixth_wrong_password_gets_429_in_the_users_language(app, client):
    email = email_of(app, make_person(app))
    for _ in range(5):
        assert login(client, email, "wrong password 123").status_code == 200
    sixth = login(client, email, "wrong password 123")
    assert sixth.status_code == 429
    assert "Trop de tentatives" in text(sixth)
    # Even the right password is refused from this address while its pair waits.
    assert login(client, email, PASSWORD).status_code == 429
    assert ("auth.lockout", "denied") in audit_actions(app, "auth.lockout")
    english = app.test_client()
    token = csrf_token(english)
    response = english.post(
        "/login",
        data={"email": email, "password": "x", "csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429 and "Too many attempts" in text(response)


def test_lockout_is_per_account_and_a_success_clears_the_count(app, client):
    locked = email_of(app, make_person(app))
    other = email_of(app, make_person(app))
    for _ in range(4):
        login(client, locked, "wrong password 123")
    assert login(client, locked, PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for _ in range(5):
        assert login(client, locked, "wrong password 123").status_code == 200
    assert login(client, locked, "wrong password 123").status_code == 429
    assert login(app.test_client(), other, PASSWORD).status_code == 302


def test_parallel_guesses_cannot_pass_the_limit(app):
    """Attempts are counted before the password is checked, so concurrency gains nothing (one pair)."""
    from concurrent.futures import ThreadPoolExecutor

    email = email_of(app, make_person(app))
    clients = [app.test_client() for _ in range(12)]
    tokens = [csrf_token(each) for each in clients]

    def attempt(index):
        data = {"email": email, "password": "wrong password 123", "csrf_token": tokens[index]}
        return clients[index].post("/login", data=data).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(attempt, range(12)))
    assert statuses.count(200) == 5 and statuses.count(429) == 7, statuses
    assert audit_actions(app, "auth.login").count(("auth.login", "failure")) == 5


def test_lockout_counts_on_redis_when_configured(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url)
    email = email_of(app, make_person(app))
    for _ in range(5):
        login(app.test_client(), email, "wrong password 123")
    # A different client (another browser, same account, same address) waits too: the count lives in Redis.
    assert login(app.test_client(), email, "wrong password 123").status_code == 429
    import redis

    keys = redis.Redis.from_url(redis_url).keys("*coord-attempts*")
    assert keys, "the limiter wrote no key to Redis"
    assert not [key for key in keys if b"@" in key], "an e-mail address leaked into a Redis key"


def test_logout_ends_the_session_server_side(app, client):
    email = email_of(app, make_person(app))
    logged_in(client, email)
    cookie = client.get_cookie("coord_session").value
    response = post_form(client, "/logout")
    assert response.status_code == 302
    replay = app.test_client()
    replay.set_cookie("coord_session", cookie)
    assert replay.get("/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LoginSession.ended_at)) is not None


def test_logout_without_csrf_token_is_refused(app, client):
    logged_in(client, email_of(app, make_person(app)))
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def _age_sessions(app, **changes):
    with app.app_context():
        for login_session in db.session.scalars(select(LoginSession)):
            for name, delta in changes.items():
                setattr(login_session, name, utcnow() - delta)
        db.session.commit()


def test_inactivity_timeout_ends_the_session(app, client):
    logged_in(client, email_of(app, make_person(app)))
    _age_sessions(app, last_seen_at=timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "Votre session a expiré" in text(client.get("/login"))


def test_activity_keeps_the_session_alive(app, client):
    logged_in(client, email_of(app, make_person(app)))
    _age_sessions(app, last_seen_at=timedelta(minutes=29))
    assert client.get("/").status_code == 200
    _age_sessions(app, created_at=timedelta(hours=1))
    assert client.get("/").status_code == 200


def test_inactivity_timeout_is_configurable(make_app):
    app = make_app(SESSION_INACTIVITY_TIMEOUT=5)  # minutes
    client = app.test_client()
    logged_in(client, email_of(app, make_person(app)))
    _age_sessions(app, last_seen_at=timedelta(minutes=6))
    assert client.get("/").status_code == 302


def test_absolute_lifetime_ends_even_an_active_session(app, client):
    logged_in(client, email_of(app, make_person(app)))
    _age_sessions(app, created_at=timedelta(hours=13))
    assert client.get("/").status_code == 302


def test_deactivated_persons_existing_session_stops_working(app, client):
    coordinator_id = make_person(app, roles=("coordinator",))
    person_id = make_person(app)
    logged_in(client, email_of(app, person_id))
    assert client.get("/").status_code == 200
    with app.test_request_context():
        coordinator = db.session.get(Person, coordinator_id)
        people.set_active(coordinator, person_id, False)
    assert client.get("/").status_code == 302
    assert login(app.test_client(), email_of(app, person_id)).status_code == 200  # refused, same message


def test_cookies_are_httponly_lax_and_secure_over_https(app):
    person_email = email_of(app, make_person(app))
    plain = app.test_client()
    response = login(plain, person_email)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    secure = app.test_client()
    token = csrf_token(secure)
    response = secure.post(
        "/login",
        data={"email": person_email, "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_redirects_to_a_local_next_only(app, client):
    email = email_of(app, make_person(app, roles=("coordinator",)))
    response = client.get("/people")
    assert response.status_code == 302 and "next=/people" in response.headers["Location"]
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": "//evil.example/x"}
    )
    assert response.headers["Location"] == "/"
    post_form(client, "/logout")
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": "/people"}
    )
    assert response.headers["Location"] == "/people"


def test_login_is_case_insensitive_on_email(app, client):
    make_person(app, email="Marie.Tremblay@Example.org")
    assert login(client, "  MARIE.tremblay@example.ORG ").status_code == 302


def test_overlong_and_missing_login_fields_get_form_messages(client):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "a" * 5000, "password": "", "csrf_token": token})
    assert response.status_code == 200
    html = text(response)
    assert "Ce champ est obligatoire" in html
