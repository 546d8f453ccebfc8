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


KINDS_TO_SECTORS = {
    "institutional": "health_social",
    "police": "police",
    "community": "community",
    "school": "education",
    "other": "other",
}


@pytest.mark.parametrize("backend", [_sqlite, _postgresql], ids=["sqlite", "postgresql"])
def test_organization_kinds_become_sectors_and_back(tmp_path, worker_id, backend):
    """0007 maps each kind to its sector (institutional: health and social services, school: education),
    the database refuses an unknown sector, and the downgrade maps them back."""
    config = {"SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://", **backend(tmp_path, worker_id)}
    app = create_app(config)
    insert = sa.text(
        "INSERT INTO organization"
        " (name, short_name, kind, region, is_partner, active, created_at, updated_at) VALUES"
        " (:kind, :kind, :kind, '', :partner, :partner, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    rows = sa.text("SELECT name, {column} FROM organization ORDER BY name")
    with app.app_context():
        try:
            upgrade(revision="0005")
            with db.engine.begin() as connection:
                for kind in KINDS_TO_SECTORS:
                    connection.execute(insert, {"kind": kind, "partner": True})
            upgrade()
            with db.engine.connect() as connection:
                assert dict(connection.execute(sa.text(rows.text.format(column="sector"))).all()) == (
                    KINDS_TO_SECTORS
                )
                columns = {column["name"] for column in sa.inspect(connection).get_columns("organization")}
                assert "kind" not in columns
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
                connection.execute(sa.text("UPDATE organization SET sector = 'castle'"))
            downgrade(revision="0005")
            with db.engine.connect() as connection:
                kinds = dict(connection.execute(sa.text(rows.text.format(column="kind"))).all())
                assert kinds == {kind: kind for kind in KINDS_TO_SECTORS}
        finally:
            db.session.remove()
            db.engine.dispose()
