"""The life of a request: confirm, decline, reschedule, cancel, ask to reschedule, record the outcome.

Each operation checks its rule, validates everything, then moves the state with one conditional UPDATE
(`WHERE state IN (...)`, and for a reschedule the SEQUENCE the coordinator saw): of two people acting at
once exactly one wins, the other gets `StateConflict`, a clear message answered 409. Presenters' time goes
through `coord.outreach.booking` under its per-presenter lock (`BookingConflict`, also 409). Every step is
a history row and an audit entry; messages are queued in the same transaction; one commit. A refusal rolls
the transaction back before it is raised, so nothing is half-written and no lock outlives the refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.calendar.validation import check_year
from coord.core.actor import ANONYMOUS
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import utcnow
from coord.core.permissions import require
from coord.core.text import check_multi_line, check_single_line
from coord.directory.models import Person
from coord.extensions import db
from coord.outreach import booking, messages
from coord.outreach.models import (
    MAX_PRESENTERS,
    MAX_WINDOWS,
    Audience,
    CancelledBy,
    HistoryKind,
    OutreachRequest,
    PreferredWindow,
    Presenter,
    RequestHistory,
    RequestState,
)
from coord.outreach.settings import current as current_settings

MAX_REASON = 2000
MAX_NOTES = 10_000
MAX_PEOPLE_REACHED = 5000
MIN_LENGTH = timedelta(minutes=30)
MAX_LENGTH = timedelta(hours=8)
MAX_AHEAD = timedelta(days=730)
OPEN = (RequestState.REQUESTED, RequestState.CONFIRMED)

STATE_MESSAGES = {
    RequestState.REQUESTED: _l("This request is still waiting for confirmation."),
    RequestState.CONFIRMED: _l("This session is already confirmed."),
    RequestState.DECLINED: _l("This request was declined."),
    RequestState.HELD: _l("This session was already held and its outcome recorded."),
    RequestState.CANCELLED: _l("This request was cancelled."),
}


class StateConflict(ServiceError):
    """The request is no longer in the state the operation needs (someone else acted first): a 409."""


def _rolled_back(func: Callable) -> Callable:
    """Roll the transaction back before a refusal leaves the service (locks and half-changes go with it)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ServiceError:
            db.session.rollback()
            raise

    return wrapper


# Finding rows ------------------------------------------------------------------------------------------


def get_request(request_id: int) -> OutreachRequest:
    """The request (404 when there is none); the operations check permission."""
    found = db.session.get(OutreachRequest, request_id) if 0 < request_id <= MAX_ID else None
    if found is None:
        raise NotFound()
    return found


def find_request(ref: str) -> OutreachRequest:
    found = db.session.scalar(sa.select(OutreachRequest).where(OutreachRequest.ref == ref))
    if found is None:
        raise NotFound()
    return found


def _presenters(presenter_ids: Sequence[int], keeping: frozenset[int] = frozenset()) -> list[Presenter]:
    """1 or 2 distinct active presenters (active people), or presenters the session already has (`keeping`:
    one no longer offered keeps the sessions already theirs); a forged id gets the same message."""
    ids = list(dict.fromkeys(presenter_ids or ()))
    if not ids:
        raise ServiceError(_l("Choose one or two presenters."), "presenters")
    if len(ids) > MAX_PRESENTERS:
        raise ServiceError(_l("Choose at most two presenters."), "presenters")
    if any(type(pid) is not int or not 0 < pid <= MAX_ID for pid in ids):
        raise ServiceError(_l("Choose active presenters."), "presenters")
    rows = db.session.scalars(sa.select(Presenter).where(Presenter.id.in_(ids))).unique().all()
    if len(rows) != len(ids) or not all((p.active or p.id in keeping) and p.person.active for p in rows):
        raise ServiceError(_l("Choose active presenters."), "presenters")
    return sorted(rows, key=lambda p: p.id)


def _check_session_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise ServiceError(_l("Give the date and the start time."), "starts_at")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("session times must be timezone-aware")
    check_year(starts_at, "starts_at")
    if starts_at <= now:
        raise ServiceError(_l("The session must start in the future."), "starts_at")
    if starts_at > now + MAX_AHEAD:
        raise ServiceError(_l("The session must start within two years."), "starts_at")
    if not MIN_LENGTH <= ends_at - starts_at <= MAX_LENGTH:
        raise ServiceError(_l("A session lasts from 30 minutes to 8 hours."), "ends_at")


def _check_text(value: str, field: str, limit: int, required: bool, message) -> str:
    value = (value or "").strip()
    check_multi_line(value, field)
    if required and not value:
        raise ServiceError(message, field)
    if len(value) > limit:
        raise ServiceError(
            _l("This text is too long (%(limit)s characters at most).", limit=f"{limit:,}"), field
        )
    return value


def _check_video_url(video_url: str) -> str:
    video_url = (video_url or "").strip()
    check_single_line(video_url, "video_url")
    if video_url and (len(video_url) > 500 or not video_url.startswith(("https://", "http://"))):
        raise ServiceError(_l("The video link must start with https://."), "video_url")
    return video_url


def _move(
    request: OutreachRequest,
    from_states,
    *,
    seen_sequence: int | None = None,
    raise_sequence=True,
    also=(),
    **values,
):
    """The one conditional UPDATE that moves the request (with the conditions `also`, if any); the loser
    of a race gets StateConflict."""
    statement = sa.update(OutreachRequest).where(
        OutreachRequest.id == request.id, OutreachRequest.state.in_([str(s) for s in from_states]), *also
    )
    if seen_sequence is not None:
        statement = statement.where(OutreachRequest.sequence == seen_sequence)
    if raise_sequence:
        values["sequence"] = OutreachRequest.sequence + 1
    values["updated_at"] = utcnow()
    result = db.session.execute(statement.values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise StateConflict(
            _l("Someone changed this request at the same moment. Reload the page to see where it stands.")
        )
    db.session.refresh(request)


def _refuse_unless(request: OutreachRequest, *states: RequestState) -> None:
    if request.state not in states:
        raise StateConflict(STATE_MESSAGES[RequestState(request.state)])


def _history(request: OutreachRequest, kind: HistoryKind, actor, note: str = "") -> None:
    request.history.append(
        RequestHistory(
            kind=kind,
            at=utcnow(),
            actor_id=getattr(actor, "id", None),
            starts_at=request.starts_at,
            note=note,
        )
    )


# Coordinator's operations ------------------------------------------------------------------------------


@_rolled_back
def confirm(
    actor: Person,
    request_id: int,
    starts_at: datetime,
    ends_at: datetime,
    presenter_ids: Sequence[int],
    video_url: str = "",
) -> OutreachRequest:
    """requested → confirmed: the time fixed, 1 or 2 presenters assigned under their lock; the contact and
    the presenters get the invitation (REQUEST)."""
    request = get_request(request_id)
    require(actor, "outreach.manage")
    _refuse_unless(request, RequestState.REQUESTED)
    now = utcnow()
    _check_session_times(starts_at, ends_at, now)
    presenters = _presenters(presenter_ids)
    video_url = _check_video_url(video_url)
    _move(request, (RequestState.REQUESTED,), state=RequestState.CONFIRMED, video_url=video_url)
    booking.assign(request, presenters, starts_at, ends_at)
    request.reschedule_asked = False
    _history(request, HistoryKind.CONFIRMED, actor)
    db.session.flush()
    audit.record("outreach.confirm", obj=request, actor=actor, detail=f"{len(presenters)} presenters")
    messages.session_confirmed(request)
    db.session.commit()
    return request


@_rolled_back
def decline(actor: Person, request_id: int, reason: str) -> OutreachRequest:
    """requested → declined, with the reason the contact receives; a held slot is freed."""
    request = get_request(request_id)
    require(actor, "outreach.manage")
    _refuse_unless(request, RequestState.REQUESTED)
    reason = _check_text(reason, "reason", MAX_REASON, True, _l("Say why the request is declined."))
    _move(request, (RequestState.REQUESTED,), state=RequestState.DECLINED, decline_reason=reason)
    booking.release(request)
    _history(request, HistoryKind.DECLINED, actor, reason)
    audit.record("outreach.decline", obj=request, actor=actor)
    messages.request_declined(request)
    db.session.commit()
    return request


@_rolled_back
def reschedule(
    actor: Person,
    request_id: int,
    starts_at: datetime,
    ends_at: datetime,
    presenter_ids: Sequence[int],
    video_url: str | None = None,
    seen_sequence: int | None = None,
    note: str = "",
) -> OutreachRequest:
    """A confirmed session gets a new time and/or presenters: the history keeps the former time, SEQUENCE
    goes up, everyone gets the new invitation and a presenter taken off gets a CANCEL."""
    request = get_request(request_id)
    require(actor, "outreach.manage")
    _refuse_unless(request, RequestState.CONFIRMED)
    now = utcnow()
    _check_session_times(starts_at, ends_at, now)
    presenters = _presenters(presenter_ids, keeping=frozenset(p.id for p in request.presenters))
    video_url = request.video_url if video_url is None else _check_video_url(video_url)
    note = _check_text(note, "note", MAX_REASON, False, None)
    before = (request.starts_at, request.ends_at, {p.id for p in request.presenters}, request.video_url)
    if before == (starts_at, ends_at, {p.id for p in presenters}, video_url):
        raise ServiceError(_l("Change the time, the presenters or the video link."), "starts_at")
    previous = [p.person for p in request.presenters]
    _move(
        request,
        (RequestState.CONFIRMED,),
        seen_sequence=seen_sequence,
        video_url=video_url,
        reschedule_asked=False,
    )
    booking.assign(request, presenters, starts_at, ends_at)
    kept = {p.person_id for p in presenters}
    removed = [person for person in previous if person.id not in kept]
    _history(request, HistoryKind.RESCHEDULED, actor, note)
    db.session.flush()
    audit.record("outreach.reschedule", obj=request, actor=actor)
    messages.session_changed(request, removed=removed)
    db.session.commit()
    return request


# Either side -------------------------------------------------------------------------------------------


@_rolled_back
def cancel(actor: Person | None, request_id: int, by: CancelledBy | str, reason: str) -> OutreachRequest:
    """requested or confirmed → cancelled, by the requester (signed in, or `actor` None: the caller checked
    the signed link) or by the program. The presenters' time is freed; a confirmed session's invitation is
    withdrawn (CANCEL, same UID, higher SEQUENCE)."""
    request = get_request(request_id)
    by = CancelledBy(by)
    if actor is None:
        if by is not CancelledBy.REQUESTER:
            raise TypeError("only the requester acts without signing in (by their signed link)")
    else:
        if by is CancelledBy.PROGRAM:
            require(actor, "outreach.manage")
        else:
            require(actor, "outreach.cancel_own", request)
    _refuse_unless(request, *OPEN)
    now = utcnow()
    if by is CancelledBy.REQUESTER and request.starts_at is not None and request.starts_at <= now:
        raise ServiceError(_l("The session has already begun: contact the program to cancel it."), "reason")
    if by is CancelledBy.PROGRAM:
        reason = _check_text(reason, "reason", MAX_REASON, True, _l("Say why the session is cancelled."))
    else:
        reason = _check_text(reason, "reason", MAX_REASON, False, None)
    was_confirmed = request.state == RequestState.CONFIRMED
    presenters = [p.person for p in request.presenters] if was_confirmed else []
    _move(request, (request.state,), state=RequestState.CANCELLED, cancelled_by=by, cancel_reason=reason)
    booking.release(request)
    _history(request, HistoryKind.CANCELLED, actor, reason)
    db.session.flush()
    audit.record("outreach.cancel", obj=request, actor=actor or ANONYMOUS, detail=str(by))
    messages.session_cancelled(request, presenters=presenters, was_confirmed=was_confirmed)
    db.session.commit()
    return request


@dataclass(frozen=True)
class WindowData:
    starts_at: datetime
    ends_at: datetime


def check_windows(windows: Sequence[WindowData], now: datetime | None = None) -> list[WindowData]:
    """1 to 3 windows, each after the minimum notice and within the horizon, 30 minutes to 12 hours long."""
    now = now or utcnow()
    settings = current_settings()
    if not windows:
        raise ServiceError(_l("Give at least one time window."), "windows")
    if len(windows) > MAX_WINDOWS:
        raise ServiceError(_l("Give at most three time windows."), "windows")
    earliest = now + timedelta(days=settings.minimum_notice_days)
    latest = now + timedelta(days=settings.horizon_days)
    for window in windows:
        check_year(window.starts_at, "windows")
        if window.ends_at <= window.starts_at:
            raise ServiceError(_l("Each window must end after it starts."), "windows")
        if window.ends_at - window.starts_at < MIN_LENGTH or window.ends_at - window.starts_at > timedelta(
            hours=12
        ):
            raise ServiceError(_l("Each window lasts from 30 minutes to 12 hours."), "windows")
        if window.starts_at <= now:
            raise ServiceError(_l("Each window must be in the future."), "windows")
        if window.starts_at < earliest:
            raise ServiceError(
                _l(
                    "Each window must start at least %(days)s days from now (the program needs that notice).",
                    days=settings.minimum_notice_days,
                ),
                "windows",
            )
        if window.starts_at > latest:
            raise ServiceError(
                _l("Each window must start within %(days)s days.", days=settings.horizon_days), "windows"
            )
    return sorted(windows, key=lambda w: w.starts_at)


@_rolled_back
def ask_reschedule(
    actor: Person | None, request_id: int, windows: Sequence[WindowData], note: str
) -> OutreachRequest:
    """The requester asks for another time (signed in, or `actor` None: the caller checked the signed link):
    their new windows replace the former ones, the history keeps the step, the coordinators are told. The
    session keeps its time until the coordinator reschedules it."""
    request = get_request(request_id)
    if actor is not None:
        require(actor, "outreach.cancel_own", request)
    _refuse_unless(request, *OPEN)
    now = utcnow()
    if request.starts_at is not None and request.starts_at <= now:
        raise ServiceError(_l("The session has already begun: contact the program."), "windows")
    if request.reschedule_asked:  # one ask at a time: each one e-mails every coordinator
        raise ServiceError(
            _l("Your request for another time is already with the program: we will write to you."), "windows"
        )
    windows = check_windows(windows, now)
    note = _check_text(note, "note", MAX_REASON, False, None)
    _move(
        request,
        (request.state,),
        raise_sequence=False,
        also=(OutreachRequest.reschedule_asked.is_(False),),  # two asks at once: one goes through
        reschedule_asked=True,
    )
    request.windows = [PreferredWindow(starts_at=w.starts_at, ends_at=w.ends_at) for w in windows]
    _history(request, HistoryKind.RESCHEDULE_ASKED, actor, note)
    db.session.flush()
    audit.record(
        "outreach.reschedule_ask", obj=request, actor=actor or ANONYMOUS, detail=f"{len(windows)} windows"
    )
    messages.reschedule_asked(request)
    db.session.commit()
    return request


# After the session -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    people_reached: int | None
    audiences: Sequence[str]
    notes: str = ""
    wants_training: bool = False
    questions_to_route: str = ""


@_rolled_back
def record_outcome(actor: Person, request_id: int, outcome: Outcome) -> OutreachRequest:
    """confirmed → held, once the session has begun: people reached, audiences, notes, follow-ups (a
    training request, questions to route to a partner: the coordinators are told)."""
    request = get_request(request_id)
    require(actor, "outreach.record_outcome", request)
    _refuse_unless(request, RequestState.CONFIRMED)
    if request.starts_at is None or request.starts_at > utcnow():
        raise ServiceError(_l("The outcome is recorded once the session has begun."), "people_reached")
    reached = outcome.people_reached
    if type(reached) is not int or not 0 <= reached <= MAX_PEOPLE_REACHED:
        raise ServiceError(_l("Give the number of people reached (0 to 5,000)."), "people_reached")
    audiences = list(dict.fromkeys(outcome.audiences or ()))
    if not audiences or any(a not in set(Audience) for a in audiences):
        raise ServiceError(_l("Choose who attended: youth, staff or parents."), "audiences")
    notes = _check_text(outcome.notes, "notes", MAX_NOTES, False, None)
    questions = _check_text(outcome.questions_to_route, "questions_to_route", MAX_REASON, False, None)
    _move(
        request,
        (RequestState.CONFIRMED,),
        raise_sequence=False,
        state=RequestState.HELD,
        people_reached=reached,
        outcome_audiences=",".join(a for a in Audience if a in audiences),
        outcome_notes=notes,
        wants_training=bool(outcome.wants_training),
        questions_to_route=questions,
    )
    _history(request, HistoryKind.HELD, actor)
    db.session.flush()
    audit.record("outreach.outcome", obj=request, actor=actor)
    if request.wants_training or request.questions_to_route:
        messages.follow_ups(request)
    db.session.commit()
    return request
