"""The meetings index: upcoming and recent meetings across the committees a person sees (and the meetings
without a committee they organize or are invited to), and a search across meetings, decisions and actions.

Bad input (a query too long, an unknown committee, a date that is not one, reversed dates) is a
ServiceError naming the field: a message beside it, never a 500."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm

from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.permissions import may
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings.hosts import NOT_HOSTED
from coord.meetings.listing import MeetingRow, _row, committee_meetings, visible_committees
from coord.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MeetingGuest,
    Minutes,
    MinutesState,
)

UPCOMING_DAYS = 60
RECENT_DAYS = 60
MAX_QUERY = 200
MAX_FOUND = 50


@dataclass(frozen=True)
class Search:
    """What the reader asked: text, a committee, a date range (local dates); all optional."""

    text: str = ""
    committee_id: int | None = None
    start: date | None = None
    end: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.text or self.committee_id or self.start or self.end)


@dataclass
class Overview:
    committees: list[Committee]
    can_create: bool
    upcoming: list[MeetingRow] = field(default_factory=list)
    recent: list[MeetingRow] = field(default_factory=list)
    search: Search = field(default_factory=Search)
    meetings: list[MeetingRow] = field(default_factory=list)  # found by the search
    decisions: list[tuple[Decision, Meeting]] = field(default_factory=list)
    actions: list[tuple[ActionItem, Meeting]] = field(default_factory=list)


def parse_search(text: str, committee: str, start: str, end: str) -> Search:
    """The search from the query string; a ServiceError names the field in error."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY:
        raise ServiceError(_l("Search with %(num)d characters at most.", num=MAX_QUERY), "q")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ServiceError(_l("Search with letters, digits and punctuation only."), "q")
    committee_id = None
    if committee:
        if not committee.isdigit() or not 0 < int(committee) <= MAX_ID:
            raise ServiceError(_l("Choose a committee from the list."), "committee")
        committee_id = int(committee)
    days = []
    for value, name in ((start, "start"), (end, "end")):
        try:
            days.append(date.fromisoformat(value) if value else None)
        except ValueError:
            raise ServiceError(_l("Enter a date as YYYY-MM-DD."), name) from None
        if days[-1] is not None and not 2000 <= days[-1].year <= 2100:
            raise ServiceError(_l("Enter a date between 2000 and 2100."), name)
    if days[0] and days[1] and days[1] < days[0]:
        raise ServiceError(_l("The end date comes before the start date."), "end")
    return Search(text, committee_id, days[0], days[1])


def _elsewhere(actor: Person, committee_ids: list[int]):
    """Meetings outside the actor's committees that they may still see: staff see every one without a
    committee; anyone sees those they organize (without a committee) or are invited to as a guest."""
    guest_of = sa.select(MeetingGuest.meeting_id).where(
        MeetingGuest.person_id == actor.id, MeetingGuest.meeting_id.is_not(None)
    )
    without = Meeting.committee_id.is_(None)
    mine = sa.or_(sa.and_(without, Meeting.created_by_id == actor.id), Meeting.id.in_(guest_of))
    if actor.is_staff:
        mine = sa.or_(without, mine)
    outside = sa.or_(without, Meeting.committee_id.not_in(committee_ids)) if committee_ids else sa.true()
    return sa.and_(outside, mine)


def _outside_rows(
    actor: Person, committee_ids: list[int], start: datetime, end: datetime
) -> list[MeetingRow]:
    rows = db.session.scalars(
        sa.select(Meeting)
        .where(
            NOT_HOSTED,
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
            _elsewhere(actor, committee_ids),
        )
        .options(
            orm.lazyload(Meeting.series), orm.selectinload(Meeting.agenda_items).load_only(AgendaItem.id)
        )
        .limit(200)
    ).all()
    return [_row(meeting, meeting.committee) for meeting in rows if may(actor, "meetings.view", meeting)]


def _rows(actor: Person, committees: list[Committee], start: datetime, end: datetime, past: bool):
    found: list[MeetingRow] = []
    for committee in committees:
        rows = committee_meetings(actor, committee, end if past else start, past=past)
        found += [row for row in rows if start <= row.start < end]
    found += _outside_rows(actor, [c.id for c in committees], start, end)
    found.sort(key=lambda row: row.start, reverse=past)
    return found


def _window(search: Search) -> tuple[datetime, datetime]:
    start = search.start or date(2000, 1, 1)
    end = (search.end or date(2100, 12, 30)) + timedelta(days=1)
    return (
        datetime.combine(start, time(0), tzinfo=LOCAL_TZ),
        datetime.combine(end, time(0), tzinfo=LOCAL_TZ),
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _found(actor: Person, committees: list[Committee], search: Search, overview: Overview) -> None:
    start, end = _window(search)
    chosen = [c for c in committees if search.committee_id in (None, c.id)]
    ids = [c.id for c in chosen]
    where_meeting = [NOT_HOSTED, Meeting.starts_at >= start, Meeting.starts_at < end]
    seen = Meeting.committee_id.in_(ids) if ids else sa.false()
    if search.committee_id is None:
        seen = sa.or_(seen, _elsewhere(actor, [c.id for c in committees]))
    like = _like(search.text) if search.text else None
    meeting_query = sa.select(Meeting).where(*where_meeting, seen)
    if like:
        meeting_query = meeting_query.where(
            sa.or_(Meeting.title.ilike(like, escape="\\"), Meeting.location.ilike(like, escape="\\"))
        )
    meetings = db.session.scalars(
        meeting_query.options(orm.lazyload(Meeting.series))
        .order_by(Meeting.starts_at.desc())
        .limit(MAX_FOUND)
    ).all()
    overview.meetings = [_row(m, m.committee) for m in meetings if may(actor, "meetings.view", m)]
    if not like:
        return  # decisions and actions are searched by their words
    readable = sa.select(Minutes.meeting_id).where(Minutes.state != MinutesState.DRAFT)
    editable = [c.id for c in chosen if may(actor, "meetings.edit", c)]
    minutes_ok = sa.or_(
        Meeting.id.in_(readable), Meeting.committee_id.in_(editable) if editable else sa.false()
    )
    decisions = db.session.execute(
        sa.select(Decision, Meeting)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(*where_meeting, seen, minutes_ok, Decision.text.ilike(like, escape="\\"))
        .options(orm.lazyload(Meeting.series))
        .order_by(Meeting.starts_at.desc(), Decision.position)
        .limit(MAX_FOUND)
    ).all()
    overview.decisions = [(d, m) for d, m in decisions if may(actor, "meetings.view", m)]
    actions = db.session.execute(
        sa.select(ActionItem, Meeting)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(
            *where_meeting,
            seen,
            sa.or_(minutes_ok, ActionItem.owner_id == actor.id),
            sa.or_(
                ActionItem.description.ilike(like, escape="\\"),
                ActionItem.owner_name.ilike(like, escape="\\"),
            ),
        )
        .options(orm.lazyload(Meeting.series), orm.joinedload(ActionItem.owner))
        .order_by(Meeting.starts_at.desc(), ActionItem.id)
        .limit(MAX_FOUND)
    ).all()
    overview.actions = [(a, m) for a, m in actions if may(actor, "meetings.view", m)]


def overview(actor: Person, search: Search | None = None) -> Overview:
    """The index: upcoming (next 60 days) and recent (last 60 days) meetings, or what the search finds."""
    committees = visible_committees(actor)
    page = Overview(committees, any(may(actor, "meetings.edit", c) for c in committees) or actor.is_staff)
    search = search or Search()
    page.search = search
    if search.committee_id is not None and search.committee_id not in {c.id for c in committees}:
        raise ServiceError(_l("Choose a committee from the list."), "committee")
    if search.active:
        _found(actor, committees, search, page)
        return page
    now = utcnow()
    page.upcoming = _rows(actor, committees, now, now + timedelta(days=UPCOMING_DAYS), past=False)
    page.recent = _rows(actor, committees, now - timedelta(days=RECENT_DAYS), now, past=True)
    return page
