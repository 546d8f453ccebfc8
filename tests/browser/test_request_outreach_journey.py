"""In Chromium on a phone: a school secretary asks for an awareness session from the public page, picking an
open time; a mistake is explained on the form; the thank-you page shows no link; her signed link shows the
request held, then confirmed with the presenter's name (confirming is the ENGINE's: written directly here)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from coord.extensions import db
from coord.outreach import links
from coord.outreach.models import OutreachRequest
from tests.outreach.factories_requests import confirm_directly, presenter
from tests.support import assert_fits_phone

pytestmark = pytest.mark.browser


def test_a_school_requests_a_session_on_a_phone(app, phone, tmp_path):
    presenter_id = presenter(app, weekdays=(1, 3), display_name="Julie Gagnon")
    page = phone()
    page.goto("/outreach/request")
    assert page.locator("h1").inner_text() == "Demander une séance de sensibilisation"
    assert_fits_phone(page, "request-form", tmp_path)

    page.get_by_label("Organisme ou école").fill("École secondaire Jeanne-Mance")
    page.get_by_label("Type de milieu").select_option(label="École")
    page.get_by_label("Région").select_option(label="Montréal")
    page.get_by_label("Nom", exact=True).fill("Sylvie Tremblay")
    page.get_by_label("Adresse courriel").fill("s.tremblay@ecole.example")
    page.get_by_label("Jeunes").check()
    page.get_by_label("Nombre de personnes attendues").fill("60")
    page.get_by_label("Adresse de la séance").fill("4240, rue de Bordeaux, Montréal")
    # Sent without choosing a time: explained at the top and beside the times, nothing lost.
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_load_state()
    assert "Votre demande n’est pas encore envoyée." in page.locator("#form-problems").inner_text()
    assert "proposez jusqu’à trois moments" in page.locator("#slot-error").inner_text()
    assert page.get_by_label("Organisme ou école").input_value() == "École secondaire Jeanne-Mance"

    first = page.locator(".slot-choice input[name=slot]").first
    chosen = first.locator("xpath=..").inner_text().strip()
    assert "\u00a0h" in chosen  # "9 h – 10 h 30", with non-breaking spaces
    first.check()
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/outreach/request/sent")
    assert "Merci" in page.locator("h1").inner_text()
    assert "/outreach/follow/" not in page.content()
    assert_fits_phone(page, "request-sent", tmp_path)

    with app.app_context():
        request = db.session.scalars(sa.select(OutreachRequest)).one()
        token, request_id, starts_at = links.token_for(request), request.id, request.starts_at
    page.goto(f"/outreach/follow/{token}")
    status = page.locator(".request-status").inner_text()
    assert "Reçue, en attente de confirmation" in status
    assert "retenu pour vous" in status
    assert_fits_phone(page, "request-follow", tmp_path)

    confirm_directly(app, request_id, presenter_id, starts_at)
    page.reload()
    status = page.locator(".request-status").inner_text()
    assert "Confirmée" in status and "Julie Gagnon" in status
