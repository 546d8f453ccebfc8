"""A meeting (a single meeting, or one occurrence of a series that has its own row): create, publish,
change, cancel, answer its invitation. Invitations follow.

Public operations take the acting person and ids or plain data, check permission first, validate before
they change anything, queue their invitations in the same transaction, and commit once. SEQUENCE rises
whenever time, place or status changes. Series and their occurrences are in `series_services.py`; what
the pages show in `meeting_pages.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound

from coord import audit
from coord.calendar import answers
from coord.calendar.invitations import Method, invite
from coord.calendar.models import Answer
from coord.calendar.validation import check_place, check_times
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import utcnow
from coord.core.locks import REPEAT_WINDOW, lock_row
from coord.core.permissions import may, require
from coord.core.text import check_multi_line
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings.calendar import invitees, meeting_event
from coord.meetings.hosts import host_of
from coord.meetings.models import Meeting, MeetingGuest, MeetingStatus


@dataclass
class MeetingData:
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    video_url: str = ""
    committee_id: int | None = None


# Helpers (they check or change, never commit) ---------------------------------------------------------


def find_meeting(meeting_id: int) -> Meeting:
    """The meeting (a 404 when there is none, or when it is a hosted record: its time, place, invitees and
    status follow its host, never these operations); callers check permission."""
    meeting = db.session.get(Meeting, meeting_id) if 0 < meeting_id <= MAX_ID else None
    if meeting is None or meeting.is_hosted:
        raise NotFound()
    return meeting


def hosted_page_url(actor: Person, meeting_id: int) -> str | None:
    """For a hosted record: its host's page, for someone the host lets see it (else a 404). None for a
    meeting of its own."""
    meeting = db.session.get(Meeting, meeting_id) if 0 < meeting_id <= MAX_ID else None
    if meeting is None or not meeting.is_hosted:
        return None
    host = host_of(meeting)
    if host is None or not may(actor, "meetings.view", meeting):
        raise NotFound()
    return host.page_url(meeting)


def committee_or_error(committee_id: int | None) -> Committee | None:
    if committee_id is None:
        return None
    committee = db.session.get(Committee, committee_id) if 0 < committee_id <= MAX_ID else None
    if committee is None or not committee.active:
        raise ServiceError(_l("Unknown committee."), "committee_id")
    return committee


def _people_by_email(text: str) -> list[int]:
    """The ids of the active people with these addresses (one per line); an unknown one is refused."""
    check_multi_line(text, "guests")
    addresses = [line.strip().lower() for line in text.splitlines() if line.strip()]
    if not addresses:
        return []
    found = dict(
        db.session.execute(
            sa.select(Person.email, Person.id).where(Person.email.in_(addresses), Person.active)
        ).all()
    )
    missing = [address for address in addresses if address not in found]
    if missing:
        raise ServiceError(_l("Nobody active has this address: %(a)s", a=", ".join(missing)), "guests")
    return list(found.values())


def guest_list(guest_ids: list[int] | None, guest_emails: str | None = None) -> list[int] | None:
    """The guests' ids, given as ids or as typed in a form (one address per line); None when neither is
    given (the guests stay as they are). Unknown or deactivated people are refused."""
    if guest_ids is None and guest_emails is None:
        return None
    wanted = sorted(set(guest_ids or []) | set(_people_by_email(guest_emails or "")))
    if not wanted:
        return []
    found = set(db.session.scalars(sa.select(Person.id).where(Person.id.in_(wanted), Person.active)))
    if found != set(wanted):
        raise ServiceError(_l("Unknown or deactivated person among the guests."), "guests")
    return wanted


def announce(meeting: Meeting, method: Method) -> int:
    """Invitations for a change of a published meeting or occurrence (none while unpublished)."""
    if not meeting.is_published:
        return 0
    db.session.flush()
    return invite(meeting_event(meeting), invitees(meeting), method)


def change(actor: Person, meeting: Meeting, data: MeetingData, guest_ids: list[int] | None = None) -> int:
    """Change a meeting's time, place, title and (when given) guests, with the invitations and the audit
    entry; returns the number of invitations, or -1 when nothing changed. The caller commits."""
    if meeting.is_cancelled:
        raise ServiceError(_l("This meeting is cancelled."))
    check_place(data.title, data.location, data.video_url)
    check_times(data.starts_at, data.ends_at)
    wanted = None if guest_ids is None else set(guest_ids)
    before = (meeting.title, meeting.starts_at, meeting.ends_at, meeting.location, meeting.video_url)
    meeting.title, meeting.starts_at, meeting.ends_at = data.title.strip(), data.starts_at, data.ends_at
    meeting.location, meeting.video_url = data.location.strip(), data.video_url.strip()
    after = (meeting.title, meeting.starts_at, meeting.ends_at, meeting.location, meeting.video_url)
    invited_before = {person.id: person for person in invitees(meeting)}
    guests_changed = wanted is not None and wanted != {guest.person_id for guest in meeting.guests}
    if before == after and not guests_changed:
        return -1
    if guests_changed:
        meeting.guests = [g for g in meeting.guests if g.person_id in wanted] + [
            MeetingGuest(person_id=pid) for pid in sorted(wanted - {g.person_id for g in meeting.guests})
        ]
        db.session.flush()
        db.session.expire(meeting, ["guests"])
    count = 0
    if before != after:
        meeting.sequence += 1
        count = announce(meeting, Method.REQUEST)
    elif meeting.is_published:
        db.session.flush()
        added = [p for p in invitees(meeting) if p.id not in invited_before]
        count = invite(meeting_event(meeting), added, Method.REQUEST)
    if guests_changed and meeting.is_published:
        still = {person.id for person in invitees(meeting)}
        removed = [person for pid, person in invited_before.items() if pid not in still]
        count += invite(meeting_event(meeting), removed, Method.CANCEL)
    audit.record("meeting.update", obj=meeting, actor=actor, detail="guests" if guests_changed else "")
    return count


def cancel(actor: Person, meeting: Meeting) -> int:
    """Cancel a meeting (or an occurrence) and tell its invitees; the caller commits."""
    if meeting.is_cancelled:
        return 0
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    count = announce(meeting, Method.CANCEL)
    audit.record("meeting.cancel", obj=meeting, actor=actor)
    return count


# Public operations -----------------------------------------------------------------------------------


def get_meeting(actor: Person, meeting_id: int) -> Meeting:
    """The meeting, for someone who may see it (a 404 when there is none, else a 403 if not allowed)."""
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.view", meeting)
    return meeting


def just_created(model, values: dict):
    """The same meeting or series, created by the same person within REPEAT_WINDOW and still a draft (a
    second submit); one cancelled or published meanwhile is not it."""
    query = sa.select(model).where(
        model.created_at >= utcnow() - REPEAT_WINDOW,
        model.published_at.is_(None),
        model.status != MeetingStatus.CANCELLED,
        *(getattr(model, name) == value for name, value in values.items()),
    )
    return db.session.scalars(query.order_by(model.id).limit(1)).first()


def create_meeting(
    actor: Person, data: MeetingData, guest_ids: list[int] | None = None, *, guest_emails: str | None = None
) -> Meeting:
    """A new single meeting, not published yet; guests by id or by address (one per line)."""
    committee = committee_or_error(data.committee_id)
    require(actor, "meetings.edit", committee)
    guests = guest_list(guest_ids, guest_emails) or []
    check_place(data.title, data.location, data.video_url)
    check_times(data.starts_at, data.ends_at)
    values = {
        "committee_id": data.committee_id,
        "title": data.title.strip(),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "location": data.location.strip(),
        "video_url": data.video_url.strip(),
        "created_by_id": actor.id,
    }
    lock_row(Person, actor.id)  # the form sent twice: the second finds the first's meeting
    repeated = just_created(Meeting, values)
    if repeated is not None:
        return repeated
    meeting = Meeting(**values)
    meeting.guests = [MeetingGuest(person_id=pid) for pid in guests]
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting.create", obj=meeting, actor=actor)
    db.session.commit()
    return meeting


def publish_meeting(actor: Person, meeting_id: int) -> int:
    """Put the meeting on calendars and invite everyone; returns the number of invitations."""
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.edit", meeting.committee)
    if meeting.series_id is not None:
        raise ServiceError(_l("Publish the series instead."))
    meeting = lock_row(Meeting, meeting.id)  # a second click or coordinator waits, then sends nothing
    if meeting.published_at is not None:
        return 0
    meeting.published_at = utcnow()
    count = invite(meeting_event(meeting), invitees(meeting), Method.REQUEST)
    audit.record("meeting.publish", obj=meeting, actor=actor)
    db.session.commit()
    return count


def update_meeting(
    actor: Person,
    meeting_id: int,
    data: MeetingData,
    guest_ids: list[int] | None = None,
    *,
    guest_emails: str | None = None,
) -> int:
    """Change a meeting (or one occurrence) and, when given, its guests. Everyone invited hears of a change
    of time, place or title; a new guest gets the invitation, a removed one its cancellation."""
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.edit", meeting.committee)
    guests = guest_list(guest_ids, guest_emails)
    meeting = lock_row(Meeting, meeting.id)  # the same change twice: the second finds nothing to announce
    count = change(actor, meeting, data, guests)
    if count < 0:
        return 0
    db.session.commit()
    return count


def cancel_meeting(actor: Person, meeting_id: int) -> int:
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.edit", meeting.committee)
    if meeting.ends_at <= utcnow() and not meeting.is_cancelled:
        raise ServiceError(_l("This meeting is over: it can no longer be cancelled."))
    count = cancel(actor, lock_row(Meeting, meeting.id))
    db.session.commit()
    return count


def answer(actor: Person, meeting_id: int, value: str) -> None:
    """An invitee's answer (accepted, tentative, declined) to this meeting or occurrence."""
    meeting = get_meeting(actor, meeting_id)
    require(actor, "meetings.answer", meeting)
    if meeting.is_cancelled:
        raise ServiceError(_l("This meeting is cancelled."))
    if meeting.ends_at <= utcnow():
        raise ServiceError(_l("This meeting is over: there is nothing left to answer."))
    try:
        choice = Answer(value)
    except ValueError:
        raise ServiceError(_l("Choose from the list."), "answer") from None
    answers.record_answer(meeting.uid, actor, choice, answers.occurrence_key(meeting.original_start))
