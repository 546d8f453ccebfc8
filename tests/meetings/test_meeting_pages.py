"""Meeting pages: create a series and a meeting, publish, move or cancel one occurrence, change a series
from a date on, answer, attendance and quorum, permissions and bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coord.calendar.models import EventAnswer
from coord.core.localtime import LOCAL_TZ
from coord.extensions import db
from coord.meetings import meeting_services as services
from coord.meetings import rules, series_services
from coord.meetings.models import Attendance, Meeting, MeetingSeries
from tests.calendar.factories import (
    committee_with_people,
    local,
    person,
    sent_messages,
    single_meeting,
    weekly_series,
)
from tests.directory.factories import email_of, make_person
from tests.support import logged_in, post_form, text

SERIES_FORM = {
    "title": "Comité clinique",
    "committee_id": "",
    "first_day": "2026-12-08",
    "start_time": "09:30",
    "duration_minutes": "120",
    "frequency": "monthly_by_weekday",
    "interval": "1",
    "ends": "never",
    "location": "CIUSSS, salle 2.14",
    "video_url": "",
}


def coordinator_client(app, client):
    committee, coordinator, members = committee_with_people(app)
    logged_in(client, email_of(app, coordinator))
    return committee, coordinator, members


def test_coordinator_creates_and_publishes_a_monthly_series(app, client):
    committee, coordinator, members = coordinator_client(app, client)
    guest = make_person(app)
    form = SERIES_FORM | {"committee_id": str(committee), "guests": email_of(app, guest)}
    response = post_form(client, "/meetings/series/new", form, token_page="/meetings/series/new")
    assert response.status_code == 302
    series_id = int(re.search(r"/meetings/series/(\d+)", response.headers["Location"]).group(1))
    page = text(client.get(f"/meetings/series/{series_id}"))
    # 2nd Tuesdays, 9 h 30 local (OQLF: never "09:30")
    assert "8 déc. 2026 à 9\u00a0h\u00a030" in page and "12 janv. 2027 à 9\u00a0h\u00a030" in page
    assert (
        post_form(
            client, f"/meetings/series/{series_id}/publish", token_page=f"/meetings/series/{series_id}"
        ).status_code
        == 302
    )
    assert len(sent_messages(app)) == 4  # the 3 members and the guest
    assert email_of(app, guest) in {m["To"] for m in sent_messages(app)}


def test_bad_series_forms_get_a_message_not_a_500(app, client):
    committee, coordinator, _ = coordinator_client(app, client)
    cases = [
        {"duration_minutes": "0"},
        {"duration_minutes": "-5"},
        {"duration_minutes": "abc"},
        {"ends": "until", "until_date": "2026-01-01"},
        {"ends": "until", "until_date": ""},
        {"ends": "count", "count": "0"},
        {"interval": "13"},
        {"first_day": "2026-02-30"},
        {"start_time": "25:00"},
        {"frequency": "daily"},
        {"committee_id": "99999"},
        {"title": "x" * 201},
        {"duration_minutes": "9" * 400},
        {"ends": "count", "count": "9" * 5000},
        {"interval": "-1"},
    ]
    for change in cases:
        form = SERIES_FORM | {"committee_id": str(committee)} | change
        response = post_form(client, "/meetings/series/new", form, token_page="/meetings/series/new")
        assert response.status_code == 400, change
        assert 'class="errors"' in response.get_data(as_text=True) or "flash-error" in response.get_data(
            as_text=True
        ), change
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MeetingSeries.id))) == 0


def test_single_meeting_end_before_start_is_a_form_message(app, client):
    committee, coordinator, _ = coordinator_client(app, client)
    form = {
        "title": "Rencontre",
        "committee_id": str(committee),
        "day": "2026-12-10",
        "start_time": "14:00",
        "end_time": "13:00",
        "location": "",
        "video_url": "",
        "guests": "",
    }
    response = post_form(client, "/meetings/new", form, token_page="/meetings/new")
    assert response.status_code == 400
    assert "La fin doit suivre le début." in text(response)
    form |= {"end_time": "15:00", "guests": "nobody@example.org"}
    response = post_form(client, "/meetings/new", form, token_page="/meetings/new")
    assert response.status_code == 400 and "nobody@example.org" in text(response)
    guest = make_person(app)
    form |= {"guests": email_of(app, guest).upper()}
    response = post_form(client, "/meetings/new", form, token_page="/meetings/new")
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(sa.select(Meeting))
        assert [g.person_id for g in meeting.guests] == [guest]
        assert meeting.starts_at.astimezone(LOCAL_TZ).hour == 14


def test_move_and_cancel_one_occurrence_from_the_pages(app, client):
    committee, coordinator, (member, _) = coordinator_client(app, client)
    series_id = weekly_series(app, coordinator, committee, first_start=local(2026, 12, 1, 9, 30))
    key = "20261208T143000Z"  # Tuesday 8 December, 9:30 EST
    page = client.get(f"/meetings/series/{series_id}/occurrences/{key}")
    assert page.status_code == 200
    move = {"day": "2026-12-09", "start_time": "13:00", "end_time": "14:30"}
    response = post_form(
        client,
        f"/meetings/series/{series_id}/occurrences/{key}/move",
        move,
        token_page=f"/meetings/series/{series_id}/occurrences/{key}",
    )
    assert response.status_code == 302
    cancel_key = "20261215T143000Z"
    response = post_form(
        client,
        f"/meetings/series/{series_id}/occurrences/{cancel_key}/cancel",
        token_page=f"/meetings/series/{series_id}",
    )
    assert response.status_code == 302
    with app.app_context():
        rows = {m.original_start: m for m in db.session.scalars(sa.select(Meeting))}
    moved = rows[datetime(2026, 12, 8, 14, 30, tzinfo=UTC)]
    assert moved.starts_at == local(2026, 12, 9, 13, 0) and not moved.is_cancelled
    assert rows[datetime(2026, 12, 15, 14, 30, tzinfo=UTC)].is_cancelled
    assert len(rows) == 2  # the other occurrences are untouched
    for bad in ("20261209T143000Z", "garbage", "99999999T999999Z", "2026-12-08"):
        assert client.get(f"/meetings/series/{series_id}/occurrences/{bad}").status_code == 404, bad


def test_change_the_series_from_a_date_on_leaves_earlier_meetings(app, client):
    committee, coordinator, _ = coordinator_client(app, client)
    series_id = weekly_series(app, coordinator, committee, first_start=local(2026, 12, 1, 9, 30))
    with app.app_context():
        moved = series_services.move_occurrence(
            person(coordinator),
            series_id,
            local(2027, 1, 12, 9, 30),
            local(2027, 1, 13, 9, 30),
            local(2027, 1, 13, 11, 0),
        )
        moved_id = moved.id
    key = f"{local(2027, 1, 5, 9, 30):%Y%m%dT%H%M%SZ}"
    form = {
        "title": "Comité clinique (après-midi)",
        "first_day": "2027-01-05",
        "start_time": "14:00",
        "duration_minutes": "60",
        "frequency": "weekly",
        "interval": "1",
        "ends": "never",
        "location": "FMV",
        "video_url": "",
    }
    response = post_form(
        client,
        f"/meetings/series/{series_id}/from/{key}",
        form,
        token_page=f"/meetings/series/{series_id}/from/{key}",
    )
    assert response.status_code == 302, text(response)[:2000]
    with app.app_context():
        old = db.session.get(MeetingSeries, series_id)
        new = db.session.scalars(sa.select(MeetingSeries).where(MeetingSeries.id != series_id)).one()
        old_starts = rules.all_starts(old)
        assert [f"{s.astimezone(LOCAL_TZ):%m-%d %H:%M}" for s in old_starts] == [
            "12-01 09:30",
            "12-08 09:30",
            "12-15 09:30",
            "12-22 09:30",
            "12-29 09:30",
        ]
        new_starts = rules.all_starts(new, until=local(2027, 1, 20, 0, 0))
        assert [f"{s.astimezone(LOCAL_TZ):%m-%d %H:%M}" for s in new_starts] == [
            "01-05 14:00",
            "01-12 14:00",
            "01-19 14:00",
        ]
        moved = db.session.get(Meeting, moved_id)
        assert moved.series_id == new.id and moved.original_start == local(2027, 1, 12, 14, 0)
        assert moved.starts_at == local(2027, 1, 13, 9, 30)  # still where it was moved to
        assert old.sequence == 1 and new.published_at is not None


def test_answer_in_the_app_and_attendance_with_quorum(app, client):
    committee, coordinator, members = committee_with_people(app, members=4)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)  # under way: answers still count
    with app.app_context():
        meeting = services.create_meeting(
            person(coordinator),
            services.MeetingData("Comité", start, start + timedelta(hours=1), "FMV", committee_id=committee),
        )
        services.publish_meeting(person(coordinator), meeting.id)
        meeting_id = meeting.id
    member_client = app.test_client()
    logged_in(member_client, email_of(app, members[0]))
    response = post_form(
        member_client,
        f"/meetings/{meeting_id}/answer",
        {"answer": "declined"},
        token_page=f"/meetings/{meeting_id}",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(EventAnswer.answer)).all() == ["declined"]
    assert (
        post_form(
            member_client,
            f"/meetings/{meeting_id}/attendance",
            {f"presence-{members[1]}": "present"},
            token_page=f"/meetings/{meeting_id}",
        ).status_code
        == 403
    )

    logged_in(client, email_of(app, coordinator))
    data = {
        f"presence-{coordinator}": "present",
        f"presence-{members[1]}": "present",
        f"presence-{members[0]}": "excused",
        f"presence-{members[2]}": "absent",
    }
    assert (
        post_form(
            client, f"/meetings/{meeting_id}/attendance", data, token_page=f"/meetings/{meeting_id}"
        ).status_code
        == 302
    )
    page = text(client.get(f"/meetings/{meeting_id}"))
    assert "Quorum non atteint\u00a0: 2 membres présent·e·s, 3 requis." in page  # 5 members: a majority is 3
    data[f"presence-{members[3]}"] = "present"
    post_form(client, f"/meetings/{meeting_id}/attendance", data, token_page=f"/meetings/{meeting_id}")
    assert "Quorum atteint\u00a0: 3 membres présent·e·s, 3 requis." in text(
        client.get(f"/meetings/{meeting_id}")
    )
    outsider = make_person(app)
    for bad in (
        {f"presence-{outsider}": "present"},
        {f"presence-{members[1]}": "maybe"},
        {"presence-x1": "present"},
    ):
        assert (
            post_form(
                client, f"/meetings/{meeting_id}/attendance", bad, token_page=f"/meetings/{meeting_id}"
            ).status_code
            == 400
        )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 5  # the bad posts wrote nothing


def test_members_read_outsiders_get_403_and_members_cannot_edit(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    series_id = weekly_series(app, coordinator, committee)
    with app.app_context():
        row = series_services.prepare_occurrence(person(coordinator), series_id, local(2026, 10, 20, 9, 30))
        meeting_id = row.id
    logged_in(client, email_of(app, member))
    assert client.get(f"/meetings/{meeting_id}").status_code == 200
    assert client.get(f"/meetings/committee/{committee}").status_code == 200
    assert client.get("/meetings/series/new").status_code == 403
    assert client.get(f"/meetings/{meeting_id}/edit").status_code == 403
    assert (
        post_form(client, f"/meetings/{meeting_id}/cancel", token_page=f"/meetings/{meeting_id}").status_code
        == 403
    )
    outsider = app.test_client()
    logged_in(outsider, email_of(app, make_person(app)))
    for path in (
        f"/meetings/{meeting_id}",
        f"/meetings/series/{series_id}",
        f"/meetings/committee/{committee}",
    ):
        assert outsider.get(path).status_code == 403, path


def test_cancelling_a_series_that_has_met_keeps_its_past_meetings(app, client):
    committee, coordinator, _ = coordinator_client(app, client)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    series_id = weekly_series(app, coordinator, committee, first_start=now - timedelta(days=15))
    response = post_form(
        client, f"/meetings/series/{series_id}/cancel", token_page=f"/meetings/series/{series_id}"
    )
    assert response.status_code == 302
    with app.app_context():
        series = db.session.get(MeetingSeries, series_id)
        starts = rules.all_starts(series)
        assert series.status == "planned" and len(starts) == 3  # days -15, -8 and -1 stay; none after
        assert all(start < datetime.now(UTC) for start in starts)
    feed_text = client.get(f"/calendar/me/month?m={now:%Y-%m}")
    assert feed_text.status_code == 200
    fresh = weekly_series(app, coordinator, committee, first_start=now + timedelta(days=3))
    post_form(client, f"/meetings/series/{fresh}/cancel", token_page=f"/meetings/series/{fresh}")
    with app.app_context():
        assert db.session.get(MeetingSeries, fresh).status == "cancelled"
    listing = text(client.get(f"/meetings/committee/{committee}"))
    assert listing.count("Comité clinique") == 0  # neither series has a meeting to come


def test_far_dates_and_keys_are_refused_not_a_500(app, client):
    committee, coordinator, _ = coordinator_client(app, client)
    for change in (
        {"first_day": "9999-12-31"},
        {"ends": "until", "until_date": "9999-12-31"},
        {"first_day": "1899-01-01"},
    ):
        form = SERIES_FORM | {"committee_id": str(committee)} | change
        assert (
            post_form(client, "/meetings/series/new", form, token_page="/meetings/series/new").status_code
            == 400
        )
    meeting = {
        "title": "R",
        "committee_id": str(committee),
        "day": "9999-12-31",
        "start_time": "22:00",
        "end_time": "23:00",
        "location": "",
        "video_url": "",
        "guests": "",
    }
    assert post_form(client, "/meetings/new", meeting, token_page="/meetings/new").status_code == 400
    series_id = weekly_series(app, coordinator, committee)
    for key in ("99991231T235959Z", "00010101T000000Z"):
        assert client.get(f"/meetings/series/{series_id}/occurrences/{key}").status_code == 404
        for action in ("prepare", "cancel"):
            path = f"/meetings/series/{series_id}/occurrences/{key}/{action}"
            assert post_form(client, path, token_page=f"/meetings/series/{series_id}").status_code == 404
    key = f"{local(2026, 10, 20, 9, 30):%Y%m%dT%H%M%SZ}"
    move = {"day": "9999-12-31", "start_time": "09:00", "end_time": "10:00"}
    path = f"/meetings/series/{series_id}/occurrences/{key}/move"
    assert post_form(client, path, move, token_page=f"/meetings/series/{series_id}").status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0  # nothing half-written


def test_past_quorum_and_attendance_stay_as_recorded_when_members_leave(app, client):
    committee, coordinator, members = committee_with_people(app, members=2)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    with app.app_context():
        meeting = services.create_meeting(
            person(coordinator),
            services.MeetingData("Comité", start, start + timedelta(hours=1), "FMV", committee_id=committee),
        )
        meeting_id = meeting.id
    logged_in(client, email_of(app, coordinator))
    data = {
        f"presence-{coordinator}": "present",
        f"presence-{members[0]}": "present",
        f"presence-{members[1]}": "absent",
    }
    post_form(client, f"/meetings/{meeting_id}/attendance", data, token_page=f"/meetings/{meeting_id}")
    before = text(client.get(f"/meetings/{meeting_id}"))
    assert "Quorum atteint\u00a0: 2 membres présent·e·s, 2 requis." in before
    with app.app_context():
        from coord.directory.models import CommitteeMembership

        db.session.execute(sa.delete(CommitteeMembership).where(CommitteeMembership.person_id.in_(members)))
        db.session.commit()
        names = [person(m).display_name for m in members]
    after = text(client.get(f"/meetings/{meeting_id}"))
    assert "Quorum atteint\u00a0: 2 membres présent·e·s, 2 requis." in after
    assert all(name in after for name in names)  # former members stay on the past meeting


def test_a_time_the_clocks_skip_is_refused_and_only_invitees_answer(app, client):
    committee, coordinator, (member, _) = coordinator_client(app, client)
    form = {
        "title": "R",
        "committee_id": str(committee),
        "day": "2027-03-14",
        "start_time": "02:30",
        "end_time": "04:00",
        "location": "",
        "video_url": "",
        "guests": "",
    }
    response = post_form(client, "/meetings/new", form, token_page="/meetings/new")
    assert response.status_code == 400 and "les heures changent" not in text(response).lower()
    assert "n’existe pas" in text(response)
    series = SERIES_FORM | {"committee_id": str(committee), "first_day": "2027-03-14", "start_time": "02:15"}
    assert (
        post_form(client, "/meetings/series/new", series, token_page="/meetings/series/new").status_code
        == 400
    )
    meeting_id = None
    form |= {"start_time": "09:00", "end_time": "10:00"}
    response = post_form(client, "/meetings/new", form, token_page="/meetings/new")
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    outsider = app.test_client()
    logged_in(outsider, email_of(app, make_person(app, roles=("coordinator",))))
    response = post_form(outsider, f"/meetings/{meeting_id}/answer", {"answer": "accepted"}, token_page="/")
    assert response.status_code == 403  # staff may see the meeting, but only invitees answer


def test_guests_changed_later_get_their_invitation_or_cancellation(app, client):
    committee, coordinator, _ = coordinator_client(app, client)
    first, second = make_person(app), make_person(app)
    form = {
        "title": "Rencontre",
        "committee_id": str(committee),
        "day": "2026-12-10",
        "start_time": "14:00",
        "end_time": "15:00",
        "location": "FMV",
        "video_url": "",
        "guests": email_of(app, first),
    }
    response = post_form(client, "/meetings/new", form, token_page="/meetings/new")
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    post_form(client, f"/meetings/{meeting_id}/publish", token_page=f"/meetings/{meeting_id}")
    assert email_of(app, first) in text(client.get(f"/meetings/{meeting_id}/edit"))  # shown for editing
    before = len(sent_messages(app))
    form["guests"] = email_of(app, second)
    response = post_form(
        client, f"/meetings/{meeting_id}/edit", form, token_page=f"/meetings/{meeting_id}/edit"
    )
    assert response.status_code == 302
    new = sent_messages(app)[before:]
    assert {(m["To"], calendar_method(m)) for m in new} == {
        (email_of(app, second), "REQUEST"),
        (email_of(app, first), "CANCEL"),
    }
    with app.app_context():
        assert [g.person_id for g in db.session.get(Meeting, meeting_id).guests] == [second]


def calendar_method(message) -> str:
    from tests.calendar.factories import calendar_part

    return calendar_part(message)[0]


def test_refused_attendance_and_move_show_the_page_with_the_message(app, client):
    """A refusal shows the page with its message (400), not a 400 carrying a redirect that browsers ignore."""
    committee, coordinator, members = coordinator_client(app, client)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    with app.app_context():
        meeting = services.create_meeting(
            person(coordinator),
            services.MeetingData("Comité", start, start + timedelta(hours=1), "FMV", committee_id=committee),
        )
        meeting_id = meeting.id
    outsider = make_person(app)
    response = post_form(
        client,
        f"/meetings/{meeting_id}/attendance",
        {f"presence-{outsider}": "present"},
        token_page=f"/meetings/{meeting_id}",
    )
    assert response.status_code == 400 and "Location" not in response.headers
    page = text(response)
    assert "Choisissez présent·e, absent·e ou excusé·e pour les personnes invitées à cette rencontre." in page
    assert "Comité" in page and "Enregistrer les présences" in page

    series_id = weekly_series(app, coordinator, committee, first_start=local(2026, 12, 1, 9, 30))
    key = "20261208T143000Z"
    path = f"/meetings/series/{series_id}/occurrences/{key}/move"
    token_page = f"/meetings/series/{series_id}/occurrences/{key}"
    for move, message in (
        ({"day": "2026-12-09", "start_time": "", "end_time": "14:30"}, "Ce champ est obligatoire."),
        ({"day": "2026-12-09", "start_time": "15:00", "end_time": "14:30"}, "La fin"),
    ):
        response = post_form(client, path, move, token_page=token_page)
        assert response.status_code == 400 and "Location" not in response.headers, move
        page = text(response)
        assert message in page and "Déplacer cette rencontre seulement" in page, move
    with app.app_context():
        rows = sa.select(sa.func.count(Meeting.id)).where(Meeting.series_id == series_id)
        assert db.session.scalar(rows) == 0  # nothing half-written


def test_a_quorum_above_the_members_or_below_one_is_refused_beside_the_field(app, client):
    committee, coordinator, _ = committee_with_people(app, members=3)  # 4 members with the coordinator
    logged_in(client, email_of(app, coordinator))
    url = f"/meetings/committee/{committee}/quorum"
    page = f"/meetings/committee/{committee}"
    for value, message in (
        ("99", "ne peut dépasser les 4 membres du comité"),
        ("0", "quorum-error"),
        ("-1", "quorum-error"),
        ("deux", "quorum-error"),
    ):
        response = post_form(client, url, {"quorum": value}, token_page=page)
        assert response.status_code == 400 and message in text(response), value
        assert 'aria-invalid="true"' in text(response)
    assert post_form(client, url, {"quorum": "4"}, token_page=page).status_code == 302
    assert post_form(client, url, {"quorum": ""}, token_page=page).status_code == 302  # back to a majority


def test_cancelling_says_who_was_told_and_publishing_counts_with_real_plurals(app, client):
    committee, coordinator, _ = committee_with_people(app, members=2)  # 3 invitees with the coordinator
    logged_in(client, email_of(app, coordinator))
    draft = single_meeting(app, coordinator, committee, start=local(2026, 12, 15, 13, 0), publish=False)
    response = post_form(
        client, f"/meetings/{draft}/cancel", token_page=f"/meetings/{draft}", follow_redirects=True
    )
    assert "Aucune invitation n’avait été envoyée" in text(response) and "sont avisées" not in text(response)

    published = single_meeting(app, coordinator, committee, start=local(2026, 12, 15, 13, 0), publish=False)
    page = f"/meetings/{published}"
    response = post_form(client, f"{page}/publish", token_page=page, follow_redirects=True)
    assert "Publiée\u00a0: 3 invitations envoyées." in text(response) and "(s)" not in text(response)
    response = post_form(client, f"{page}/publish", token_page=page, follow_redirects=True)
    assert "Déjà publiée" in text(response)
    response = post_form(client, f"{page}/cancel", token_page=page, follow_redirects=True)
    assert "Rencontre annulée. 3 personnes invitées en sont avisées." in text(response)


def test_a_past_meeting_offers_no_answer_and_no_cancel_and_refuses_both(app, client):
    committee, coordinator, (member, _) = committee_with_people(app, members=2)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    past = single_meeting(app, coordinator, committee, start=start)
    logged_in(client, email_of(app, coordinator))
    page = text(client.get(f"/meetings/{past}"))
    assert "Annuler cette rencontre" not in page and "Je serai présent·e" not in page
    response = post_form(
        client, f"/meetings/{past}/cancel", token_page=f"/meetings/{past}", follow_redirects=True
    )
    assert "ne peut plus être annulée" in text(response)
    response = post_form(
        client, f"/meetings/{past}/answer", {"answer": "accepted"}, token_page=f"/meetings/{past}"
    )
    assert response.status_code in (302, 400)
    with app.app_context():
        meeting = db.session.get(Meeting, past)
        assert not meeting.is_cancelled
        assert db.session.scalar(sa.select(sa.func.count()).select_from(EventAnswer)) == 0


def test_a_future_meeting_shows_no_quorum_and_a_cancelled_one_no_minutes_to_write(app, client):
    committee, coordinator, _ = committee_with_people(app, members=2)
    future = single_meeting(app, coordinator, committee, start=local(2027, 2, 9, 13, 0))
    logged_in(client, email_of(app, coordinator))
    page = text(client.get(f"/meetings/{future}"))
    assert 'id="quorum"' not in page and "Quorum non atteint" not in page
    assert "Annuler cette rencontre" in page
    post_form(client, f"/meetings/{future}/cancel", token_page=f"/meetings/{future}")
    minutes = text(client.get(f"/meetings/{future}/minutes"))
    assert "Rédiger le procès-verbal" not in minutes
    assert client.get(f"/meetings/{future}/minutes/edit").status_code == 403
