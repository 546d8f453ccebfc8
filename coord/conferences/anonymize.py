"""Blanking the case conferences of anonymized participants (the retention purge calls `anonymize`).

Kept: dates, places, who was invited and the states (the program's figures). Blanked: the title (a neutral
one, the record's too), the notes, and in the agenda-and-minutes record the items' titles and descriptions,
the minutes' content and every revision's snapshot, the comments, decisions and actions' text. Never
commits: the purge's transaction holds it all.
"""

from __future__ import annotations

import sqlalchemy as sa

from coord.conferences.models import CaseConference
from coord.extensions import db
from coord.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesRevision,
)
from coord.referrals.purge import register_anonymizer

NEUTRAL_TITLE = "[anonymisée]"  # not the calendars' public label: nothing to tell the two apart by
BLANKED = "—"  # item and action texts cannot be empty


@register_anonymizer
def anonymize(participant_ids: list[int]) -> None:
    """Blank the conference data about these participants (the caller commits)."""
    if not participant_ids:
        return
    conferences = db.session.scalars(
        sa.select(CaseConference).where(CaseConference.participant_id.in_(list(participant_ids)))
    ).all()
    for conference in conferences:
        conference.title, conference.notes = NEUTRAL_TITLE, ""
    records = [c.record_id for c in conferences if c.record_id is not None]
    if not records:
        return
    db.session.execute(
        sa.update(Meeting).where(Meeting.id.in_(records)).values(title=NEUTRAL_TITLE, notes="")
    )
    minutes = sa.select(Minutes.id).where(Minutes.meeting_id.in_(records))
    db.session.execute(
        sa.update(AgendaItem)
        .where(AgendaItem.meeting_id.in_(records))
        .values(title=BLANKED, description="", presenter_name="")
    )
    db.session.execute(sa.update(Minutes).where(Minutes.meeting_id.in_(records)).values(content={}))
    db.session.execute(
        sa.update(MinutesRevision)
        .where(MinutesRevision.minutes_id.in_(minutes))
        .values(snapshot={}, reason="")
    )
    db.session.execute(
        sa.update(MinutesComment).where(MinutesComment.minutes_id.in_(minutes)).values(text=BLANKED)
    )
    db.session.execute(sa.update(Decision).where(Decision.meeting_id.in_(records)).values(text=BLANKED))
    db.session.execute(
        sa.update(ActionItem)
        .where(ActionItem.meeting_id.in_(records))
        .values(description=BLANKED, owner_name="")
    )
