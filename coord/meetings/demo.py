"""Demo meetings: the clinical committee's monthly series (one moved, one cancelled occurrence), a steering
committee meeting, and a case conference. Written directly (no invitations are sent for demo data)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings import demo_history as history
from coord.meetings import rules
from coord.meetings.models import Frequency, Meeting, MeetingSeries, MeetingStatus

CLINICAL_SERIES_TITLE = "Comité clinique mensuel"


def _second_tuesday(year: int, month: int) -> datetime:
    first = datetime(year, month, 1)
    day = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
    return datetime.combine(day.date(), time(9, 30), tzinfo=LOCAL_TZ)


def _person(local_part: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == f"{local_part}@demo.coord.test"))


def seed(password: str | None = None) -> None:
    if db.session.scalar(select(MeetingSeries).where(MeetingSeries.title == CLINICAL_SERIES_TITLE)):
        return
    committees = {c.code: c for c in db.session.scalars(select(Committee))}
    coordinator = _person("coordinator")
    now = utcnow()
    today = now.astimezone(LOCAL_TZ)
    start_month = (today.replace(day=1) - timedelta(days=100)).replace(day=1)
    series = MeetingSeries(
        committee_id=committees["clinique"].id,
        title=CLINICAL_SERIES_TITLE,
        location="CIUSSS du Centre-Sud, 1560 rue Sherbrooke Est, salle 2.14",
        video_url="https://teams.example.org/comite-clinique",
        first_start=_second_tuesday(start_month.year, start_month.month),
        duration_minutes=120,
        frequency=Frequency.MONTHLY_BY_WEEKDAY,
        published_at=now,
        created_by_id=coordinator.id if coordinator else None,
    )
    db.session.add(series)
    db.session.flush()
    starts = rules.all_starts(series, until=now + timedelta(days=200))
    upcoming = [s for s in starts if s > now]
    # Held, and long enough ago for minutes to have been written and circulated since (a day each).
    past = [s for s in starts if s + series.duration + timedelta(days=2) <= now][-2:]
    moved, cancelled = upcoming[0], upcoming[2]
    next_meeting = _exception(series, moved, moved + timedelta(days=1), MeetingStatus.PLANNED)
    db.session.add_all([next_meeting, _exception(series, cancelled, cancelled, MeetingStatus.CANCELLED)])
    db.session.flush()
    people = {name: _person(name) for name in ("coordinator", "intervenant", "police", "partner")}
    if all(people.values()):
        history.seed_past_meetings(
            series, [_exception(series, s, s, MeetingStatus.PLANNED) for s in past], people, now
        )
        history.seed_next_agenda(next_meeting, people, now)
    steering_start = datetime.combine((today + timedelta(days=21)).date(), time(13, 30), tzinfo=LOCAL_TZ)
    db.session.add(
        Meeting(
            committee_id=committees["directeur"].id,
            title="Comité directeur — bilan annuel",
            starts_at=steering_start,
            ends_at=steering_start + timedelta(hours=2),
            location="Fondation Marie-Vincent, salle du conseil",
            published_at=now,
            created_by_id=coordinator.id if coordinator else None,
        )
    )


def _exception(series: MeetingSeries, original: datetime, start: datetime, status: str) -> Meeting:
    return Meeting(
        series_id=series.id,
        original_start=original,
        committee_id=series.committee_id,
        title=series.title,
        starts_at=start,
        ends_at=start + series.duration,
        location=series.location,
        video_url=series.video_url,
        status=status,
        sequence=1,
        published_at=series.published_at,
    )
