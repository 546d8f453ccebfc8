"""The registrant's e-mails, through the outbox, in the registrant's language.

`training/registration_notice` (with `kind`: registered, waiting, offered, lapsed, cancelled, reminder,
follow) and `training/registration_verify` (an outside person's address check). Signed links (verify,
follow, claim) are made at send time by the context builders below, never stored in the outbox row; a
message whose link no longer applies (the offer passed on, the address changed) is not sent.
"""

from __future__ import annotations

from datetime import datetime

from coord.calendar.invitations import Method, itip_attachment
from coord.core.urls import absolute_url
from coord.extensions import db
from coord.notify.outbox import Undeliverable, context_builder, queue_email
from coord.training import links
from coord.training.calendar import events_in, signed_in_path
from coord.training.models import Registration, RegistrationStatus

NOTICE = "training/registration_notice"
VERIFY = "training/registration_verify"
MINE_PATH = "/training/mine"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _summary(registration: Registration) -> dict:
    session = registration.session
    return {
        "registration_id": registration.id,
        "title": session.module.title(registration.language),
        "start": _iso(session.starts_at),
        "end": _iso(session.ends_at),
        "parts": [[_iso(part.starts_at), _iso(part.ends_at)] for part in session.parts],
        "place": session.place,
        "video_url": session.video_url,
        "name": registration.display_name,
    }


def _ics(registration: Registration, method: Method) -> list[dict]:
    # A signed-in registrant's event links to the signed-in page; an outside person's to the public page.
    path = signed_in_path(registration.session) if registration.person_id is not None else None
    events = events_in(registration.session, registration.language, path)
    return [
        itip_attachment(event, method, registration.address, registration.display_name, registration.language)
        for event in events
    ]


def _notice(registration: Registration, kind: str, attachments=(), dedupe_key: str | None = None, **extra):
    return queue_email(
        registration.person,
        NOTICE,
        to_address=registration.address,
        language=registration.language,
        context={**_summary(registration), "kind": kind, **extra},
        attachments=list(attachments),
        dedupe_key=dedupe_key,
    )


def registered(registration: Registration) -> None:
    """A seat: the session's parts as .ics REQUEST."""
    _notice(
        registration,
        "registered",
        _ics(registration, Method.REQUEST),
        dedupe_key=f"training-registered:{registration.id}:{registration.offer_version}",
    )


def waiting(registration: Registration, position: int | None) -> None:
    _notice(registration, "waiting", position=position, dedupe_key=f"training-waiting:{registration.id}")


def offered(registration: Registration) -> None:
    """A freed seat held until the deadline, with the claim link (made at send time)."""
    _notice(
        registration,
        "offered",
        deadline=_iso(registration.offer_expires_at),
        offer_version=registration.offer_version,
        dedupe_key=f"training-offer:{registration.id}:{registration.offer_version}",
    )


def lapsed(registration: Registration) -> None:
    _notice(
        registration,
        "lapsed",
        dedupe_key=f"training-lapsed:{registration.id}:{registration.offer_version}",
    )


def cancelled(registration: Registration, had_seat: bool) -> None:
    """Cancellation confirmed; the seat's events go off the calendar (.ics CANCEL) when it had one."""
    attachments = _ics(registration, Method.CANCEL) if had_seat else []
    _notice(registration, "cancelled", attachments, dedupe_key=f"training-cancelled:{registration.id}")


def follow_again(registration: Registration, dedupe_key: str | None = None) -> None:
    """An outside person asked again for a place they have: the link to their own page."""
    _notice(registration, "follow", dedupe_key=dedupe_key)


def reminder(registration: Registration, dedupe_key: str):
    return _notice(registration, "reminder", dedupe_key=dedupe_key)


def verify_link(registration: Registration, dedupe_key: str | None = None) -> None:
    """An outside person's address check (sent again on a second request)."""
    queue_email(
        None,
        VERIFY,
        to_address=registration.email,
        language=registration.language,
        context={**_summary(registration)},
        dedupe_key=dedupe_key,
    )


# At send time --------------------------------------------------------------------------------------------


def _times(context: dict) -> dict:
    found = {}
    for key in ("start", "end", "deadline"):
        if context.get(key):
            found[key] = datetime.fromisoformat(context[key])
    found["parts"] = [
        (datetime.fromisoformat(start), datetime.fromisoformat(end))
        for start, end in context.get("parts") or []
    ]
    return found


def _registration(message) -> Registration:
    context = message.context or {}
    registration = db.session.get(Registration, context.get("registration_id") or 0)
    if registration is None or registration.address != message.to_address:
        raise Undeliverable("the registration's address changed")
    return registration


@context_builder(NOTICE)
def _notice_context(message) -> dict:
    """Real datetimes and the links: the claim link of a still-open offer, the outside person's own page."""
    context = message.context or {}
    registration = _registration(message)
    kind = context.get("kind")
    found = _times(context)
    if kind == "offered":
        if registration.status != RegistrationStatus.OFFERED or registration.offer_version != context.get(
            "offer_version"
        ):
            raise Undeliverable("the offer was claimed or passed on")
        found["claim_link"] = links.url_for_link(registration, "claim")
    if kind == "reminder" and registration.status != RegistrationStatus.REGISTERED:
        raise Undeliverable("no seat any more")
    if registration.person_id is None:
        found["page_link"] = links.url_for_link(registration, "follow")
    else:
        found["page_link"] = absolute_url(MINE_PATH)
    return found


@context_builder(VERIFY)
def _verify_context(message) -> dict:
    registration = _registration(message)
    if registration.status != RegistrationStatus.UNVERIFIED:
        raise Undeliverable("already verified or cancelled")
    return {**_times(message.context or {}), "verify_link": links.url_for_link(registration, "verify")}
