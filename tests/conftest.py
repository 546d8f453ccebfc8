"""Fixtures: an app per test on a clean database (SQLite, or PostgreSQL with COORD_TEST_DB=postgresql),
a client, the real Redis, a loopback SMTP server, and Chromium driven by Playwright.

Under pytest-xdist every worker has its own databases, named from the `worker_id` fixture ("master"
without xdist, else "gw0", "gw1", …): its own SQLite template, its own PostgreSQL schemas
(`<prefix>_gw0`, … with COORD_TEST_SCHEMA_PREFIX, default coord_test; `<prefix>` alone without xdist)
and its own Redis database (REDIS_URL's database number plus the worker's number)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from coord import create_app
from coord.extensions import db, limiter
from tests.support import unavailable

pytest_plugins = ["tests.leak_scan", "tests.french_scan"]

BACKEND = os.environ.get("COORD_TEST_DB", "sqlite")
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
# Worker gwN uses Redis database (this one + N): keep that below the server's `databases` (16).
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
SCHEMA_PREFIX = os.environ.get("COORD_TEST_SCHEMA_PREFIX", "coord_test")
if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", SCHEMA_PREFIX):
    raise pytest.UsageError(f"COORD_TEST_SCHEMA_PREFIX must be a lower-case SQL name, not {SCHEMA_PREFIX!r}")


def worker_number(worker_id: str) -> int:
    """0 without xdist ("master") and for gw0, 1 for gw1, …"""
    return 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))


def schema_name(worker_id: str, purpose: str = "") -> str:
    """This worker's PostgreSQL schema: <prefix>[_<purpose>][_gwN]. Only such schemas are ever dropped."""
    name = SCHEMA_PREFIX + (f"_{purpose}" if purpose else "")
    return name if worker_id == "master" else f"{name}_{worker_id}"


def redis_url_for(worker_id: str, base: str = REDIS_URL) -> str:
    """REDIS_URL with its database number raised by the worker's number (gw0: unchanged)."""
    parts = urlsplit(base)
    number = int(parts.path.strip("/") or 0) + worker_number(worker_id)
    return urlunsplit(parts._replace(path=f"/{number}"))


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


def pg_schema_options(schema: str) -> dict:
    return {"connect_args": {"options": f"-csearch_path={schema}"}}


def recreate_pg_schema(schema: str) -> None:
    """Drop and create one of this run's schemas (named by schema_name, so never another run's)."""
    engine = sa.create_engine(pg_engine_url())
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


def base_config(tmp_path: Path, database_uri: str, pg_schema: str | None = None, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }
    if database_uri.startswith("postgresql"):
        if not pg_schema:
            raise ValueError("a PostgreSQL test database needs its worker's schema")
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **pg_schema_options(pg_schema)}
    config.update(overrides)
    return config


def migrate_to_head(config: dict) -> None:
    app = create_app(config)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def pytest_configure(config) -> None:
    """Without pytest-xdist (`-p no:xdist`), `worker_id` is "master", as xdist gives it without workers."""
    if not config.pluginmanager.hasplugin("xdist"):

        @pytest.fixture(scope="session", name="worker_id")
        def master_worker_id() -> str:
            return "master"

        plugin = ModuleType("coord_worker_id_without_xdist")
        plugin.worker_id = master_worker_id
        config.pluginmanager.register(plugin, plugin.__name__)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2id with small parameters: the same code path, a fraction of the time per hash."""
    from argon2 import PasswordHasher

    from coord.directory import passwords

    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


@dataclass
class WorkerDatabase:
    """This worker's migrated, empty database: a SQLite file to copy, or a PostgreSQL schema to empty."""

    backend: str
    template: Path | None = None  # SQLite
    schema: str | None = None  # PostgreSQL
    cleaner: sa.Engine | None = None  # PostgreSQL: empties the schema before each test
    reason: str | None = None  # why PostgreSQL is unavailable
    seeded: list = field(default_factory=list)  # PostgreSQL: (table, rows) the migrations wrote

    def fresh_uri(self, tmp_path: Path) -> str:
        if self.backend == "sqlite":
            path = tmp_path / "coord.sqlite"
            shutil.copy(self.template, path)
            return f"sqlite:///{path}"
        if self.reason:
            unavailable(self.reason)
        with self.cleaner.begin() as connection:
            connection.exec_driver_sql(self.empty_schema_sql)
            self.restore_seeded(connection)
        return pg_engine_url()

    def remember_seeded(self) -> None:
        """The rows the migrations themselves write (the training catalogue): put back after each cleanup,
        so that PostgreSQL tests start from what a new database holds, as SQLite's copied template does."""
        with self.cleaner.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = [dict(row) for row in connection.execute(sa.select(table)).mappings()]
                if rows:
                    self.seeded.append((table, rows))

    def restore_seeded(self, connection) -> None:
        for table, rows in self.seeded:
            connection.execute(sa.insert(table), rows)
            if "id" in table.c:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 (a model's table)
                    f"(SELECT max(id) FROM {table.name}))"
                )

    @functools.cached_property
    def empty_schema_sql(self) -> str:
        # DELETE, not TRUNCATE: on these small tables it is ~15 times faster (TRUNCATE makes new files).
        # Replica mode skips the audit log's append-only triggers and the foreign keys, for this cleanup
        # only; the sequences restart at 1 like a new database's.
        dialect = self.cleaner.dialect
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [str(sa.delete(table).compile(dialect=dialect)) for table in db.metadata.sorted_tables]
        statements.append(
            "SELECT setval(c.oid, 1, false) FROM pg_class c "
            "WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace"
        )
        return "; ".join(statements)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """The migrated, empty database every test of this worker starts from (built once, by the migrations)."""
    tmp = tmp_path_factory.mktemp("db")
    if BACKEND == "sqlite":
        path = tmp / f"template-{worker_id}.sqlite"
        migrate_to_head(base_config(tmp, f"sqlite:///{path}"))
        yield WorkerDatabase("sqlite", template=path)
        return
    if BACKEND != "postgresql":
        raise pytest.UsageError(f"COORD_TEST_DB must be sqlite or postgresql, not {BACKEND!r}")
    reason = pg_reachable()
    if reason:
        yield WorkerDatabase("postgresql", reason=reason)
        return
    schema = schema_name(worker_id)
    recreate_pg_schema(schema)
    migrate_to_head(base_config(tmp, pg_engine_url(), pg_schema=schema))
    cleaner = sa.create_engine(pg_engine_url(), poolclass=sa.pool.StaticPool, **pg_schema_options(schema))
    database = WorkerDatabase("postgresql", schema=schema, cleaner=cleaner)
    database.remember_seeded()
    yield database
    cleaner.dispose()


@pytest.fixture
def make_app(database_template, tmp_path):
    """Build the app under test on a clean database; keyword arguments override the config, `modules`
    replaces the module list."""
    created = []

    def factory(modules=None, **overrides):
        if not created:
            uri = database_template.fresh_uri(tmp_path)
        else:
            uri = created[0].config["SQLALCHEMY_DATABASE_URI"]
        config = base_config(tmp_path, uri, pg_schema=database_template.schema, **overrides)
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
def redis_url(worker_id):
    """This worker's own Redis database, emptied (flushdb touches no other worker's keys)."""
    import redis

    url = redis_url_for(worker_id)
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
        client.flushdb()
    except redis.ResponseError as error:  # e.g. "DB index is out of range": a setting, not a missing service
        pytest.fail(
            f"Redis refused database {url} for xdist worker {worker_id} ({error}): set REDIS_URL to a "
            "lower database number or run fewer workers (PYTEST_WORKERS)"
        )
    except (redis.RedisError, OSError) as error:
        unavailable(f"Redis at {url} unreachable ({error})")
    finally:
        client.close()
    return url


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

    from tests.browser.a11y import RecordingBrowser

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield RecordingBrowser(
            browser
        )  # its contexts record their pages for axe-core (tests/browser/conftest.py)
        browser.close()


@pytest.fixture(autouse=True)
def axe_every_page(request):
    """In a test that drives Chromium, every page its contexts load is checked by axe-core afterwards: no
    WCAG 2.1 A/AA violation (tests/browser/a11y.py)."""
    if "chromium" not in request.fixturenames:
        yield None
        return
    from tests.browser.a11y import Recorder

    chromium = request.getfixturevalue("chromium")
    request.getfixturevalue("live_server")  # still serving the stylesheets while the pages are checked
    chromium.recorder = recorder = Recorder()
    yield recorder
    chromium.recorder = None
    problems = recorder.check(chromium._browser)
    assert recorder.documents or not recorder.expects_documents, "no page recorded for axe-core"
    assert not problems, "axe-core violations:\n" + "\n".join(problems)


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
