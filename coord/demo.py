"""seed-demo: every module adds its demo data here, in dependency order."""

from __future__ import annotations

from coord import audit
from coord.directory import demo as directory_demo
from coord.extensions import db
from coord.meetings import demo as meetings_demo


def seed_demo(password: str | None) -> list[tuple[str, str, bool]]:
    accounts = directory_demo.seed(password)
    db.session.flush()
    meetings_demo.seed()
    audit.record("demo.seed", detail="password reset" if password else "")
    db.session.commit()
    return accounts
