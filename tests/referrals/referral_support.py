"""Assertions the referral tests share: audit entries, outbox rows, disclosure lines."""

from __future__ import annotations

import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.referrals.models import Disclosure


def referral_audit(app, action: str | None = None) -> list[AuditEntry]:
    with app.app_context():
        query = sa.select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def referral_outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.template.like("referrals/%"))
                .order_by(OutboxMessage.id)
            )
        )
        db.session.expunge_all()
        return rows


def referral_disclosures(app) -> list[tuple[str, str, int, int, int | None]]:
    """(what, purpose, from organization, to organization, consent) of every disclosure line."""
    with app.app_context():
        return [
            (d.what, d.purpose, d.from_organization_id, d.to_organization_id, d.consent_id)
            for d in db.session.scalars(sa.select(Disclosure).order_by(Disclosure.id))
        ]
