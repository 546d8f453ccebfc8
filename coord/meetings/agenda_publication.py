"""Publishing a meeting's agenda: one e-mail per invitee (template `agenda_published`) queued in the same
transaction, once per agenda content and person; the answer link is made when the message is sent."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from flask_babel import lazy_gettext as _l

from coord import audit
from coord.calendar.answers import answer_url, occurrence_key
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.locks import lock_row
from coord.core.urls import absolute_url
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings.agenda import editable_meeting
from coord.meetings.agenda_page import TimedItem, presenter_label, timing
from coord.meetings.calendar import invitees
from coord.meetings.hosts import is_confidential
from coord.meetings.models import Meeting
from coord.notify.outbox import context_builder, queue_email
from coord.templating import DATETIME_PATTERNS, TIME_PATTERNS

TEMPLATE = "meetings/agenda_published"
HOSTED_TEMPLATE = "meetings/hosted_agenda_published"  # a confidential host's: a link, no content


def _item_values(row: TimedItem) -> dict:
    return {
        "number": row.number,
        "title": row.item.title,
        "kind": str(row.item.kind),
        "presenter": presenter_label(row.item),
        "duration": row.item.duration_minutes,
        "start": row.starts_at.isoformat(),
        "end": row.ends_at.isoformat(),
    }


def publish_agenda(actor: Person, meeting_id: int) -> int:
    """Publish (or republish) the agenda: one e-mail per invitee; returns the number of e-mails."""
    # Two clicks, or two coordinators: the second waits for the first and finds its e-mails queued.
    meeting = lock_row(Meeting, editable_meeting(actor, meeting_id).id)
    if not meeting.is_published and not meeting.is_hosted:
        raise ServiceError(_l("Publish the meeting first, so that the invitees can answer."))
    if not meeting.agenda_items:
        raise ServiceError(_l("Add at least one item before publishing the agenda."))
    updated = meeting.agenda_published_at is not None
    schedule = timing(meeting)
    context = {
        "meeting_id": meeting.id,
        "uid": meeting.uid,
        "occurrence": occurrence_key(meeting.original_start),
        "committee_id": meeting.committee_id,
        "title": meeting.title,
        "start": meeting.starts_at.isoformat(),
        "end": meeting.ends_at.isoformat(),
        "location": meeting.location,
        "video_url": meeting.video_url,
        "url": absolute_url(f"/meetings/{meeting.id}/agenda"),
        "updated": updated,
        "overrun_minutes": schedule.overrun_minutes,
        "items": [_item_values(row) for row in schedule.rows],
    }
    people = invitees(meeting)
    same_agenda = {key: value for key, value in context.items() if key != "updated"}
    version = hashlib.sha256(json.dumps(same_agenda, sort_keys=True).encode()).hexdigest()[:16]
    template = TEMPLATE
    if is_confidential(meeting):  # only that there is something to read, and where
        template, context = HOSTED_TEMPLATE, {"url": context["url"], "updated": updated}
    sent = 0
    for person in people:  # the same agenda is sent once per person, however often the button is pressed
        sent += (
            queue_email(
                person, template, context=context, dedupe_key=f"agenda:{meeting.id}:{version}:{person.id}"
            )
            is not None
        )
    meeting.agenda_published_at = utcnow()
    audit.record(
        "agenda.republish" if updated else "agenda.publish",
        obj=meeting,
        actor=actor,
        detail=f"{sent} invitees",
    )
    db.session.commit()
    return sent


@context_builder(TEMPLATE)
def _agenda_context(message) -> dict:
    """At send time: real datetimes, the committee's name in the recipient's language, the answer link."""
    context = message.context or {}
    committee = db.session.get(Committee, context["committee_id"]) if context.get("committee_id") else None
    items = [
        {
            **item,
            "start": datetime.fromisoformat(item["start"]),
            "end": datetime.fromisoformat(item["end"]),
        }
        for item in context.get("items", [])
    ]
    language = message.language if message.language in TIME_PATTERNS else "fr"
    return {
        "start": datetime.fromisoformat(context["start"]),
        "end": datetime.fromisoformat(context["end"]),
        "items": items,
        # The recipient's patterns: the sender's own language may differ (in-process delivery).
        "time_pattern": TIME_PATTERNS[language],
        "datetime_pattern": DATETIME_PATTERNS[language],
        "committee_name": committee.name_for(message.language) if committee is not None else "",
        "answer_url": answer_url(context["uid"], message.person_id, context.get("occurrence", "")),
    }
