"""Reminders the day before: the worker's sweep runs this every few minutes (rq's scheduler).

Each (occurrence, person) gets at most one reminder, whatever the number of sweeps: the outbox refuses a
second message with the same dedupe key. People who declined get none; cancelled occurrences get none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale

from coord.calendar.answers import answers_for, occurrence_key
from coord.calendar.events import redacted
from coord.calendar.models import Answer
from coord.calendar.recurrence import occurrences
from coord.calendar.sources import Window, events_with_invitees
from coord.calendar.urls import absolute_url
from coord.core.localtime import utcnow
from coord.i18n import babel_locale
from coord.notify.outbox import context_builder, queue_email
from coord.notify.schedule import periodic


@periodic("calendar.reminders")
def queue_reminders() -> int:
    """Queue a reminder for every occurrence starting within CALENDAR_REMINDER_HOURS; returns how many."""
    now = utcnow()
    window = Window(now, now + timedelta(hours=current_app.config["CALENDAR_REMINDER_HOURS"]))
    pairs = events_with_invitees(window)
    given = answers_for([event.uid for event, _ in pairs])
    queued = 0
    for event, people in pairs:
        for occurrence in occurrences(event, window):
            if occurrence.event.is_cancelled or occurrence.start < now:
                continue
            for person in people:
                occurrence_id = occurrence_key(occurrence.recurrence_id)
                if given.of(event.uid, person.id, occurrence_id) == Answer.DECLINED:
                    continue
                with force_locale(babel_locale(person.preferred_language)):
                    shown = redacted(occurrence.event)
                message = queue_email(
                    person,
                    "calendar/calendar_reminder",
                    context={
                        "title": shown.title,
                        "start": occurrence.start.isoformat(),
                        "end": occurrence.end.isoformat(),
                        "location": shown.location,
                        "video_url": shown.video_url,
                        "url": absolute_url(shown.url),
                    },
                    dedupe_key=f"reminder:{event.uid}:{occurrence.start:%Y%m%dT%H%M%SZ}:{person.id}",
                )
                queued += message is not None
    return queued


@context_builder("calendar/calendar_reminder")
def _reminder_context(message) -> dict:
    return {key: datetime.fromisoformat(message.context[key]) for key in ("start", "end")}
