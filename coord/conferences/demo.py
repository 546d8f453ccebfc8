"""A demo case conference between an intervenant and a police officer (fictitious)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coord.conferences.models import CaseConference, ConferenceInvitee
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import Person
from coord.extensions import db

TITLE = "Concertation — participante A.B. (retour de fugue)"


def _person(local_part: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{local_part}@demo.coord.test"))


def seed(password: str | None = None) -> None:
    if db.session.scalar(select(CaseConference.id).where(CaseConference.title == TITLE)):
        return
    _conference(utcnow())


def _conference(now: datetime) -> None:
    intervenant, police = _person("intervenant"), _person("police")
    if intervenant is None or police is None:
        return
    start = datetime.combine(
        (now.astimezone(LOCAL_TZ) + timedelta(days=9)).date(), time(14, 0), tzinfo=LOCAL_TZ
    )
    conference = CaseConference(
        title=TITLE,
        notes="Exemple fictif : ces détails ne sortent jamais de la page de la rencontre.",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="CLSC Hochelaga-Maisonneuve",
        organizer_id=intervenant.id,
    )
    conference.invitees = [ConferenceInvitee(person_id=police.id)]
    db.session.add(conference)
