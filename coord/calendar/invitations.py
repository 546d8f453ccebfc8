"""Invitations by e-mail with an iTIP attachment, queued in the outbox within the caller's transaction.

REQUEST on publication and on every change (same UID, higher SEQUENCE), CANCEL on cancellation. Each
e-mail is built in the recipient's language from the redacted event, so nothing confidential leaves.
`invite` addresses people of the directory; `itip_attachment` gives the same iTIP file for any address
and language, for a module's own e-mail to someone without an account.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

from flask_babel import force_locale

from coord.calendar.answers import answer_url
from coord.calendar.events import CalendarEvent, redacted
from coord.calendar.ical import render_itip
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.i18n import babel_locale
from coord.notify.outbox import context_builder, queue_email


class Method(enum.StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


TEMPLATES = {Method.REQUEST: "calendar/calendar_invitation", Method.CANCEL: "calendar/calendar_cancellation"}


def itip_attachment(event: CalendarEvent, method: Method, address: str, name: str, language: str) -> dict:
    """The redacted iTIP message for one attendee (any address), rendered in `language`, as an outbox
    attachment; the event's `url` must carry no secret (the attachment is stored with the message)."""
    with force_locale(babel_locale(language)):
        ics = render_itip(redacted(event), method, address, name).decode()
    return {
        "filename": "invitation.ics" if method is Method.REQUEST else "annulation.ics",
        "content_type": f"text/calendar; method={method}; charset=utf-8",
        "text": ics,
    }


def invite(event: CalendarEvent, people: Iterable[Person], method: Method) -> int:
    """Queue one message per person (not committed: the caller's service commits with its change)."""
    count = 0
    for person in people:
        with force_locale(babel_locale(person.preferred_language)):
            shown = redacted(event)
        attachment = itip_attachment(
            event, method, person.email, person.display_name, person.preferred_language
        )
        queue_email(
            person,
            TEMPLATES[method],
            context={
                "uid": shown.uid,
                "title": shown.title,
                "start": shown.start.isoformat(),
                "end": shown.end.isoformat(),
                "location": shown.location,
                "video_url": shown.video_url,
                "url": absolute_url(shown.url),
                "series": shown.is_series,
                "sequence": shown.sequence,
            },
            attachments=[attachment],
        )
        count += 1
    return count


def _times(message) -> dict:
    context = message.context or {}
    return {
        "start": datetime.fromisoformat(context["start"]),
        "end": datetime.fromisoformat(context["end"]),
    }


@context_builder("calendar/calendar_invitation")
def _invitation_context(message) -> dict:
    """At send time: real datetimes, and the signed answer link (never stored in the outbox)."""
    return {**_times(message), "answer_url": answer_url(message.context["uid"], message.person_id)}


@context_builder("calendar/calendar_cancellation")
def _cancellation_context(message) -> dict:
    return _times(message)
