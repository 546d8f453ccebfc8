"""A series of meetings and its occurrences: create, publish, cancel; prepare, move or cancel one
occurrence; change the series from a date on (a split). Invitations follow.

Public operations take the acting person and ids or plain data, check permission first, validate before
they change anything, queue their invitations in the same transaction, and commit once. An occurrence gets
its own `Meeting` row only when it needs one (prepared, moved, cancelled). Single meetings are in
`meeting_services.py`; what the pages show in `series_pages.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from coord import audit
from coord.calendar.invitations import Method, invite
from coord.calendar.validation import MAX_DURATION, check_place, check_times, check_year
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings import rules
from coord.meetings.calendar import invitees, series_event
from coord.meetings.meeting_services import (
    MeetingData,
    cancel,
    change,
    committee_or_error,
    guest_list,
    just_created,
)
from coord.meetings.models import Frequency, Meeting, MeetingGuest, MeetingSeries, MeetingStatus

MAX_COUNT = 500
SAME_SERIES = (
    "committee_id",
    "title",
    "location",
    "video_url",
    "first_start",
    "duration_minutes",
    "frequency",
    "repeat_interval",
    "until_date",
    "count",
    "created_by_id",
)


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


# Helpers (they check or change, never commit) ---------------------------------------------------------


def find_series(series_id: int) -> MeetingSeries:
    """The series (a 404 when there is none); callers check permission."""
    series = db.session.get(MeetingSeries, series_id) if 0 < series_id <= MAX_ID else None
    if series is None:
        raise NotFound()
    return series


def _editable_series(actor: Person, series_id: int) -> MeetingSeries:
    series = find_series(series_id)
    require(actor, "meetings.edit", series.committee)
    return series


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


def series_problems(data: SeriesData | None, guest_emails: str | None = None) -> list[ServiceError]:
    """Every rule a series form breaks, each with its field, so that the form shows them all at once
    (`create_series` and `edit_series_from` still refuse on the first). `data` is None when the form's own
    checks already failed: only the guests are checked then."""
    checks = [lambda: guest_list(None, guest_emails)] if guest_emails is not None else []
    if data is not None:
        checks += [
            lambda: check_place(data.title, "", ""),
            lambda: check_place(data.title or "-", data.location, ""),
            lambda: check_place(data.title or "-", "", data.video_url),
            lambda: _check_series(replace(data, title=data.title or "-", location="", video_url="")),
        ]
    problems: list[ServiceError] = []
    for check in checks:
        try:
            check()
        except ServiceError as error:
            if all((error.field, str(error)) != (p.field, str(p)) for p in problems):
                problems.append(error)
    if data is not None and not problems:
        try:
            _new_series(None, data)
        except ServiceError as error:
            problems.append(error)
    return problems


def _new_series(actor: Person | None, data: SeriesData) -> MeetingSeries:
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
        created_by_id=actor.id if actor is not None else None,
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


def is_occurrence(series: MeetingSeries, original_start: datetime) -> bool:
    return original_start in rules.all_starts(series, until=original_start + timedelta(seconds=1))


def occurrence_row(series: MeetingSeries, original_start: datetime) -> Meeting | None:
    """The Meeting row of one occurrence, if it has one."""
    return db.session.scalar(
        sa.select(Meeting).where(Meeting.series_id == series.id, Meeting.original_start == original_start)
    )


def occurrence(series: MeetingSeries, original_start: datetime) -> Meeting:
    """The Meeting row standing for one occurrence (created, not committed, when it has none yet)."""
    existing = occurrence_row(series, original_start)
    if existing is not None:
        return existing
    if not is_occurrence(series, original_start):
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


# Series ---------------------------------------------------------------------------------------------


def get_series(actor: Person, series_id: int) -> MeetingSeries:
    """The series, for someone who may see it (a 404 when there is none, else a 403 if not allowed)."""
    series = find_series(series_id)
    require(actor, "meetings.view", series)
    return series


def create_series(
    actor: Person, data: SeriesData, guest_ids: list[int] | None = None, *, guest_emails: str | None = None
) -> MeetingSeries:
    """A new series, not published yet; guests by id or by address (one per line)."""
    committee = committee_or_error(data.committee_id)
    require(actor, "meetings.edit", committee)
    guests = guest_list(guest_ids, guest_emails) or []
    _check_series(data)
    series = _new_series(actor, data)
    lock_row(Person, actor.id)  # the form sent twice: the second finds the first's series
    repeated = just_created(MeetingSeries, {name: getattr(series, name) for name in SAME_SERIES})
    if repeated is not None:
        return repeated
    series.guests = [MeetingGuest(person_id=pid) for pid in guests]
    db.session.add(series)
    db.session.flush()
    audit.record("meeting_series.create", obj=series, actor=actor)
    db.session.commit()
    return series


def publish_series(actor: Person, series_id: int) -> int:
    series = lock_row(MeetingSeries, _editable_series(actor, series_id).id)
    if series.published_at is not None:
        return 0
    series.published_at = utcnow()
    count = invite(series_event(series, series.exceptions), invitees(series), Method.REQUEST)
    audit.record("meeting_series.publish", obj=series, actor=actor)
    db.session.commit()
    return count


def cancel_series(actor: Person, series_id: int) -> int:
    """Cancel what is still to come: a series that has met already ends with its last past meeting (past
    meetings and their minutes stay); one that has not met yet is cancelled whole. Invitees are told."""
    series = lock_row(MeetingSeries, _editable_series(actor, series_id).id)
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


def edit_series_from(actor: Person, series_id: int, from_start: datetime, data: SeriesData) -> MeetingSeries:
    """Change the rule, time or place from one occurrence on: the earlier ones stay as they were.

    The series ends the day before; a new series takes the following occurrences. Occurrences changed on
    their own (moved, cancelled, with an agenda) follow to the new series' occurrence of the same day, or
    stand alone when the new rule has none that day. Invitees get both updates.
    """
    series = lock_row(MeetingSeries, _editable_series(actor, series_id).id)  # a second click: no 2nd split
    if series.status == MeetingStatus.CANCELLED:
        raise ServiceError(_l("This series is cancelled."))
    if not is_occurrence(series, from_start):
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


# One occurrence -------------------------------------------------------------------------------------


def move_occurrence(
    actor: Person, series_id: int, original_start: datetime, starts_at: datetime, ends_at: datetime
) -> Meeting:
    """Move one occurrence; the others stay. Invitees get a REQUEST for that occurrence only."""
    series = _editable_series(actor, series_id)
    check_times(starts_at, ends_at)
    series = lock_row(MeetingSeries, series.id)  # one change of the series' occurrences at a time
    meeting = occurrence(series, original_start)  # the row and the move are committed together
    data = MeetingData(meeting.title, starts_at, ends_at, meeting.location, meeting.video_url)
    if change(actor, meeting, data) < 0 and meeting.id is None:
        db.session.flush()
        audit.record("meeting.prepare", obj=meeting, actor=actor)
    db.session.commit()
    return meeting


def cancel_occurrence(actor: Person, series_id: int, original_start: datetime) -> Meeting:
    """Cancel one occurrence (an EXDATE in feeds); invitees get a CANCEL for that occurrence only."""
    series = lock_row(MeetingSeries, _editable_series(actor, series_id).id)  # a second click tells nobody
    meeting = occurrence(series, original_start)
    cancel(actor, meeting)
    db.session.commit()
    return meeting


def prepare_occurrence(actor: Person, series_id: int, original_start: datetime) -> Meeting:
    """The occurrence's own row (for its agenda, attendance and minutes), created on first need."""
    series = _editable_series(actor, series_id)
    meeting = occurrence(series, original_start)
    if meeting.id is None:
        try:
            db.session.flush()
            audit.record("meeting.prepare", obj=meeting, actor=actor)
            db.session.commit()
        except IntegrityError:  # prepared at the same moment in another tab: take that one
            db.session.rollback()
            meeting = occurrence(find_series(series_id), original_start)
    return meeting


def upcoming_occurrences(
    series: MeetingSeries, after: datetime, limit: int = 12
) -> list[tuple[datetime, Meeting | None]]:
    """The next occurrences' original starts with their exception row (moved or cancelled), if any."""
    starts = [s for s in rules.all_starts(series, until=after + timedelta(days=800)) if s >= after][:limit]
    rows = {m.original_start: m for m in series.exceptions}
    return [(start, rows.get(start)) for start in starts]
