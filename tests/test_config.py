"""Configuration: defaults, COORD_* and DATABASE_URL overrides, the generated secret key."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from coord import create_app
from coord.config import _normalize_database_url, _secret_key


def test_secret_key_is_generated_once_and_private(tmp_path):
    key = _secret_key(tmp_path)
    assert len(key) == 64
    assert _secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("COORD_MAIL_PORT", "2525")
    monkeypatch.setenv("COORD_SESSION_INACTIVITY_TIMEOUT", "20")
    monkeypatch.setenv("COORD_TOTP_REQUIRED_ROLES", '["admin"]')
    monkeypatch.setenv("DATABASE_URL", "postgresql://coord@db.example/coord")
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/0")
    app = create_app()
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["SESSION_INACTIVITY_TIMEOUT"] == timedelta(minutes=20)
    assert app.config["TOTP_REQUIRED_ROLES"] == ["admin"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://coord@db.example/coord"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/0"
    assert app.config["SECRET_KEY"]


def test_defaults_are_embedded():
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/coord.sqlite")
    assert app.config["REDIS_URL"] is None and app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["MAIL_OUTBOX_DIR"].endswith("instance/outbox")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "fr_CA"


def test_normalize_database_url():
    assert _normalize_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert _normalize_database_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert _normalize_database_url("sqlite:///x") == "sqlite:///x"


def test_bad_duration_is_refused():
    with pytest.raises(ValueError, match="SESSION_INACTIVITY_TIMEOUT"):
        create_app({"SECRET_KEY": "x", "SESSION_INACTIVITY_TIMEOUT": "soon"})
