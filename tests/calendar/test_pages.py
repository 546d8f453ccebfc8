"""Month and week pages: local times, access per calendar, redaction, bad input, query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from coord.extensions import db
from coord.meetings.models import Meeting, MeetingGuest
from tests.calendar.factories import committee_with_people, feed_path, weekly_series
from tests.conferences.factories import schedule_conference
from tests.directory.factories import email_of, make_person
from tests.support import counted_queries, logged_in, post_form, text


def test_month_and_week_show_the_series_at_local_time_across_the_change(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    weekly_series(app, coordinator, committee)  # Tuesdays 9:30 from 13 Oct 2026
    logged_in(client, email_of(app, member))
    october = text(client.get("/calendar/me/month?m=2026-10"))
    november = text(client.get("/calendar/me/month?m=2026-11"))
    assert "octobre 2026" in october and "novembre 2026" in november
    nine_thirty = "9\u00a0h\u00a030"  # OQLF: "9 h 30", never "09:30"
    assert october.count(nine_thirty) >= 3 * 2  # each occurrence in the grid and in the phone list
    assert november.count(nine_thirty) >= 4 * 2 and "10\u00a0h\u00a030" not in november  # no DST shift
    week = text(client.get("/calendar/me/week?d=2026-11-04"))
    assert nine_thirty in week and "Comité clinique" in week and "mardi 3 novembre" in week


def test_pages_redact_case_conferences(app, client):
    conference_id, organizer, police = schedule_conference(app)
    logged_in(client, email_of(app, police))
    start = datetime.now(UTC) + timedelta(days=4)
    week = text(client.get(f"/calendar/me/week?d={start:%Y-%m-%d}"))
    assert "Rencontre de concertation" in week or "Case conference" in week
    assert "J.T." not in week and "fugue" not in week
    assert f"/conferences/{conference_id}" in week


def test_committee_calendar_is_for_its_members_and_staff(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    outsider = make_person(app, roles=("intervenant",))
    logged_in(client, email_of(app, outsider))
    assert client.get(f"/calendar/committee/{committee}/month").status_code == 403
    member_client = app.test_client()
    logged_in(member_client, email_of(app, member))
    assert member_client.get(f"/calendar/committee/{committee}/month").status_code == 200
    staff = make_person(app, roles=("coordinator",))
    staff_client = app.test_client()
    logged_in(staff_client, email_of(app, staff))
    assert staff_client.get(f"/calendar/committee/{committee}/week").status_code == 200
    assert staff_client.get("/calendar/committee/999999/month").status_code == 404


def test_unknown_scopes_are_404_private_ones_and_me_need_login(app, client):
    committee, _, _ = committee_with_people(app)
    assert client.get("/calendar/me/month").status_code == 302
    assert client.get(f"/calendar/committee/{committee}/month").status_code == 302
    assert client.get("/calendar/retired/month").status_code == 404
    assert client.get("/calendar/training/month").status_code == 200  # public: the training calendar
    assert client.get("/calendar/committee/month").status_code == 404  # this scope needs an id
    requester = make_person(app, roles=("requester",))
    logged_in(client, email_of(app, requester))
    assert client.get("/calendar/retired/week").status_code == 404
    assert client.get(f"/calendar/committee/{committee}/month").status_code == 403
    assert client.get("/calendar/me/month").status_code == 200


def test_bad_calendar_parameters_get_400(app, client):
    person = make_person(app)
    logged_in(client, email_of(app, person))
    for query in ("m=2026-13", "m=2026-00", "m=abcd", "m=99999-01", "m=1899-01", "m=2026-1", "m=%00"):
        assert client.get(f"/calendar/me/month?{query}").status_code == 400, query
    for query in ("d=2026-02-30", "d=2026-2-3", "d=tomorrow", "d=0000-01-01", "d=2026-02-03T10:00"):
        assert client.get(f"/calendar/me/week?{query}").status_code == 400, query
    assert client.get("/calendar/me/year").status_code == 404


def test_subscription_links_are_created_on_request_and_shown_with_help(app, client):
    committee, coordinator, (member, _) = committee_with_people(app)
    logged_in(client, email_of(app, member))
    page = text(client.get("/calendar/subscriptions"))
    # Viewing the page creates nothing: the only subscription shown is the public training calendar's.
    assert page.count("webcal://") == 1 and "/feeds/public/training.ics" in page
    assert "Google" in page and "Outlook" in page and "Apple" in page
    for scope, scope_id in (("person", ""), ("committee", str(committee))):
        data = {"scope": scope, "scope_id": scope_id}
        response = post_form(client, "/calendar/subscriptions", data, token_page="/calendar/subscriptions")
        assert response.status_code == 302
    page = text(client.get("/calendar/subscriptions"))
    assert page.count("webcal://") == 3  # personal, the committee's and the public trainings'
    for data in (
        {"scope": "committee", "scope_id": "999"},
        {"scope": "root", "scope_id": ""},
        {"scope": "training", "scope_id": ""},  # no module registers it (yet)
    ):
        response = post_form(client, "/calendar/subscriptions", data, token_page="/calendar/subscriptions")
        assert response.status_code == 404
    outsider = make_person(app, roles=("intervenant",))
    other = app.test_client()
    logged_in(other, email_of(app, outsider))
    data = {"scope": "committee", "scope_id": str(committee)}  # not a member: not offered
    response = post_form(other, "/calendar/subscriptions", data, token_page="/calendar/subscriptions")
    assert response.status_code == 404


def add_meetings(app, committee: int, guest: int, start: datetime, count: int) -> None:
    """Published meetings with a guest each, inserted in bulk (more than a selectin batch of 500)."""
    with app.app_context():
        now = datetime.now(UTC)
        rows = [
            {
                "committee_id": committee,
                "title": f"Rencontre {n}",
                "starts_at": start + timedelta(hours=n % 600),
                "ends_at": start + timedelta(hours=n % 600, minutes=45),
                "published_at": now,
                "status": "planned",
                "sequence": 0,
                "location": "",
                "video_url": "",
                "notes": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(count)
        ]
        first = (db.session.scalar(sa.select(sa.func.max(Meeting.id))) or 0) + 1
        db.session.execute(sa.insert(Meeting), rows)
        ids = db.session.scalars(sa.select(Meeting.id).where(Meeting.id >= first)).all()
        db.session.execute(sa.insert(MeetingGuest), [{"meeting_id": i, "person_id": guest} for i in ids])
        db.session.commit()


def test_queries_per_feed_and_page_do_not_grow_with_the_number_of_events(app, client):
    committee, coordinator, (member, guest) = committee_with_people(app)
    path = feed_path(app, member)
    logged_in(client, email_of(app, member))
    start = datetime.now(UTC).replace(microsecond=0, minute=0) + timedelta(days=1)

    def measure() -> tuple[int, int, int]:
        with counted_queries(app) as feed:
            body = client.get(path).data
        with counted_queries(app) as page:
            assert client.get(f"/calendar/me/month?m={start:%Y-%m}").status_code == 200
        return len(feed), len(page), body.count(b"BEGIN:VEVENT")

    add_meetings(app, committee, guest, start, 3)
    weekly_series(app, coordinator, committee, first_start=start)
    small = measure()
    add_meetings(app, committee, guest, start, 1200)
    for n in range(3):
        weekly_series(app, coordinator, committee, first_start=start + timedelta(hours=n + 1))
    large = measure()
    assert large[2] > 1200 > small[2]
    assert large[:2] == small[:2], (small, large)


def test_a_login_does_not_make_every_feed_stale(app, client):
    from coord.calendar.changes import current_generation

    committee, coordinator, (member, _) = committee_with_people(app)
    with app.app_context():
        before = current_generation(db.session)[0]
    logged_in(client, email_of(app, member))
    with app.app_context():
        assert current_generation(db.session)[0] == before


def test_home_lists_the_next_events_redacted(app, client):
    conference_id, organizer, police = schedule_conference(app)
    logged_in(client, email_of(app, police))
    home = text(client.get("/"))
    assert f"/conferences/{conference_id}" in home
    assert "fugue" not in home and "J.T." not in home
