"""Action items decided at meetings: "Mes actions", a committee's list, marking done, cancelling, reopening.

Open actions carry forward by themselves: the agenda lists the committee's open actions of earlier
meetings, so these services only keep the statuses right. Each change checks `meetings.actions.update`
(the action's owner, or the committee's editors), is audited and committed once.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.localtime import local_today
from coord.core.permissions import may, require
from coord.directory.models import Committee, Person
from coord.extensions import db
from coord.meetings.minutes_page import is_overdue, meeting_day
from coord.meetings.models import ActionItem, ActionStatus, Meeting, Minutes, MinutesState

RECENT_DONE_DAYS = 30
MAX_LISTED = 500
STATUSES = ("open", "done", "cancelled", "all")


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


def my_actions(actor: Person) -> list[ActionItem]:
    """The actor's open actions (overdue first, then by due date), then those done in the last 30 days."""
    today = local_today()
    rows = db.session.scalars(
        sa.select(ActionItem)
        .where(
            ActionItem.owner_id == actor.id,
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


def committee_actions(actor: Person, committee_id: int, status: str = "open") -> tuple[Committee, list]:
    """(committee, its actions with that status, or "all"): for staff and the committee's members.

    Members do not see the actions of draft minutes (except their own); editors see them all.
    """
    committee = db.session.get(Committee, committee_id) if 0 < committee_id < 2**31 else None
    if committee is None:
        raise NotFound()
    require(actor, "meetings.actions.view", committee)
    if status not in STATUSES:
        raise ServiceError(_l("Choose open, done, cancelled or all."), "status")
    query = (
        sa.select(ActionItem)
        .where(ActionItem.committee_id == committee.id)
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
    return committee, open_rows + closed  # closed ones: done, then cancelled, newest first


def get_action(action_id: int) -> ActionItem:
    """The action (404 when there is none); the operations below check permission."""
    action = db.session.get(ActionItem, action_id) if 0 < action_id < 2**31 else None
    if action is None:
        raise NotFound()
    return action


def updatable_action(actor: Person, action_id: int) -> ActionItem:
    """The action, once the actor is known to change it (404 when there is none, else 403 if not allowed)."""
    action = get_action(action_id)
    require(actor, "meetings.actions.update", action)
    return action


def mark_done(actor: Person, action: ActionItem, done_on: date) -> None:
    """Done on that day: not in the future, not before the action's meeting."""
    require(actor, "meetings.actions.update", action)
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


def cancel_action(actor: Person, action: ActionItem) -> None:
    """Only the committee's editors cancel an action (its owner marks it done)."""
    require(actor, "meetings.actions.manage", action)
    if action.status == ActionStatus.CANCELLED:
        return
    action.status, action.done_on, action.closed_by_id = ActionStatus.CANCELLED, None, actor.id
    audit.record("action.cancel", obj=action, actor=actor)
    db.session.commit()


def reopen(actor: Person, action: ActionItem) -> None:
    """Back to open: the owner undoes their own "done"; a cancelled action is reopened by an editor."""
    require(
        actor,
        "meetings.actions.manage" if action.status == ActionStatus.CANCELLED else "meetings.actions.update",
        action,
    )
    if action.status == ActionStatus.OPEN:
        return
    action.status, action.done_on, action.closed_by_id = ActionStatus.OPEN, None, None
    audit.record("action.reopen", obj=action, actor=actor)
    db.session.commit()
