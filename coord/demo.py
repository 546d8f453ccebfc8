"""seed-demo: every module adds its demo data here, in dependency order."""

from __future__ import annotations

from coord import audit
from coord.directory import demo as directory_demo
from coord.extensions import db


def seed_demo(password: str | None) -> list[tuple[str, str, bool]]:
    accounts = directory_demo.seed(password)
    audit.record("demo.seed", detail="password reset" if password else "")
    db.session.commit()
    return accounts
