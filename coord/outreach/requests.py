"""Asking for an awareness session: from the public page (no account) or signed in.

`create_request` checks everything the form sent again (a forged post gets the same messages as a mistaken
one), holds a chosen open slot at once through `booking.assign` in the same transaction (taken meanwhile:
a message on the form, nothing written), queues `messages.request_received`, and commits once.

The public form is guarded without a third-party captcha: a honeypot field, a cap per client address
(`throttle_address`, counted before anything is checked, in the limiter's storage; from the audit log while
that storage is down) and a cap per contact address (requests from it in the last 24 h).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from coord import audit
from coord.core import throttle
from coord.core.actor import ANONYMOUS
from coord.core.errors import ServiceError, TooManyAttempts
from coord.core.localtime import LOCAL_TZ, to_local, utcnow
from coord.core.locks import REPEAT_WINDOW, lock_row
from coord.core.permissions import require
from coord.core.text import check_multi_line, check_single_line
from coord.extensions import db
from coord.outreach import messages
from coord.outreach.booking import BookingConflict, assign
from coord.outreach.models import (
    MAX_WINDOWS,
    REGIONS,
    Audience,
    HistoryKind,
    Milieu,
    OutreachRequest,
    OutreachSettings,
    PreferredWindow,
    Presenter,
    RequestHistory,
    SessionFormat,
)
from coord.outreach.request_dates import day as spoken_day
from coord.outreach.settings import current as current_settings
from coord.outreach.slots import Slot, find_slot, open_slots

logger = logging.getLogger(__name__)

DEFAULT_PER_ADDRESS = "20 per hour"  # posts of the public form from one client address (or IPv6 /64)
DEFAULT_PER_EMAIL = 3  # requests from one contact address in 24 h (public form)
CREATED = "outreach.request.create"
REFUSED = "outreach.request.refused"
LIMITS = {
    "organization_name": 200,
    "contact_name": 120,
    "contact_email": 254,
    "contact_phone": 40,
    "address": 300,
    "details": 3000,
}
PHONE = re.compile(r"[0-9+().\s-]{7,30}(,?\s*(poste|ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)

SLOT_TAKEN = _l("This time was just taken by another request. Choose another time below.")
SLOT_GONE = _l("This time is no longer available. Choose another time below.")


@dataclass(frozen=True)
class WindowData:
    day: date | None = None
    start: time | None = None
    end: time | None = None

    @property
    def empty(self) -> bool:
        return self.day is None and self.start is None and self.end is None


@dataclass(frozen=True)
class RequestData:
    organization_name: str = ""
    milieu: str = ""
    region: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    audiences: tuple[str, ...] = ()
    expected_size: int | None = None
    format: str = ""
    address: str = ""
    language: str = "fr"
    details: str = ""
    slot_id: str = ""
    windows: tuple[WindowData, ...] = field(default_factory=tuple)
    honeypot: str = ""


# Throttles ------------------------------------------------------------------------------------------------


def throttle_address(address: str) -> None:
    """Count one post of the public form from this client address; TooManyAttempts (429) past the cap (read
    from the audit log while the limiter's storage is down)."""
    limit = current_app.config.get("OUTREACH_REQUESTS_PER_ADDRESS", DEFAULT_PER_ADDRESS)
    try:
        retry_after = throttle.hit("outreach-request", limit, address)
    except throttle.StorageDown as error:
        logger.warning("request counters unavailable (%s): reading the audit log", error)
        retry_after = throttle.wait_from_audit_log(limit, address, (CREATED, REFUSED))
    if retry_after is not None:
        audit.record_now(REFUSED, actor=ANONYMOUS, outcome=audit.Outcome.FAILURE, detail="address cap")
        raise TooManyAttempts(
            retry_after, hint=_l("You can also write to the program, or ask again from another connection.")
        )


def _same_mailbox(email: str):
    """The address, and its plus-tagged forms (name+anything@domain reaches the same mailbox)."""
    local, _, domain = email.partition("@")
    base = local.split("+", 1)[0]

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    return sa.or_(
        OutreachRequest.contact_email == f"{base}@{domain}",
        OutreachRequest.contact_email.like(f"{escaped(base)}+%@{escaped(domain)}", escape="\\"),
    )


def _check_email_cap(email: str) -> None:
    cap = int(current_app.config.get("OUTREACH_REQUESTS_PER_EMAIL", DEFAULT_PER_EMAIL))
    since = utcnow() - timedelta(hours=24)
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutreachRequest)
        .where(_same_mailbox(email), OutreachRequest.created_at > since)
    )
    if count >= cap:
        raise ServiceError(
            ngettext(
                "This address already sent %(num)d request today: wait until tomorrow, or write to us.",
                "This address already sent %(num)d requests today: wait until tomorrow, or write to us.",
                count,
            ),
            "contact_email",
        )


# Checks -------------------------------------------------------------------------------------------------


def _text(value: str, name: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_l("This field is required."), name)
    limit = LIMITS[name]
    if len(value) > limit:
        raise ServiceError(_l("Keep this under %(max)d characters.", max=limit), name)
    if name == "details":
        check_multi_line(value, name)
    else:
        check_single_line(value, name)
    return value


def _email(value: str) -> str:
    value = _text(value, "contact_email").lower()
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        message = _l("Enter a valid e-mail address, like name@example.org.")
        raise ServiceError(message, "contact_email") from error
    return value


def check_windows(windows: tuple[WindowData, ...], now: datetime) -> list[tuple[datetime, datetime]]:
    """The preferred windows as (start, end) aware datetimes, each checked; at least one."""
    settings = current_settings()
    earliest = now + timedelta(days=settings.minimum_notice_days)
    latest = now + timedelta(days=settings.horizon_days)
    length = timedelta(minutes=settings.session_minutes)
    found: list[tuple[datetime, datetime]] = []
    if len(windows) > MAX_WINDOWS:
        raise ServiceError(_l("Give at most three times."), "windows")
    for index, window in enumerate(windows):
        if window.empty:
            continue
        prefix = f"windows-{index}-"
        if window.day is None:
            raise ServiceError(_l("Give the date of this time."), prefix + "day")
        if window.start is None:
            raise ServiceError(_l("Give the time it starts."), prefix + "start")
        if window.end is None:
            raise ServiceError(_l("Give the time it ends."), prefix + "end")
        start = _checked_local(window.day, window.start, prefix + "start")
        end = _checked_local(window.day, window.end, prefix + "end")
        if end <= start:
            raise ServiceError(_l("The end must be after the start."), prefix + "end")
        if start < now:
            raise ServiceError(_l("This date is in the past."), prefix + "day")
        if start < earliest:
            raise ServiceError(
                ngettext(
                    "We need %(num)d day of notice: choose a date from %(date)s on.",
                    "We need %(num)d days of notice: choose a date from %(date)s on.",
                    settings.minimum_notice_days,
                    date=spoken_day(_first_day(earliest), year=True),
                ),
                prefix + "day",
            )
        if end > latest:
            raise ServiceError(
                ngettext(
                    "We book up to %(num)d day ahead: choose a date until %(date)s.",
                    "We book up to %(num)d days ahead: choose a date until %(date)s.",
                    settings.horizon_days,
                    date=spoken_day(latest, year=True),
                ),
                prefix + "day",
            )
        if end - start < length:
            raise ServiceError(
                ngettext(
                    "A session lasts %(num)d minute: give at least that much time.",
                    "A session lasts %(num)d minutes: give at least that much time.",
                    settings.session_minutes,
                ),
                prefix + "end",
            )
        if any(start < other_end and other_start < end for other_start, other_end in found):
            raise ServiceError(_l("This time overlaps another one you gave."), prefix + "start")
        found.append((start.astimezone(now.tzinfo), end.astimezone(now.tzinfo)))
    return found


def _first_day(earliest: datetime) -> datetime:
    """The first whole day from the earliest time (a date shown to people: no time of day)."""
    local = to_local(earliest)
    if local.time() == time(0, 0):
        return earliest
    return datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=LOCAL_TZ)


def _checked_local(day: date, at: time, name: str) -> datetime:
    """Aware Montréal time; a wall time the clocks skip (2 h 30 on the spring-forward night) is refused."""
    if not 2000 <= day.year <= 2100:
        raise ServiceError(_l("Give a date between 2000 and 2100."), name)
    moment = datetime.combine(day, at, tzinfo=LOCAL_TZ)
    if moment.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ServiceError(_l("This time does not exist that day: the clocks change. Choose another."), name)
    return moment


def _slot(slot_id: str, now: datetime) -> Slot:
    """The open slot chosen: by its id, or another presenter free at the same time (the requester picks a
    time, not a person); a forged or stale id gets a message."""
    if len(slot_id) > 40:
        raise ServiceError(SLOT_GONE, "slot")
    slot = find_slot(slot_id, now=now)
    if slot is not None:
        return slot
    match = re.fullmatch(r"\d{1,9}-(\d{12})", slot_id)
    if match:
        for other in open_slots(now=now):
            if f"{to_local(other.starts_at):%Y%m%d%H%M}" == match.group(1):
                return other
    raise ServiceError(SLOT_GONE, "slot")


def _same_request(values: dict, with_slot: bool, windows: list) -> OutreachRequest | None:
    """The same request, made within REPEAT_WINDOW, once the settings row is held (one creation at a time)."""
    lock_row(OutreachSettings, current_settings().id)
    query = sa.select(OutreachRequest).where(
        OutreachRequest.created_at >= utcnow() - REPEAT_WINDOW,
        *(getattr(OutreachRequest, name) == value for name, value in values.items()),
    )
    for row in db.session.scalars(query.order_by(OutreachRequest.id)):
        asked = sorted((w.starts_at, w.ends_at) for w in row.windows)
        if (row.starts_at is not None) if with_slot else (asked == sorted(windows)):
            return row
    return None


def _checked(data: RequestData) -> dict:
    values = {
        "organization_name": _text(data.organization_name, "organization_name"),
        "contact_name": _text(data.contact_name, "contact_name"),
        "contact_email": _email(data.contact_email),
        "contact_phone": _text(data.contact_phone, "contact_phone", required=False),
        "address": _text(data.address, "address", required=False),
        "details": _text(data.details, "details", required=False),
    }
    if values["contact_phone"] and not PHONE.fullmatch(values["contact_phone"]):
        raise ServiceError(_l("Give a phone number, like 514 555-0123, poste 12."), "contact_phone")
    if data.milieu not in set(Milieu):
        raise ServiceError(_l("Choose the kind of milieu."), "milieu")
    if data.region not in REGIONS:
        raise ServiceError(_l("Choose a region."), "region")
    audiences = [value for value in Audience if value in set(data.audiences)]
    if not audiences or len(audiences) != len(set(data.audiences)):
        raise ServiceError(_l("Choose at least one audience."), "audiences")
    if data.expected_size is None or not 1 <= data.expected_size <= 2000:
        raise ServiceError(_l("Give a number between 1 and 2,000."), "expected_size")
    if data.format not in set(SessionFormat):
        raise ServiceError(_l("Choose in person or virtual."), "format")
    if data.format == SessionFormat.IN_PERSON and not values["address"]:
        raise ServiceError(_l("Give the address where the session will take place."), "address")
    if data.format == SessionFormat.VIRTUAL:
        values["address"] = ""
    if data.language not in ("fr", "en"):
        raise ServiceError(_l("Choose French or English."), "language")
    values.update(
        milieu=data.milieu,
        region=data.region,
        audiences=",".join(audiences),
        expected_size=data.expected_size,
        format=data.format,
        language=data.language,
    )
    return values


# The operation ------------------------------------------------------------------------------------------


class Dropped(Exception):
    """A robot's request (the hidden field filled): answered like a success, nothing written."""


def create_request(actor, data: RequestData, now: datetime | None = None) -> OutreachRequest:
    """Record a request (anonymous: `actor` None or ANONYMOUS; signed in: rule outreach.request)."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if signed_in:
        require(actor, "outreach.request")
    else:
        actor = ANONYMOUS
    if data.honeypot:  # a robot filled the hidden field: it is told "sent", and nothing is written
        logger.info("outreach request dropped: the hidden field was filled")
        raise Dropped()
    now = now or utcnow()
    values = _checked(data)
    slot_id = (data.slot_id or "").strip()
    has_windows = any(not window.empty for window in data.windows)
    if slot_id and has_windows:
        raise ServiceError(_l("Choose one of the open times, or propose your own times, not both."), "slot")
    if not slot_id and not has_windows:
        raise ServiceError(
            _l("Choose one of the open times, or propose up to three times that suit you."), "slot"
        )
    windows = check_windows(data.windows, now) if has_windows else []
    if not signed_in:
        _check_email_cap(values["contact_email"])
    repeated = _same_request(values, bool(slot_id), windows)
    if repeated is not None:  # the form sent twice: the first request stands (its slot is not "taken")
        return repeated
    slot = _slot(slot_id, now) if slot_id else None

    request = OutreachRequest(**values)
    if signed_in:
        request.requested_by_id = actor.id
        request.organization_id = actor.organization_id
    for start, end in windows:
        request.windows.append(PreferredWindow(starts_at=start, ends_at=end))
    db.session.add(request)
    if slot is not None:
        presenter = db.session.get(Presenter, slot.presenter_id)
        try:
            assign(request, [presenter], slot.starts_at, slot.ends_at)
        except BookingConflict as error:
            db.session.rollback()
            raise ServiceError(SLOT_TAKEN, "slot") from error
    request.history.append(
        RequestHistory(
            kind=HistoryKind.REQUESTED,
            actor_id=actor.id if signed_in else None,
            starts_at=request.starts_at,
        )
    )
    db.session.flush()
    audit.record(CREATED, actor=actor, obj=request, detail="slot" if slot is not None else "windows")
    messages.request_received(request)
    db.session.commit()
    return request
