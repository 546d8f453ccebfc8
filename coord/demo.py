"""seed-demo: every module's demo data, each after the modules it needs, in one commit."""

from __future__ import annotations

from coord import audit
from coord.core.module import Module, demo_order
from coord.extensions import db


def seed_demo(modules: list[Module], password: str | None) -> list[tuple[str, str, bool]]:
    """Run the modules' demo seeds in dependency order; returns the demo accounts they report."""
    accounts: list[tuple[str, str, bool]] = []
    for module in demo_order(modules):
        accounts += module.demo.seed(password) or []
        db.session.flush()
    audit.record("demo.seed", actor=audit.SYSTEM, detail="password reset" if password else "")
    db.session.commit()
    return accounts
