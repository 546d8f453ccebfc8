"""The training demo's test helpers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa

from coord.extensions import db
from coord.training.models import Prerequisite, TrainingModule

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0015_training_calendar.py"


def _migration():
    spec = importlib.util.spec_from_file_location("training_catalogue_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ensure_catalogue() -> None:
    """The catalogue as the migration seeds it. The PostgreSQL test database is emptied table by table
    between tests (the migration's rows with it); the SQLite copy keeps them. Inside an app context."""
    if db.session.scalar(sa.select(TrainingModule.id).limit(1)) is not None:
        return
    migration = _migration()
    modules = {}
    for position, (code, minutes, title_fr, title_en, description_fr, description_en) in enumerate(
        migration.CATALOGUE, 1
    ):
        modules[code] = TrainingModule(
            code=code,
            position=position,
            title_fr=title_fr,
            title_en=title_en,
            description_fr=description_fr,
            description_en=description_en,
            audience_fr=migration.PARTNERS_FR,
            audience_en=migration.PARTNERS_EN,
            duration_minutes=minutes,
            active=True,
        )
    db.session.add_all(modules.values())
    db.session.flush()
    for code, required in migration.PREREQUISITES:
        db.session.add(Prerequisite(module_id=modules[code].id, required_id=modules[required].id))
    db.session.commit()
