"""The agenda's "Suivi des actions" follows the rule of the committee's list of actions
(`meetings.actions.view`: staff and the committee's current members): a meeting's guest reads the agenda
without the committee's open actions, on the page and in the printable agenda."""

from __future__ import annotations

from datetime import timedelta

from tests.calendar.factories import single_meeting
from tests.directory.factories import email_of, make_person
from tests.meetings.factories import START, add, add_action, committee_meeting
from tests.support import logged_in

SECRET_ACTION = "Transmettre le signalement à la DPJ"


def _meeting_with_a_guest(app):
    committee, coordinator, (member, _), earlier = committee_meeting(app, start=START - timedelta(days=28))
    guest = make_person(app)
    meeting = single_meeting(app, coordinator, committee, start=START, guests=(guest,))
    add(app, coordinator, meeting, "Ouverture", 10)
    action = add_action(app, earlier, committee, SECRET_ACTION, owner_id=member)
    return committee, coordinator, member, guest, meeting, action


def test_a_guest_reads_the_agenda_without_the_committees_open_actions(app):
    committee, coordinator, member, guest, meeting, action = _meeting_with_a_guest(app)

    as_member = logged_in(app.test_client(), email_of(app, member))
    html = as_member.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert 'id="followed-actions"' in html and f'data-action-id="{action}"' in html
    assert SECRET_ACTION in as_member.get(f"/meetings/{meeting}/agenda/print").get_data(as_text=True)

    as_guest = logged_in(app.test_client(), email_of(app, guest))
    assert as_guest.get(f"/actions/committee/{committee}").status_code == 403  # the rule, on the list
    page = as_guest.get(f"/meetings/{meeting}/agenda")
    assert page.status_code == 200  # the guest reads the agenda...
    html = page.get_data(as_text=True)
    assert "Ouverture" in html
    assert SECRET_ACTION not in html and 'id="followed-actions"' not in html  # ...without the follow-up
    printed = as_guest.get(f"/meetings/{meeting}/agenda/print").get_data(as_text=True)
    assert "Ouverture" in printed and SECRET_ACTION not in printed


def test_a_former_member_invited_as_a_guest_loses_the_follow_up_with_the_membership(app):
    from coord.directory.models import CommitteeMembership
    from coord.extensions import db

    committee, coordinator, (member, _), earlier = committee_meeting(app, start=START - timedelta(days=28))
    meeting = single_meeting(app, coordinator, committee, start=START, guests=(member,))
    action = add_action(app, earlier, committee, SECRET_ACTION)
    client = logged_in(app.test_client(), email_of(app, member))
    assert f'data-action-id="{action}"' in client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    with app.app_context():  # they leave the committee, and stay this meeting's guest
        db.session.query(CommitteeMembership).filter_by(person_id=member).delete()
        db.session.commit()
    assert client.get(f"/actions/committee/{committee}").status_code == 403
    page = client.get(f"/meetings/{meeting}/agenda")
    assert page.status_code == 200 and SECRET_ACTION not in page.get_data(as_text=True)


def test_staff_see_the_follow_up_without_sitting_on_the_committee(app):
    committee, coordinator, member, guest, meeting, action = _meeting_with_a_guest(app)
    other_coordinator = make_person(app, roles=("coordinator",))
    as_staff = logged_in(app.test_client(), email_of(app, other_coordinator))
    html = as_staff.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert f'data-action-id="{action}"' in html
