"""The public request form and the signed-in one: what is written, and every refusal with its message."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from coord.audit import AuditEntry
from coord.core.localtime import local_today
from coord.extensions import db
from coord.notify.models import OutboxMessage
from coord.outreach.models import Assignment, OutreachRequest, RequestHistory
from tests.directory.factories import email_of, make_organization, make_person
from tests.outreach.factories_requests import (
    FORM,
    future_day,
    post_request,
    presenter,
    request_count,
    valid_post,
)
from tests.support import logged_in, text


def test_the_public_form_asks_plainly_in_french(client):
    page = text(client.get(FORM, headers={"Accept-Language": "fr-CA"}))
    assert "Demander une séance de sensibilisation" in page
    assert "Courriel" in page or "courriel" in page
    assert "Proposez jusqu’à trois moments qui vous conviennent" in page
    assert 'name="website"' in page and 'tabindex="-1"' in page  # the honeypot, out of the tab order
    assert ">Montérégie</option>" in page


def test_a_public_request_with_windows_is_recorded_and_says_thank_you(app, client):
    response = post_request(client, valid_post())
    assert response.status_code == 303, text(response)[:2000]
    assert response.headers["Location"].endswith("/outreach/request/sent")
    sent = text(client.get("/outreach/request/sent"))
    assert "/outreach/follow/" not in sent  # the link goes by e-mail only
    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        assert request.state == "requested"
        assert request.contact_email == "s.tremblay@ecole.example"
        assert request.audience_list == ["youth", "staff"]
        assert request.requested_by_id is None and request.organization_id is None
        assert len(request.windows) == 1 and request.starts_at is None
        assert [step.kind for step in request.history] == ["requested"]
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == "outreach.request.create")
        )
        assert entry.one().actor_label == "anonymous"


def test_an_open_slot_is_listed_by_day_in_local_time_and_held_at_once(app, client):
    presenter_id = presenter(app, weekdays=(1,))  # Tuesdays, 9 h to 16 h
    page = text(client.get(FORM, headers={"Accept-Language": "fr-CA"}))
    assert "mardi" in page
    assert "9\u00a0h – 10\u00a0h\u00a030" in page  # a 90-minute slot, said the Québec way
    slot_id = page.split('name="slot" value="', 1)[1].split('"', 1)[0]
    assert slot_id.startswith(f"{presenter_id}-")
    response = post_request(
        client, valid_post(slot=slot_id, **{"windows-0-day": "", "windows-0-start": "", "windows-0-end": ""})
    )
    assert response.status_code == 303, text(response)[:3000]
    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        assert request.starts_at is not None and request.windows == []
        assignment = db.session.scalars(sa.select(Assignment)).one()
        assert assignment.presenter_id == presenter_id and assignment.active
        assert db.session.scalars(sa.select(RequestHistory)).one().starts_at == request.starts_at
    # The slot is no longer offered.
    assert slot_id not in text(client.get(FORM))


def test_a_slot_taken_meanwhile_gets_a_message_and_nothing_is_written(app, client):
    presenter(
        app, weekdays=(1,), starts=__import__("datetime").time(9, 0), ends=__import__("datetime").time(10, 30)
    )  # one slot a week
    page = text(client.get(FORM))
    slot_id = page.split('name="slot" value="', 1)[1].split('"', 1)[0]
    empty = {"windows-0-day": "", "windows-0-start": "", "windows-0-end": ""}
    other = app.test_client()
    assert (
        post_request(other, valid_post(slot=slot_id, contact_email="a@b.example", **empty)).status_code == 303
    )
    response = post_request(client, valid_post(slot=slot_id, **empty))
    assert response.status_code == 400
    assert "n’est plus disponible" in text(response) or "no longer available" in text(response)
    assert request_count(app) == 1


def test_a_forged_slot_id_gets_a_message(app, client):
    presenter(app)
    empty = {"windows-0-day": "", "windows-0-start": "", "windows-0-end": ""}
    for forged in ("99-202701051330", "1-209912311330", "x" * 5000, "1-20270230", "../../etc"):
        response = post_request(client, valid_post(slot=forged, **empty), headers={"Accept-Language": "en"})
        assert response.status_code == 400, forged
        assert "This time is no longer available" in text(response)
    assert request_count(app) == 0


def test_a_slot_and_windows_together_are_refused(app, client):
    presenter(app, weekdays=(1,))
    slot_id = text(client.get(FORM)).split('name="slot" value="', 1)[1].split('"', 1)[0]
    response = post_request(client, valid_post(slot=slot_id), headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "not both" in text(response)
    assert request_count(app) == 0


def _refused(app, client, overrides, message, status=400):
    response = post_request(client, valid_post(**overrides), headers={"Accept-Language": "en"})
    assert response.status_code == status, text(response)[:3000]
    assert message in text(response), text(response)[:6000]
    assert "Your request is not sent yet." in text(response)
    assert request_count(app) == 0
    return response


def test_dates_in_the_past_and_inside_the_minimum_notice(app, client):
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    _refused(app, client, {"windows-0-day": yesterday}, "This date is in the past.")
    soon = (local_today() + timedelta(days=3)).isoformat()
    _refused(app, client, {"windows-0-day": soon}, "We need 10 days of notice")
    far = (local_today() + timedelta(days=400)).isoformat()
    _refused(app, client, {"windows-0-day": far}, "We book up to 120 days ahead")


def test_window_shapes(app, client):
    _refused(app, client, {"windows-0-end": "12:00"}, "The end must be after the start.")
    _refused(app, client, {"windows-0-end": "13:30"}, "A session lasts 90 minutes")
    _refused(app, client, {"windows-0-start": ""}, "Give the time it starts.")
    _refused(app, client, {"windows-0-day": "2027-02-30"}, "Not a valid date value")
    _refused(app, client, {"windows-0-day": ""}, "Give the date of this time.")
    second = future_day(21).isoformat()
    _refused(
        app,
        client,
        {"windows-1-day": future_day(20).isoformat(), "windows-1-start": "14:00", "windows-1-end": "16:00"},
        "This time overlaps another one you gave.",
    )
    assert second  # a different day is fine:
    response = post_request(
        client,
        valid_post(**{"windows-1-day": second, "windows-1-start": "9:00", "windows-1-end": "11:00"}),
    )
    assert response.status_code == 303
    assert request_count(app) == 1


def test_no_time_at_all(app, client):
    _refused(
        app,
        client,
        {"windows-0-day": "", "windows-0-start": "", "windows-0-end": ""},
        "propose up to three times that suit you",
    )


def test_ten_thousand_characters_and_missing_fields(app, client):
    long = "x" * 10_000
    for name in ("organization_name", "contact_name", "contact_phone", "address", "details", "contact_email"):
        _refused(app, client, {name: long}, "Keep this under")
    _refused(app, client, {"contact_email": ""}, "Give an e-mail address")
    _refused(app, client, {"contact_email": "pas-une-adresse"}, "Enter a valid e-mail address")
    _refused(app, client, {"audiences": []}, "Choose at least one audience.")
    _refused(app, client, {"audiences": ["youth", "aliens"]}, "Choose at least one audience.")
    _refused(app, client, {"milieu": "castle"}, "Not a valid choice")
    _refused(app, client, {"expected_size": "0"}, "Give a number between 1 and 2,000.")
    _refused(app, client, {"expected_size": ""}, "Give an approximate number of people.")
    _refused(app, client, {"expected_size": "99999999999999"}, "Give a number, like 25.")
    _refused(app, client, {"address": ""}, "Give the address where the session will take place.")
    _refused(app, client, {"format": "hologram"}, "Choose in person or virtual.")
    _refused(app, client, {"contact_phone": "call me maybe"}, "Give a phone number")
    _refused(app, client, {"organization_name": "École\nsecondaire"}, "one line of text")


def test_a_virtual_session_needs_no_address(app, client):
    response = post_request(client, valid_post(format="virtual", address=""))
    assert response.status_code == 303


def test_the_honeypot_answers_like_a_success_and_writes_nothing(app, client):
    response = post_request(client, valid_post(website="http://spam.example"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/outreach/request/sent")
    assert request_count(app) == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_plus_tagged_addresses_count_as_one_mailbox(app, client):
    for n in range(3):
        address = f"s.tremblay+{n}@ecole.example" if n else "s.tremblay@ecole.example"
        assert post_request(client, valid_post(contact_email=address)).status_code == 303
    response = post_request(client, valid_post(contact_email="s.tremblay+autre@ecole.example"))
    assert response.status_code == 400 and request_count(app) == 3


def test_three_requests_a_day_per_contact_address(app, client):
    for n in range(3):
        response = post_request(client, valid_post(organization_name=f"École {n}"))
        assert response.status_code == 303
    _refused_count = request_count(app)
    response = post_request(client, valid_post(), headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "This address already sent 3 requests today" in text(response)
    assert request_count(app) == _refused_count == 3
    # Upper case is the same address.
    response = post_request(client, valid_post(contact_email="S.Tremblay@Ecole.example"))
    assert response.status_code == 400


def test_posts_per_client_address_are_capped(make_app):
    app = make_app(OUTREACH_REQUESTS_PER_ADDRESS="2 per hour")
    client = app.test_client()
    assert post_request(client, valid_post(contact_email="one@x.example")).status_code == 303
    assert post_request(client, valid_post(contact_email="two@x.example", website="spam")).status_code == 303
    response = post_request(client, valid_post(contact_email="three@x.example"))
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    other = app.test_client()
    response = post_request(
        other, valid_post(contact_email="four@x.example"), environ_overrides={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert response.status_code == 303  # another address is not held back
    assert request_count(app) == 2


def test_a_signed_in_partner_gets_the_form_prefilled_and_the_request_is_theirs(app):
    organization = make_organization(app, name="CLSC Hochelaga")
    requester = make_person(app, roles=("requester",), organization_id=organization, display_name="Line Roy")
    client = logged_in(app.test_client(), email_of(app, requester))
    page = text(client.get(FORM))
    assert 'value="CLSC Hochelaga"' in page and 'value="Line Roy"' in page
    response = post_request(client, valid_post(organization_name="CLSC Hochelaga", milieu="clsc"))
    assert response.status_code == 303
    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        assert request.requested_by_id == requester and request.organization_id == organization
        assert request.history[0].actor_id == requester


def test_a_researcher_may_not_use_the_signed_in_form(app):
    researcher = make_person(app, roles=("researcher",))
    client = logged_in(app.test_client(), email_of(app, researcher))
    assert client.get(FORM).status_code == 403
    assert post_request(app.test_client(), valid_post()).status_code == 303  # the public one still works
