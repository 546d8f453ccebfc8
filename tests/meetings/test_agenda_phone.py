"""On a 375px phone in Chromium: add an item, move it up; the page never scrolls sideways."""

from __future__ import annotations

import pytest

from tests.directory.factories import email_of
from tests.meetings.factories import add, committee_meeting
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser


def test_coordinator_builds_the_agenda_on_a_phone(app, phone, tmp_path):
    committee, coordinator, (member, _), meeting = committee_meeting(app)
    long_word = "https://spheres.example/" + "tres-long-chemin-" * 12
    add(app, coordinator, meeting, "Ouverture et adoption de l’ordre du jour", 10, presenter_id=member)
    add(app, coordinator, meeting, "Suivi des dossiers", 40, description=f"- premier\n- voir {long_word}")
    page = phone()
    log_in_browser(page, email_of(app, coordinator))

    page.goto(f"/meetings/{meeting}/agenda")
    assert page.locator(".agenda-item").count() == 2
    page.locator("#add-item summary").click()
    page.locator("#title").fill("Varia")
    page.locator("#duration_minutes").fill("15")
    page.locator("#kind").select_option("decision")
    page.locator("#add-item button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".agenda-item").count() == 3
    assert page.locator("#agenda-overrun").is_visible()  # 65 minutes in a one-hour meeting
    assert page.locator(".agenda-item").nth(2).locator(".agenda-title").inner_text() == "Varia"

    page.locator(".agenda-item").nth(2).locator("button[value=up]").click()
    page.wait_for_load_state()
    titles = page.locator(".agenda-title").all_inner_texts()
    assert titles[1] == "Varia" and [n.strip() for n in page.locator(".agenda-number").all_inner_texts()] == [
        "1.",
        "2.",
        "3.",
    ]
    assert page.locator(".agenda-time").nth(1).inner_text().startswith("9\u00a0h\u00a040")
    assert_fits_phone(page, "agenda-phone", tmp_path)
