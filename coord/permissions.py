"""The one place that answers "may this person do this (to this object)?".

Services call `require(...)`; a refusal writes an audit entry and raises `PermissionDenied`,
which the app renders as a 403 page in the reader's language. Domain modules add their rules here,
one function per action, so that every rule can be read in one file.
"""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.exceptions import Forbidden

from coord import audit
from coord.directory.models import Organization, Person, Role

Rule = Callable[[Person, object | None], bool]
_RULES: dict[str, Rule] = {}


class PermissionDenied(Forbidden):
    """A 403 that services raise after auditing the refusal."""


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"rule {action!r} defined twice")
        _RULES[action] = func
        return func

    return register


def may(actor: Person | None, action: str, obj: object | None = None) -> bool:
    """True when an active, authenticated person may do `action` (to `obj`). Unknown actions are refused."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.active:
        return False
    check = _RULES.get(action)
    return bool(check and check(actor, obj))


def require(actor: Person | None, action: str, obj: object | None = None) -> None:
    """Raise PermissionDenied (after an audit entry) unless `may(actor, action, obj)`."""
    if may(actor, action, obj):
        return
    audit.record_now(
        "permission.denied",
        obj=obj if hasattr(obj, "__tablename__") else None,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        outcome=audit.Outcome.DENIED,
        detail=action,
    )
    raise PermissionDenied()


def _is_staff(actor: Person) -> bool:
    return actor.has_role(Role.COORDINATOR, Role.ADMIN)


# Directory -----------------------------------------------------------------------------------------


def _protects_admin(actor: Person, obj: object | None) -> bool:
    """An administrator's account is changed only by an administrator."""
    return isinstance(obj, Person) and obj.has_role(Role.ADMIN) and not actor.has_role(Role.ADMIN)


@rule("directory.people.manage")
def _manage_people(actor: Person, obj: object | None) -> bool:
    return _is_staff(actor) and not _protects_admin(actor, obj)


@rule("directory.people.grant_admin")
def _grant_admin(actor: Person, obj: object | None) -> bool:
    return actor.has_role(Role.ADMIN)


@rule("directory.people.deactivate")
def _deactivate_person(actor: Person, obj: object | None) -> bool:
    if not _is_staff(actor) or (isinstance(obj, Person) and obj.id == actor.id):
        return False
    return not _protects_admin(actor, obj)


@rule("directory.organizations.manage")
def _manage_organizations(actor: Person, obj: object | None) -> bool:
    return _is_staff(actor) and (obj is None or isinstance(obj, Organization))


@rule("directory.committees.view")
def _view_committees(actor: Person, obj: object | None) -> bool:
    """Staff see every committee; partners and intervenants see the list, and the members of their own."""
    if _is_staff(actor):
        return True
    if obj is None:
        return actor.has_role(Role.PARTNER, Role.INTERVENANT)
    return any(membership.committee_id == getattr(obj, "id", None) for membership in actor.memberships)


@rule("directory.committees.manage")
def _manage_committees(actor: Person, obj: object | None) -> bool:
    return _is_staff(actor)


@rule("audit.read")
def _read_audit(actor: Person, obj: object | None) -> bool:
    return _is_staff(actor)


@rule("outbox.manage")
def _manage_outbox(actor: Person, obj: object | None) -> bool:
    """See failed, uncertain and waiting e-mails, and send one again."""
    return _is_staff(actor)


# Calendars -----------------------------------------------------------------------------------------


@rule("calendar.committee")
def _committee_calendar(actor: Person, obj: object | None) -> bool:
    """A committee's calendar: staff, and the committee's current members."""
    if _is_staff(actor):
        return True
    return any(membership.committee_id == getattr(obj, "id", None) for membership in actor.memberships)


@rule("calendar.outreach")
def _outreach_calendar(actor: Person, obj: object | None) -> bool:
    return actor.has_role(Role.COORDINATOR, Role.ADMIN, Role.INTERVENANT)


# Meetings ------------------------------------------------------------------------------------------


@rule("meetings.edit")
def _edit_meetings(actor: Person, obj: object | None) -> bool:
    """Staff edit every meeting; a committee's secretary edits that committee's meetings."""
    if _is_staff(actor):
        return True
    committee_id = getattr(obj, "id", None)
    return committee_id is not None and any(
        m.committee_id == committee_id and m.role == "secretary" for m in actor.memberships
    )


# Case conferences (confidential) -------------------------------------------------------------------


def _takes_part(actor: Person, conference: object | None) -> bool:
    if conference is None:
        return False
    if getattr(conference, "organizer_id", None) == actor.id:
        return True
    return any(invitee.person_id == actor.id for invitee in getattr(conference, "invitees", []))


@rule("conferences.schedule")
def _schedule_conference(actor: Person, obj: object | None) -> bool:
    return actor.has_role(Role.COORDINATOR, Role.INTERVENANT)


@rule("conferences.view")
def _view_conference(actor: Person, obj: object | None) -> bool:
    """Only the people involved; police or staff membership gives no access by itself."""
    return _takes_part(actor, obj)


@rule("conferences.edit")
def _edit_conference(actor: Person, obj: object | None) -> bool:
    return getattr(obj, "organizer_id", None) == actor.id


@rule("meetings.view")
def _view_meeting(actor: Person, obj: object | None) -> bool:
    """Staff, the committee's members, and the guests of the meeting or its series."""
    if _is_staff(actor):
        return True
    committee_id = getattr(obj, "committee_id", None)
    if committee_id is not None and any(m.committee_id == committee_id for m in actor.memberships):
        return True
    guests = list(getattr(obj, "guests", []))
    series = getattr(obj, "series", None)
    guests += list(getattr(series, "guests", []) if series is not None else [])
    return any(guest.person_id == actor.id for guest in guests)


def _edits_committee(actor: Person, committee_id: int | None) -> bool:
    return _is_staff(actor) or (
        committee_id is not None
        and any(m.committee_id == committee_id and m.role == "secretary" for m in actor.memberships)
    )


@rule("meetings.minutes.read")
def _read_minutes(actor: Person, obj: object | None) -> bool:
    """Editors read every state; the meeting's members and guests read circulated or approved minutes."""
    meeting = getattr(obj, "meeting", None)
    if meeting is None:
        return False
    if _edits_committee(actor, meeting.committee_id):
        return True
    return getattr(obj, "state", "draft") != "draft" and _view_meeting(actor, meeting)


@rule("meetings.minutes.edit")
def _edit_minutes(actor: Person, obj: object | None) -> bool:
    meeting = getattr(obj, "meeting", obj)
    return meeting is not None and _edits_committee(actor, getattr(meeting, "committee_id", None))


@rule("meetings.minutes.approve")
def _approve_minutes(actor: Person, obj: object | None) -> bool:
    """Approval (and corrections of approved minutes) is the coordinator's."""
    return _is_staff(actor)


@rule("meetings.minutes.comment")
def _comment_minutes(actor: Person, obj: object | None) -> bool:
    meeting = getattr(obj, "meeting", None)
    return meeting is not None and getattr(obj, "state", "") == "circulated" and _view_meeting(actor, meeting)


@rule("meetings.actions.update")
def _update_action(actor: Person, obj: object | None) -> bool:
    """An action's owner marks it done; the committee's editors change any of its actions."""
    if getattr(obj, "owner_id", None) == actor.id:
        return True
    return _edits_committee(actor, getattr(obj, "committee_id", None))


@rule("meetings.actions.view")
def _view_committee_actions(actor: Person, obj: object | None) -> bool:
    """A committee's list of actions (obj = Committee): staff and the committee's current members."""
    committee_id = getattr(obj, "id", None)
    return _is_staff(actor) or (
        committee_id is not None and any(m.committee_id == committee_id for m in actor.memberships)
    )


@rule("meetings.list")
def _list_meetings(actor: Person, obj: object | None) -> bool:
    """The meetings menu: staff, and anyone who sits on a committee."""
    return _is_staff(actor) or bool(actor.memberships)


@rule("meetings.actions.manage")
def _manage_action(actor: Person, obj: object | None) -> bool:
    """Cancelling (or reopening a cancelled) action is for the committee's editors, not its owner."""
    return _edits_committee(actor, getattr(obj, "committee_id", None))


@rule("meetings.answer")
def _answer_meeting(actor: Person, obj: object | None) -> bool:
    """Only an invitee answers an invitation."""
    from coord.meetings.calendar import invitees

    return obj is not None and any(person.id == actor.id for person in invitees(obj))
