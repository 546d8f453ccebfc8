"""The demo's minutes tell a history that already happened, with each decision under the item it settles."""

from __future__ import annotations

import sqlalchemy as sa

from coord.core.localtime import utcnow
from coord.demo import seed_demo
from coord.extensions import db
from coord.meetings.models import AgendaItem, Decision, Minutes, MinutesRevision
from coord.modules import MODULES


def test_demo_minutes_were_written_circulated_and_approved_in_the_past(app):
    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        now = utcnow()
        approved = db.session.scalars(sa.select(Minutes).where(Minutes.state == "approved")).all()
        assert len(approved) == 2
        for minutes in approved:
            meeting = minutes.meeting
            revisions = db.session.scalars(
                sa.select(MinutesRevision.created_at).where(MinutesRevision.minutes_id == minutes.id)
            ).all()
            assert meeting.ends_at < min(revisions) <= max(revisions) <= minutes.circulated_at
            assert minutes.circulated_at < minutes.approved_at <= now
            if minutes.adopted_at_meeting is not None:
                assert meeting.starts_at < minutes.adopted_at_meeting.starts_at <= minutes.approved_at
        assert any(m.adopted_at_meeting is not None for m in approved)


def test_demo_decisions_hang_under_the_item_they_settle(app):
    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        pairs = db.session.execute(
            sa.select(Decision.text, AgendaItem.title).join(
                AgendaItem, AgendaItem.id == Decision.agenda_item_id
            )
        ).all()
        assert len(pairs) == 2
        for text, title in pairs:
            topic = "formation" if "formation" in text else "trajectoire"
            assert topic in text.lower() and topic in title.lower(), (text, title)
