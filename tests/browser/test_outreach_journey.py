"""In Chromium: an outside organization asks for an awareness session from the public page, proposing its
own time; the coordinator follows the e-mail's link and confirms it with a presenter; the requester opens
the signed link of her confirmation e-mail and sees it confirmed; the session is held and its outcome
recorded, which her link then shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.outreach.models import Assignment, OutreachRequest
from tests.calendar.factories import sent_messages
from tests.directory.factories import email_of, make_person
from tests.outreach.factories_requests import future_day, presenter
from tests.support import log_in_browser

pytestmark = pytest.mark.browser

CONTACT = "m.lapointe@mdj-hochelaga.example"


def _link(app, to: str, path: str) -> str:
    """The first link to `path` in the latest e-mail to `to`, made relative to the test server."""
    for message in reversed(sent_messages(app)):
        if message["To"] and to in message["To"]:
            body = message.get_body(preferencelist=("plain",)).get_content()
            for word in body.split():
                if path in word:
                    return word[word.index(path) :].rstrip(".,)")
    raise AssertionError(f"no e-mail to {to} with a link to {path}")


def test_an_outside_request_is_confirmed_held_and_recorded(app, page, chromium):
    presenter(app, weekdays=(0, 1, 2, 3, 4), display_name="Julie Gagnon")
    boss = make_person(app, roles=("coordinator",), display_name="Nadia Coordonnatrice")
    day = future_day(days=21, weekday=2)

    # 1. The youth centre's worker asks, with no account, proposing her own time.
    page.goto("/outreach/request")
    page.get_by_label("Organisme ou école").fill("Maison des jeunes Hochelaga")
    page.get_by_label("Type de milieu").select_option(label="Maison des jeunes")
    page.get_by_label("Région").select_option(label="Montréal")
    page.get_by_label("Nom", exact=True).fill("Marie Lapointe")
    page.get_by_label("Adresse courriel").fill(CONTACT)
    page.get_by_label("Jeunes").check()
    page.get_by_label("Nombre de personnes attendues").fill("25")
    page.get_by_label("Adresse de la séance").fill("1800, rue Davidson, Montréal")
    page.locator("input[name=slot][value='']").check()
    first_time = page.get_by_role("group", name="Moment 1")
    first_time.get_by_label("Date").fill(day.isoformat())
    first_time.get_by_label("Début").fill("13:30")
    first_time.get_by_label("Fin").fill("16:00")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/outreach/request/sent")
    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        ref = request.ref
        assert request.state == "requested" and len(request.windows) == 1

    # 2. The coordinator follows the link of the e-mail she got, and confirms with Julie at 14 h.
    log_in_browser(page, email_of(app, boss))
    page.goto(_link(app, email_of(app, boss), f"/outreach/requests/{ref}"))
    assert "Maison des jeunes Hochelaga" in page.locator("main").inner_text()
    confirm = page.locator("form", has=page.get_by_role("button", name="Confirmer la séance"))
    confirm.get_by_label("Julie Gagnon").check()
    confirm.locator("input[type=date]").fill(day.isoformat())
    confirm.locator("input[type=time]").fill("14:00")
    confirm.get_by_role("button", name="Confirmer la séance").click()
    page.wait_for_load_state()
    with app.app_context():
        assert db.session.scalar(sa.select(OutreachRequest.state)) == "confirmed"

    # 3. The requester opens the signed link of her confirmation e-mail: confirmed, with the presenter.
    requester = chromium.new_context(locale="fr-CA", base_url=app.config["PUBLIC_URL"]).new_page()
    follow = _link(app, CONTACT, "/outreach/follow/")
    requester.goto(follow)
    status = requester.locator(".request-status").inner_text()
    assert "Confirmée" in status and "Julie Gagnon" in status and "14\u00a0h" in status

    # 4. The day comes (moved into the past here); the coordinator records the outcome.
    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        start = utcnow() - timedelta(hours=3)
        request.starts_at, request.ends_at = start, start + timedelta(minutes=90)
        for assignment in db.session.scalars(sa.select(Assignment)):
            assignment.busy_from, assignment.busy_until = (
                start - timedelta(hours=1),
                start + timedelta(hours=3),
            )
        db.session.commit()
    page.goto(f"/outreach/requests/{ref}")
    outcome = page.locator("form", has=page.get_by_role("button", name="Consigner le bilan"))
    outcome.get_by_label("Personnes jointes").fill("22")
    outcome.get_by_label("Jeunes").check()
    outcome.get_by_role("button", name="Consigner le bilan").click()
    page.wait_for_load_state()
    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        assert (request.state, request.people_reached) == ("held", 22)

    requester.goto(follow)
    shown = requester.locator("main").inner_text()
    assert "22" in shown and "Tenue" in requester.locator(".request-status").inner_text()
    requester.context.close()
