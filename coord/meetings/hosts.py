"""Hosted meeting records: a Meeting whose `host` is set is the agenda-and-minutes record of something else
(another module's object). Such a meeting is never listed, never on calendars, never in reminders or
invitations; its pages (agenda, minutes, history, compare, print) work as for any meeting, but its host
decides every permission, where its pages lead back to, who takes part, and what its e-mails may say.

A module registers its host once, at import time: `register_host("name", HostAccess(...))`. A meeting
whose host is not registered (the module is not installed) is refused to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.models import Meeting, MeetingStatus


@dataclass(frozen=True)
class HostAccess:
    """What a host decides about the meetings it hosts."""

    # allows(actor, action, meeting): action is the meetings rule asked ("meetings.minutes.read", ...)
    allows: Callable[[Person, str, Meeting], bool]
    # Where "back" links and the meeting page lead (a path inside the app).
    page_url: Callable[[Meeting], str]
    # Who takes part (presenters, action owners, e-mail recipients), active people only.
    people: Callable[[Meeting], list[Person]]
    # Confidential: the agenda and minutes e-mails say only that there is something to read, with a link.
    confidential: bool = True
    # The audit log's `subject` for every entry about the record (e.g. whose data it holds), or "".
    subject: Callable[[Meeting], str] = lambda meeting: ""
    # Called when someone reads the record's agenda or minutes (what: "agenda" or "minutes"); it may audit
    # and commit (it is called before the content is loaded).
    on_read: Callable[[Person, Meeting, str], None] = lambda actor, meeting, what: None


def _nobody(meeting: Meeting) -> list[Person]:
    return []


_UNKNOWN = HostAccess(allows=lambda actor, action, meeting: False, page_url=lambda m: "/", people=_nobody)
_HOSTS: dict[str, HostAccess] = {}

# The filter every query that lists meetings adds (hosted records are nobody's list).
NOT_HOSTED = Meeting.host.is_(None)


def register_host(name: str, access: HostAccess) -> None:
    if not name or len(name) > 40:
        raise ValueError("a host name has 1 to 40 characters")
    if name in _HOSTS and _HOSTS[name] is not access:
        raise ValueError(f"host {name!r} registered twice")
    _HOSTS[name] = access


def host_of(meeting: Meeting) -> HostAccess | None:
    """The meeting's host (None for a meeting of its own; an unregistered host refuses everything)."""
    if meeting.host is None:
        return None
    return _HOSTS.get(meeting.host, _UNKNOWN)


def host_allows(actor: Person, action: str, meeting: Meeting) -> bool:
    host = host_of(meeting)
    return host is not None and bool(host.allows(actor, action, meeting))


def subject_of(meeting: Meeting) -> str:
    host = host_of(meeting)
    return host.subject(meeting) if host is not None else ""


def note_read(actor: Person, meeting: Meeting, what: str) -> None:
    """Tell a hosted record's host that `actor` reads its agenda or minutes (nothing for other meetings)."""
    host = host_of(meeting)
    if host is not None:
        host.on_read(actor, meeting, what)


def is_confidential(meeting: Meeting) -> bool:
    host = host_of(meeting)
    return host is not None and host.confidential


def create_record(
    host: str, *, title: str, starts_at: datetime, ends_at: datetime, created_by_id: int | None
) -> Meeting:
    """A new hosted meeting (no committee, never published), added to the caller's transaction."""
    meeting = Meeting(
        host=host,
        committee_id=None,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by_id=created_by_id,
    )
    db.session.add(meeting)
    return meeting


def follow(meeting: Meeting, *, starts_at: datetime, ends_at: datetime, cancelled: bool) -> None:
    """Keep a hosted record in step with its host's times and status (the caller commits)."""
    if meeting.host is None:
        raise ValueError("only a hosted meeting follows its host")
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.PLANNED
