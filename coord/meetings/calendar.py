"""What meetings put on calendars: published series (RRULE, EXDATE, overrides) and single meetings."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from itertools import chain

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy import orm

from coord.calendar.changes import scopes_of, track
from coord.calendar.events import CalendarEvent, Status
from coord.calendar.scopes import ScopeType
from coord.calendar.sources import PERSON, Followed, Scope, Window
from coord.directory.models import Committee, CommitteeMembership, Person
from coord.extensions import db
from coord.meetings.hosts import NOT_HOSTED, host_of
from coord.meetings.models import UID_DOMAIN, Meeting, MeetingGuest, MeetingSeries, MeetingStatus
from coord.meetings.rules import rrule_for

MEETING = "meeting"  # the event kind (see the manifest)
COMMITTEE = "committee"  # the calendar scope of a committee's meetings
_SERIES_UID = re.compile(r"^meeting-series-(\d{1,10})@")
_MEETING_UID = re.compile(r"^meeting-(\d{1,10})@")
_DAY = timedelta(days=1)
# Feeds show the events' own columns only: no guests, people or committees loaded along (no query per batch).
ONLY_THE_ROWS = orm.lazyload("*")


def _status(status: str) -> Status:
    return Status.CANCELLED if status == MeetingStatus.CANCELLED else Status.CONFIRMED


def meeting_event(meeting: Meeting) -> CalendarEvent:
    """A single meeting, or (with recurrence_id) one occurrence of a series as an override."""
    return _row_event(tuple(getattr(meeting, column.key) for column in _EVENT_COLUMNS))


def series_event(series: MeetingSeries, exceptions: Iterable[Meeting]) -> CalendarEvent:
    exceptions = list(exceptions)
    return _series(
        series,
        exdates=tuple(m.original_start for m in exceptions if m.is_cancelled and m.original_start),
        overrides=tuple(meeting_event(m) for m in exceptions if not m.is_cancelled),
    )


def _series(series: MeetingSeries, exdates: tuple, overrides: tuple) -> CalendarEvent:
    return CalendarEvent(
        uid=series.uid,
        kind=MEETING,
        start=series.first_start,
        end=series.first_start + series.duration,
        title=series.title,
        url=f"/meetings/series/{series.id}",
        last_modified=series.updated_at,
        created=series.created_at,
        location=series.location,
        video_url=series.video_url,
        status=_status(series.status),
        sequence=series.sequence,
        rrule=rrule_for(series),
        exdates=exdates,
        overrides=overrides,
    )


# What a meeting's event shows, read as plain rows (no ORM objects): feeds read thousands of them.
_EVENT_COLUMNS = (
    Meeting.id,
    Meeting.series_id,
    Meeting.original_start,
    Meeting.title,
    Meeting.starts_at,
    Meeting.ends_at,
    Meeting.location,
    Meeting.video_url,
    Meeting.status,
    Meeting.sequence,
    Meeting.created_at,
    Meeting.updated_at,
)


def _row_event(row) -> CalendarEvent:
    """meeting_event() of a plain row of _EVENT_COLUMNS."""
    (id_, series_id, original_start, title, starts_at, ends_at, location, video_url, status, sequence,
     created_at, updated_at) = row  # fmt: skip
    return CalendarEvent(
        uid=f"meeting-series-{series_id}@{UID_DOMAIN}" if series_id else f"meeting-{id_}@{UID_DOMAIN}",
        kind=MEETING,
        start=starts_at,
        end=ends_at,
        title=title,
        url=f"/meetings/{id_}",
        last_modified=updated_at,
        created=created_at,
        location=location,
        video_url=video_url,
        status=_status(status),
        sequence=sequence,
        recurrence_id=original_start,
    )


def _series_row_event(series: MeetingSeries, exceptions: list) -> CalendarEvent:
    """series_event() with its exceptions as plain rows of _EVENT_COLUMNS."""
    cancelled = str(MeetingStatus.CANCELLED)
    return _series(
        series,
        exdates=tuple(row[2] for row in exceptions if row[8] == cancelled and row[2]),
        overrides=tuple(_row_event(row) for row in exceptions if row[8] != cancelled),
    )


def _series_events(series_list: list[MeetingSeries]) -> list[CalendarEvent]:
    if not series_list:
        return []
    exceptions: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        sa.select(*_EVENT_COLUMNS)
        .where(Meeting.series_id.in_([s.id for s in series_list]))
        .order_by(Meeting.id)
    )
    for row in rows:
        exceptions[row[1]].append(row)
    return [_series_row_event(series, exceptions[series.id]) for series in series_list]


def _who(scope: Scope):
    """(series filter, meeting filter) of the scope, or None for a scope meetings do not fill."""
    if scope.kind == PERSON:
        # Ids first (each by its index), then the rows by primary key: no scan of every meeting.
        members = sa.select(CommitteeMembership.committee_id).where(CommitteeMembership.person_id == scope.id)
        series_ids = sa.union(
            sa.select(MeetingSeries.id).where(MeetingSeries.committee_id.in_(members)),
            sa.select(MeetingSeries.id).where(  # no committee: its creator organizes it
                MeetingSeries.created_by_id == scope.id, MeetingSeries.committee_id.is_(None)
            ),
            sa.select(MeetingGuest.series_id).where(
                MeetingGuest.person_id == scope.id, MeetingGuest.series_id.is_not(None)
            ),
        )
        meeting_ids = sa.union(
            sa.select(Meeting.id).where(Meeting.committee_id.in_(members)),
            sa.select(Meeting.id).where(Meeting.created_by_id == scope.id, Meeting.committee_id.is_(None)),
            sa.select(MeetingGuest.meeting_id).where(
                MeetingGuest.person_id == scope.id, MeetingGuest.meeting_id.is_not(None)
            ),
        )
        return MeetingSeries.id.in_(series_ids), Meeting.id.in_(meeting_ids)
    if scope.kind == COMMITTEE:
        return MeetingSeries.committee_id == scope.id, Meeting.committee_id == scope.id
    return None


def _series_where(series_filter, window: Window) -> tuple:
    return (
        series_filter,
        MeetingSeries.published_at.is_not(None),
        MeetingSeries.first_start < window.end,
        sa.or_(MeetingSeries.last_start.is_(None), MeetingSeries.last_start >= window.start - _DAY),
    )


def _singles_where(meeting_filter, window: Window) -> tuple:
    return (
        meeting_filter,
        NOT_HOSTED,
        Meeting.series_id.is_(None),
        Meeting.published_at.is_not(None),
        Meeting.starts_at < window.end,
        Meeting.ends_at > window.start,
    )


class MeetingSource:
    def events(self, scope: Scope, window: Window) -> list[CalendarEvent]:
        who = _who(scope)
        if who is None:
            return []
        series_filter, meeting_filter = who
        series_list = db.session.scalars(
            sa.select(MeetingSeries)
            .where(*_series_where(series_filter, window))
            .order_by(MeetingSeries.id)
            .options(ONLY_THE_ROWS)
        ).all()
        singles = db.session.execute(
            sa.select(*_EVENT_COLUMNS)
            .where(*_singles_where(meeting_filter, window))
            .order_by(Meeting.starts_at)
        )
        return _series_events(list(series_list)) + [_row_event(row) for row in singles]

    def follows(self, scope: Scope) -> list[Followed]:
        """A person's calendar follows their committees' (a meeting or series raises its committee's scope
        and its guests' own; a membership or a guest raises the person's)."""
        if scope.kind != PERSON:
            return []
        committees = sa.select(CommitteeMembership.committee_id).where(
            CommitteeMembership.person_id == scope.id
        )
        return [Followed(COMMITTEE, committees)]

    def with_invitees(self, window: Window) -> list[tuple[CalendarEvent, list[Person]]]:
        series_list = db.session.scalars(
            sa.select(MeetingSeries).where(
                MeetingSeries.published_at.is_not(None),
                MeetingSeries.status == MeetingStatus.PLANNED,
                MeetingSeries.first_start < window.end,
                sa.or_(MeetingSeries.last_start.is_(None), MeetingSeries.last_start >= window.start - _DAY),
            )
        ).all()
        singles = db.session.scalars(
            sa.select(Meeting).where(
                NOT_HOSTED,
                Meeting.series_id.is_(None),
                Meeting.published_at.is_not(None),
                Meeting.starts_at < window.end,
                Meeting.ends_at > window.start,
            )
        ).all()
        pairs = [
            (event, invitees(series))
            for event, series in zip(_series_events(list(series_list)), series_list, strict=True)
        ]
        return pairs + [(meeting_event(m), invitees(m)) for m in singles]

    def event(self, uid: str) -> CalendarEvent | None:
        if match := _SERIES_UID.match(uid):
            series = db.session.get(MeetingSeries, int(match.group(1)))
            return _series_events([series])[0] if series and series.published_at else None
        if match := _MEETING_UID.match(uid):
            meeting = db.session.get(Meeting, int(match.group(1)))
            if meeting and not meeting.is_hosted and meeting.series_id is None and meeting.published_at:
                return meeting_event(meeting)
        return None

    def is_invited(self, uid: str, person_id: int) -> bool:
        target: MeetingSeries | Meeting | None = None
        if match := _SERIES_UID.match(uid):
            target = db.session.get(MeetingSeries, int(match.group(1)))
        elif match := _MEETING_UID.match(uid):
            target = db.session.get(Meeting, int(match.group(1)))
            target = None if target is None or target.is_hosted else target
        return target is not None and person_id in {p.id for p in invitees(target)}


def invitees(target: MeetingSeries | Meeting) -> list[Person]:
    """The committee's current members and the guests, active people only, each once; for a hosted
    record, the people its host says take part."""
    host = host_of(target) if isinstance(target, Meeting) else None
    if host is not None:
        return sorted((p for p in host.people(target) if p.active), key=lambda p: p.id)
    people: dict[int, Person] = {}
    if isinstance(target, Meeting) and target.series is not None:
        people.update({guest.person.id: guest.person for guest in target.guests})  # this occurrence's own
        target = target.series
    if target.committee_id is not None:
        members = db.session.scalars(
            sa.select(Person)
            .join(CommitteeMembership, CommitteeMembership.person_id == Person.id)
            .where(CommitteeMembership.committee_id == target.committee_id)
        )
        people.update({p.id: p for p in members})
    people.update({guest.person.id: guest.person for guest in target.guests})
    return sorted((p for p in people.values() if p.active), key=lambda p: p.id)


def _guests(**where) -> list[Scope]:
    ((column, value),) = where.items()
    if value is None:
        return []
    people = db.session.scalars(
        sa.select(MeetingGuest.person_id).where(getattr(MeetingGuest, column) == value)
    )
    return [Scope(PERSON, person_id) for person_id in people]


def _committees(obj: Meeting | MeetingSeries) -> list[Scope] | None:
    """The committee's scope, before and after the change; None when it cannot be told (a committee
    linked through the relationship, not flushed yet)."""
    history = sa.inspect(obj).attrs.committee_id.history
    ids = set(chain(history.added, history.unchanged, history.deleted))
    if not ids or ids == {None}:
        committee = sa.inspect(obj).attrs.committee.loaded_value
        if committee is orm.base.NO_VALUE or committee is None:
            return [] if obj.committee_id is None else [Scope(COMMITTEE, obj.committee_id)]
        if committee.id is None:
            return None
        ids = {committee.id}
    return [Scope(COMMITTEE, committee_id) for committee_id in ids if committee_id is not None]


def _series_scopes(series: MeetingSeries) -> list[Scope] | None:
    committees = _committees(series)
    return None if committees is None else committees + _guests(series_id=series.id)


def _meeting_scopes(meeting: Meeting) -> list[Scope] | None:
    """A meeting's committee and guests; an occurrence's series' too (its feeds show the series)."""
    committees = _committees(meeting)
    if committees is None:
        return None
    found = committees + _guests(meeting_id=meeting.id)
    series_ids = set(chain(*sa.inspect(meeting).attrs.series_id.history)) - {None}
    if not series_ids and meeting.series is not None:
        if meeting.series.id is None:
            return None
        series_ids = {meeting.series.id}
    for series_id in series_ids:
        series = db.session.get(MeetingSeries, series_id)
        scopes = _series_scopes(series) if series is not None else []
        if scopes is None:
            return None
        found += scopes
    return found


SOURCE = MeetingSource()
# The source follows these scopes (MeetingSource.follows): a meeting or series reaches its committee's and
# its guests' calendars; a membership or a guest, the person's.
track(MeetingSeries, scopes=_series_scopes)
track(Meeting, scopes=_meeting_scopes)
track(MeetingGuest, CommitteeMembership, scopes=scopes_of("person_id", PERSON))
track(  # feed names, not descriptions
    Committee,
    columns=("active", "name_fr", "name_en"),
    scopes=lambda committee: [Scope(COMMITTEE, committee.id)] if committee.id else [],
)


def _committee_label(committee: Committee | None, language: str | None) -> str:
    return committee.name_for(language or str(get_locale().language))


def _member_committees(person: Person) -> list[Committee]:
    committees = sorted((m.committee for m in person.memberships), key=lambda c: c.name_fr)
    return [committee for committee in committees if committee.active]


COMMITTEE_SCOPE = ScopeType(
    name=COMMITTEE,
    label=_committee_label,
    permission="meetings.calendar",
    find=lambda committee_id: db.session.get(Committee, committee_id),
    offered=_member_committees,
    # A committee feed follows current membership only (staff roles do not extend it).
    feed_allowed=lambda person, committee: person.sits_on(committee.id),
    order=10,
)
