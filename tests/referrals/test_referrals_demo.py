"""The referrals' demo data: fictitious, in every state, with its register lines; seeded twice, no more."""

from __future__ import annotations

import sqlalchemy as sa

from coord.core.localtime import utcnow
from coord.demo import seed_demo
from coord.extensions import db
from coord.modules import MODULES
from coord.referrals.coverage import active_consents
from coord.referrals.models import (
    ConfidentialityIncident,
    Consent,
    Disclosure,
    IntakePerson,
    Participant,
    Referral,
    ReferralState,
)
from coord.referrals.registers import notice_due
from tests.support import logged_in, text

MODELS = (Participant, Consent, Referral, Disclosure, IntakePerson, ConfidentialityIncident)


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in MODELS}


def test_the_demo_has_referrals_in_every_state_and_is_idempotent(app, client):
    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        first = _counts()
        seed_demo(MODULES, None)
        assert _counts() == first
        assert 4 <= first["Participant"] <= 6 and first["IntakePerson"] == 3
        referrals = db.session.scalars(sa.select(Referral)).all()
        assert {r.state for r in referrals} == set(ReferralState)
        sent = [r for r in referrals if r.state == ReferralState.SENT]
        now = utcnow()
        assert any(r.due_at < now for r in sent) and any(r.due_at > now for r in sent)  # one overdue
        declined = next(r for r in referrals if r.state == ReferralState.DECLINED)
        closed = next(r for r in referrals if r.state == ReferralState.CLOSED)
        suspended = next(r for r in referrals if r.state == ReferralState.SUSPENDED)
        assert declined.decline_reason and closed.outcome and closed.feedback
        assert db.session.get(Consent, suspended.consent_id).withdrawn_at is not None
        # Every referral has its register lines, and every line its referral.
        for referral in referrals:
            lines = db.session.scalars(
                sa.select(Disclosure).where(
                    Disclosure.object_type == "referral", Disclosure.object_id == referral.id
                )
            ).all()
            assert lines and all(line.consent_id == referral.consent_id for line in lines)
        participants = db.session.scalars(sa.select(Participant).order_by(Participant.code_number)).all()
        ages = [p.age_at_intake for p in participants]
        assert min(ages) == 13 and max(ages) == 23
        assert all(
            p.code.startswith("SPH-") and p.code.endswith(f"{p.code_number:04d}") for p in participants
        )
        youngest = next(p for p in participants if p.age_at_intake == 13)
        assert {c.given_by for c in youngest.consents} == {"parent"}
        consents = db.session.scalars(sa.select(Consent)).all()
        assert any(c.withdrawn_at for c in consents)
        assert any(not c.is_active() and c.withdrawn_at is None for c in consents)  # expired
        wide = [c for p in participants for c in active_consents(p.id) if len(c.organization_ids) == 3]
        assert wide and set(wide[0].purposes) == {"referral", "case_conference", "follow_up"}
        incidents = db.session.scalars(sa.select(ConfidentialityIncident)).all()
        assert 1 <= len(incidents) <= 2 and any(notice_due(i) for i in incidents)
    logged_in(client, "coordinator@demo.coord.test", "demo-sphères-2026")
    page = text(client.get("/registers/disclosures"))
    assert "SPH-" in page and "FMV" in page
    assert "avis à donner" in text(client.get("/registers/incidents"))
