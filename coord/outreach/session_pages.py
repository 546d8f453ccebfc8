"""What the session pages show: the coordinator's detail page of a request (with the conflicts of the
session's presenters and suggested free times), a presenter's "my sessions", and the requester's actions
by signed link. Each page service checks its rule and returns the reader's `can_*` flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord.calendar.freebusy import busy_times, kind_label
from coord.calendar.sources import Window
from coord.core.localtime import utcnow
from coord.core.permissions import may, require
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach import links, slots, workflow
from coord.outreach.booking import Rules
from coord.outreach.models import (
    Assignment,
    OutreachRequest,
    Presenter,
    RequestState,
)

MAX_SUGGESTIONS = 8
MAX_LISTED = 300


@dataclass(frozen=True)
class Conflict:
    presenter: str  # display name
    what: str  # the kind of commitment, in words ("Committee meeting"), or another awareness session
    start: datetime
    end: datetime


@dataclass
class DetailPage:
    request: OutreachRequest
    can_manage: bool
    can_record_outcome: bool
    can_cancel_own: bool
    has_started: bool
    presenters: list[Presenter] = field(default_factory=list)  # those the coordinator may assign
    conflicts: list[Conflict] = field(default_factory=list)  # of the session's time
    suggestions: list[slots.Slot] = field(default_factory=list)
    free_in_window: dict[int, list[str]] = field(default_factory=dict)  # window id -> presenters free


def active_presenters() -> list[Presenter]:
    rows = db.session.scalars(
        sa.select(Presenter).where(Presenter.active.is_(True)).options(orm.selectinload(Presenter.windows))
    ).unique()
    return sorted((p for p in rows if p.person.active), key=lambda p: p.person.display_name.lower())


def _other_sessions(presenter_ids: list[int], window: Window, request_id: int):
    return db.session.execute(
        sa.select(Assignment.presenter_id, OutreachRequest.starts_at, OutreachRequest.ends_at)
        .join(OutreachRequest, Assignment.request_id == OutreachRequest.id)
        .where(
            Assignment.presenter_id.in_(presenter_ids),
            Assignment.active.is_(True),
            Assignment.request_id != request_id,
            Assignment.busy_until > window.start,
            Assignment.busy_from < window.end,
            OutreachRequest.state.in_([str(s) for s in (RequestState.REQUESTED, RequestState.CONFIRMED)]),
        )
    ).all()


def conflicts_of(request: OutreachRequest, presenters: list[Presenter], start: datetime, end: datetime):
    """What each presenter already has around [start, end), buffers included (shown, not enforced: the
    booking lock enforces)."""
    from flask_babel import gettext

    buffer = Rules.from_settings().buffer
    window = Window(start - buffer, end + buffer)
    found = []
    for row in _other_sessions([p.id for p in presenters], window, request.id):
        name = next(p.person.display_name for p in presenters if p.id == row.presenter_id)
        found.append(Conflict(name, gettext("Another awareness session"), row.starts_at, row.ends_at))
    for presenter in presenters:
        for busy in busy_times(presenter.person_id, window, ignore_uids=(request.uid,)):
            if not busy.uid.startswith("outreach-"):
                found.append(
                    Conflict(presenter.person.display_name, kind_label(busy.kind), busy.start, busy.end)
                )
    return sorted(found, key=lambda c: (c.start, c.presenter))


def _free_in_windows(request: OutreachRequest, presenters: list[Presenter]) -> dict[int, list[str]]:
    """For each preferred window, the presenters with nothing in it (buffers included)."""
    if not request.windows or not presenters:
        return {}
    buffer = Rules.from_settings().buffer
    span = Window(
        min(w.starts_at for w in request.windows) - buffer, max(w.ends_at for w in request.windows) + buffer
    )
    sessions = _other_sessions([p.id for p in presenters], span, request.id)
    busy = {
        p.id: [b for b in busy_times(p.person_id, span) if not b.uid.startswith("outreach-")]
        for p in presenters
    }
    free: dict[int, list[str]] = {}
    for window in request.windows:
        start, end = window.starts_at - buffer, window.ends_at + buffer
        free[window.id] = [
            p.person.display_name
            for p in presenters
            if not any(b.overlaps(start, end) for b in busy[p.id])
            and not any(s.presenter_id == p.id and s.starts_at < end and s.ends_at > start for s in sessions)
        ]
    return free


def _suggestions(request: OutreachRequest) -> list[slots.Slot]:
    """Open slots inside the preferred windows, else the next open ones."""
    found = slots.open_slots()
    inside = [
        s
        for s in found
        if any(w.starts_at <= s.starts_at and s.ends_at <= w.ends_at for w in request.windows)
    ]
    return (inside or found)[:MAX_SUGGESTIONS]


def detail_page(actor: Person, ref: str) -> DetailPage:
    """The request's page: every field, windows, history; for the coordinator the forms' choices, the
    conflicts of the session's time and suggested free times."""
    request = workflow.find_request(ref)
    require(actor, "outreach.view", request)
    now = utcnow()
    page = DetailPage(
        request=request,
        can_manage=may(actor, "outreach.manage"),
        can_record_outcome=may(actor, "outreach.record_outcome", request),
        can_cancel_own=may(actor, "outreach.cancel_own", request),
        has_started=request.starts_at is not None and request.starts_at <= now,
    )
    if page.can_manage and request.state in (RequestState.REQUESTED, RequestState.CONFIRMED):
        page.presenters = active_presenters()
        if request.starts_at is not None and request.presenters:
            page.conflicts = conflicts_of(request, request.presenters, request.starts_at, request.ends_at)
        page.free_in_window = _free_in_windows(request, page.presenters)
        page.suggestions = _suggestions(request)
    return page


def request_id_for(ref: str) -> int:
    return workflow.find_request(ref).id


def find_suggestion(slot_id: str) -> slots.Slot | None:
    """The open slot a suggestion link names (None when forged or taken since), to fill the form."""
    return slots.find_slot(slot_id) if slot_id else None


@dataclass(frozen=True)
class MySessions:
    upcoming: list[OutreachRequest]
    past: list[OutreachRequest]


def my_sessions(actor: Person) -> MySessions:
    """The sessions the actor presents: upcoming (confirmed), then past ones (held, or awaiting outcome)."""
    require(actor, "outreach.present")
    rows = db.session.scalars(
        sa.select(OutreachRequest)
        .join(Assignment, Assignment.request_id == OutreachRequest.id)
        .join(Presenter, Assignment.presenter_id == Presenter.id)
        .where(
            Presenter.person_id == actor.id,
            Assignment.active.is_(True),
            OutreachRequest.state.in_([str(RequestState.CONFIRMED), str(RequestState.HELD)]),
            OutreachRequest.starts_at > utcnow() - timedelta(days=400),
        )
        .order_by(OutreachRequest.starts_at)
        .limit(MAX_LISTED)
        .options(orm.selectinload(OutreachRequest.assignments))
    ).all()
    now = utcnow()
    upcoming = [r for r in rows if r.starts_at > now]
    past = [r for r in rows if r.starts_at <= now][::-1]
    return MySessions(upcoming, past)


# The requester's actions by signed link ----------------------------------------------------------------


def by_link(token: str) -> OutreachRequest:
    """The request of a live signed link (else 404, the same for forged, tampered, expired or replaced)."""
    request = links.read(token)
    if request is None:
        raise NotFound()
    return request


def link_actions(request: OutreachRequest) -> dict:
    """What the requester may still do from their link (the partial reads these flags)."""
    now = utcnow()
    open_ = request.state in (RequestState.REQUESTED, RequestState.CONFIRMED)
    not_begun = request.starts_at is None or request.starts_at > now
    return {"can_cancel": open_ and not_begun, "can_ask_reschedule": open_ and not_begun}


def link_cancel(token: str, reason: str) -> OutreachRequest:
    request = by_link(token)
    return workflow.cancel(None, request.id, "requester", reason)


def link_ask_reschedule(token: str, windows, note: str) -> OutreachRequest:
    request = by_link(token)
    return workflow.ask_reschedule(None, request.id, windows, note)
