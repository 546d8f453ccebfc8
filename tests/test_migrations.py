"""Migrations: from empty to head on SQLite and PostgreSQL, and they agree with the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from coord import create_app
from coord.extensions import db
from tests.conftest import pg_engine_url, pg_reachable, pg_schema_options, recreate_pg_schema, schema_name
from tests.support import unavailable


def _sqlite(tmp_path, worker_id):
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"}


def _postgresql(tmp_path, worker_id):
    """A schema of this worker's own (<prefix>_migrations[_gwN]), apart from the one the other tests use."""
    reason = pg_reachable()
    if reason:
        unavailable(reason)
    schema = schema_name(worker_id, "migrations")
    recreate_pg_schema(schema)
    options = pg_schema_options(schema)
    return {"SQLALCHEMY_DATABASE_URI": pg_engine_url(), "SQLALCHEMY_ENGINE_OPTIONS": options}


@pytest.mark.parametrize("backend", [_sqlite, _postgresql], ids=["sqlite", "postgresql"])
def test_upgrade_from_empty_matches_the_models_and_downgrades(tmp_path, worker_id, backend):
    config = {"SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://", **backend(tmp_path, worker_id)}
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
