"""The workflow: confirm, decline, reschedule, cancel, ask to reschedule, record the outcome; buffers, the
weekly maximum, conflicts with other coord commitments; messages; forbidden paths."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar
from werkzeug.exceptions import Forbidden, NotFound

from coord.calendar.sources import PERSON, Scope, Window, events_for
from coord.core.errors import ServiceError
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.outreach import booking, links, reminders, workflow
from coord.outreach.booking import BookingConflict
from coord.outreach.models import Assignment
from coord.outreach.workflow import StateConflict, WindowData
from tests.calendar.factories import calendar_part, sent_messages
from tests.directory.factories import make_committee, make_person
from tests.outreach.factories_engine import (
    coordinator,
    get,
    make_presenter,
    make_request,
    person,
    presenter_person,
    set_rules,
    soon,
)


def confirm(app, actor_id, request_id, start, presenters, minutes=90, **extra):
    with app.app_context():
        return workflow.confirm(
            person(actor_id), request_id, start, start + timedelta(minutes=minutes), presenters, **extra
        ).id


def outbox(app, template=None):
    with app.app_context():
        query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if template:
            query = query.where(OutboxMessage.template == template)
        return [(m.to_address, m.template, m.context, m.attachments) for m in db.session.scalars(query)]


def test_confirm_sends_the_invitation_to_the_contact_and_the_presenters(app):
    boss = coordinator(app)
    presenter = make_presenter(app, language="en")
    request_id = make_request(app, language="fr", contact_email="direction@ecole.example.org")
    start = soon(20, 13, 30)
    confirm(app, boss, request_id, start, [presenter])
    with app.app_context():
        request = get(app, request_id)
        assert request.state == "confirmed" and request.starts_at == start
        assert [p.id for p in request.presenters] == [presenter]
        assert [h.kind for h in request.history] == ["requested", "confirmed"]
        uid, sequence = request.uid, request.sequence
    messages = sent_messages(app)
    to_contact = [m for m in messages if m["To"] == "direction@ecole.example.org"]
    assert len(to_contact) == 1
    method, ics = calendar_part(to_contact[0])
    assert method == "REQUEST"
    parsed = Calendar.from_ical(ics)
    event = next(iter(parsed.walk("VEVENT")))
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == sequence
    assert "Sensibilisation" in str(event["SUMMARY"])
    body = to_contact[0].get_body(("plain",)).get_content()
    assert "/outreach/follow/" in body and "13\u00a0h\u00a030" in body, body
    # The signed link in the e-mail leads to this request.
    token = body.split("/outreach/follow/")[1].split()[0]
    with app.app_context():
        assert links.read(token).id == request_id
    presenter_mail = [m for m in messages if m["To"] != "direction@ecole.example.org"]
    assert len(presenter_mail) == 1 and calendar_part(presenter_mail[0])[0] == "REQUEST"
    assert "Awareness session" in presenter_mail[0]["Subject"]  # the presenter's language
    # The stored outbox rows hold no signed link (made at send time).
    assert all("/outreach/follow/" not in str(row) for row in outbox(app))


def test_the_session_is_on_the_presenters_calendar_without_contact_details(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app, contact_name="Josée Tremblay", contact_phone="514 555-0199")
    start = soon(15)
    confirm(app, boss, request_id, start, [presenter])
    with app.app_context():
        events = events_for(
            Scope(PERSON, presenter_person(app, presenter)),
            Window(start - timedelta(days=1), start + timedelta(days=1)),
        )
        assert [e.uid for e in events] == [f"outreach-{request_id}@coord"]
        shown = repr(events[0])
        assert "Josée" not in shown and "555-0199" not in shown and "@ecole" not in shown
        everyone = events_for(Scope("outreach"), Window(start - timedelta(days=1), start + timedelta(days=1)))
        assert len(everyone) == 1


def test_confirm_checks_time_and_presenters_and_writes_nothing_when_refused(app):
    boss = coordinator(app)
    first, second, third = (make_presenter(app) for _ in range(3))
    inactive = make_presenter(app, active=False)
    request_id = make_request(app)
    cases = [
        (soon(-1), [first]),  # in the past
        (soon(20), []),  # nobody
        (soon(20), [first, second, third]),  # three
        (soon(20), [inactive]),
        (soon(20), [999_999]),  # forged id
        (soon(900), [first]),  # beyond two years
    ]
    for start, presenters in cases:
        with pytest.raises(ServiceError):
            confirm(app, boss, request_id, start, presenters)
    with pytest.raises(ServiceError):
        confirm(app, boss, request_id, soon(20), [first], minutes=10)  # too short
    with pytest.raises(ServiceError):
        confirm(app, boss, request_id, soon(20), [first], video_url="javascript:alert(1)")
    with app.app_context():
        request = get(app, request_id)
        assert request.state == "requested" and request.sequence == 0 and not request.assignments
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_buffers_keep_two_sessions_of_one_presenter_apart(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    first, second, third = (make_request(app) for _ in range(3))
    start = soon(20, 9, 0)
    confirm(app, boss, first, start, [presenter])  # 9 h to 10 h 30
    with pytest.raises(BookingConflict) as refused:
        confirm(app, boss, second, start + timedelta(minutes=120), [presenter])  # 11 h: 30 min after
    assert "déplacement" in str(refused.value)  # travel time, in the coordinator's French
    confirm(app, boss, third, start + timedelta(minutes=150), [presenter])  # 11 h 30: the buffer is kept
    set_rules(app, buffer_minutes=0)
    other = make_presenter(app)
    confirm(app, boss, second, start, [other])
    confirm(app, boss, make_request(app), start + timedelta(minutes=90), [other])  # back to back, no buffer
    with pytest.raises(BookingConflict):  # but never overlapping
        confirm(app, boss, make_request(app), start + timedelta(minutes=60), [other])


def test_weekly_maximum_per_presenter(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    set_rules(app, max_per_week=2)
    monday = soon(21, 9)
    while monday.astimezone(booking.LOCAL_TZ).weekday() != 0:
        monday += timedelta(days=1)
    confirm(app, boss, make_request(app), monday, [presenter])
    confirm(app, boss, make_request(app), monday + timedelta(days=2), [presenter])
    with pytest.raises(BookingConflict) as refused:
        confirm(app, boss, make_request(app), monday + timedelta(days=4), [presenter])
    assert "maximal" in str(refused.value)
    confirm(app, boss, make_request(app), monday + timedelta(days=7), [presenter])  # next week


def test_a_committee_meeting_or_a_case_conference_blocks_the_presenter(app):
    from tests.calendar.factories import single_meeting
    from tests.conferences.factories import schedule_conference

    boss = coordinator(app)
    member = make_person(app, roles=("intervenant",))
    committee = make_committee(app, code="clinique", member_ids=[boss, member])
    presenter = make_presenter(app, person_id=member)
    meeting_start = soon(20, 13, 0)
    single_meeting(app, boss, committee, start=meeting_start)  # 13 h to 14 h
    request_id = make_request(app)
    with pytest.raises(BookingConflict) as refused:
        confirm(app, boss, request_id, meeting_start + timedelta(minutes=90), [presenter])  # 14 h 30: buffer
    assert "autre engagement" in str(refused.value)
    # A case conference the presenter is invited to (confidential: named by its kind only).
    conference_start = soon(25, 10, 0)
    _, _, invitee = schedule_conference(app, start=conference_start)
    other = make_presenter(app, person_id=invitee)
    with pytest.raises(BookingConflict):
        confirm(app, boss, request_id, conference_start - timedelta(minutes=30), [other])
    confirm(app, boss, request_id, conference_start + timedelta(hours=3), [other])


def test_decline_needs_a_reason_and_frees_a_held_slot(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app, contact_email="mdj@example.org")
    start = soon(30)
    with app.app_context():
        request = get(app, request_id)
        booking.assign(
            request, [db.session.get(booking.Presenter, presenter)], start, start + timedelta(hours=1)
        )
        db.session.commit()
    with app.app_context(), pytest.raises(ServiceError):
        workflow.decline(person(boss), request_id, "   ")
    with app.app_context():
        workflow.decline(person(boss), request_id, "Nous n'avons personne ce mois-là.")
        request = get(app, request_id)
        assert request.state == "declined" and not request.presenters
    contact = [m for m in sent_messages(app) if m["To"] == "mdj@example.org"]
    assert "personne ce mois" in contact[-1].get_body(("plain",)).get_content()
    with app.app_context(), pytest.raises(StateConflict):
        workflow.decline(person(boss), request_id, "encore")


def test_reschedule_keeps_the_history_raises_sequence_and_cancels_for_a_presenter_taken_off(app):
    boss = coordinator(app)
    first, second = make_presenter(app), make_presenter(app)
    request_id = make_request(app)
    start = soon(20, 9)
    confirm(app, boss, request_id, start, [first])
    with app.app_context():
        seen = get(app, request_id).sequence
    moved = start + timedelta(days=1)
    with app.app_context():
        workflow.reschedule(
            person(boss), request_id, moved, moved + timedelta(minutes=90), [second], seen_sequence=seen
        )
        request = get(app, request_id)
        assert request.sequence == seen + 1 and request.starts_at == moved
        assert [h.kind for h in request.history][-2:] == ["confirmed", "rescheduled"]
        assert request.history[-2].starts_at == start  # the former time stays in the history
        first_email = person(presenter_person(app, first)).email
        second_email = person(presenter_person(app, second)).email
    last = {m["To"]: m for m in sent_messages(app)}
    assert calendar_part(last[first_email])[0] == "CANCEL"
    assert calendar_part(last[second_email])[0] == "REQUEST"
    assert f"SEQUENCE:{seen + 1}" in calendar_part(last[second_email])[1]
    # A reschedule from a page loaded before that change is refused (409), nothing written.
    with app.app_context(), pytest.raises(StateConflict):
        workflow.reschedule(
            person(boss), request_id, start, start + timedelta(minutes=90), [first], seen_sequence=seen
        )
    with app.app_context():
        assert get(app, request_id).starts_at == moved
    # Nothing changed: refused rather than sending the same invitation again.
    with app.app_context(), pytest.raises(ServiceError):
        workflow.reschedule(person(boss), request_id, moved, moved + timedelta(minutes=90), [second])


def test_cancellation_is_method_cancel_with_the_same_uid_and_a_higher_sequence(app):
    from tests.calendar.independent_parsers import icaljs_instances, libical_instances

    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app, contact_email="clsc@example.org")
    start = soon(20, 13, 30)
    confirm(app, boss, request_id, start, [presenter])
    with app.app_context():
        before = get(app, request_id).sequence
        workflow.cancel(person(boss), request_id, "program", "La présentatrice est malade.")
        request = get(app, request_id)
        assert request.state == "cancelled" and request.sequence == before + 1
        assert not db.session.scalars(sa.select(Assignment).where(Assignment.active.is_(True))).all()
    for message in sent_messages(app)[-2:]:
        method, ics = calendar_part(message)
        assert method == "CANCEL"
        parsed = Calendar.from_ical(ics)
        assert str(parsed["METHOD"]) == "CANCEL"
        event = next(iter(parsed.walk("VEVENT")))
        assert str(event["UID"]) == f"outreach-{request_id}@coord"
        assert int(event["SEQUENCE"]) == before + 1
        window = (start - timedelta(hours=1), start + timedelta(hours=3))
        for reader in (icaljs_instances, libical_instances):
            instances = reader(ics, *window)
            assert [(i["uid"], i["status"]) for i in instances] == [
                (f"outreach-{request_id}@coord", "CANCELLED")
            ]
    contact = next(
        m for m in sent_messages(app) if m["To"] == "clsc@example.org" and calendar_part(m)[0] == "CANCEL"
    )
    assert "malade" in contact.get_body(("plain",)).get_content()


def test_the_requester_cancels_by_link_before_the_session_not_after(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app)
    confirm(app, boss, request_id, soon(20), [presenter])
    with app.app_context():
        workflow.cancel(None, request_id, "requester", "")
        request = get(app, request_id)
        assert request.state == "cancelled" and request.cancelled_by == "requester"
    # The coordinators are told of a requester's cancellation.
    assert any(t == "outreach/staff" and c["kind"] == "cancelled" for _, t, c, _ in outbox(app))
    later = make_request(app)
    confirm(app, boss, later, soon(20, 15), [presenter])
    with app.app_context():
        get(app, later).starts_at = soon(-1)
        db.session.commit()
        with pytest.raises(ServiceError):
            workflow.cancel(None, later, "requester", "")
        with pytest.raises(TypeError):
            workflow.cancel(None, later, "program", "")


def test_ask_reschedule_checks_the_windows_and_tells_the_coordinators(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app)
    confirm(app, boss, request_id, soon(30), [presenter])
    bad = [
        [],
        [WindowData(soon(-2), soon(-2) + timedelta(hours=2))],  # past
        [WindowData(soon(5), soon(5) + timedelta(hours=2))],  # inside the minimum notice (10 days)
        [WindowData(soon(200), soon(200) + timedelta(hours=2))],  # beyond the horizon
        [WindowData(soon(20), soon(20) - timedelta(hours=1))],  # end before start
        [WindowData(soon(20 + n), soon(20 + n) + timedelta(hours=2)) for n in range(4)],  # four
    ]
    for windows in bad:
        with app.app_context(), pytest.raises(ServiceError):
            workflow.ask_reschedule(None, request_id, windows, "")
    with app.app_context():
        assert not get(app, request_id).reschedule_asked
        good = [WindowData(soon(40, 9), soon(40, 12)), WindowData(soon(41, 13), soon(41, 16))]
        workflow.ask_reschedule(None, request_id, good, "Plutôt en après-midi")
        request = get(app, request_id)
        assert request.reschedule_asked and len(request.windows) == 2 and request.state == "confirmed"
        assert (
            request.history[-1].kind == "reschedule_asked"
            and request.history[-1].note == "Plutôt en après-midi"
        )
    staff = [c for _, t, c, _ in outbox(app, "outreach/staff") if c["kind"] == "reschedule_asked"]
    assert len(staff) == 1 and len(staff[0]["windows"]) == 2


def test_record_outcome_after_the_start_once(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    presenter_id = presenter_person(app, presenter)
    request_id = make_request(app)
    confirm(app, boss, request_id, soon(20), [presenter])
    outcome = workflow.Outcome(
        45, ["youth"], "Bonne écoute", True, "Une élève veut parler à une intervenante"
    )
    with app.app_context(), pytest.raises(ServiceError):
        workflow.record_outcome(person(presenter_id), request_id, outcome)  # not yet begun
    with app.app_context():
        request = get(app, request_id)
        request.starts_at, request.ends_at = soon(-2), soon(-2) + timedelta(minutes=90)
        db.session.commit()
    outsider = make_person(app, roles=("intervenant",))
    with app.app_context(), pytest.raises(Forbidden):
        workflow.record_outcome(person(outsider), request_id, outcome)
    for bad in (workflow.Outcome(-1, ["youth"]), workflow.Outcome(45, []), workflow.Outcome(45, ["aliens"])):
        with app.app_context(), pytest.raises(ServiceError):
            workflow.record_outcome(person(presenter_id), request_id, bad)
    with app.app_context():
        workflow.record_outcome(person(presenter_id), request_id, outcome)
        request = get(app, request_id)
        assert request.state == "held" and request.people_reached == 45 and request.wants_training
    assert any(c["kind"] == "follow_ups" for _, t, c, _ in outbox(app, "outreach/staff"))
    with app.app_context(), pytest.raises(StateConflict):
        workflow.record_outcome(person(boss), request_id, outcome)


def test_only_the_coordinator_runs_the_workflow(app):
    presenter = make_presenter(app)
    request_id = make_request(app)
    for roles in (("intervenant",), ("requester",), ("researcher",), ("admin",), ("partner",)):
        someone = make_person(app, roles=roles)
        with app.app_context():
            with pytest.raises(Forbidden):
                workflow.confirm(
                    person(someone), request_id, soon(20), soon(20) + timedelta(hours=1), [presenter]
                )
            with pytest.raises(Forbidden):
                workflow.decline(person(someone), request_id, "non")
            with pytest.raises(Forbidden):
                workflow.cancel(person(someone), request_id, "program", "non")
    with app.app_context():
        assert get(app, request_id).state == "requested"
        with pytest.raises(NotFound):
            workflow.confirm(person(coordinator(app)), 999_999, soon(20), soon(21), [presenter])


def test_reminders_seven_days_and_one_day_before_each_sent_once(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app, contact_email="ecole@example.org")
    start = soon(20, 10)
    confirm(app, boss, request_id, start, [presenter])
    with app.app_context():
        assert reminders.queue_reminders(start - timedelta(days=8)) == 0
        assert reminders.queue_reminders(start - timedelta(days=7) + timedelta(minutes=5)) == 2
        db.session.commit()
        assert reminders.queue_reminders(start - timedelta(days=6)) == 0  # once
        assert reminders.queue_reminders(start - timedelta(hours=23)) == 2
        db.session.commit()
        assert reminders.queue_reminders(start - timedelta(hours=2)) == 0
        assert reminders.queue_reminders(start + timedelta(minutes=1)) == 0
    rows = [(to, c["kind"], c["days"]) for to, t, c, _ in outbox(app) if c.get("kind") == "reminder"]
    assert sorted(r[2] for r in rows) == [1, 1, 7, 7] and sum(r[0] == "ecole@example.org" for r in rows) == 2


def test_no_seven_day_reminder_for_a_session_confirmed_inside_the_week(app):
    boss = coordinator(app)
    presenter = make_presenter(app)
    request_id = make_request(app)
    start = soon(4, 10)
    confirm(app, boss, request_id, start, [presenter])
    with app.app_context():
        assert reminders.queue_reminders() == 0
        assert reminders.queue_reminders(start - timedelta(hours=20)) == 2
