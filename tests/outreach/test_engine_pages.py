"""The session pages: the coordinator's request page and its forms, a presenter's sessions, the requester's
actions by signed link; forbidden paths, bad input (400 with a message, 409 for a conflict), never a 500."""

from __future__ import annotations

from datetime import timedelta

from coord.core.localtime import LOCAL_TZ
from coord.extensions import db
from coord.outreach import links
from tests.directory.factories import email_of, make_person
from tests.outreach.factories_engine import (
    coordinator,
    get,
    make_presenter,
    make_request,
    presenter_person,
    soon,
)
from tests.support import logged_in, post_form, text


def ref_of(app, request_id: int) -> str:
    with app.app_context():
        return get(app, request_id).ref


def token_of(app, request_id: int) -> str:
    with app.app_context():
        return links.token_for(get(app, request_id))


def confirm_data(start, presenters, minutes=90) -> dict:
    local = start.astimezone(LOCAL_TZ)
    return {
        "presenters": [str(p) for p in presenters],
        "day": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        "duration_minutes": str(minutes),
        "video_url": "",
    }


def boss_client(app):
    boss = coordinator(app)
    return logged_in(app.test_client(), email_of(app, boss))


def test_the_coordinator_confirms_from_the_page_and_sees_the_history(app):
    client = boss_client(app)
    presenter = make_presenter(app)
    request_id = make_request(
        app, organization_name="Maison des jeunes Ahuntsic", windows=[(soon(20, 9), soon(20, 12))]
    )
    path = f"/outreach/requests/{ref_of(app, request_id)}"
    page = text(client.get(path))
    assert "Maison des jeunes Ahuntsic" in page and "contact" in page.lower()
    response = post_form(
        client, f"{path}/confirm", confirm_data(soon(20, 9, 30), [presenter]), token_page=path
    )
    assert response.status_code == 303
    page = text(client.get(path))
    assert "9\u00a0h\u00a030" in page  # the time field keeps its value="09:30"
    with app.app_context():
        assert get(app, request_id).state == "confirmed"


def test_a_conflict_is_a_409_with_its_message_and_bad_input_a_400(app):
    client = boss_client(app)
    presenter = make_presenter(app)
    first, second = make_request(app), make_request(app)
    start = soon(20, 9)
    for request_id, status in ((first, 303), (second, 409)):
        path = f"/outreach/requests/{ref_of(app, request_id)}"
        response = post_form(client, f"{path}/confirm", confirm_data(start, [presenter]), token_page=path)
        assert response.status_code == status
    assert "travel time" in text(response) or "déplacement" in text(response)
    path = f"/outreach/requests/{ref_of(app, second)}"
    bad = [
        confirm_data(soon(-3), [presenter]),  # the past
        confirm_data(start + timedelta(days=1), []),  # no presenter
        confirm_data(start + timedelta(days=1), ["999999"]),  # forged presenter
        {**confirm_data(start + timedelta(days=1), [presenter]), "day": "2026-02-30"},
        {**confirm_data(start + timedelta(days=1), [presenter]), "duration_minutes": "9" * 400},
        {**confirm_data(start + timedelta(days=1), [presenter]), "video_url": "x" * 10_000},
        {},
    ]
    for data in bad:
        response = post_form(client, f"{path}/confirm", data, token_page=path)
        assert response.status_code == 400, data
    response = post_form(client, f"{path}/decline", {"reason": "x" * 10_000}, token_page=path)
    assert response.status_code == 400
    with app.app_context():
        assert get(app, second).state == "requested"


def test_a_time_the_clocks_skip_is_refused_with_a_message(app):
    client = boss_client(app)
    presenter = make_presenter(app)
    path = f"/outreach/requests/{ref_of(app, make_request(app))}"
    data = {**confirm_data(soon(20), [presenter]), "day": "2027-03-14", "start_time": "02:30"}
    response = post_form(client, f"{path}/confirm", data, token_page=path)
    assert response.status_code == 400 and "clocks change" in text(response) or "heure" in text(response)


def test_forbidden_paths(app):
    presenter = make_presenter(app)
    request_id = make_request(app)
    path = f"/outreach/requests/{ref_of(app, request_id)}"
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 302  # to the login page
    for roles in (("researcher",), ("admin",), ("intervenant",), ("requester",), ("partner",)):
        client = logged_in(app.test_client(), email_of(app, make_person(app, roles=roles)))
        assert client.get(path).status_code == 403, roles
        response = post_form(client, f"{path}/confirm", confirm_data(soon(20), [presenter]))
        assert response.status_code == 403, roles
        assert post_form(client, f"{path}/decline", {"reason": "non"}).status_code == 403
        assert post_form(client, f"{path}/cancel", {"reason": "non"}).status_code == 403
        assert client.get("/outreach/sessions/mine").status_code == 403
    with app.app_context():
        assert get(app, request_id).state == "requested"
    assert boss_client(app).get("/outreach/requests/AAAAAAAAAAAAAAAA").status_code == 404


def test_a_presenter_sees_their_sessions_and_records_the_outcome(app):
    client = boss_client(app)
    presenter = make_presenter(app)
    request_id = make_request(app, organization_name="CLSC Saint-Michel")
    path = f"/outreach/requests/{ref_of(app, request_id)}"
    post_form(client, f"{path}/confirm", confirm_data(soon(20), [presenter]), token_page=path)
    mine = logged_in(app.test_client(), email_of(app, presenter_person(app, presenter)))
    assert "CLSC Saint-Michel" in text(mine.get("/outreach/sessions/mine"))
    page = text(mine.get(path))
    assert "CLSC Saint-Michel" in page and "@ecole" not in page  # no contact details for a presenter
    with app.app_context():
        request = get(app, request_id)
        request.starts_at, request.ends_at = soon(-1), soon(-1) + timedelta(minutes=90)
        db.session.commit()
    data = {
        "people_reached": "32",
        "audiences": ["youth"],
        "notes": "Très bonne écoute",
        "questions_to_route": "",
    }
    assert (
        post_form(mine, f"{path}/outcome", {**data, "people_reached": "abc"}, token_page=path).status_code
        == 400
    )
    assert post_form(mine, f"{path}/outcome", data, token_page=path).status_code == 303
    with app.app_context():
        assert get(app, request_id).state == "held" and get(app, request_id).people_reached == 32
    assert post_form(mine, f"{path}/outcome", data, token_page=path).status_code == 409


def test_the_requester_cancels_and_asks_for_another_time_by_signed_link(app):
    boss = boss_client(app)
    presenter = make_presenter(app)
    request_id = make_request(app)
    path = f"/outreach/requests/{ref_of(app, request_id)}"
    post_form(boss, f"{path}/confirm", confirm_data(soon(20), [presenter]), token_page=path)
    token = token_of(app, request_id)
    outsider = app.test_client()
    day = (soon(40).astimezone(LOCAL_TZ)).date().isoformat()
    data = {"windows-0-day": day, "windows-0-starts": "09:00", "windows-0-ends": "12:00", "note": "Le matin"}
    response = post_form(outsider, f"/outreach/follow/{token}/reschedule", data, token_page="/login")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/outreach/follow/{token}")
    with app.app_context():
        assert get(app, request_id).reschedule_asked
    too_soon = (soon(3).astimezone(LOCAL_TZ)).date().isoformat()
    for bad in (
        {**data, "windows-0-day": too_soon},
        {**data, "windows-0-ends": ""},
        {**data, "windows-0-ends": "08:00"},
        {"note": "rien"},
        {**data, "note": "x" * 10_000},
    ):
        assert (
            post_form(outsider, f"/outreach/follow/{token}/reschedule", bad, token_page="/login").status_code
            == 400
        ), bad
    # A tampered or unknown token: 404, nothing changes.
    assert (
        post_form(outsider, f"/outreach/follow/{token[:-2]}xx/cancel", {}, token_page="/login").status_code
        == 404
    )
    assert post_form(outsider, "/outreach/follow/nope/cancel", {}, token_page="/login").status_code == 404
    # Without the CSRF token: refused.
    assert outsider.post(f"/outreach/follow/{token}/cancel", data={}).status_code == 400
    response = post_form(
        outsider, f"/outreach/follow/{token}/cancel", {"reason": "Grève"}, token_page="/login"
    )
    assert response.status_code == 303
    with app.app_context():
        request = get(app, request_id)
        assert request.state == "cancelled" and request.cancelled_by == "requester"
    assert post_form(outsider, f"/outreach/follow/{token}/cancel", {}, token_page="/login").status_code == 409


def test_the_link_partial_offers_the_actions_while_the_request_is_open(app):
    from flask import render_template

    request_id = make_request(app)
    with app.test_request_context("/"):
        request = get(app, request_id)
        html = render_template("outreach/_link_actions.html", request=request, token="TOKEN")
        assert "/outreach/follow/TOKEN/cancel" in html and "/outreach/follow/TOKEN/reschedule" in html
        request.state = "declined"
        assert "/outreach/follow/TOKEN" not in render_template(
            "outreach/_link_actions.html", request=request, token="TOKEN"
        )
        db.session.rollback()


def test_the_coordinators_outreach_calendar_pages(app):
    client = boss_client(app)
    assert client.get("/calendar/outreach/month").status_code == 200
    assert client.get("/calendar/outreach/week").status_code == 200
    other = logged_in(app.test_client(), email_of(app, make_person(app, roles=("intervenant",))))
    assert other.get("/calendar/outreach/month").status_code == 403
