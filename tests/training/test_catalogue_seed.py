"""The catalogue the migration seeds: the program's eleven modules in French and English, with their
prerequisites, on both backends (PostgreSQL tests put the migration's rows back after each cleanup)."""

from __future__ import annotations

import sqlalchemy as sa

from coord.extensions import db
from coord.training.catalogue import MODULE_CODES, PREREQUISITES
from coord.training.models import TrainingModule


def test_the_migration_seeds_the_programs_modules_with_their_prerequisites(app):
    with app.app_context():
        modules = db.session.scalars(sa.select(TrainingModule).order_by(TrainingModule.position)).all()
        assert [module.code for module in modules] == list(MODULE_CODES)
        for module in modules:
            assert module.title_fr and module.title_en and module.title_fr != module.title_en
            assert module.description_fr and module.description_en and module.duration_minutes >= 60
        by_code = {module.code: module for module in modules}
        for code, required in PREREQUISITES:
            assert [m.code for m in by_code[code].prerequisites] == [required]
        assert "\u00a0:" in by_code["exploitation"].title_fr  # Québec French: a non-breaking space before ":"


def test_a_new_module_after_the_seeded_ones_gets_the_next_id(app):
    with app.app_context():
        module = TrainingModule(code="new", title_fr="Nouveau", title_en="New", duration_minutes=60)
        db.session.add(module)
        db.session.commit()
        assert module.id == len(MODULE_CODES) + 1
