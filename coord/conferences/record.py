"""A conference's agenda and minutes: a hosted meeting record (coord.meetings.hosts, host "conferences").

The meetings' pages, services and templates serve it as for any meeting; this module decides who may do
what there (the conference's rules, so consent is asked at every read), where its pages lead back to, who
takes part, and that its e-mails carry no content. Registered at import time (the manifest imports it).
"""

from __future__ import annotations

import sqlalchemy as sa

from coord import audit
from coord.conferences.calendar import invitees
from coord.conferences.models import CaseConference
from coord.core.permissions import may
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.hosts import HostAccess, create_record, follow, register_host
from coord.meetings.models import Meeting

HOST = "conferences"

# The meetings rule asked → the conference rule that answers it. Anything else is refused.
RULES = {
    "meetings.view": "conferences.content",
    "meetings.minutes.read": "conferences.content",
    "meetings.minutes.comment": "conferences.content",
    "meetings.edit": "conferences.edit",
    "meetings.minutes.edit": "conferences.edit",
    "meetings.actions.update": "conferences.edit",
    "meetings.actions.manage": "conferences.edit",
    "meetings.minutes.approve": "conferences.approve",
}


def conference_of(meeting: Meeting) -> CaseConference | None:
    return db.session.scalar(sa.select(CaseConference).where(CaseConference.record_id == meeting.id))


def _allows(actor: Person, action: str, meeting: Meeting) -> bool:
    conference = conference_of(meeting)
    rule = RULES.get(action)
    return conference is not None and rule is not None and may(actor, rule, conference)


def _page_url(meeting: Meeting) -> str:
    conference = conference_of(meeting)
    return f"/conferences/{conference.id}" if conference is not None else "/"


def _people(meeting: Meeting) -> list[Person]:
    """Presenters, action owners, e-mail recipients: the conference's invitees under consent."""
    conference = conference_of(meeting)
    return invitees(conference) if conference is not None else []


def _subject(meeting: Meeting) -> str:
    conference = conference_of(meeting)
    return conference.audit_subject if conference is not None else ""


def _on_read(actor: Person, meeting: Meeting, what: str) -> None:
    """Every read of the agenda or the minutes is audited with the participant as subject."""
    conference = conference_of(meeting)
    if conference is not None:
        audit.record(f"conference.{what}.read", obj=conference, actor=actor, detail=f"meeting {meeting.id}")
        db.session.commit()


ACCESS = HostAccess(
    allows=_allows,
    page_url=_page_url,
    people=_people,
    confidential=True,
    subject=_subject,
    on_read=_on_read,
)
register_host(HOST, ACCESS)


def open_record(conference: CaseConference, created_by_id: int | None) -> Meeting:
    """The conference's hosted record, same title and times (the caller flushes and commits). The title is
    as confidential there as here: the record is in no list, feed or e-mail, and its pages are the
    conference's people's."""
    record = create_record(
        HOST,
        title=conference.title,
        starts_at=conference.starts_at,
        ends_at=conference.ends_at,
        created_by_id=created_by_id,
    )
    conference.record = record
    return record


def keep_in_step(conference: CaseConference) -> None:
    """The record follows the conference's title, times and status (change, reschedule, cancel)."""
    if conference.record is not None:
        conference.record.title = conference.title
        follow(
            conference.record,
            starts_at=conference.starts_at,
            ends_at=conference.ends_at,
            cancelled=conference.is_cancelled,
        )
