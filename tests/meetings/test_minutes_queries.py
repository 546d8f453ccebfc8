"""The minutes pages cost the same number of SQL queries with 2 items, decisions, actions and comments as
with 40 of each (and 25 people)."""

from __future__ import annotations

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.meetings.models import ActionItem, Decision, Minutes, MinutesComment, MinutesRevision
from tests.meetings.minutes_support import add_items, client_of, minutes_world
from tests.support import counted_queries


def _minutes_of_size(app, size: int, members: int):
    """A meeting whose circulated minutes have `size` items, decisions, actions, comments and revisions."""
    world = minutes_world(app, items=0, members=members)
    items = add_items(app, world.meeting, size)
    people = [world.coordinator, world.secretary, *world.members]
    with app.app_context():
        minutes = Minutes(
            meeting_id=world.meeting,
            state="circulated",
            revision=size,
            content={"general": "**Notes**", "items": {str(i): f"- note {i}" for i in items}},
            circulated_at=utcnow(),
        )
        db.session.add(minutes)
        db.session.flush()
        for n in range(size):
            db.session.add(
                Decision(meeting_id=world.meeting, agenda_item_id=items[n], position=n, text=f"D{n}")
            )
            owner = {"owner_id": people[n % len(people)]} if n % 3 else {"owner_name": f"Externe {n}"}
            db.session.add(
                ActionItem(
                    meeting_id=world.meeting,
                    committee_id=world.committee,
                    agenda_item_id=items[n],
                    description=f"A{n}",
                    **owner,
                )
            )
            db.session.add(
                MinutesComment(minutes_id=minutes.id, author_id=people[n % len(people)], text=f"C{n}")
            )
            db.session.add(
                MinutesRevision(
                    minutes_id=minutes.id,
                    number=n + 1,
                    state="draft" if n < size // 2 else "circulated",
                    author_id=people[n % len(people)],
                    snapshot={},
                )
            )
        db.session.commit()
    return world


def _count(app, client, path: str, expected: str) -> int:
    assert client.get(path).status_code == 200  # warm: the login session and the person are loaded alike
    with counted_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200 and expected in response.get_data(as_text=True)
    return len(statements)


def test_minutes_pages_queries_do_not_grow_with_the_content(app):
    counts = {}
    for label, size, members in (("small", 2, 2), ("large", 40, 25)):
        world = _minutes_of_size(app, size, members)
        editor = client_of(app, world.coordinator)
        reader = client_of(app, world.member)
        base = f"/meetings/{world.meeting}/minutes"
        last = f"A{size - 1}"
        counts[label] = (
            _count(app, editor, base, last),
            _count(app, reader, base, last),
            _count(app, editor, f"{base}/edit", last),
            _count(app, editor, f"{base}/history", f'data-revision="{size}"'),
            _count(app, reader, f"{base}/compare?a={size - 1}&b={size}", "diff"),
        )
    assert counts["small"] == counts["large"], counts
