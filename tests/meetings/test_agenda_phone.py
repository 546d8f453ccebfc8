"""On a 375px phone in Chromium: add an item, move it up; the page never scrolls sideways."""

from __future__ import annotations

import pytest

from tests.meetings.agenda_support import add, committee_meeting
from tests.support import PASSWORD, email_of

pytestmark = pytest.mark.browser


def test_coordinator_builds_the_agenda_on_a_phone(app, chromium, live_server, tmp_path):
    committee, coordinator, (member, _), meeting = committee_meeting(app)
    long_word = "https://spheres.example/" + "tres-long-chemin-" * 12
    add(app, coordinator, meeting, "Ouverture et adoption de l’ordre du jour", 10, presenter_id=member)
    add(app, coordinator, meeting, "Suivi des dossiers", 40, description=f"- premier\n- voir {long_word}")
    context = chromium.new_context(
        locale="fr-CA",
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.get_by_label("Adresse courriel").fill(email_of(app, coordinator))
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")

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
    assert page.locator(".agenda-time").nth(1).inner_text().startswith("09:40")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(tmp_path / "agenda-phone.png"), full_page=True)
    assert width <= 375, f"agenda page is {width}px wide on a 375px phone"
    context.close()
