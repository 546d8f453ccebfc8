"""Meeting lists: the committees a person may see, and a committee's single meetings and series
occurrences in order, with what the reader may do there (the meetings index and a committee's page)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord.core.ids import MAX_ID
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings import rules
from coord.meetings.hosts import NOT_HOSTED
from coord.meetings.models import AgendaItem, Meeting, MeetingSeries, MeetingStatus

HORIZON = timedelta(days=190)  # upcoming occurrences of series shown ahead
MAX_ROWS = 200


@dataclass(frozen=True)
class MeetingRow:
    start: datetime
    end: datetime
    title: str
    committee: Committee | None
    cancelled: bool
    published: bool
    meeting_id: int | None  # None: an occurrence of a series not prepared yet
    series_id: int | None
    has_agenda: bool = False

    @property
    def occurrence(self) -> str:
        return self.start.strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class IndexPage:
    committees: list[Committee]  # those the reader may see
    can_create: bool  # the reader edits the meetings of one of them at least


@dataclass(frozen=True)
class CommitteePage:
    committee: Committee
    rows: list[MeetingRow]
    past: bool
    can_edit: bool  # new meetings and series for this committee
    can_set_quorum: bool


def visible_committees(actor: Person) -> list[Committee]:
    committees = db.session.scalars(sa.select(Committee).where(Committee.active).order_by(Committee.name_fr))
    return [c for c in committees if may(actor, "meetings.calendar", c)]


def editable_committees(actor: Person) -> list[Committee]:
    """The committees whose meetings the actor may create and change."""
    return [c for c in visible_committees(actor) if may(actor, "meetings.edit", c)]


def index_page(actor: Person) -> IndexPage:
    return IndexPage(visible_committees(actor), bool(editable_committees(actor)))


def committee_page(actor: Person, committee_id: int, past: bool = False) -> CommitteePage:
    """A committee's upcoming (or past) meetings, for its members and staff (a 404 when there is none)."""
    committee = db.session.get(Committee, committee_id) if 0 < committee_id <= MAX_ID else None
    if committee is None:
        raise NotFound()
    rows = committee_meetings(actor, committee, utcnow(), past=past)
    return CommitteePage(
        committee,
        rows,
        past,
        can_edit=may(actor, "meetings.edit", committee),
        can_set_quorum=may(actor, "directory.committees.manage", committee),
    )


def committee_meetings(
    actor: Person, committee: Committee, now: datetime, past: bool = False
) -> list[MeetingRow]:
    """The committee's meetings: upcoming (next ~6 months) or past, single ones and series occurrences."""
    require(actor, "meetings.calendar", committee)
    start, end = (now - timedelta(days=3 * 365), now) if past else (now, now + HORIZON)
    singles = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.committee_id == committee.id,
            NOT_HOSTED,
            Meeting.series_id.is_(None),
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .options(orm.lazyload("*"), orm.selectinload(Meeting.agenda_items).load_only(AgendaItem.id))
    ).all()
    series_list = db.session.scalars(
        sa.select(MeetingSeries)
        .where(MeetingSeries.committee_id == committee.id, MeetingSeries.status != MeetingStatus.CANCELLED)
        .options(orm.lazyload("*"))
    ).all()
    exceptions: dict[int, dict[datetime, Meeting]] = defaultdict(dict)
    if series_list:
        rows = db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.series_id.in_([s.id for s in series_list]))
            .options(orm.lazyload("*"), orm.selectinload(Meeting.agenda_items).load_only(AgendaItem.id))
        )
        for row in rows:
            exceptions[row.series_id][row.original_start] = row
    found = [_row(m, committee) for m in singles]
    for series in series_list:
        for original in rules.all_starts(series, until=end):
            if original < start - series.duration:
                continue
            row = exceptions[series.id].get(original)
            if row is not None:
                if start <= row.starts_at < end:
                    found.append(_row(row, committee))
                continue
            found.append(
                MeetingRow(
                    original,
                    original + series.duration,
                    series.title,
                    committee,
                    series.status == MeetingStatus.CANCELLED,
                    series.published_at is not None,
                    None,
                    series.id,
                )
            )
    found.sort(key=lambda row: row.start, reverse=past)
    return found[:MAX_ROWS]


def _row(meeting: Meeting, committee: Committee) -> MeetingRow:
    return MeetingRow(
        meeting.starts_at,
        meeting.ends_at,
        meeting.title,
        committee,
        meeting.is_cancelled,
        meeting.published_at is not None,
        meeting.id,
        meeting.series_id,
        bool(meeting.agenda_items),
    )
