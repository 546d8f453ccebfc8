"""Migrations: from empty to head on SQLite and PostgreSQL, and they agree with the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from coord import create_app
from coord.extensions import db
from tests.conftest import pg_engine_url, pg_reachable
from tests.support import unavailable

SCHEMA = "coord_migrations"


def _sqlite(tmp_path):
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"}


def _postgresql(tmp_path):
    reason = pg_reachable()
    if reason:
        unavailable(reason)
    engine = sa.create_engine(pg_engine_url())
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return {
        "SQLALCHEMY_DATABASE_URI": pg_engine_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={SCHEMA}"}},
    }


@pytest.mark.parametrize("backend", [_sqlite, _postgresql], ids=["sqlite", "postgresql"])
def test_upgrade_from_empty_matches_the_models_and_downgrades(tmp_path, backend):
    config = {"SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://", **backend(tmp_path)}
    app = create_app(config)
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                differences = compare_metadata(context, db.metadata)
                assert differences == [], differences
                tables = set(sa.inspect(connection).get_table_names())
            assert {"person", "organization", "audit_entry", "committee", "login_session"} <= tables
            downgrade(revision="base")
            with db.engine.connect() as connection:
                assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
            upgrade()
        finally:
            db.session.remove()
            db.engine.dispose()
