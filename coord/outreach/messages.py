"""Messages about a request, through the notification outbox, in each recipient's language.

Queued within the caller's transaction (the service commits once). Sessions go out as iTIP invitations
through the calendar's invitations (REQUEST with the session's stable UID and a raised SEQUENCE on every
change, CANCEL with the same UID and a higher SEQUENCE); the requester's e-mails carry their signed link,
made when the message is sent (never stored in the outbox) and refused if the contact's address changed.

- the contact (an address and the request's language, no account): `outreach/contact`, with `kind`;
- the presenters (people): the calendar's own invitation and cancellation e-mails;
- the coordinators (people): `outreach/staff`, with `kind`, a link to the request's page and no contact
  detail.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from coord.calendar.invitations import Method, invite, itip_attachment
from coord.core.urls import absolute_url
from coord.directory.models import Person, PersonRole, Role
from coord.extensions import db
from coord.notify.outbox import Undeliverable, context_builder, queue_email
from coord.outreach import links
from coord.outreach.calendar import event_in
from coord.outreach.models import OutreachRequest, RequestState

CONTACT = "outreach/contact"
STAFF = "outreach/staff"
# The contact's copy of the invitation points here (a page without secret; their signed link is in the
# e-mail itself).
CONTACT_EVENT_PATH = "/outreach/request"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _summary(request: OutreachRequest) -> dict:
    return {
        "request_id": request.id,
        "organization": request.organization_name,
        "format": request.format,
        "address": request.address,
        "video_url": request.video_url,
        "start": _iso(request.starts_at),
        "end": _iso(request.ends_at),
        "presenters": [p.person.display_name for p in request.presenters],
    }


def _to_contact(request: OutreachRequest, kind: str, method: Method | None = None, **extra) -> None:
    attachments = []
    if method is not None:
        event = event_in(request, request.language, url=CONTACT_EVENT_PATH)
        attachments.append(
            itip_attachment(event, method, request.contact_email, request.contact_name, request.language)
        )
    queue_email(
        None,
        CONTACT,
        to_address=request.contact_email,
        language=request.language,
        context={**_summary(request), "kind": kind, "name": request.contact_name, **extra},
        attachments=attachments,
    )


def coordinators() -> list[Person]:
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role == Role.COORDINATOR, Person.active.is_(True))
            .order_by(Person.id)
        ).unique()
    )


def _to_staff(request: OutreachRequest, kind: str, people: Iterable[Person] | None = None, **extra) -> None:
    for person in coordinators() if people is None else people:
        queue_email(
            person,
            STAFF,
            context={
                **_summary(request),
                "kind": kind,
                "milieu": request.milieu,
                "region": request.region,
                "url": absolute_url(f"/outreach/requests/{request.ref}"),
                **extra,
            },
        )


def _invite_presenters(request: OutreachRequest, people: Iterable[Person], method: Method) -> None:
    """One invitation per presenter, the event's title in each one's language."""
    by_language: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        if person.active:
            by_language[person.preferred_language].append(person)
    for language, group in by_language.items():
        invite(event_in(request, language), group, method)


def request_received(request: OutreachRequest) -> None:
    """To the contact: we received your request (summary + signed link); to the coordinators: a new one."""
    windows = [[w.starts_at.isoformat(), w.ends_at.isoformat()] for w in request.windows]
    _to_contact(request, "received", windows=windows)
    _to_staff(request, "new_request", windows=windows)


def session_confirmed(request: OutreachRequest) -> None:
    """To the contact and each presenter: the session is confirmed (.ics REQUEST)."""
    _to_contact(request, "confirmed", Method.REQUEST)
    _invite_presenters(request, [p.person for p in request.presenters], Method.REQUEST)


def session_changed(request: OutreachRequest, removed: Iterable[Person] = ()) -> None:
    """To the contact and each presenter: new time or presenters (.ics REQUEST, higher SEQUENCE); presenters
    taken off get a CANCEL."""
    _to_contact(request, "changed", Method.REQUEST)
    _invite_presenters(request, [p.person for p in request.presenters], Method.REQUEST)
    _invite_presenters(request, removed, Method.CANCEL)


def session_cancelled(
    request: OutreachRequest, presenters: Iterable[Person] = (), was_confirmed: bool = True
) -> None:
    """To the contact and each presenter: cancelled, with the reason (.ics CANCEL, same UID, higher
    SEQUENCE, when the session had been confirmed); the coordinators hear of a requester's cancellation."""
    method = Method.CANCEL if was_confirmed and request.starts_at is not None else None
    _to_contact(request, "cancelled", method, reason=request.cancel_reason, by=request.cancelled_by)
    _invite_presenters(request, presenters, Method.CANCEL)
    if request.cancelled_by == "requester":
        _to_staff(request, "cancelled", reason=request.cancel_reason)


def request_declined(request: OutreachRequest) -> None:
    """To the contact: the request is declined, with the reason."""
    _to_contact(request, "declined", reason=request.decline_reason)


def reschedule_asked(request: OutreachRequest) -> None:
    """To the coordinators: the requester asks for another time (their windows and note)."""
    windows = [[w.starts_at.isoformat(), w.ends_at.isoformat()] for w in request.windows]
    note = request.history[-1].note if request.history else ""
    _to_staff(request, "reschedule_asked", windows=windows, note=note)
    _to_contact(request, "reschedule_asked", windows=windows)


def follow_ups(request: OutreachRequest) -> None:
    """To the coordinators: a held session asks for a training or has questions to route."""
    _to_staff(
        request,
        "follow_ups",
        wants_training=request.wants_training,
        questions=request.questions_to_route,
    )


def reminder_to_contact(request: OutreachRequest, days: int, dedupe_key: str):
    """The contact's reminder (7 days or 1 day before); None when already queued."""
    return queue_email(
        None,
        CONTACT,
        to_address=request.contact_email,
        language=request.language,
        context={**_summary(request), "kind": "reminder", "days": days, "name": request.contact_name},
        dedupe_key=dedupe_key,
    )


def reminder_to_presenter(request: OutreachRequest, person: Person, days: int, dedupe_key: str):
    return queue_email(
        person,
        STAFF,
        context={
            **_summary(request),
            "kind": "reminder",
            "days": days,
            "url": absolute_url(f"/outreach/requests/{request.ref}"),
        },
        dedupe_key=dedupe_key,
    )


# At send time --------------------------------------------------------------------------------------------


def _times(context: dict) -> dict:
    found = {}
    for key in ("start", "end"):
        if context.get(key):
            found[key] = datetime.fromisoformat(context[key])
    found["windows"] = [
        (datetime.fromisoformat(start), datetime.fromisoformat(end))
        for start, end in context.get("windows") or []
    ]
    return found


def _still_due(context: dict, request: OutreachRequest | None) -> None:
    """A reminder waiting for a retry is not sent once its session is cancelled or moved."""
    if context.get("kind") != "reminder":
        return
    if (
        request is None
        or request.state != RequestState.CONFIRMED
        or _iso(request.starts_at) != context.get("start")
    ):
        raise Undeliverable("the session of this reminder was cancelled or moved")


@context_builder(CONTACT)
def _contact_context(message) -> dict:
    """Real datetimes, and the signed link, made now from the request's current link version; a message to
    an address that is no longer the request's contact is not sent (its link would reach a stranger)."""
    context = message.context or {}
    request = db.session.get(OutreachRequest, context.get("request_id") or 0)
    if request is None or request.contact_email != message.to_address:
        raise Undeliverable("the request's contact address changed")
    _still_due(context, request)
    return {**_times(context), "link": links.requester_url(request)}


@context_builder(STAFF)
def _staff_context(message) -> dict:
    context = message.context or {}
    _still_due(context, db.session.get(OutreachRequest, context.get("request_id") or 0))
    return _times(context)
