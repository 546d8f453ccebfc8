"""Adoption: the meeting that adopted the minutes, the comments nobody acted on shown before approving, and
the attendance record (members and guests) on the minutes page."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings.models import Attendance, MinutesComment
from tests.calendar.factories import single_meeting
from tests.directory.factories import make_person
from tests.meetings.minutes_support import (
    client_of,
    days_ago,
    local_start,
    minutes_row,
    minutes_world,
    post_button,
    save,
)
from tests.support import text


def _circulated(app, world):
    coordinator = client_of(app, world.coordinator)
    assert save(coordinator, world.meeting, "Notes").status_code == 302
    assert post_button(coordinator, f"/meetings/{world.meeting}/minutes/circulate").status_code == 302
    return coordinator


def test_approval_records_the_meeting_that_adopted_the_minutes(app):
    world = minutes_world(app, held_days_ago=30)
    later = single_meeting(
        app, world.coordinator, world.committee, start=local_start(days_ago(2)), publish=False
    )
    future = single_meeting(app, world.coordinator, world.committee, start=local_start(days_ago(-5)))
    coordinator = _circulated(app, world)
    # The choice is made on the approval's confirmation page, sent with its POST.
    page = coordinator.get(f"/meetings/{world.meeting}/minutes/approve").get_data(as_text=True)
    choices = page.split('name="adopted_at"')[1].split("</select>")[0]
    assert f'value="{later}"' in choices and f'value="{future}"' not in choices
    refused = post_button(
        coordinator, f"/meetings/{world.meeting}/minutes/approve", {"adopted_at": str(future)}
    )
    assert refused.status_code == 302 and minutes_row(app, world.meeting).state == "circulated"
    done = post_button(coordinator, f"/meetings/{world.meeting}/minutes/approve", {"adopted_at": str(later)})
    assert done.status_code == 302
    minutes = minutes_row(app, world.meeting)
    assert minutes.state == "approved" and minutes.adopted_at_meeting_id == later
    shown = text(coordinator.get(f"/meetings/{world.meeting}/minutes"))
    assert "Adopté à la rencontre du" in shown


def test_approval_outside_a_meeting_and_garbage_ids_refused(app):
    world = minutes_world(app)
    coordinator = _circulated(app, world)
    url = f"/meetings/{world.meeting}/minutes/approve"
    assert post_button(coordinator, url, {"adopted_at": "x" * 40}).status_code == 302
    assert minutes_row(app, world.meeting).state == "circulated"
    assert post_button(coordinator, url, {"adopted_at": ""}).status_code == 302
    minutes = minutes_row(app, world.meeting)
    assert minutes.state == "approved" and minutes.adopted_at_meeting_id is None


def test_comments_made_since_the_latest_revision_are_shown_before_approving(app):
    world = minutes_world(app)
    coordinator = _circulated(app, world)
    member = client_of(app, world.member)
    assert post_button(
        member, f"/meetings/{world.meeting}/minutes/comments", {"text": "Corriger le point 2"}
    ).status_code in (302, 303)
    page = text(coordinator.get(f"/meetings/{world.meeting}/minutes"))
    block = page.split('id="unanswered-comments"')[1].split("</div>")[0]
    assert "1 commentaire a été fait depuis la dernière révision" in block and "Corriger le point 2" in block
    with app.app_context():  # a revision saved after the comment answers it
        comment = db.session.scalar(sa.select(MinutesComment))
        comment.created_at -= timedelta(days=1)
        db.session.commit()
    assert 'id="unanswered-comments"' not in coordinator.get(f"/meetings/{world.meeting}/minutes").get_data(
        as_text=True
    )


def test_the_minutes_page_shows_attendance_with_guests_apart(app):
    world = minutes_world(app)
    walk_in = make_person(app, display_name="Sophie Visiteuse", email="sophie.visite@example.org")
    coordinator = client_of(app, world.coordinator)
    response = post_button(
        coordinator,
        f"/meetings/{world.meeting}/attendance",
        {
            f"presence-{world.member}": "present",
            f"presence-{world.members[1]}": "excused",
            "also_present": "sophie.visite@example.org",
        },
    )
    assert response.status_code == 302, text(response)[:300]
    with app.app_context():
        row = db.session.scalar(sa.select(Attendance).where(Attendance.person_id == walk_in))
        assert row.presence == "present" and row.member is False
    assert "Sophie Visiteuse" in text(coordinator.get(f"/meetings/{world.meeting}"))
    save(coordinator, world.meeting, "Notes")
    post_button(coordinator, f"/meetings/{world.meeting}/minutes/circulate")
    page = text(client_of(app, world.member).get(f"/meetings/{world.meeting}/minutes"))
    section = page.split('id="attendance-title"')[1].split("</section>")[0]
    present = section.split("Présent")[1].split("</dd>")[0]
    assert "Invité·e·s · Sophie Visiteuse" in present


def test_unknown_walk_in_address_is_a_message_and_nothing_is_written(app):
    world = minutes_world(app)
    coordinator = client_of(app, world.coordinator)
    response = post_button(
        coordinator,
        f"/meetings/{world.meeting}/attendance",
        {f"presence-{world.member}": "present", "also_present": "nobody@example.org"},
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_the_printed_minutes_name_the_adopting_meeting_and_the_guests_apart(app):
    world = minutes_world(app, held_days_ago=30)
    later = single_meeting(
        app, world.coordinator, world.committee, start=local_start(days_ago(2)), publish=False
    )
    make_person(app, display_name="Sophie Visiteuse", email="sophie.print@example.org")
    coordinator = client_of(app, world.coordinator)
    post_button(
        coordinator,
        f"/meetings/{world.meeting}/attendance",
        {f"presence-{world.member}": "present", "also_present": "sophie.print@example.org"},
    )
    _circulated(app, world)
    post_button(coordinator, f"/meetings/{world.meeting}/minutes/approve", {"adopted_at": str(later)})
    printed = text(coordinator.get(f"/meetings/{world.meeting}/minutes/print"))
    assert "adopté à la rencontre du" in printed
    assert "Sophie Visiteuse" in printed.split('id="print-guests"')[1].split("</p>")[0]
    present = printed.split("Présent·e")[1].split("</p>")[0]
    assert "Sophie Visiteuse" not in present
