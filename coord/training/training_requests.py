"""Organizations' requests for a training: the public form (no account) or signed in (rule training.request,
the organization prefilled), the coordinator's list and page, and declining with a reason (the requester is
told by e-mail in their language). The public form has a honeypot and a cap per client address (in the
limiter's storage) and per contact address (requests in the last 24 h)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from coord import audit
from coord.core import throttle
from coord.core.actor import ANONYMOUS
from coord.core.confirm import Step
from coord.core.errors import ServiceError, TooManyAttempts
from coord.core.localtime import local_today, utcnow
from coord.core.locks import REPEAT_WINDOW, lock_row
from coord.core.permissions import require
from coord.core.text import check_multi_line, check_single_line
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.outbox import queue_email
from coord.training.lookup import find_request
from coord.training.models import RequestStatus, TrainingModule, TrainingRequest, TrainingSession

logger = logging.getLogger(__name__)

CREATED = "training.request.create"
DECLINED = "training.request.decline"
REFUSED = "training.request.refused"
DEFAULT_PER_ADDRESS = "20 per hour"
DEFAULT_PER_EMAIL = 3
LIMITS = {
    "organization_name": 200,
    "contact_name": 120,
    "contact_email": 254,
    "audience": 300,
    "details": 3000,
}
RECEIVED_EMAIL = "training/request_received"
DECLINED_EMAIL = "training/request_declined"


@dataclass(frozen=True)
class RequestData:
    organization_name: str = ""
    contact_name: str = ""
    contact_email: str = ""
    module_code: str = ""
    audience: str = ""
    expected_size: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    details: str = ""
    language: str = "fr"
    honeypot: str = ""


class Dropped(Exception):
    """A robot's request (the hidden field filled): answered like a success, nothing written."""


def modules() -> list[TrainingModule]:
    """The active modules, in the catalogue's order (the form's choices)."""
    return list(
        db.session.scalars(
            sa.select(TrainingModule).where(TrainingModule.active.is_(True)).order_by(TrainingModule.position)
        )
    )


def prefill(actor) -> dict:
    """What the signed-in form starts with: the person's organization, name and address."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {}
    return {
        "organization_name": actor.organization.name if actor.organization else "",
        "contact_name": actor.display_name,
        "contact_email": actor.email,
    }


# Throttles ------------------------------------------------------------------------------------------------


def throttle_address(address: str) -> None:
    """Count one post of the public form from this client address; TooManyAttempts (429) past the cap (read
    from the audit log while the limiter's storage is down)."""
    limit = current_app.config.get("TRAINING_REQUESTS_PER_ADDRESS", DEFAULT_PER_ADDRESS)
    try:
        retry_after = throttle.hit("training-request", limit, address)
    except throttle.StorageDown as error:
        logger.warning("training request counters unavailable (%s): reading the audit log", error)
        retry_after = throttle.wait_from_audit_log(limit, address, (CREATED, REFUSED))
    if retry_after is not None:
        audit.record_now(REFUSED, actor=ANONYMOUS, outcome=audit.Outcome.FAILURE, detail="address cap")
        raise TooManyAttempts(retry_after, hint=_l("You can also write to the program."))


def _check_email_cap(email: str) -> None:
    cap = int(current_app.config.get("TRAINING_REQUESTS_PER_EMAIL", DEFAULT_PER_EMAIL))
    count = db.session.scalar(
        sa.select(sa.func.count()).where(
            TrainingRequest.contact_email == email,
            TrainingRequest.created_at > utcnow() - timedelta(hours=24),
        )
    )
    if count >= cap:
        raise ServiceError(
            _l("This address has sent enough requests today. Write to us, or wait until tomorrow."),
            "contact_email",
        )


# Checks -------------------------------------------------------------------------------------------------


def _text(value: str, name: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(_l("This field is required."), name)
    if len(value) > LIMITS[name]:
        raise ServiceError(_l("Keep this under %(max)d characters.", max=LIMITS[name]), name)
    (check_multi_line if name == "details" else check_single_line)(value, name)
    return value


def _checked(data: RequestData) -> dict:
    values = {name: _text(getattr(data, name), name, required=name != "details") for name in LIMITS}
    values["contact_email"] = values["contact_email"].lower()
    try:
        validate_email(values["contact_email"], check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise ServiceError(
            _l("Enter a valid e-mail address, like name@example.org."), "contact_email"
        ) from error
    module = db.session.scalar(
        sa.select(TrainingModule).where(
            TrainingModule.code == (data.module_code or "")[:40], TrainingModule.active.is_(True)
        )
    )
    if module is None:
        raise ServiceError(_l("Choose a training."), "module")
    if data.expected_size is None or not 1 <= data.expected_size <= 1000:
        raise ServiceError(_l("Give a number between 1 and 1,000."), "expected_size")
    today = local_today()
    if data.period_start is None:
        raise ServiceError(_l("Give the first date that would suit you."), "period_start")
    if data.period_end is None:
        raise ServiceError(_l("Give the last date that would suit you."), "period_end")
    if data.period_start < today:
        raise ServiceError(_l("This date is in the past."), "period_start")
    if data.period_end < data.period_start:
        raise ServiceError(_l("The end of the period must be on or after its start."), "period_end")
    if data.period_end > today + timedelta(days=3 * 366):
        raise ServiceError(_l("Give a date within the next three years."), "period_end")
    values.update(
        module_id=module.id,
        expected_size=data.expected_size,
        period_start=data.period_start,
        period_end=data.period_end,
        language=data.language if data.language in ("fr", "en") else "fr",
    )
    return values


def _summary(request: TrainingRequest) -> dict:
    return {
        "request_id": request.id,
        "name": request.contact_name,
        "organization": request.organization_name,
        "module": request.module.title(request.language),  # the recipient's language
        "expected_size": request.expected_size,
        "period_start": request.period_start.isoformat(),
        "period_end": request.period_end.isoformat(),
    }


def create_request(actor, data: RequestData) -> TrainingRequest:
    """Record a request (anonymous: actor None or ANONYMOUS; signed in: rule training.request), acknowledge it
    by e-mail, and commit once. The same request again within a minute is the first one."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if signed_in:
        require(actor, "training.request")
    else:
        actor = ANONYMOUS
    if data.honeypot:
        logger.info("training request dropped: the hidden field was filled")
        raise Dropped()
    values = _checked(data)
    if not signed_in:
        _check_email_cap(values["contact_email"])
    module = db.session.get(TrainingModule, values["module_id"])
    lock_row(TrainingModule, module.id)  # one creation at a time per module: a repeat finds the first
    repeated = db.session.scalar(
        sa.select(TrainingRequest)
        .where(
            TrainingRequest.created_at >= utcnow() - REPEAT_WINDOW,
            *(getattr(TrainingRequest, k) == v for k, v in values.items()),
        )
        .limit(1)
    )
    if repeated is not None:
        return repeated
    request = TrainingRequest(**values)
    if signed_in:
        request.requested_by_id = actor.id
        request.organization_id = actor.organization_id
    db.session.add(request)
    db.session.flush()
    audit.record(CREATED, actor=actor, obj=request)
    queue_email(
        None,
        RECEIVED_EMAIL,
        to_address=request.contact_email,
        language=request.language,
        context=_summary(request),
    )
    db.session.commit()
    return request


# The coordinator's pages --------------------------------------------------------------------------------


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def requests_list(actor: Person, q: str = "") -> list[TrainingRequest]:
    """Every request, open first (oldest first), then the others (newest first); `q` searches the
    organization and the contact."""
    require(actor, "training.manage")
    query = sa.select(TrainingRequest).options(sa.orm.joinedload(TrainingRequest.module))
    q = (q or "").strip()[:200]
    if q:
        pattern = f"%{escaped(q.lower())}%"
        query = query.where(
            sa.or_(
                sa.func.lower(TrainingRequest.organization_name).like(pattern, escape="\\"),
                sa.func.lower(TrainingRequest.contact_name).like(pattern, escape="\\"),
                TrainingRequest.contact_email.like(pattern, escape="\\"),
            )
        )
    rows = list(
        db.session.scalars(query.order_by(TrainingRequest.created_at.desc(), TrainingRequest.id.desc()))
    )
    open_rows = [row for row in rows if row.status == RequestStatus.OPEN][::-1]
    return open_rows + [row for row in rows if row.status != RequestStatus.OPEN]


def request_detail(actor: Person, ref: str) -> TrainingRequest:
    request = find_request(ref)
    require(actor, "training.manage")
    return request


@dataclass
class RequestPage:
    row: TrainingRequest
    session: TrainingSession | None  # the session made from it (a scheduled request)


def request_page(actor: Person, ref: str) -> RequestPage:
    """The request and the session made from it, if any."""
    request = request_detail(actor, ref)
    made = db.session.scalar(
        sa.select(TrainingSession)
        .where(TrainingSession.request_id == request.id)
        .order_by(TrainingSession.id.desc())
        .limit(1)
    )
    return RequestPage(request, made)


def decline_step(actor: Person, ref: str) -> Step:
    """What the confirmation page before declining says (nothing written)."""
    request = request_detail(actor, ref)
    return Step(
        question=str(_l("Decline the request of %(organization)s?", organization=request.organization_name)),
        button=str(_l("Decline the request")),
        consequences=[str(_l("%(name)s is told by e-mail, with your reason.", name=request.contact_name))],
        danger=True,
    )


def decline(actor: Person, ref: str, reason: str) -> TrainingRequest:
    """Decline an open request with a reason; the requester gets an e-mail in their language. A second
    click finds it declined and changes nothing."""
    request = find_request(ref)
    require(actor, "training.manage")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Give a reason: the organization reads it."), "reason")
    if len(reason) > 2000:
        raise ServiceError(_l("Keep this under %(max)d characters.", max=2000), "reason")
    check_multi_line(reason, "reason")
    request = lock_row(TrainingRequest, request.id)
    if request.status == RequestStatus.DECLINED:
        return request
    if request.status != RequestStatus.OPEN:
        raise ServiceError(_l("This request is no longer open."), "reason")
    request.status = RequestStatus.DECLINED
    request.decline_reason = reason
    request.handled_by_id = actor.id
    request.handled_at = utcnow()
    audit.record(DECLINED, actor=actor, obj=request)
    queue_email(
        None,
        DECLINED_EMAIL,
        to_address=request.contact_email,
        language=request.language,
        context={**_summary(request), "reason": reason, "url": absolute_url("/trainings/request")},
    )
    db.session.commit()
    return request
