"""Committee meetings: who sees, edits, writes minutes for, and answers them.

A hosted meeting (the record of another module's object, see hosts.py) is decided by its host alone: every
rule that receives a Meeting, Minutes or ActionItem is registered through `meeting_rule`, which asks the
host first when the meeting has one.
"""

from __future__ import annotations

import functools

from coord.core.permissions import rule
from coord.directory.models import Committee, Person
from coord.meetings.calendar import invitees
from coord.meetings.hosts import host_allows
from coord.meetings.models import ActionItem, Meeting, MeetingSeries, Minutes


def _meeting_of(obj: object) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, Minutes | ActionItem):
        return obj.meeting
    return None  # a committee or a series: never hosted


# The host answers who; the minutes' states still apply to hosted minutes as to any others.
_STATE_CHECKS = {
    "meetings.minutes.read": lambda actor, minutes: (
        minutes.state != "draft" or host_allows(actor, "meetings.minutes.edit", minutes.meeting)
    ),
    "meetings.minutes.comment": lambda actor, minutes: minutes.state == "circulated",
}


def meeting_rule(action: str, guards, optional: bool = False):
    """`@rule(action, guards)`, deferring to the host when the object belongs to a hosted meeting."""

    def register(func):
        @functools.wraps(func)
        def check(actor: Person, obj) -> bool:
            meeting = _meeting_of(obj)
            if meeting is not None and meeting.host is not None:
                state_ok = _STATE_CHECKS.get(action) if isinstance(obj, Minutes) else None
                return host_allows(actor, action, meeting) and (state_ok is None or state_ok(actor, obj))
            return func(actor, obj)

        return rule(action, guards=guards, optional=optional)(check)

    return register


def _edits_committee(actor: Person, committee_id: int | None) -> bool:
    return actor.is_staff or actor.is_secretary_of(committee_id)


@rule("meetings.list")
def _list_meetings(actor: Person, obj: None) -> bool:
    """The meetings menu: staff, and anyone who sits on a committee."""
    return actor.is_staff or bool(actor.memberships)


@meeting_rule("meetings.edit", guards=(Committee, Meeting), optional=True)
def _edit_meetings(actor: Person, target: Committee | Meeting | None) -> bool:
    """Staff edit every meeting; a committee's secretary edits that committee's meetings (asked with the
    committee, or with the meeting itself for its agenda and attendance)."""
    if isinstance(target, Meeting):
        return _edits_committee(actor, target.committee_id)
    return _edits_committee(actor, target.id if target is not None else None)


@rule("meetings.calendar", guards=Committee)
def _committee_calendar(actor: Person, committee: Committee) -> bool:
    """A committee's calendar: staff, and the committee's current members."""
    return actor.is_staff or actor.sits_on(committee.id)


@meeting_rule("meetings.view", (Meeting, MeetingSeries))
def _view_meeting(actor: Person, meeting: Meeting | MeetingSeries) -> bool:
    """Staff, the committee's members, and the guests of the meeting or its series."""
    if actor.is_staff or actor.sits_on(meeting.committee_id):
        return True
    guests = list(meeting.guests)
    series = getattr(meeting, "series", None)
    guests += list(series.guests) if series is not None else []
    return any(guest.person_id == actor.id for guest in guests)


@meeting_rule("meetings.answer", Meeting)
def _answer_meeting(actor: Person, meeting: Meeting) -> bool:
    """Only an invitee answers an invitation."""
    return any(person.id == actor.id for person in invitees(meeting))


@meeting_rule("meetings.minutes.read", Minutes)
def _read_minutes(actor: Person, minutes: Minutes) -> bool:
    """Editors read every state; the meeting's members and guests read circulated or approved minutes."""
    if _edits_committee(actor, minutes.meeting.committee_id):
        return True
    return minutes.state != "draft" and _view_meeting(actor, minutes.meeting)


@meeting_rule("meetings.minutes.edit", (Minutes, Meeting))
def _edit_minutes(actor: Person, obj: Minutes | Meeting) -> bool:
    meeting = obj.meeting if isinstance(obj, Minutes) else obj
    return not meeting.is_cancelled and _edits_committee(
        actor, meeting.committee_id
    )  # no minutes of what never met


@meeting_rule("meetings.minutes.approve", Minutes)
def _approve_minutes(actor: Person, minutes: Minutes) -> bool:
    """Approval (and corrections of approved minutes) is the coordinator's."""
    return actor.is_staff


@meeting_rule("meetings.minutes.comment", Minutes)
def _comment_minutes(actor: Person, minutes: Minutes) -> bool:
    return minutes.state == "circulated" and _view_meeting(actor, minutes.meeting)


@rule("meetings.actions.view", guards=Committee)
def _view_committee_actions(actor: Person, committee: Committee) -> bool:
    """A committee's list of actions: staff and the committee's current members."""
    return actor.is_staff or actor.sits_on(committee.id)


@meeting_rule("meetings.actions.update", ActionItem)
def _update_action(actor: Person, action: ActionItem) -> bool:
    """An action's owner marks it done; the committee's editors change any of its actions."""
    return action.owner_id == actor.id or _edits_committee(actor, action.committee_id)


@meeting_rule("meetings.actions.manage", ActionItem)
def _manage_action(actor: Person, action: ActionItem) -> bool:
    """Cancelling (or reopening a cancelled) action is for the committee's editors, not its owner."""
    return _edits_committee(actor, action.committee_id)
