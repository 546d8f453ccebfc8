"""Action items decided at meetings: "Mes actions", a committee's list, marking done, cancelling, reopening.

Open actions carry forward by themselves: the agenda lists the committee's open actions of earlier
meetings, so these services only keep the statuses right. Each change takes the action's id, checks
`meetings.actions.update` (the action's owner, or the committee's editors), is audited and committed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.ids import MAX_ID
from coord.core.localtime import local_today
from coord.core.locks import lock_row
from coord.core.permissions import may, require
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings.hosts import NOT_HOSTED
from coord.meetings.minutes_page import is_overdue, meeting_day
from coord.meetings.models import ActionItem, ActionStatus, Meeting, Minutes, MinutesState

RECENT_DONE_DAYS = 30
MAX_LISTED = 500
STATUSES = ("open", "done", "cancelled", "all")
# Actions of hosted records belong to their host's pages, never to "Mes actions" nor a committee's list.
HOSTED_MEETINGS = sa.select(Meeting.id).where(~NOT_HOSTED)


def _with_meeting():
    """Each action's meeting (and its committee, joined) in the same query; nothing else loaded along."""
    return orm.joinedload(ActionItem.meeting).options(
        orm.lazyload(Meeting.guests), orm.lazyload(Meeting.series)
    )


def _open_order(action: ActionItem, today: date) -> tuple:
    """Overdue first, then by due date (none last), then the oldest meeting first."""
    return (
        not is_overdue(action, today),
        action.due_date is None,
        action.due_date or date.max,
        action.meeting.starts_at,
        action.id,
    )


@dataclass(frozen=True)
class ActionsPage:
    """A list of actions, and the ids of those the reader may mark done, cancel or reopen."""

    rows: list[ActionItem]
    updatable: set[int]
    committee: Committee | None = None
    shown: str = "open"  # the status shown on a committee's list


def _updatable(actor: Person, rows: list[ActionItem]) -> set[int]:
    return {action.id for action in rows if may(actor, "meetings.actions.update", action)}


def my_actions(actor: Person) -> list[ActionItem]:
    """The actor's open actions (overdue first, then by due date), then those done in the last 30 days."""
    today = local_today()
    rows = db.session.scalars(
        sa.select(ActionItem)
        .where(
            ActionItem.owner_id == actor.id,
            ActionItem.meeting_id.not_in(HOSTED_MEETINGS),
            sa.or_(
                ActionItem.status == ActionStatus.OPEN,
                sa.and_(
                    ActionItem.status == ActionStatus.DONE,
                    ActionItem.done_on >= today - timedelta(days=RECENT_DONE_DAYS),
                ),
            ),
        )
        .options(_with_meeting())
    ).all()
    open_rows = sorted(
        (a for a in rows if a.status == ActionStatus.OPEN), key=lambda a: _open_order(a, today)
    )
    done_rows = sorted((a for a in rows if a.status == ActionStatus.DONE), key=lambda a: (a.done_on, a.id))
    return open_rows + done_rows[::-1]


def my_actions_page(actor: Person) -> ActionsPage:
    """The "Mes actions" page: the actor's actions (see my_actions)."""
    rows = my_actions(actor)
    return ActionsPage(rows, _updatable(actor, rows))


def committee_actions(actor: Person, committee_id: int, status: str = "open") -> ActionsPage:
    """The committee's actions with that status, or "all": for staff and the committee's members.

    Members do not see the actions of draft minutes (except their own); editors see them all.
    """
    committee = db.session.get(Committee, committee_id) if 0 < committee_id <= MAX_ID else None
    if committee is None:
        raise NotFound()
    require(actor, "meetings.actions.view", committee)
    if status not in STATUSES:
        raise ServiceError(_l("Choose open, done, cancelled or all."), "status")
    query = (
        sa.select(ActionItem)
        .where(ActionItem.committee_id == committee.id, ActionItem.meeting_id.not_in(HOSTED_MEETINGS))
        .options(_with_meeting(), orm.joinedload(ActionItem.owner))
        .order_by(ActionItem.id.desc())
        .limit(MAX_LISTED)
    )
    if status != "all":
        query = query.where(ActionItem.status == status)
    if not may(actor, "meetings.edit", committee):  # draft minutes are the editors' (one's own actions aside)
        drafts = sa.select(Minutes.meeting_id).where(Minutes.state == MinutesState.DRAFT)
        query = query.where(sa.or_(ActionItem.meeting_id.not_in(drafts), ActionItem.owner_id == actor.id))
    rows = db.session.scalars(query).unique().all()
    today = local_today()
    open_rows = sorted(
        (a for a in rows if a.status == ActionStatus.OPEN), key=lambda a: _open_order(a, today)
    )
    closed = sorted((a for a in rows if a.status != ActionStatus.OPEN), key=lambda a: a.status != "done")
    listed = open_rows + closed  # closed ones: done, then cancelled, newest first
    return ActionsPage(listed, _updatable(actor, listed), committee, status)


def get_action(action_id: int) -> ActionItem:
    """The action (404 when there is none); the operations below check permission."""
    action = db.session.get(ActionItem, action_id) if 0 < action_id <= MAX_ID else None
    if action is None:
        raise NotFound()
    return action


def updatable_action(actor: Person, action_id: int) -> ActionItem:
    """The action, once the actor is known to change it (404 when there is none, else 403 if not allowed)."""
    action = get_action(action_id)
    require(actor, "meetings.actions.update", action)
    return action


def mark_done(actor: Person, action_id: int, done_on: date) -> None:
    """Done on that day: not in the future, not before the action's meeting."""
    action = lock_row(ActionItem, updatable_action(actor, action_id).id)  # a second click sees the first
    if action.status == ActionStatus.CANCELLED:
        raise ServiceError(_l("This action is cancelled: reopen it first."), "done_on")
    if not isinstance(done_on, date):
        raise ServiceError(_l("Give the date it was done."), "done_on")
    if done_on > local_today():
        raise ServiceError(_l("The date cannot be in the future."), "done_on")
    if done_on < meeting_day(action.meeting):
        raise ServiceError(_l("The date cannot be before the meeting that decided the action."), "done_on")
    if action.status == ActionStatus.DONE and action.done_on == done_on:
        return
    action.status, action.done_on, action.closed_by_id = ActionStatus.DONE, done_on, actor.id
    audit.record("action.done", obj=action, actor=actor, detail=done_on.isoformat())
    db.session.commit()


def cancel_action(actor: Person, action_id: int) -> None:
    """Only the committee's editors cancel an action (its owner marks it done)."""
    action = get_action(action_id)
    require(actor, "meetings.actions.manage", action)
    action = lock_row(ActionItem, action.id)
    if action.status == ActionStatus.CANCELLED:
        return
    action.status, action.done_on, action.closed_by_id = ActionStatus.CANCELLED, None, actor.id
    audit.record("action.cancel", obj=action, actor=actor)
    db.session.commit()


def reopen(actor: Person, action_id: int) -> None:
    """Back to open: the owner undoes their own "done"; a cancelled action is reopened by an editor."""
    action = get_action(action_id)
    require(
        actor,
        "meetings.actions.manage" if action.status == ActionStatus.CANCELLED else "meetings.actions.update",
        action,
    )
    action = lock_row(ActionItem, action.id)
    if action.status == ActionStatus.OPEN:
        return
    action.status, action.done_on, action.closed_by_id = ActionStatus.OPEN, None, None
    audit.record("action.reopen", obj=action, actor=actor)
    db.session.commit()
