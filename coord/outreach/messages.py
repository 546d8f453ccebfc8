"""Messages about a request, through the notification outbox, in each recipient's language.

Queued within the caller's transaction (the service commits once). Sessions go out as iTIP invitations
through the calendar's invitations (REQUEST with the session's stable UID and a raised SEQUENCE on every
change, CANCEL with the same UID and a higher SEQUENCE); the requester's e-mails carry their signed link.

ENGINE HELPER: implement every function below (they are the interface the other files call).
"""

from __future__ import annotations

from coord.outreach.models import OutreachRequest


def request_received(request: OutreachRequest) -> None:
    """To the contact: we received your request (summary + signed link); to the coordinators: a new request."""


def session_confirmed(request: OutreachRequest) -> None:
    """To the contact and each presenter: the session is confirmed (.ics REQUEST)."""


def session_changed(request: OutreachRequest) -> None:
    """To the contact and each presenter: new time or presenters (.ics REQUEST, higher SEQUENCE); presenters
    taken off get a CANCEL."""


def session_cancelled(request: OutreachRequest) -> None:
    """To the contact and each presenter: cancelled, with the reason (.ics CANCEL, same UID, higher SEQUENCE)."""


def request_declined(request: OutreachRequest) -> None:
    """To the contact: the request is declined, with the reason."""


def reschedule_asked(request: OutreachRequest) -> None:
    """To the coordinators: the requester asks for another time (their windows and note)."""
