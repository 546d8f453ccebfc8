"""A demo case conference about a demo participant (fictitious), 9 days ahead, with a short agenda.

The participant is the demo intervenant's one with an active consent for case conferences (the referrals'
demo makes one); without one, this seed records a participant and a consent itself (SPVM, FMV and CCSMTL,
for referral and case conference)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import select

from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.conferences.record import open_record
from coord.conferences.services import disclose_invitees
from coord.core.localtime import LOCAL_TZ, local_today, utcnow
from coord.directory.models import Organization, Person
from coord.extensions import db
from coord.meetings.models import AgendaItem, ItemKind
from coord.referrals.coverage import covering_consent
from coord.referrals.models import (
    Consent,
    ConsentForm,
    ConsentOrganization,
    Participant,
    Purpose,
)

TITLE = "Concertation — retour de fugue, plan de sécurité"
ITEMS = (
    ("Tour de table\u00a0: ce que chacun sait depuis la dernière rencontre", 15, ItemKind.INFORMATION),
    ("Plan de sécurité et accompagnement", 30, ItemKind.DISCUSSION),
    ("Qui fait quoi d'ici la prochaine rencontre", 15, ItemKind.DECISION),
)
COVERED = ("SPVM", "FMV", "CCSMTL")


def _person(local_part: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{local_part}@demo.coord.test"))


def seed(password: str | None = None) -> None:
    if db.session.scalar(select(CaseConference.id).where(CaseConference.title == TITLE)):
        return
    _conference(utcnow())


def _participant(intervenant: Person) -> Participant | None:
    """The intervenant's participant with an active consent for case conferences, else a new one."""
    candidates = db.session.scalars(
        select(Participant)
        .where(Participant.intervenant_id == intervenant.id, Participant.anonymized_at.is_(None))
        .order_by(Participant.id)
    ).all()
    for participant in candidates:
        if any(
            covering_consent(participant.id, Purpose.CASE_CONFERENCE, org.id) is not None
            for org in _organizations()
        ):
            return participant
    return _new_participant(intervenant)


def _organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).where(Organization.short_name.in_(COVERED))))


def _new_participant(intervenant: Person) -> Participant | None:
    organizations = _organizations()
    if len(organizations) != len(COVERED):
        return None
    today = local_today()
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Participant.code_number)).where(Participant.code_year == today.year)
        )
        or 0
    ) + 1
    participant = Participant(
        code=f"SPH-{today.year}-{number:04d}",
        code_year=today.year,
        code_number=number,
        age_at_intake=16,
        intake_date=today - timedelta(days=45),
        organization_id=intervenant.organization_id,
        intervenant_id=intervenant.id,
        recognizes_harms=True,
        voluntary=True,
        created_by_id=intervenant.id,
    )
    db.session.add(participant)
    db.session.flush()
    consent = Consent(
        participant_id=participant.id,
        given_on=today - timedelta(days=30),
        expires_on=today + timedelta(days=335),
        form=ConsentForm.WRITTEN,
        purposes=[Purpose.REFERRAL, Purpose.CASE_CONFERENCE],
        recorded_by_id=intervenant.id,
    )
    consent.organization_rows = [ConsentOrganization(organization_id=org.id) for org in organizations]
    db.session.add(consent)
    db.session.flush()
    return participant


def _conference(now: datetime) -> None:
    intervenant = _person("intervenant")
    guests = [_person(name) for name in ("police", "coordinator", "partner")]
    if intervenant is None or any(guest is None for guest in guests):
        return
    participant = _participant(intervenant)
    if participant is None:
        return
    start = datetime.combine(
        (now.astimezone(LOCAL_TZ) + timedelta(days=9)).date(), time(9, 30), tzinfo=LOCAL_TZ
    )
    conference = CaseConference(
        title=TITLE,
        notes="Exemple fictif\u00a0: ces détails ne sortent jamais de la page de la rencontre.",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="CLSC Hochelaga-Maisonneuve",
        video_url="https://visio.example.org/concertation-demo",
        organizer_id=intervenant.id,
        participant_id=participant.id,
    )
    conference.invitees = [ConferenceInvitee(person_id=guest.id) for guest in guests]
    db.session.add(conference)
    record = open_record(conference, intervenant.id)
    db.session.flush()
    disclose_invitees(
        intervenant, conference, guests
    )  # the register of disclosures, as the service writes it
    for position, (title, minutes, kind) in enumerate(ITEMS, start=1):
        db.session.add(
            AgendaItem(
                meeting_id=record.id,
                position=position,
                title=title,
                duration_minutes=minutes,
                kind=kind,
                presenter_id=intervenant.id if position == 1 else None,
            )
        )
