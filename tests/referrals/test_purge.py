"""The retention purge: who is anonymized, what is blanked, what stays; dry run; the daily task; the hook."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord import audit
from coord.core.localtime import local_today
from coord.extensions import db
from coord.notify import schedule
from coord.referrals import jobs, purge
from coord.referrals.models import Consent, Disclosure, Participant, PurgeRun, Referral
from tests.referrals.factories import (
    registers_consent,
    registers_disclosure,
    registers_participant,
    registers_people,
    registers_referral,
)


@pytest.fixture
def world(app):
    people = registers_people(app)
    today = local_today()
    ids = {
        "old": registers_participant(app, people["intervenant"], closed_on=today - timedelta(days=6 * 365)),
        "recent": registers_participant(app, people["intervenant"], closed_on=today - timedelta(days=365)),
        "active": registers_participant(app, people["intervenant"]),
        "done": registers_participant(
            app, people["intervenant"], closed_on=today - timedelta(days=7 * 365), anonymized=True
        ),
    }
    for key in ("old", "recent", "active"):
        consent = registers_consent(app, ids[key], [people["other"]], given_on=today - timedelta(days=2500))
        registers_referral(
            app, ids[key], people["other"], state="closed", consent_id=consent,
            services=["other"], services_other="Atelier X", decline_note="", feedback="Retour détaillé",
        )  # fmt: skip
        registers_disclosure(app, ids[key], people["other"], consent_id=consent)
    return ids


def _snapshot(app, participant_id: int) -> dict:
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        referral = db.session.scalar(sa.select(Referral).where(Referral.participant_id == participant_id))
        consent = db.session.scalar(sa.select(Consent).where(Consent.participant_id == participant_id))
        return {
            "code": participant.code,
            "code_number": participant.code_number,
            "note": participant.private_note,
            "anonymized_at": participant.anonymized_at,
            "referral": (referral.note, referral.feedback, referral.services_other, referral.state)
            if referral
            else None,
            "referral_figures": (referral.services, referral.urgency, referral.sent_at) if referral else None,
            "consent": (consent.given_on, consent.purposes, consent.organization_ids) if consent else None,
            "disclosures": db.session.scalar(
                sa.select(sa.func.count(Disclosure.id)).where(Disclosure.participant_id == participant_id)
            ),
        }


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _entries(app, action: str) -> list[audit.AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(sa.select(audit.AuditEntry).where(audit.AuditEntry.action == action)).all()
        db.session.expunge_all()
        return rows


def test_the_purge_anonymizes_only_participants_closed_past_the_retention(app, world):
    before = {key: _snapshot(app, pid) for key, pid in world.items()}
    called = []
    hook = purge.register_anonymizer(lambda ids: called.append(ids))
    try:
        with app.app_context():
            result = purge.purge_participants()
    finally:
        purge.unregister_anonymizer(hook)
    assert result.anonymized == 1 and [pid for pid, _ in result.plan.participants] == [world["old"]]
    assert called == [[world["old"]]]
    old = _snapshot(app, world["old"])
    assert old["code"] is None and old["note"] == "" and old["anonymized_at"] is not None
    assert old["code_number"] < 0  # the year and number no longer rebuild the code
    assert old["referral"] == ("", "", "", "closed")
    assert old["referral_figures"] == before["old"]["referral_figures"]
    assert old["consent"] == before["old"]["consent"]
    assert old["disclosures"] == 1
    for untouched in ("recent", "active", "done"):
        assert _snapshot(app, world[untouched]) == before[untouched], untouched
    [run] = _entries(app, "participants.purge")
    assert run.actor_id is None and run.actor_label == "system"
    assert run.detail.startswith("anonymized=1 ")
    [anonymize] = _entries(app, "participant.anonymize")
    assert anonymize.subject == f"participant:{world['old']}" and anonymize.actor_label == "system"
    with app.app_context():
        [row] = db.session.scalars(sa.select(PurgeRun)).all()
        assert row.anonymized == 1 and row.retention_days == 1826 and row.actor_label == "system"
        assert row.closed_before == local_today() - timedelta(days=1826)


def test_a_run_with_nothing_to_do_is_still_logged(app):
    with app.app_context():
        result = purge.purge_participants()
    assert result.anonymized == 0
    assert _count(app, PurgeRun) == 1 and len(_entries(app, "participants.purge")) == 1


def test_a_dry_run_changes_nothing(app, world):
    before = {key: _snapshot(app, pid) for key, pid in world.items()}
    called = []
    hook = purge.register_anonymizer(lambda ids: called.append(ids))
    try:
        with app.app_context():
            result = purge.purge_participants(dry_run=True)
    finally:
        purge.unregister_anonymizer(hook)
    assert result.dry_run and [pid for pid, _ in result.plan.participants] == [world["old"]]
    assert called == []
    assert {key: _snapshot(app, pid) for key, pid in world.items()} == before
    assert _count(app, PurgeRun) == 0 and _count(app, audit.AuditEntry) == 0


def test_the_command_prints_ids_and_refs_never_codes(app, world):
    code = _snapshot(app, world["old"])["code"]
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge-participants", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and f"{world['old']} (" in dry.output and code not in dry.output
    assert _count(app, PurgeRun) == 0
    real = runner.invoke(args=["purge-participants"])
    assert real.exit_code == 0 and "1 participant(s)" in real.output and code not in real.output
    assert _snapshot(app, world["old"])["code"] is None


def test_the_worker_purges_at_most_once_a_day(app, world):
    assert schedule._PERIODIC["referrals.purge"] is jobs.scheduled_purge
    with app.app_context():
        jobs.scheduled_purge()
        db.session.commit()
        # A participant that becomes purgeable later the same day waits for tomorrow's run.
        late = db.session.get(Participant, world["recent"])
        late.closed_on = local_today() - timedelta(days=3000)
        db.session.commit()
        jobs.scheduled_purge()
        db.session.commit()
        assert purge.daily_purge() is None
    assert _count(app, PurgeRun) == 1
    assert _snapshot(app, world["recent"])["code"] is not None
    with app.app_context():
        tomorrow = purge.ran_today(local_today() + timedelta(days=1))
    assert tomorrow is False


def test_the_retention_comes_from_the_configuration(make_app):
    app = make_app(PARTICIPANT_RETENTION_DAYS=30)
    people = registers_people(app)
    closed = registers_participant(app, people["intervenant"], closed_on=local_today() - timedelta(days=31))
    with app.app_context():
        result = purge.purge_participants()
    assert result.anonymized == 1 and result.plan.retention_days == 30
    assert _snapshot(app, closed)["code"] is None
