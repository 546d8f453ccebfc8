"""The agenda of a meeting: timing across DST, overrun warning, numbering through moves and reorders,
open actions carried forward, publication by e-mail with an answer link, permissions and bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.calendar.answers import occurrence_key
from coord.calendar.models import EventAnswer
from coord.core.localtime import LOCAL_TZ
from coord.directory.models import CommitteeMembership
from coord.extensions import db
from coord.meetings import agenda, agenda_page, meeting_services, rules, series_services
from coord.meetings.calendar import invitees as meeting_invitees
from coord.meetings.models import AgendaItem, Meeting
from coord.notify.models import OutboxMessage
from tests.calendar.factories import (
    committee_with_people,
    local,
    meeting_of,
    person,
    sent_messages,
    series_of,
    weekly_series,
)
from tests.directory.factories import email_of, make_person
from tests.meetings.factories import (
    ITEM_FORM,
    START,
    TIME,
    add,
    add_action,
    committee_meeting,
    earlier,
    editor_client,
    item_count,
    item_order,
    page_rows,
    post,
)
from tests.support import csrf_token, logged_in, text

# Timing ------------------------------------------------------------------------------------------------


def test_item_times_add_up_in_local_time_after_the_dst_change(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    for title, minutes in (("Ouverture", 20), ("Suivi des dossiers", 25), ("Varia", 15)):
        add(app, coordinator, meeting, title, minutes)
    with app.app_context():
        timing = agenda_page.timing(meeting_of(meeting))
        assert [row.number for row in timing.rows] == [1, 2, 3]
        assert [row.local_start.strftime("%H:%M") for row in timing.rows] == ["09:30", "09:50", "10:15"]
        assert timing.rows[-1].local_end.strftime("%H:%M") == "10:30"
        assert timing.rows[0].starts_at == datetime(2026, 11, 3, 14, 30, tzinfo=UTC)  # EST, UTC-5
        assert (timing.total_minutes, timing.meeting_minutes, timing.overrun_minutes) == (60, 60, 0)
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert TIME.findall(html) == [
        "2026-11-03T09:30:00-05:00",
        "2026-11-03T09:50:00-05:00",
        "2026-11-03T10:15:00-05:00",
    ]
    assert "9\u00a0h\u00a030 – 9\u00a0h\u00a050" in text(client.get(f"/meetings/{meeting}/agenda"))
    assert 'id="agenda-overrun"' not in html


def test_timing_is_elapsed_time_through_the_night_the_clocks_go_back():
    """A pure function: 60 + 60 minutes from 00:30 EDT on Nov 1 end at 01:30 EST (one hour repeats)."""
    start = datetime(2026, 11, 1, 0, 30, tzinfo=LOCAL_TZ).astimezone(UTC)
    meeting = Meeting(title="Nuit", starts_at=start, ends_at=start + timedelta(hours=2))
    meeting.agenda_items = [
        AgendaItem(id=2, position=2, title="B", duration_minutes=60),
        AgendaItem(id=1, position=1, title="A", duration_minutes=60),
    ]
    timing = agenda_page.timing(meeting)
    assert [row.item.title for row in timing.rows] == ["A", "B"]
    first, second = timing.rows
    assert second.starts_at - first.starts_at == timedelta(hours=1)
    assert second.local_start.strftime("%H:%M") == "01:30" and second.local_start.utcoffset() == timedelta(
        hours=-4
    )
    assert second.local_end.strftime("%H:%M %z") == "01:30 -0500"
    assert timing.overrun_minutes == 0


def test_overrun_warning_appears_exactly_when_the_items_run_past_the_end(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    add(app, coordinator, meeting, "Premier point", 30)
    add(app, coordinator, meeting, "Deuxième point", 30)  # 60 minutes: exactly the meeting's length
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert 'id="agenda-overrun"' not in html and "agenda-item-overrun" not in html
    last = add(app, coordinator, meeting, "Un de trop", 1)
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert 'data-overrun-minutes="1"' in html
    assert html.count("agenda-item-overrun") == 1 and f'agenda-item-overrun" id="item-{last}"' in html
    with app.app_context():
        timing = agenda_page.timing(meeting_of(meeting))
        assert timing.overruns and (timing.total_minutes, timing.overrun_minutes) == (61, 1)
        assert [row.overruns for row in timing.rows] == [False, False, True]


# Order -------------------------------------------------------------------------------------------------


def test_moves_reorders_and_deletes_keep_the_numbers_1_to_n(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    a, b, c = (add(app, coordinator, meeting, title, 10) for title in "ABC")

    assert post(client, meeting, f"/items/{c}/move", {"direction": "up"}).status_code == 303
    assert item_order(app, meeting) == [("A", 1), ("C", 2), ("B", 3)]
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert page_rows(html) == [(a, 1), (c, 2), (b, 3)]
    assert TIME.findall(html)[1] == "2026-11-03T09:40:00-05:00"  # C now starts second

    assert post(client, meeting, f"/items/{a}/move", {"direction": "up"}).status_code == 303  # already first
    assert post(client, meeting, f"/items/{b}/move", {"direction": "down"}).status_code == 303  # already last
    assert item_order(app, meeting) == [("A", 1), ("C", 2), ("B", 3)]
    assert post(client, meeting, f"/items/{a}/move", {"direction": "sideways"}).status_code == 400

    form = {"item_ids": [str(b), str(a), str(c)]}
    assert post(client, meeting, "/reorder", form).status_code == 303
    assert item_order(app, meeting) == [("B", 1), ("A", 2), ("C", 3)]

    assert post(client, meeting, f"/items/{a}/delete").status_code == 303
    assert item_order(app, meeting) == [("B", 1), ("C", 2)]
    assert page_rows(client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)) == [(b, 1), (c, 2)]


def test_a_reorder_must_name_each_item_once(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    a, b = add(app, coordinator, meeting, "A", 10), add(app, coordinator, meeting, "B", 10)
    _, _, _, other_meeting = committee_meeting(app)
    foreign = add(app, coordinator, other_meeting, "Ailleurs", 10)
    for ids in ([a], [a, a], [a, b, b], [a, foreign], [b, a, foreign], []):
        response = post(client, meeting, "/reorder", {"item_ids": [str(i) for i in ids]})
        assert response.status_code == 400, ids
        assert item_order(app, meeting) == [("A", 1), ("B", 2)]
    for bad in (["x"], ["-1"], ["1" * 5000], ["１"]):
        assert post(client, meeting, "/reorder", {"item_ids": bad}).status_code == 400
    with app.app_context():
        try:
            agenda.reorder(person(coordinator), meeting, [b])
        except agenda.ServiceError as error:
            assert error.field == "item_ids"
        else:
            raise AssertionError("reorder accepted a partial list")


# Action follow-up ----------------------------------------------------------------------------------------


def test_open_actions_of_earlier_meetings_are_carried_forward_live(app, client):
    committee, coordinator, (member, _), meeting = editor_client(app, client)
    before = services_meeting(app, coordinator, committee, START - timedelta(days=28))
    after = services_meeting(app, coordinator, committee, START + timedelta(days=28))
    other_committee, other_coordinator, _ = committee_with_people(app, 1)
    elsewhere = services_meeting(app, other_coordinator, other_committee, START - timedelta(days=28))

    overdue = add_action(app, before, committee, "Envoyer le bilan", owner_id=member, due_date=earlier(3))
    open_later = add_action(app, before, committee, "Réserver la salle", owner_name="Mme Tremblay")
    due_soon = add_action(app, before, committee, "Relancer le SPVM", due_date=earlier(-10))
    done = add_action(app, before, committee, "Fait", status="done")
    cancelled = add_action(app, before, committee, "Abandonné", status="cancelled")
    other = add_action(app, elsewhere, other_committee, "Autre comité")
    future = add_action(app, after, committee, "Décidée plus tard")
    same = add_action(app, meeting, committee, "Décidée à cette rencontre")

    with app.app_context():
        followed = agenda_page.followed_actions(meeting_of(meeting))
        assert [f.action.id for f in followed] == [overdue, due_soon, open_later]  # by due date, undated last
        assert [f.overdue for f in followed] == [True, False, False]
        assert followed[0].owner_label == person(member).display_name
        assert followed[2].owner_label == "Mme Tremblay"

    def shown() -> list[int]:
        html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
        section = html[html.index('id="followed-actions"') :]
        return [int(i) for i in re.findall(r'data-action-id="(\d+)"', section)]

    assert shown() == [overdue, due_soon, open_later]
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert re.search(rf'followed-action overdue" data-action-id="{overdue}"', html)
    assert "badge-overdue" in html and html.count("badge-overdue") == 1
    for hidden in (done, cancelled, other, future, same):
        assert f'data-action-id="{hidden}"' not in html

    with app.app_context():  # closed later: gone; a new open one: there, until closed
        from coord.meetings.models import ActionItem

        db.session.get(ActionItem, overdue).status = "done"
        db.session.commit()
    fresh = add_action(app, before, committee, "Nouvelle action")
    assert shown() == [due_soon, open_later, fresh]


def services_meeting(app, coordinator: int, committee: int, start) -> int:
    from tests.calendar.factories import single_meeting

    return single_meeting(app, coordinator, committee, start=start)


# Publication -----------------------------------------------------------------------------------------


def _agenda_mails(app, meeting_id: int) -> list:
    return [
        message
        for message in sent_messages(app)
        if f"/meetings/{meeting_id}/agenda" in message.get_body(("plain",)).get_content()
    ]


def _answer_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/answer/\S+)", message.get_body(("plain",)).get_content()).group(1)


def test_publishing_mails_each_invitee_in_their_language_with_items_and_an_answer_link(app, client):
    committee, coordinator, (member, _), meeting = editor_client(app, client)
    english = make_person(app, preferred_language="en")
    with app.app_context():
        db.session.add(CommitteeMembership(committee_id=committee, person_id=english))
        db.session.commit()
    add(app, coordinator, meeting, "Ouverture", 20, presenter_id=member)
    add(app, coordinator, meeting, "Bilan <trimestriel>", 40, kind="decision", presenter_name="Dre Roy")

    response = post(client, meeting, "/publish")
    assert response.status_code == 303
    with app.app_context():
        queued = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.template == "meetings/agenda_published")
        ).all()
        invitees = meeting_invitees(meeting_of(meeting))
        assert sorted(m.person_id for m in queued) == [p.id for p in invitees] and len(invitees) == 4
        assert all(set(m.context) >= {"meeting_id", "uid", "items"} for m in queued)
        assert "answer" not in str(queued[0].context)  # the signed link is made at send time
        assert meeting_of(meeting).agenda_published_at is not None
    mails = _agenda_mails(app, meeting)
    assert len(mails) == 4
    by_address = {message["To"]: message for message in mails}
    en_mail, fr_mail = by_address[email_of(app, english)], by_address[email_of(app, member)]
    assert en_mail["Content-Language"] == "en" and fr_mail["Content-Language"] == "fr"
    en_text = en_mail.get_body(("plain",)).get_content()
    fr_text = fr_mail.get_body(("plain",)).get_content()
    assert re.search(r"1\. 9:30\W?a\.m\. – 9:50\W?a\.m\.  Ouverture", en_text), en_text  # en_CA times
    assert "1. 9\u00a0h\u00a030 – 9\u00a0h\u00a050  Ouverture" in fr_text
    assert "2. 9\u00a0h\u00a050 – 10\u00a0h\u00a030  Bilan <trimestriel>" in fr_text and "Dre Roy" in fr_text
    assert "Bilan &lt;trimestriel&gt;" in fr_mail.get_body(("html",)).get_content()

    path = _answer_path(fr_mail)
    assert client.get(path).status_code == 200
    csrf = csrf_token(client, path)
    assert client.post(path, data={"answer": "accepted", "csrf_token": csrf}).status_code == 303
    with app.app_context():
        row = db.session.execute(
            sa.select(EventAnswer.uid, EventAnswer.occurrence, EventAnswer.person_id)
        ).one()
        assert tuple(row) == (meeting_of(meeting).uid, "", member)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "agenda.publish"))
        assert entry.actor_id == coordinator and entry.object_id == str(meeting)


def test_republishing_after_a_change_sends_an_updated_agenda(app, client):
    committee, coordinator, _, meeting = editor_client(app, client, members=1)
    item = add(app, coordinator, meeting, "Ouverture", 20)
    assert post(client, meeting, "/publish").status_code == 303
    first_subjects = {message["Subject"] for message in _agenda_mails(app, meeting)}
    form = ITEM_FORM | {"title": "Ouverture et adoption", "duration_minutes": "25"}
    assert post(client, meeting, f"/items/{item}/edit", form).status_code == 303
    assert post(client, meeting, "/publish").status_code == 303
    mails = _agenda_mails(app, meeting)
    assert len(mails) == 4  # two invitees, twice
    second = [m for m in mails if "Ouverture et adoption" in m.get_body(("plain",)).get_content()]
    assert len(second) == 2 and {m["Subject"] for m in second}.isdisjoint(first_subjects)
    assert "9\u00a0h\u00a030 – 9\u00a0h\u00a055" in second[0].get_body(("plain",)).get_content()
    with app.app_context():
        updated = db.session.scalars(
            sa.select(OutboxMessage.context).where(OutboxMessage.template == "meetings/agenda_published")
        ).all()
        assert sorted(context["updated"] for context in updated) == [False, False, True, True]
        assert db.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "agenda.republish"))


def test_the_agenda_of_a_series_occurrence_links_the_answer_to_that_occurrence(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee, first_start=local(2026, 10, 13, 9, 30))
    with app.app_context():
        series = series_of(series_id)
        starts = rules.all_starts(series, until=local(2026, 11, 30))
        original = starts[3]  # Tuesday 2026-11-03, 9:30 local (after the DST change)
        assert original == START
        meeting = series_services.occurrence(series, original)
        db.session.commit()
        meeting_id = meeting.id
    logged_in(client, email_of(app, coordinator))
    add(app, coordinator, meeting_id, "Point unique", 30)
    assert post(client, meeting_id, "/publish").status_code == 303
    mails = _agenda_mails(app, meeting_id)
    assert len(mails) == 3
    fr_mail = next(m for m in mails if m["To"] == email_of(app, member))
    assert "1. 9\u00a0h\u00a030 – 10\u00a0h  Point unique" in fr_mail.get_body(("plain",)).get_content()
    path = _answer_path(fr_mail)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(path).status_code == 200
    assert (
        client.post(path, data={"answer": "declined", "csrf_token": csrf_token(client, path)}).status_code
        == 303
    )
    with app.app_context():
        row = db.session.execute(sa.select(EventAnswer.uid, EventAnswer.occurrence, EventAnswer.answer)).one()
        assert tuple(row) == (series_of(series_id).uid, occurrence_key(original), "declined")


def test_publishing_needs_a_published_meeting_and_at_least_one_item(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    assert post(client, meeting, "/publish").status_code == 400  # no items
    _, _, _, draft = committee_meeting(app, publish=False)
    add(app, coordinator, draft, "Point", 10)
    assert post(client, draft, "/publish").status_code == 400  # meeting not published: no answer possible
    html = client.get(f"/meetings/{draft}/agenda").get_data(as_text=True)
    assert 'id="agenda-unpublished-meeting"' in html and "/agenda/publish" not in html
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.template == "meetings/agenda_published")
            )
            == 0
        )
        assert meeting_of(meeting).agenda_published_at is None


# Permissions -------------------------------------------------------------------------------------------


def test_members_read_but_do_not_edit_and_outsiders_get_403(app, client):
    committee, coordinator, (member, _), meeting = committee_meeting(app)
    item = add(app, coordinator, meeting, "Ouverture", 20, description="**Bienvenue**")
    logged_in(client, email_of(app, member))
    response = client.get(f"/meetings/{meeting}/agenda")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>Bienvenue</strong>" in html
    assert 'id="add-item"' not in html and "/move" not in html and "/publish" not in html
    attempts = [
        ("/items", ITEM_FORM),
        (f"/items/{item}/edit", ITEM_FORM),
        (f"/items/{item}/delete", {}),
        (f"/items/{item}/move", {"direction": "down"}),
        ("/reorder", {"item_ids": [str(item)]}),
        ("/publish", {}),
    ]
    for path, form in attempts:
        assert post(client, meeting, path, form).status_code == 403, path
    assert client.get(f"/meetings/{meeting}/agenda/items/{item}/edit").status_code == 403
    with app.app_context():
        denied = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action == "permission.denied", AuditEntry.actor_id == member
            )
        ).all()
        assert len(denied) == len(attempts) + 1 and {entry.detail for entry in denied} == {"meetings.edit"}
        assert db.session.get(AgendaItem, item).title == "Ouverture"
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.template == "meetings/agenda_published")
            )
            == 0
        )

    outsider = make_person(app)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    logged_in(client, email_of(app, outsider))
    assert client.get(f"/meetings/{meeting}/agenda").status_code == 403
    assert post(client, meeting, "/items", ITEM_FORM).status_code == 403
    assert client.get("/meetings/999999/agenda").status_code == 404


def test_the_committee_secretary_edits_the_agenda(app, client):
    committee, coordinator, (member, _), meeting = committee_meeting(app)
    with app.app_context():
        db.session.scalar(
            sa.select(CommitteeMembership).where(CommitteeMembership.person_id == member)
        ).role = "secretary"
        db.session.commit()
    logged_in(client, email_of(app, member))
    assert post(client, meeting, "/items", ITEM_FORM).status_code == 303
    assert item_order(app, meeting) == [("Tour de table", 1)]


def test_an_item_of_another_meeting_is_not_found_here(app, client):
    committee, coordinator, _, meeting = editor_client(app, client)
    _, _, _, other = committee_meeting(app)
    foreign = add(app, coordinator, other, "Ailleurs", 10)
    assert client.get(f"/meetings/{meeting}/agenda/items/{foreign}/edit").status_code == 404
    assert post(client, meeting, f"/items/{foreign}/delete").status_code == 404
    assert post(client, meeting, f"/items/{foreign}/move", {"direction": "up"}).status_code == 404
    assert item_count(app, other) == 1


def test_the_agenda_of_a_cancelled_meeting_cannot_change(app, client):
    committee, coordinator, _, meeting = editor_client(app, client, start=local(2027, 3, 2, 9, 30))
    item = add(app, coordinator, meeting, "Ouverture", 20)
    with app.app_context():
        meeting_services.cancel_meeting(person(coordinator), meeting)
    html = client.get(f"/meetings/{meeting}/agenda").get_data(as_text=True)
    assert 'id="add-item"' not in html and "/move" not in html
    assert post(client, meeting, "/items", ITEM_FORM).status_code == 400
    assert post(client, meeting, f"/items/{item}/edit", ITEM_FORM).status_code == 400
    assert post(client, meeting, f"/items/{item}/delete").status_code == 400
    assert post(client, meeting, f"/items/{item}/move", {"direction": "up"}).status_code == 400
    assert post(client, meeting, "/publish").status_code == 400
    assert item_order(app, meeting) == [("Ouverture", 1)]
