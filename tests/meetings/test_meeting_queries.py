"""Meeting list and meeting page: as many queries with 2 meetings or invitees as with 40."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coord.directory.models import CommitteeMembership
from coord.extensions import db
from coord.meetings.models import Meeting, MeetingSeries
from tests.calendar.factories import committee_with_people, weekly_series
from tests.directory.factories import email_of, make_person
from tests.support import counted_queries, logged_in


def add_meetings(app, committee: int, count: int) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    with app.app_context():
        now = datetime.now(UTC)
        db.session.execute(
            sa.insert(Meeting),
            [
                {
                    "committee_id": committee,
                    "title": f"Rencontre {n}",
                    "starts_at": start + timedelta(days=n),
                    "ends_at": start + timedelta(days=n, hours=1),
                    "status": "planned",
                    "sequence": 0,
                    "location": "",
                    "video_url": "",
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(count)
            ],
        )
        db.session.commit()


def add_members(app, committee: int, count: int) -> None:
    people = [make_person(app) for _ in range(count)]
    with app.app_context():
        db.session.execute(
            sa.insert(CommitteeMembership),
            [{"committee_id": committee, "person_id": p, "role": "member"} for p in people],
        )
        db.session.commit()


def test_committee_list_and_meeting_page_queries_do_not_grow(app, client):
    committee, coordinator, _ = committee_with_people(app)
    logged_in(client, email_of(app, coordinator))
    series_id = weekly_series(app, coordinator, committee, first_start=datetime.now(UTC) + timedelta(days=2))
    add_meetings(app, committee, 2)
    with app.app_context():
        meeting_id = db.session.scalar(sa.select(Meeting.id).where(Meeting.series_id.is_(None)))

    def measure() -> tuple[int, int, int]:
        with counted_queries(app) as listing:
            assert client.get(f"/meetings/committee/{committee}").status_code == 200
        with counted_queries(app) as page:
            assert client.get(f"/meetings/{meeting_id}").status_code == 200
        with counted_queries(app) as series_page:
            assert client.get(f"/meetings/series/{series_id}").status_code == 200
        return len(listing), len(page), len(series_page)

    small = measure()
    add_meetings(app, committee, 40)
    add_members(app, committee, 40)
    with app.app_context():
        assert db.session.get(MeetingSeries, series_id) is not None
    large = measure()
    assert large == small, (small, large)
