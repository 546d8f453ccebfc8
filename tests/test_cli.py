"""flask seed-demo."""

from __future__ import annotations

from sqlalchemy import func, select

from coord.directory.models import Committee, CommitteeMembership, Organization, Person
from coord.extensions import db
from tests.support import login


def test_seed_demo_creates_partners_milieux_committees_and_one_account_per_role(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", "demo-sphères-2026"])
    assert result.exit_code == 0, result.output
    for role in ("coordinator", "intervenant", "partner", "requester", "researcher", "admin", "police"):
        assert f"{role}@demo.coord.test" in result.output
    with app.app_context():
        partners = set(db.session.scalars(select(Organization.short_name).where(Organization.is_partner)))
        assert partners == {"CCSMTL", "CODIM", "SPVM", "FMV", "EM1217", "ANONYME"}
        sectors = dict(db.session.execute(select(Organization.short_name, Organization.sector)).all())
        assert sectors == {
            "CCSMTL": "health_social",
            "CODIM": "health_social",
            "SPVM": "police",
            "FMV": "community",
            "EM1217": "community",
            "ANONYME": "community",
            "ESJM": "education",
            "MDJSM": "community",
            "REFUGE": "other",
        }
        police = db.session.scalar(select(Person).where(Person.email == "police@demo.coord.test"))
        assert police.organization.short_name == "SPVM" and police.sector == "police"
        assert {c.code for c in db.session.scalars(select(Committee))} == {"clinique", "directeur"}
        assert db.session.scalar(select(func.count(CommitteeMembership.id))) >= 4
        counts = (
            db.session.scalar(select(func.count(Person.id))),
            db.session.scalar(select(func.count(Organization.id))),
        )
    assert login(app.test_client(), "coordinator@demo.coord.test", "demo-sphères-2026").status_code == 302

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already there" in again.output
    with app.app_context():
        assert counts == (
            db.session.scalar(select(func.count(Person.id))),
            db.session.scalar(select(func.count(Organization.id))),
        )
    assert login(app.test_client(), "admin@demo.coord.test", "demo-sphères-2026").status_code == 302


def test_seed_demo_if_empty_and_weak_password(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["seed-demo", "--password", "short"])
    assert weak.exit_code != 0 and "12" in weak.output
    generated = runner.invoke(args=["seed-demo"])
    assert "(generated)" in generated.output
    skipped = runner.invoke(args=["seed-demo", "--if-empty", "--password", "another long password"])
    assert "no demo data added" in skipped.output
