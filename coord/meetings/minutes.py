"""Writing the minutes of committee meetings: save, correct, circulate, approve, comment.

Every save writes a `MinutesRevision` (who, when, the whole content as saved) and raises `revision`; a save
made on an older revision is refused with `StaleMinutes`, so two editors never overwrite each other
silently. Approved minutes are locked: only a correction (the coordinator's, with a reason) changes them,
as one more revision. Every operation takes the meeting's id, checks permission first, validates before it
changes anything, writes an audit entry and commits once.

What the pages show is in `minutes_page.py`; decision and action rows in `minutes_rows.py`; revisions
and comparisons in `minutes_revisions.py`; the e-mail sent on circulation in `minutes_emails.py`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from coord import audit
from coord.core.errors import ServiceError
from coord.core.localtime import utcnow
from coord.core.locks import lock_row
from coord.core.permissions import require
from coord.core.text import check_multi_line
from coord.directory.models import Person
from coord.extensions import db
from coord.meetings.calendar import invitees
from coord.meetings.minutes_emails import queue_circulated
from coord.meetings.minutes_page import (
    adoption_meetings,
    agenda_items,
    find_meeting,
    meeting_actions,
    minutes_of,
    readable_minutes,
)
from coord.meetings.minutes_revisions import snapshot
from coord.meetings.minutes_rows import (
    MAX_TEXT,
    ActionData,
    DecisionData,
    apply_actions,
    check_actions,
    check_decisions,
    clean_text,
)
from coord.meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesRevision,
    MinutesState,
)

MAX_REASON = 2_000
MAX_COMMENT = 5_000


class StaleMinutes(ServiceError):
    """Someone saved the minutes after revision `base` (the form's); `current` is the latest revision."""

    def __init__(self, base: int, current: int) -> None:
        super().__init__(
            _l("Someone else saved these minutes while you were editing them: your text is not saved yet."),
            "base_revision",
        )
        self.base = base
        self.current = current


# Saving -------------------------------------------------------------------------------------------------


def _check_base(base_revision: int, current: int) -> None:
    if isinstance(base_revision, bool) or not isinstance(base_revision, int):
        raise ServiceError(_l("Reload the page: the form's revision number is missing."), "base_revision")
    if base_revision < 0 or base_revision > current:
        raise ServiceError(_l("Unknown revision: reload the page and try again."), "base_revision")
    if base_revision != current:
        raise StaleMinutes(base_revision, current)


def _check_notes(general: str, item_notes: dict[int, str], items: list[AgendaItem]) -> dict:
    too_long = _l("Notes are too long (20,000 characters at most).")
    known = {item.id for item in items}
    notes = {}
    for item_id, text in (item_notes or {}).items():
        if item_id not in known:
            raise ServiceError(_l("Unknown agenda item: reload the page."), "general")
        cleaned = clean_text(text, MAX_TEXT, too_long, f"item_{item_id}")
        if cleaned:
            notes[str(item_id)] = cleaned
    return {"general": clean_text(general, MAX_TEXT, too_long, "general"), "items": notes}


def _write(
    actor: Person,
    meeting: Meeting,
    minutes: Minutes | None,
    base_revision: int,
    general: str,
    item_notes: dict[int, str],
    decisions: list[DecisionData],
    actions: list[ActionData],
    reason: str = "",
) -> Minutes:
    """Check everything, then write revision n + 1 and its audit entry (the caller commits)."""
    current = minutes.revision if minutes is not None else 0
    _check_base(base_revision, current)
    items = agenda_items(meeting.id)
    content = _check_notes(general, item_notes, items)
    new_decisions = check_decisions(decisions, items)
    existing = {action.id: action for action in meeting_actions(meeting.id)}
    people = {person.id: person.display_name for person in invitees(meeting)}
    people.update({a.owner_id: a.owner.display_name for a in existing.values() if a.owner is not None})
    changes = check_actions(actions, meeting, items, existing, set(people))

    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, state=MinutesState.DRAFT, revision=0)
        db.session.add(minutes)
    minutes.content = content  # a new dict: in-place changes of JSON columns are not tracked
    minutes.revision = current + 1
    db.session.execute(sa.delete(Decision).where(Decision.meeting_id == meeting.id))
    for position, decision in enumerate(new_decisions, start=1):
        decision.meeting_id, decision.position = meeting.id, position
        db.session.add(decision)
    apply_actions(actor, meeting, changes, existing)
    db.session.flush()  # a concurrent first save of the same minutes fails here (unique meeting)
    db.session.add(
        MinutesRevision(
            minutes_id=minutes.id,
            number=minutes.revision,
            state=minutes.state,
            author_id=actor.id,
            reason=reason,
            snapshot=snapshot(minutes, items, new_decisions, people),
        )
    )
    action = "minutes.correct" if reason else "minutes.save"
    audit.record(action, obj=minutes, actor=actor, detail=f"revision {minutes.revision}")
    return minutes


def _stale(meeting_id: int, base_revision: int) -> StaleMinutes:
    latest = minutes_of(meeting_id)
    return StaleMinutes(base_revision, latest.revision if latest else 0)


def save_minutes(
    actor: Person,
    meeting_id: int,
    base_revision: int,
    general: str,
    item_notes: dict[int, str],
    decisions: list[DecisionData],
    actions: list[ActionData],
) -> Minutes:
    """Save the minutes as revision `base_revision + 1` (creating them at the first save).

    Decisions are replaced by the list; actions keep their ids (rows carry them), an emptied or missing
    action is cancelled, a done one stays done. Refused on an older revision (StaleMinutes) and once
    the minutes are approved (see correct_minutes).
    """
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.minutes.edit", meeting)
    minutes = minutes_of(meeting.id)
    if minutes is not None:  # an approval at the same moment is seen: approved minutes stay locked
        minutes = lock_row(Minutes, minutes.id)
    if minutes is not None and minutes.state == MinutesState.APPROVED:
        raise ServiceError(_l("Approved minutes are locked: the coordinator can make a correction."))
    try:
        minutes = _write(actor, meeting, minutes, base_revision, general, item_notes, decisions, actions)
        db.session.commit()
    except IntegrityError:  # another save took the same revision number (or created the minutes) meanwhile
        db.session.rollback()
        raise _stale(meeting_id, base_revision) from None
    return minutes


def correct_minutes(
    actor: Person,
    meeting_id: int,
    base_revision: int,
    general: str,
    item_notes: dict[int, str],
    decisions: list[DecisionData],
    actions: list[ActionData],
    reason: str,
) -> Minutes:
    """A correction of approved minutes: a new revision with its reason; the minutes stay approved."""
    meeting = find_meeting(meeting_id)
    require(actor, "meetings.minutes.edit", meeting)
    minutes = minutes_of(meeting.id)
    if minutes is None:
        raise NotFound()
    require(actor, "meetings.minutes.approve", minutes)
    if minutes.state != MinutesState.APPROVED:
        raise ServiceError(_l("Only approved minutes are corrected: edit these ones."))
    check_multi_line(reason, "reason")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ServiceError(_l("Give the reason for the correction (2,000 characters at most)."), "reason")
    try:
        _write(actor, meeting, minutes, base_revision, general, item_notes, decisions, actions, reason)
        db.session.commit()
    except IntegrityError:  # another correction took the same revision number meanwhile
        db.session.rollback()
        raise _stale(meeting_id, base_revision) from None
    return minutes


# States and comments ------------------------------------------------------------------------------------


def circulate(actor: Person, meeting_id: int) -> int:
    """Draft → circulated: members may now read and comment; one e-mail per invitee. Returns the count."""
    minutes = readable_minutes(actor, meeting_id)
    require(actor, "meetings.minutes.edit", minutes)
    minutes = lock_row(Minutes, minutes.id)  # a second click or editor waits, then finds them circulated
    if minutes.state != MinutesState.DRAFT:
        raise ServiceError(_l("These minutes were already circulated."))
    minutes.state = MinutesState.CIRCULATED
    minutes.circulated_at = utcnow()
    count = queue_circulated(minutes)
    audit.record("minutes.circulate", obj=minutes, actor=actor, detail=f"{count} recipients")
    db.session.commit()
    return count


def approve(actor: Person, meeting_id: int, adopted_at: int | None = None) -> None:
    """Circulated → approved (the coordinator's), recording who, when and, when given, the later meeting of
    the committee that adopted them (one already held); the minutes are then locked."""
    minutes = readable_minutes(actor, meeting_id)
    require(actor, "meetings.minutes.approve", minutes)
    if adopted_at is not None and adopted_at not in {m.id for m in adoption_meetings(minutes.meeting)}:
        raise ServiceError(_l("Choose a meeting of the committee held after this one."), "adopted_at")
    minutes = lock_row(Minutes, minutes.id)  # a second click waits, then finds them approved
    if minutes.state != MinutesState.CIRCULATED:
        raise ServiceError(
            _l("Circulate the minutes before approving them.")
            if minutes.state == MinutesState.DRAFT
            else _l("These minutes are already approved.")
        )
    minutes.state = MinutesState.APPROVED
    minutes.approved_at = utcnow()
    minutes.approved_by_id = actor.id
    minutes.adopted_at_meeting_id = adopted_at
    audit.record("minutes.approve", obj=minutes, actor=actor, detail=f"revision {minutes.revision}")
    db.session.commit()


def add_comment(actor: Person, meeting_id: int, text: str) -> MinutesComment:
    """A reader's comment on circulated minutes."""
    minutes = readable_minutes(actor, meeting_id)
    require(actor, "meetings.minutes.comment", minutes)
    check_multi_line(text, "text")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or len(text) > MAX_COMMENT:
        raise ServiceError(_l("Write a comment of 1 to 5,000 characters."), "text")
    lock_row(Minutes, minutes.id)  # a double click: the second finds the first's comment and adds none
    latest = db.session.scalar(
        sa.select(MinutesComment)
        .where(MinutesComment.minutes_id == minutes.id)
        .order_by(MinutesComment.id.desc())
        .limit(1)
    )
    if latest is not None and latest.author_id == actor.id and latest.text == text:
        return latest
    comment = MinutesComment(minutes_id=minutes.id, author_id=actor.id, text=text)
    db.session.add(comment)
    db.session.flush()
    audit.record("minutes.comment", obj=comment, actor=actor, detail=f"minutes {minutes.id}")
    db.session.commit()
    return comment
