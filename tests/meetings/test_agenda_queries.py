"""The agenda page costs the same number of SQL queries at 2 items and 2 invitees as at 40 and 30."""

from __future__ import annotations

from tests.calendar.factories import committee_with_people, single_meeting
from tests.directory.factories import email_of
from tests.meetings.factories import START, add, add_action, earlier, page_rows
from tests.support import counted_queries, logged_in


def _agenda_of_size(app, items: int, members: int, actions: int) -> tuple[int, int, int]:
    """(meeting_id, coordinator_id, a member's id) for an agenda of that size with people as presenters."""
    committee, coordinator, people = committee_with_people(app, members)
    earlier_meeting = single_meeting(app, coordinator, committee, start=START.replace(month=10))
    meeting = single_meeting(app, coordinator, committee, start=START)
    for n in range(items):
        presenter = {"presenter_id": people[n % len(people)]} if n % 2 else {"presenter_name": f"Invité {n}"}
        add(app, coordinator, meeting, f"Point {n}", 5, description=f"**Point** {n}\n\n- a\n- b", **presenter)
    for n in range(actions):
        add_action(
            app,
            earlier_meeting,
            committee,
            f"Action {n}",
            owner_id=people[n % len(people)],
            due_date=earlier(n),
        )
    return meeting, coordinator, people[0]


def _queries(app, client, meeting: int, expected_rows: int) -> int:
    path = f"/meetings/{meeting}/agenda"
    assert client.get(path).status_code == 200  # warm: the login session and the person are loaded alike
    with counted_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    assert len(page_rows(response.get_data(as_text=True))) == expected_rows
    return len(statements)


def test_agenda_page_queries_do_not_grow_with_items_invitees_or_actions(app):
    small_meeting, small_coordinator, small_member = _agenda_of_size(app, items=2, members=1, actions=1)
    large_meeting, large_coordinator, large_member = _agenda_of_size(app, items=40, members=29, actions=8)

    counts = {}
    for label, meeting, coordinator, member, rows in (
        ("small", small_meeting, small_coordinator, small_member, 2),
        ("large", large_meeting, large_coordinator, large_member, 40),
    ):
        editor = logged_in(app.test_client(), email_of(app, coordinator))
        reader = logged_in(app.test_client(), email_of(app, member))
        counts[label] = (_queries(app, editor, meeting, rows), _queries(app, reader, meeting, rows))
    assert counts["small"] == counts["large"], counts
