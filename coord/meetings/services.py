"""Meeting rules: create, publish, change, move or cancel meetings and occurrences; invitations follow.

Every operation checks permission first, validates before it changes anything, queues its invitations in
the same transaction, and commits once. SEQUENCE rises whenever time, place or status changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.calendar.invitations import Method, invite
from coord.calendar.validation import MAX_DURATION, check_place, check_times, check_year
from coord.core.errors import ServiceError
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.permissions import require
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings import rules
from coord.meetings.calendar import invitees, meeting_event, series_event
from coord.meetings.models import Frequency, Meeting, MeetingGuest, MeetingSeries, MeetingStatus

MAX_COUNT = 500


@dataclass
class MeetingData:
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    video_url: str = ""
    committee_id: int | None = None


@dataclass
class SeriesData:
    title: str
    first_start: datetime
    duration_minutes: int
    frequency: Frequency
    interval: int = 1
    until_date: date | None = None
    count: int | None = None
    location: str = ""
    video_url: str = ""
    committee_id: int | None = None


def _committee(committee_id: int | None) -> Committee | None:
    if committee_id is None:
        return None
    committee = db.session.get(Committee, committee_id)
    if committee is None or not committee.active:
        raise ServiceError(_l("Unknown committee."), "committee_id")
    return committee


def _may_edit(actor: Person, committee: Committee | None) -> None:
    require(actor, "meetings.edit", committee)


# Single meetings ------------------------------------------------------------------------------------


def create_meeting(actor: Person, data: MeetingData, guest_ids: list[int] | None = None) -> Meeting:
    committee = _committee(data.committee_id)
    _may_edit(actor, committee)
    check_place(data.title, data.location, data.video_url)
    check_times(data.starts_at, data.ends_at)
    meeting = Meeting(
        committee_id=data.committee_id,
        title=data.title.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        location=data.location.strip(),
        video_url=data.video_url.strip(),
        created_by_id=actor.id,
    )
    meeting.guests = [MeetingGuest(person_id=pid) for pid in _guest_ids(guest_ids)]
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting.create", obj=meeting, actor=actor)
    db.session.commit()
    return meeting


def people_by_email(text: str) -> tuple[list[int], list[str]]:
    """(ids of the active people with these addresses, one per line; the addresses nobody active has)."""
    addresses = [line.strip().lower() for line in text.splitlines() if line.strip()]
    if not addresses:
        return [], []
    found = dict(
        db.session.execute(
            sa.select(Person.email, Person.id).where(Person.email.in_(addresses), Person.active)
        ).all()
    )
    return list(found.values()), [a for a in addresses if a not in found]


def _guest_ids(guest_ids: list[int] | None) -> list[int]:
    wanted = sorted(set(guest_ids or []))
    if not wanted:
        return []
    found = set(db.session.scalars(sa.select(Person.id).where(Person.id.in_(wanted), Person.active)))
    if found != set(wanted):
        raise ServiceError(_l("Unknown or deactivated person among the guests."), "guests")
    return wanted


def publish_meeting(actor: Person, meeting: Meeting) -> int:
    """Put the meeting on calendars and invite everyone; returns the number of invitations."""
    _may_edit(actor, meeting.committee)
    if meeting.series_id is not None:
        raise ServiceError(_l("Publish the series instead."))
    if meeting.published_at is not None:
        return 0
    meeting.published_at = utcnow()
    count = invite(meeting_event(meeting), invitees(meeting), Method.REQUEST)
    audit.record("meeting.publish", obj=meeting, actor=actor)
    db.session.commit()
    return count


def update_meeting(
    actor: Person, meeting: Meeting, data: MeetingData, guest_ids: list[int] | None = None
) -> int:
    """Change a meeting (or one occurrence) and, when given, its guests. Everyone invited hears of a change
    of time, place or title; a new guest gets the invitation, a removed one its cancellation."""
    _may_edit(actor, meeting.committee)
    if meeting.is_cancelled:
        raise ServiceError(_l("This meeting is cancelled."))
    check_place(data.title, data.location, data.video_url)
    check_times(data.starts_at, data.ends_at)
    wanted = None if guest_ids is None else set(_guest_ids(guest_ids))
    before = (meeting.title, meeting.starts_at, meeting.ends_at, meeting.location, meeting.video_url)
    meeting.title, meeting.starts_at, meeting.ends_at = data.title.strip(), data.starts_at, data.ends_at
    meeting.location, meeting.video_url = data.location.strip(), data.video_url.strip()
    after = (meeting.title, meeting.starts_at, meeting.ends_at, meeting.location, meeting.video_url)
    invited_before = {person.id: person for person in invitees(meeting)}
    guests_changed = wanted is not None and wanted != {guest.person_id for guest in meeting.guests}
    if before == after and not guests_changed:
        return 0
    if guests_changed:
        meeting.guests = [g for g in meeting.guests if g.person_id in wanted] + [
            MeetingGuest(person_id=pid) for pid in sorted(wanted - {g.person_id for g in meeting.guests})
        ]
        db.session.flush()
        db.session.expire(meeting, ["guests"])
    count = 0
    if before != after:
        meeting.sequence += 1
        count = _announce(meeting, Method.REQUEST)
    elif _published(meeting):
        db.session.flush()
        added = [p for p in invitees(meeting) if p.id not in invited_before]
        count = invite(meeting_event(meeting), added, Method.REQUEST)
    if guests_changed and _published(meeting):
        still = {person.id for person in invitees(meeting)}
        removed = [person for pid, person in invited_before.items() if pid not in still]
        count += invite(meeting_event(meeting), removed, Method.CANCEL)
    audit.record("meeting.update", obj=meeting, actor=actor, detail="guests" if guests_changed else "")
    db.session.commit()
    return count


def cancel_meeting(actor: Person, meeting: Meeting) -> int:
    _may_edit(actor, meeting.committee)
    if meeting.is_cancelled:
        return 0
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    count = _announce(meeting, Method.CANCEL)
    audit.record("meeting.cancel", obj=meeting, actor=actor)
    db.session.commit()
    return count


def _published(meeting: Meeting) -> bool:
    series = meeting.series
    return (series.published_at if series else meeting.published_at) is not None


def _announce(meeting: Meeting, method: Method) -> int:
    """Invitations for a change of a published meeting or occurrence (none while unpublished)."""
    if not _published(meeting):
        return 0
    db.session.flush()
    return invite(meeting_event(meeting), invitees(meeting), method)


# Series ---------------------------------------------------------------------------------------------


def _check_series(data: SeriesData) -> None:
    check_place(data.title, data.location, data.video_url)
    if not 0 < data.duration_minutes <= MAX_DURATION.total_seconds() // 60:
        raise ServiceError(_l("A meeting lasts between 1 minute and 12 hours."), "duration_minutes")
    if not 1 <= data.interval <= 12:
        raise ServiceError(_l("Repeat every 1 to 12 weeks or months."), "interval")
    if data.until_date is not None and data.count is not None:
        raise ServiceError(_l("End the series on a date or after a number of meetings, not both."), "count")
    if data.count is not None and not 1 <= data.count <= MAX_COUNT:
        raise ServiceError(_l("A series has 1 to 500 meetings."), "count")
    if data.first_start.tzinfo is None:
        raise ValueError("series start must be timezone-aware")
    check_year(data.first_start, "first_start")
    if data.until_date is not None:
        check_year(data.until_date, "until_date")


def create_series(actor: Person, data: SeriesData, guest_ids: list[int] | None = None) -> MeetingSeries:
    committee = _committee(data.committee_id)
    _may_edit(actor, committee)
    _check_series(data)
    series = _new_series(actor, data)
    series.guests = [MeetingGuest(person_id=pid) for pid in _guest_ids(guest_ids)]
    db.session.add(series)
    db.session.flush()
    audit.record("meeting_series.create", obj=series, actor=actor)
    db.session.commit()
    return series


def publish_series(actor: Person, series: MeetingSeries) -> int:
    _may_edit(actor, series.committee)
    if series.published_at is not None:
        return 0
    series.published_at = utcnow()
    count = invite(series_event(series, series.exceptions), invitees(series), Method.REQUEST)
    audit.record("meeting_series.publish", obj=series, actor=actor)
    db.session.commit()
    return count


def cancel_series(actor: Person, series: MeetingSeries) -> int:
    """Cancel what is still to come: a series that has met already ends with its last past meeting (past
    meetings and their minutes stay); one that has not met yet is cancelled whole. Invitees are told."""
    _may_edit(actor, series.committee)
    if series.status == MeetingStatus.CANCELLED:
        return 0
    now = utcnow()
    past = rules.all_starts(series, until=now)
    if past:
        series.until_date, series.count = past[-1].astimezone(LOCAL_TZ).date(), None
        series.last_start = past[-1]
        for row in series.exceptions:
            if row.original_start and row.original_start > past[-1]:
                row.status, row.sequence = MeetingStatus.CANCELLED, row.sequence + 1
        method = Method.REQUEST
    else:
        series.status = MeetingStatus.CANCELLED
        method = Method.CANCEL
    series.sequence += 1
    count = 0
    if series.published_at is not None:
        db.session.flush()
        count = invite(series_event(series, series.exceptions), invitees(series), method)
    audit.record("meeting_series.cancel", obj=series, actor=actor)
    db.session.commit()
    return count


def occurrence(series: MeetingSeries, original_start: datetime) -> Meeting:
    """The Meeting row standing for one occurrence (created, not committed, when it has none yet)."""
    existing = db.session.scalar(
        sa.select(Meeting).where(Meeting.series_id == series.id, Meeting.original_start == original_start)
    )
    if existing is not None:
        return existing
    if original_start not in rules.all_starts(series, until=original_start + timedelta(seconds=1)):
        raise ServiceError(_l("The series has no meeting at that time."), "original_start")
    meeting = Meeting(
        series=series,
        original_start=original_start,
        committee_id=series.committee_id,
        title=series.title,
        starts_at=original_start,
        ends_at=original_start + series.duration,
        location=series.location,
        video_url=series.video_url,
        sequence=series.sequence,
        published_at=series.published_at,
        created_by_id=series.created_by_id,
    )
    db.session.add(meeting)
    return meeting


def move_occurrence(
    actor: Person, series: MeetingSeries, original_start: datetime, starts_at: datetime, ends_at: datetime
) -> Meeting:
    """Move one occurrence; the others stay. Invitees get a REQUEST for that occurrence only."""
    _may_edit(actor, series.committee)
    check_times(starts_at, ends_at)
    meeting = occurrence(series, original_start)  # the row and the move are committed together
    data = MeetingData(meeting.title, starts_at, ends_at, meeting.location, meeting.video_url)
    if update_meeting(actor, meeting, data) == 0 and meeting.id is None:
        db.session.flush()
        audit.record("meeting.prepare", obj=meeting, actor=actor)
        db.session.commit()
    return meeting


def cancel_occurrence(actor: Person, series: MeetingSeries, original_start: datetime) -> Meeting:
    """Cancel one occurrence (an EXDATE in feeds); invitees get a CANCEL for that occurrence only."""
    _may_edit(actor, series.committee)
    meeting = occurrence(series, original_start)
    cancel_meeting(actor, meeting)
    return meeting


def prepare_occurrence(actor: Person, series: MeetingSeries, original_start: datetime) -> Meeting:
    """The occurrence's own row (for its agenda, attendance and minutes), created on first need."""
    _may_edit(actor, series.committee)
    meeting = occurrence(series, original_start)
    if meeting.id is None:
        try:
            db.session.flush()
            audit.record("meeting.prepare", obj=meeting, actor=actor)
            db.session.commit()
        except IntegrityError:  # prepared at the same moment in another tab: take that one
            db.session.rollback()
            meeting = occurrence(series, original_start)
    return meeting


def edit_series_from(
    actor: Person, series: MeetingSeries, from_start: datetime, data: SeriesData
) -> MeetingSeries:
    """Change the rule, time or place from one occurrence on: the earlier ones stay as they were.

    The series ends the day before; a new series takes the following occurrences. Occurrences changed on
    their own (moved, cancelled, with an agenda) follow to the new series' occurrence of the same day, or
    stand alone when the new rule has none that day. Invitees get both updates.
    """
    _may_edit(actor, series.committee)
    if series.status == MeetingStatus.CANCELLED:
        raise ServiceError(_l("This series is cancelled."))
    if from_start not in rules.all_starts(series, until=from_start + timedelta(seconds=1)):
        raise ServiceError(_l("The series has no meeting at that time."), "original_start")
    data.committee_id = series.committee_id
    _check_series(data)
    local_day = from_start.astimezone(LOCAL_TZ).date()
    if data.first_start.astimezone(LOCAL_TZ).date() < local_day:
        raise ServiceError(_l("The new rule starts on or after the chosen meeting."), "first_start")
    new = _new_series(actor, data)
    new.guests = [MeetingGuest(person_id=guest.person_id) for guest in series.guests]
    db.session.add(new)
    db.session.flush()
    _hand_over_exceptions(series, new, from_start)
    if from_start == series.first_start:
        series.status = MeetingStatus.CANCELLED  # every occurrence moved to the new series
    else:
        series.until_date, series.count = local_day - timedelta(days=1), None
        series.last_start = rules.last_start(series)
    series.sequence += 1
    if series.published_at is not None:
        new.published_at = utcnow()
        db.session.flush()
        method = Method.CANCEL if series.status == MeetingStatus.CANCELLED else Method.REQUEST
        invite(series_event(series, series.exceptions), invitees(series), method)
        invite(series_event(new, new.exceptions), invitees(new), Method.REQUEST)
    audit.record("meeting_series.split", obj=series, actor=actor, detail=f"new series {new.id}")
    db.session.commit()
    return new


def _new_series(actor: Person, data: SeriesData) -> MeetingSeries:
    """A series from checked data (not added to the session); refused when its rule gives no meeting."""
    series = MeetingSeries(
        committee_id=data.committee_id,
        title=data.title.strip(),
        location=data.location.strip(),
        video_url=data.video_url.strip(),
        first_start=data.first_start.replace(second=0, microsecond=0),
        duration_minutes=data.duration_minutes,
        frequency=Frequency(data.frequency),
        repeat_interval=data.interval,
        until_date=data.until_date,
        count=data.count,
        created_by_id=actor.id,
    )
    if not rules.all_starts(series, until=data.first_start + timedelta(days=400 * data.interval)):
        raise ServiceError(_l("This rule gives no meeting: check the end date."), "until_date")
    series.last_start = rules.last_start(series)
    return series


def _hand_over_exceptions(old: MeetingSeries, new: MeetingSeries, from_start: datetime) -> None:
    later = [row for row in old.exceptions if row.original_start and row.original_start >= from_start]
    if not later:
        return
    last = max(row.original_start for row in later) + timedelta(days=2)
    by_day = {start.astimezone(LOCAL_TZ).date(): start for start in rules.all_starts(new, until=last)}
    for row in later:
        target = by_day.get(row.original_start.astimezone(LOCAL_TZ).date())
        if target is None:
            row.series, row.original_start = None, None  # stands alone from now on
            continue
        moved = row.starts_at != row.original_start
        row.series, row.original_start = new, target
        if not moved:
            row.starts_at, row.ends_at = target, target + new.duration
        row.sequence += 1


# Reading --------------------------------------------------------------------------------------------


def get_meeting(actor: Person, meeting_id: int) -> Meeting | None:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is not None:
        require(actor, "meetings.view", meeting)
    return meeting


def get_series(actor: Person, series_id: int) -> MeetingSeries | None:
    series = db.session.get(MeetingSeries, series_id)
    if series is not None:
        require(actor, "meetings.view", series)
    return series


def upcoming_occurrences(
    series: MeetingSeries, after: datetime, limit: int = 12
) -> list[tuple[datetime, Meeting | None]]:
    """The next occurrences' original starts with their exception row (moved or cancelled), if any."""
    starts = [s for s in rules.all_starts(series, until=after + timedelta(days=800)) if s >= after][:limit]
    rows = {m.original_start: m for m in series.exceptions}
    return [(start, rows.get(start)) for start in starts]
