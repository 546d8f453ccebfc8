"""TOTP secrets are encrypted at rest with a key kept outside the database; a wrong key fails closed."""

from __future__ import annotations

import logging
import re
import time

import pyotp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask_migrate import upgrade

from coord import create_app
from coord.directory.models import Person
from coord.extensions import db
from tests.directory.factories import email_of, enrol, make_person
from tests.support import PASSWORD, logged_in, login, post_form, text

BASE32_SECRET = re.compile(r"[A-Z2-7]{16,}")


def stored_secret(app, person_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(sa.select(Person.totp_secret).where(Person.id == person_id))


def log_in_with_code(app, address: str, secret: str):
    client = app.test_client()
    assert login(client, address).headers["Location"] == "/login/code"
    code = pyotp.TOTP(secret).at(time.time() + 30)  # enrolment used the current step
    return client, post_form(client, "/login/code", {"code": code}, token_page="/login/code")


def test_the_column_holds_no_base32_secret_and_login_with_a_code_still_works(app, client):
    person_id = make_person(app)
    address = email_of(app, person_id)
    logged_in(client, address)
    secret = enrol(client)
    stored = stored_secret(app, person_id)
    assert stored and secret not in stored and not BASE32_SECRET.search(stored)
    signed_in, response = log_in_with_code(app, address, secret)
    assert response.status_code == 302 and signed_in.get("/account/").status_code == 200


def test_the_key_comes_from_the_configuration(make_app):
    key = Fernet.generate_key().decode()
    app = make_app(TOTP_ENCRYPTION_KEY=key)
    person_id = make_person(app)
    client = logged_in(app.test_client(), email_of(app, person_id))
    secret = enrol(client)
    assert Fernet(key.encode()).decrypt(stored_secret(app, person_id).encode()).decode() == secret


def test_a_wrong_key_fails_closed(make_app, caplog):
    app = make_app()
    person_id = make_person(app)
    address = email_of(app, person_id)
    secret = enrol(logged_in(app.test_client(), address))

    other = make_app(TOTP_ENCRYPTION_KEY=Fernet.generate_key().decode())  # same database, another key
    caplog.set_level(logging.ERROR)
    client, response = log_in_with_code(other, address, secret)
    assert response.status_code == 200
    assert "ne peut pas être vérifié" in text(response)
    assert client.get("/account/").status_code == 302  # not signed in
    assert any("TOTP" in record.getMessage() and record.levelno >= logging.ERROR for record in caplog.records)
    assert stored_secret(other, person_id) == stored_secret(app, person_id)  # nothing overwritten


def test_a_malformed_key_stops_the_app_at_start(make_app):
    from coord.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="TOTP_ENCRYPTION_KEY"):
        make_app(TOTP_ENCRYPTION_KEY="not a fernet key")


def test_the_migration_encrypts_existing_plain_secrets(tmp_path):
    """A database at 0005 with a plain secret: 0006 encrypts it with the app's key, and login works."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "a secret key for this test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.sqlite",
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    app = create_app(config)
    secret = pyotp.random_base32()
    try:
        with app.app_context():
            upgrade(revision="0005")
            db.session.execute(
                sa.text(
                    "INSERT INTO organization (name, short_name, kind, region, is_partner, active,"
                    " created_at, updated_at) VALUES ('O', 'O', 'community', '', 0, 1, '2026-01-01',"
                    " '2026-01-01')"
                )
            )
            from coord.directory import passwords

            db.session.execute(
                sa.text(
                    "INSERT INTO person (email, display_name, organization_id, preferred_language, active,"
                    " password_hash, totp_secret, created_at, updated_at) VALUES ('old@example.org', 'Old',"
                    " 1, 'fr', 1, :hash, :secret, '2026-01-01', '2026-01-01')"
                ),
                {"hash": passwords.hash_password(PASSWORD), "secret": secret},
            )
            db.session.commit()
            upgrade()
            stored = db.session.scalar(sa.text("SELECT totp_secret FROM person"))
            assert stored and secret not in stored and not BASE32_SECRET.search(stored)
        _client, response = log_in_with_code(app, "old@example.org", secret)
        assert response.status_code == 302
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
