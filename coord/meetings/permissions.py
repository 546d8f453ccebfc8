"""Committee meetings: who sees, edits, writes minutes for, and answers them."""

from __future__ import annotations

from coord.core.permissions import rule
from coord.directory.models import Committee, Person
from coord.meetings.calendar import invitees
from coord.meetings.models import ActionItem, Meeting, MeetingSeries, Minutes


def _edits_committee(actor: Person, committee_id: int | None) -> bool:
    return actor.is_staff or actor.is_secretary_of(committee_id)


@rule("meetings.list")
def _list_meetings(actor: Person, obj: None) -> bool:
    """The meetings menu: staff, and anyone who sits on a committee."""
    return actor.is_staff or bool(actor.memberships)


@rule("meetings.edit", guards=Committee, optional=True)
def _edit_meetings(actor: Person, committee: Committee | None) -> bool:
    """Staff edit every meeting; a committee's secretary edits that committee's meetings."""
    return _edits_committee(actor, committee.id if committee is not None else None)


@rule("meetings.calendar", guards=Committee)
def _committee_calendar(actor: Person, committee: Committee) -> bool:
    """A committee's calendar: staff, and the committee's current members."""
    return actor.is_staff or actor.sits_on(committee.id)


@rule("meetings.view", guards=(Meeting, MeetingSeries))
def _view_meeting(actor: Person, meeting: Meeting | MeetingSeries) -> bool:
    """Staff, the committee's members, and the guests of the meeting or its series."""
    if actor.is_staff or actor.sits_on(meeting.committee_id):
        return True
    guests = list(meeting.guests)
    series = getattr(meeting, "series", None)
    guests += list(series.guests) if series is not None else []
    return any(guest.person_id == actor.id for guest in guests)


@rule("meetings.answer", guards=Meeting)
def _answer_meeting(actor: Person, meeting: Meeting) -> bool:
    """Only an invitee answers an invitation."""
    return any(person.id == actor.id for person in invitees(meeting))


@rule("meetings.minutes.read", guards=Minutes)
def _read_minutes(actor: Person, minutes: Minutes) -> bool:
    """Editors read every state; the meeting's members and guests read circulated or approved minutes."""
    if _edits_committee(actor, minutes.meeting.committee_id):
        return True
    return minutes.state != "draft" and _view_meeting(actor, minutes.meeting)


@rule("meetings.minutes.edit", guards=(Minutes, Meeting))
def _edit_minutes(actor: Person, obj: Minutes | Meeting) -> bool:
    meeting = obj.meeting if isinstance(obj, Minutes) else obj
    return _edits_committee(actor, meeting.committee_id)


@rule("meetings.minutes.approve", guards=Minutes)
def _approve_minutes(actor: Person, minutes: Minutes) -> bool:
    """Approval (and corrections of approved minutes) is the coordinator's."""
    return actor.is_staff


@rule("meetings.minutes.comment", guards=Minutes)
def _comment_minutes(actor: Person, minutes: Minutes) -> bool:
    return minutes.state == "circulated" and _view_meeting(actor, minutes.meeting)


@rule("meetings.actions.view", guards=Committee)
def _view_committee_actions(actor: Person, committee: Committee) -> bool:
    """A committee's list of actions: staff and the committee's current members."""
    return actor.is_staff or actor.sits_on(committee.id)


@rule("meetings.actions.update", guards=ActionItem)
def _update_action(actor: Person, action: ActionItem) -> bool:
    """An action's owner marks it done; the committee's editors change any of its actions."""
    return action.owner_id == actor.id or _edits_committee(actor, action.committee_id)


@rule("meetings.actions.manage", guards=ActionItem)
def _manage_action(actor: Person, action: ActionItem) -> bool:
    """Cancelling (or reopening a cancelled) action is for the committee's editors, not its owner."""
    return _edits_committee(actor, action.committee_id)
