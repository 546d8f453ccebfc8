"""Fixtures: an app per test on a clean database (SQLite, or PostgreSQL with COORD_TEST_DB=postgresql),
a client, the real Redis, a loopback SMTP server, and Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from coord import create_app
from coord.extensions import db, limiter
from tests.support import unavailable

BACKEND = os.environ.get("COORD_TEST_DB", "sqlite")
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
PG_SCHEMA = "coord_test"


def pg_engine_url(url: str = PG_URL) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    parts = urlsplit(PG_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2):
            return None
    except OSError as error:
        return f"PostgreSQL at {parts.hostname}:{parts.port} unreachable ({error})"


def base_config(tmp_path: Path, database_uri: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }
    if database_uri.startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={PG_SCHEMA}"},
        }
    config.update(overrides)
    return config


def migrate_to_head(config: dict) -> None:
    app = create_app(config)
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2id with small parameters: the same code path, a fraction of the time per hash."""
    from argon2 import PasswordHasher

    from coord.directory import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """The migrated, empty database every test starts from (built once per run, by the migrations)."""
    tmp = tmp_path_factory.mktemp("db")
    if BACKEND == "sqlite":
        path = tmp / "template.sqlite"
        migrate_to_head(base_config(tmp, f"sqlite:///{path}"))
        return path
    if BACKEND != "postgresql":
        raise pytest.UsageError(f"COORD_TEST_DB must be sqlite or postgresql, not {BACKEND!r}")
    reason = pg_reachable()
    if reason:
        return reason
    engine = sa.create_engine(pg_engine_url())
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()
    migrate_to_head(base_config(tmp, pg_engine_url()))
    return None


def _fresh_database_uri(database_template, tmp_path: Path) -> str:
    if BACKEND == "sqlite":
        path = tmp_path / "coord.sqlite"
        shutil.copy(database_template, path)
        return f"sqlite:///{path}"
    if isinstance(database_template, str):
        unavailable(database_template)
    engine = sa.create_engine(pg_engine_url(), connect_args={"options": f"-csearch_path={PG_SCHEMA}"})
    tables = [table.name for table in db.metadata.sorted_tables]
    with engine.begin() as connection:
        # Replica mode skips the audit log's append-only triggers for this cleanup only.
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return pg_engine_url()


@pytest.fixture
def make_app(database_template, tmp_path):
    """Build the app under test on a clean database; keyword arguments override the config, `modules`
    replaces the module list."""
    created = []

    def factory(modules=None, **overrides):
        if not created:
            uri = _fresh_database_uri(database_template, tmp_path)
        else:
            uri = created[0].config["SQLALCHEMY_DATABASE_URI"]
        config = base_config(tmp_path, uri, **overrides)
        app = create_app(config) if modules is None else create_app(config, modules=modules)
        with app.app_context():
            limiter.reset()
        created.append(app)
        return app

    yield factory
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        unavailable(f"Redis at {REDIS_URL} unreachable ({error})")
    client.flushdb()
    client.close()
    return REDIS_URL


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Collect(Message):
        def __init__(self) -> None:
            super().__init__()
            self.messages = []

        def handle_message(self, message) -> None:
            self.messages.append(message)

    handler = Collect()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    controller.messages = handler.messages
    yield controller
    controller.stop()


# Browser ------------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app):
    """The app served on a loopback port by werkzeug in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"  # links in e-mails lead here
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="fr-CA", base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(chromium, live_server):
    """A factory of pages in a fresh 375px touch-screen context (French), closed after the test."""
    contexts = []

    def open_page():
        context = chromium.new_context(
            locale="fr-CA",
            base_url=live_server,
            viewport={"width": 375, "height": 740},
            is_mobile=True,
            has_touch=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()
