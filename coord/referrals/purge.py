"""Retention: participants closed longer than PARTICIPANT_RETENTION_DAYS are anonymized.

Anonymized: the code is erased (its year and number too, so it cannot be rebuilt), the private note blanked,
`anonymized_at` set; their referrals lose their free text (note, decline note, feedback, "other" service)
but keep states, services, needs, urgency and dates (the program's figures); consents keep their dates,
purposes and organizations (they hold nothing else); disclosure lines stay (they carry no content). Other
modules blank their own data through `register_anonymizer`, in the same transaction.

Active participants, those closed more recently than the retention and those already anonymized are never
touched. Each run writes a PurgeRun row (even with nothing to do) and an audit entry; a dry run writes
nothing. Nothing here names a participant's code: logs and output give ids and refs only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from coord import audit
from coord.core.actor import SYSTEM
from coord.core.localtime import local_today, to_local, utcnow
from coord.extensions import db
from coord.referrals.models import (
    OPEN_STATES,
    Participant,
    ParticipantStatus,
    PurgeRun,
    Referral,
    ReferralState,
)

logger = logging.getLogger(__name__)

Anonymizer = Callable[[list[int]], None]
_ANONYMIZERS: list[Anonymizer] = []


def register_anonymizer(func: Anonymizer) -> Anonymizer:
    """Call `func(participant_ids)` in the purge's transaction (it blanks its own rows, never commits).
    Usable as a decorator; registering the same function twice keeps one."""
    if func not in _ANONYMIZERS:
        _ANONYMIZERS.append(func)
    return func


def unregister_anonymizer(func: Anonymizer) -> None:
    if func in _ANONYMIZERS:
        _ANONYMIZERS.remove(func)


@dataclass(frozen=True)
class PurgePlan:
    retention_days: int
    closed_before: date  # participants closed strictly before this day are anonymized
    participants: list[tuple[int, str]]  # (id, ref): never the code


@dataclass(frozen=True)
class PurgeResult:
    plan: PurgePlan
    dry_run: bool
    run_id: int | None = None

    @property
    def anonymized(self) -> int:
        return 0 if self.dry_run else len(self.plan.participants)


def retention_days() -> int:
    days = int(current_app.config["PARTICIPANT_RETENTION_DAYS"])
    if days < 1:
        raise ValueError("PARTICIPANT_RETENTION_DAYS must be at least 1")
    return days


def plan(today: date | None = None) -> PurgePlan:
    """Who the purge would anonymize today: closed participants past the retention, not yet anonymized."""
    days = retention_days()
    closed_before = (today or local_today()) - timedelta(days=days)
    rows = db.session.execute(
        sa.select(Participant.id, Participant.ref)
        .where(
            Participant.status == ParticipantStatus.CLOSED,
            Participant.closed_on.is_not(None),
            Participant.closed_on < closed_before,
            Participant.anonymized_at.is_(None),
        )
        .order_by(Participant.id)
    ).all()
    return PurgePlan(days, closed_before, [(row.id, row.ref) for row in rows])


def _anonymize(participant_ids: list[int]) -> None:
    """Blank the participants and their referrals (no commit)."""
    now = utcnow()
    for participant in db.session.scalars(sa.select(Participant).where(Participant.id.in_(participant_ids))):
        participant.code = None
        participant.code_number = -participant.id  # with the year, the number was the code: unique and void
        participant.private_note = ""
        participant.anonymized_at = now
    db.session.execute(
        sa.update(Referral)
        .where(Referral.participant_id.in_(participant_ids))
        .values(note="", decline_note="", feedback="", services_other="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(  # a referral still open when the file goes ends there: no board keeps it waiting
        sa.update(Referral)
        .where(
            Referral.participant_id.in_(participant_ids), Referral.state.in_([str(s) for s in OPEN_STATES])
        )
        .values(state=ReferralState.SUSPENDED, suspended_at=now)
        .execution_options(synchronize_session=False)
    )
    for anonymizer in list(_ANONYMIZERS):
        anonymizer(list(participant_ids))


def purge_participants(*, dry_run: bool = False, actor=SYSTEM, today: date | None = None) -> PurgeResult:
    """Anonymize every participant closed longer than the retention, in one transaction, and log the run."""
    found = plan(today)
    if dry_run:
        db.session.rollback()
        return PurgeResult(found, dry_run=True)
    ids = [participant_id for participant_id, _ref in found.participants]
    for start in range(0, len(ids), 500):
        _anonymize(ids[start : start + 500])
    run = PurgeRun(
        actor_label=getattr(actor, "name", "") or f"person:{actor.id}",
        retention_days=found.retention_days,
        closed_before=found.closed_before,
        anonymized=len(ids),
    )
    db.session.add(run)
    db.session.flush()
    for participant_id in ids:
        audit.record(
            "participant.anonymize",
            actor=actor,
            object_type="participant",
            object_id=participant_id,
            subject=f"participant:{participant_id}",
            detail=f"purge:{run.id}",
        )
    audit.record(
        "participants.purge",
        actor=actor,
        obj=run,
        detail=f"anonymized={len(ids)} closed_before={found.closed_before.isoformat()}",
    )
    db.session.commit()
    logger.info("participant purge %d: %d anonymized (ids %s)", run.id, len(ids), ids[:50])
    return PurgeResult(found, dry_run=False, run_id=run.id)


def ran_today(today: date | None = None) -> bool:
    """Whether a purge already ran this (local) day."""
    last = db.session.scalar(sa.select(PurgeRun.at).order_by(PurgeRun.at.desc(), PurgeRun.id.desc()).limit(1))
    return last is not None and to_local(last).date() >= (today or local_today())


def daily_purge() -> PurgeResult | None:
    """The worker's run: at most once a day (the last PurgeRun says whether today's is done)."""
    if ran_today():
        return None
    return purge_participants()
