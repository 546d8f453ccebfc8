"""The demo data of issue 4: a monthly clinical series with approved minutes, decisions, open actions, and
a next meeting with a published agenda."""

from __future__ import annotations

import sqlalchemy as sa

from coord.core.localtime import utcnow
from coord.demo import seed_demo
from coord.extensions import db
from coord.meetings.models import ActionItem, Decision, Meeting, Minutes
from coord.modules import MODULES
from tests.support import logged_in


def test_demo_has_a_committee_cycle(app, client):
    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        seed_demo(MODULES, None)  # idempotent
        approved = db.session.scalars(sa.select(Minutes).where(Minutes.state == "approved")).all()
        assert len(approved) == 2 and all(m.revision == 2 and m.approved_by_id for m in approved)
        assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 2
        open_actions = db.session.scalars(sa.select(ActionItem).where(ActionItem.status == "open")).all()
        assert len(open_actions) == 3
        upcoming = db.session.scalars(
            sa.select(Meeting).where(Meeting.agenda_published_at.is_not(None), Meeting.starts_at > utcnow())
        ).all()
        assert len(upcoming) == 1 and len(upcoming[0].agenda_items) == 5
        meeting_id = upcoming[0].id
        committee_id = upcoming[0].committee_id
    logged_in(client, "coordinator@demo.coord.test", "demo-sphères-2026")
    assert client.get(f"/meetings/committee/{committee_id}").status_code == 200
    assert client.get(f"/meetings/committee/{committee_id}?past=1").status_code == 200
    assert client.get(f"/meetings/{meeting_id}").status_code == 200
