"""What the requester's pages show: the request form's open times, the signed-link page, "Mes demandes"
and the home page's card. Read-only; the requester's link itself is checked by `coord.outreach.links`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from coord.core.localtime import to_local, utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person, Role
from coord.extensions import db
from coord.outreach import links
from coord.outreach.models import OutreachRequest, RequestState
from coord.outreach.settings import current as current_settings
from coord.outreach.slots import open_slots

MAX_MINE = 300  # rows on "Mes demandes"
ACTIVE = (RequestState.REQUESTED, RequestState.CONFIRMED)


@dataclass(frozen=True)
class SlotTime:
    id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class SlotDay:
    day: datetime  # the first slot's start (shown as its day)
    times: list[SlotTime]


@dataclass(frozen=True)
class SlotWeek:
    """A week's open times (a phone shows the first week open and the others folded)."""

    monday: date
    days: list[SlotDay]

    @property
    def count(self) -> int:
        return sum(len(day.times) for day in self.days)

    def holds(self, slot_id: str) -> bool:
        return any(time.id == slot_id for day in self.days for time in day.times)


@dataclass(frozen=True)
class FormPage:
    slot_days: list[SlotDay]
    notice_days: int
    horizon_days: int
    session_minutes: int
    earliest: date  # the first date one may propose
    latest: date
    signed_in: bool
    prefill: dict = field(default_factory=dict)

    @property
    def slot_count(self) -> int:
        return sum(len(day.times) for day in self.slot_days)

    @property
    def slot_weeks(self) -> list[SlotWeek]:
        weeks: dict[date, list[SlotDay]] = {}
        for slot_day in self.slot_days:
            local = to_local(slot_day.day).date()
            weeks.setdefault(local - timedelta(days=local.weekday()), []).append(slot_day)
        return [SlotWeek(monday, days) for monday, days in weeks.items()]


def _slot_days(now: datetime) -> list[SlotDay]:
    """Open times by day; one choice per start time (the requester picks a time, not a presenter)."""
    days: dict[date, list[SlotTime]] = {}
    seen: set[datetime] = set()
    for slot in open_slots(now=now):
        if slot.starts_at in seen:
            continue
        seen.add(slot.starts_at)
        days.setdefault(to_local(slot.starts_at).date(), []).append(
            SlotTime(slot.id, slot.starts_at, slot.ends_at)
        )
    return [SlotDay(times[0].starts_at, times) for _day, times in sorted(days.items())]


def form_page(actor, now: datetime | None = None) -> FormPage:
    """The form's open times and rules; signed in (rule outreach.request), the person's details."""
    signed_in = getattr(actor, "is_authenticated", False)
    prefill = {}
    if signed_in:
        require(actor, "outreach.request")
        prefill = {
            "organization_name": actor.organization.name if actor.organization else "",
            "contact_name": actor.display_name,
            "contact_email": actor.email,
            "language": actor.preferred_language,
        }
    now = now or utcnow()
    settings = current_settings()
    earliest = to_local(now + timedelta(days=settings.minimum_notice_days)).date()
    if to_local(now + timedelta(days=settings.minimum_notice_days)).time() != datetime.min.time():
        earliest += timedelta(days=1)
    return FormPage(
        slot_days=_slot_days(now),
        notice_days=settings.minimum_notice_days,
        horizon_days=settings.horizon_days,
        session_minutes=settings.session_minutes,
        earliest=earliest,
        latest=to_local(now + timedelta(days=settings.horizon_days)).date(),
        signed_in=signed_in,
        prefill=prefill,
    )


# The requester's signed link ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowPage:
    request: OutreachRequest
    token: str
    presenter_names: list[str]
    upcoming: bool  # confirmed and not yet started


def _presenter_names(request: OutreachRequest) -> list[str]:
    """Shown to the requester once the session is confirmed (names only, never an address)."""
    if request.state not in (RequestState.CONFIRMED, RequestState.HELD):
        return []
    return [presenter.person.display_name for presenter in request.presenters]


def follow_page(token: str, now: datetime | None = None) -> FollowPage | None:
    """The request of a valid link (None: unknown, tampered, expired or replaced)."""
    request = links.read(token)
    if request is None:
        return None
    now = now or utcnow()
    upcoming = (
        request.state == RequestState.CONFIRMED and request.starts_at is not None and request.starts_at > now
    )
    return FollowPage(request, token, _presenter_names(request), upcoming)


# "Mes demandes" ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MineRow:
    request: OutreachRequest
    presenter_names: list[str]
    follow_token: str | None  # the requester's page, where they may cancel or ask for another time


@dataclass(frozen=True)
class MinePage:
    waiting: list[MineRow]
    upcoming: list[MineRow]
    past: list[MineRow]
    closed: list[MineRow]  # declined or cancelled
    organization_name: str

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.upcoming or self.past or self.closed)


def _mine_query(actor: Person):
    """The person's own requests, and their organization's when they are one of its requesters/partners."""
    condition = OutreachRequest.requested_by_id == actor.id
    if actor.organization_id is not None and actor.has_role(Role.REQUESTER, Role.PARTNER):
        condition = sa.or_(condition, OutreachRequest.organization_id == actor.organization_id)
    return (
        sa.select(OutreachRequest)
        .where(condition)
        .options(
            orm.selectinload(OutreachRequest.assignments),  # presenters and their people come joined
            orm.selectinload(OutreachRequest.windows),
            orm.lazyload(OutreachRequest.organization),
            orm.lazyload(OutreachRequest.requested_by),
        )
        .order_by(OutreachRequest.created_at.desc(), OutreachRequest.id.desc())
        .limit(MAX_MINE)
    )


def my_requests(actor: Person, now: datetime | None = None) -> MinePage:
    """Rule outreach.mine: waiting requests, upcoming sessions, past sessions (with what was agreed and
    how many people were reached), then declined or cancelled ones."""
    require(actor, "outreach.mine")
    now = now or utcnow()
    rows = [r for r in db.session.scalars(_mine_query(actor)).unique() if may(actor, "outreach.view", r)]
    waiting, upcoming, past, closed = [], [], [], []
    for request in rows:
        token = links.token_for(request) if may(actor, "outreach.cancel_own", request) else None
        row = MineRow(request, _presenter_names(request), token)
        if request.state == RequestState.REQUESTED:
            waiting.append(row)
        elif request.state == RequestState.CONFIRMED and request.starts_at and request.starts_at > now:
            upcoming.append(row)
        elif request.state in (RequestState.CONFIRMED, RequestState.HELD):
            past.append(row)
        else:
            closed.append(row)
    upcoming.sort(key=lambda row: row.request.starts_at)
    past.sort(key=lambda row: row.request.starts_at, reverse=True)
    organization = actor.organization.name if actor.organization else ""
    return MinePage(waiting, upcoming, past, closed, organization)


# The home page's card -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSummary:
    waiting: int
    next_session: OutreachRequest | None


def home_summary(actor: Person, now: datetime | None = None) -> HomeSummary | None:
    """For a person who asks for sessions (not the coordinator, who runs them): counts for their card."""
    if not may(actor, "outreach.request_home"):
        return None
    now = now or utcnow()
    rows = [r for r in db.session.scalars(_mine_query(actor)).unique() if may(actor, "outreach.view", r)]
    waiting = sum(1 for r in rows if r.state == RequestState.REQUESTED)
    upcoming = sorted(
        (r for r in rows if r.state == RequestState.CONFIRMED and r.starts_at and r.starts_at > now),
        key=lambda r: r.starts_at,
    )
    return HomeSummary(waiting, upcoming[0] if upcoming else None)
