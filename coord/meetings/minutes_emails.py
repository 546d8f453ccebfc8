"""The e-mail that tells a meeting's invitees its minutes are circulated, and its context at send time."""

from __future__ import annotations

from datetime import datetime

from coord.core.urls import absolute_url
from coord.meetings.calendar import invitees
from coord.meetings.hosts import is_confidential
from coord.meetings.models import Minutes
from coord.notify.outbox import context_builder, queue_email

TEMPLATE = "meetings/minutes_circulated"
HOSTED_TEMPLATE = "meetings/hosted_minutes_circulated"  # a confidential host's: a link, no content


def queue_circulated(minutes: Minutes) -> int:
    """One e-mail per invitee of the minutes' meeting, in the caller's transaction; returns the count."""
    meeting = minutes.meeting
    context = {
        "meeting_id": meeting.id,
        "title": meeting.title,
        "start": meeting.starts_at.isoformat(),
        "url": absolute_url(f"/meetings/{meeting.id}/minutes"),
    }
    template = TEMPLATE
    if is_confidential(meeting):  # only that there is something to read, and where
        template, context = HOSTED_TEMPLATE, {"url": context["url"]}
    people = invitees(meeting)
    for person in people:
        queue_email(person, template, context=context, dedupe_key=f"minutes:{minutes.id}:{person.id}")
    return len(people)


@context_builder(TEMPLATE)
def _circulated_context(message) -> dict:
    return {"start": datetime.fromisoformat(message.context["start"])}
