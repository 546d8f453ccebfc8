"""On a 375px phone in Chromium: write the minutes with a decision and an action, circulate them, and the
action's owner marks it done from "Mes actions"; no page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.steps import confirm
from tests.directory.factories import email_of
from tests.meetings.minutes_support import days_ago, minutes_world
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser


def test_minutes_and_my_actions_on_a_phone(app, phone, tmp_path):
    world = minutes_world(app, items=2)
    long_word = "https://spheres.example/" + "tres-long-chemin-" * 12
    page = phone()
    log_in_browser(page, email_of(app, world.coordinator))

    page.goto(f"/meetings/{world.meeting}/minutes")
    page.locator("#no-minutes").wait_for()
    page.goto(f"/meetings/{world.meeting}/minutes/edit")
    page.locator("#general").fill(f"Tour de table.\n\n- voir {long_word}")
    page.locator(f"#item_{world.items[0]}").fill("Le protocole est **adopté**.")
    page.locator("#decisions-0-text").fill("Adopter le protocole révisé")
    page.locator("#decisions-0-item").select_option(str(world.items[0]))
    page.locator("#actions-0-description").fill("Envoyer le protocole aux six partenaires")
    page.locator("#actions-0-owner").select_option(str(world.member))
    page.locator("#actions-0-due_date").fill(days_ago(-10).isoformat())
    assert_fits_phone(page, "minutes-form", tmp_path)
    page.locator(".minutes-form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{world.meeting}/minutes")
    assert "adopté" in page.locator("#minutes-body").inner_text()
    assert page.locator("#minutes-body strong").first.inner_text() == "adopté"
    assert_fits_phone(page, "minutes-page", tmp_path)
    page.locator("form[action$='/circulate'] button").click()
    confirm(page)
    assert "minutes-state-circulated" in page.locator("#minutes-state").get_attribute("class")
    page.goto(f"/meetings/{world.meeting}/minutes/history")
    assert_fits_phone(page, "minutes-history", tmp_path)

    page = phone()
    log_in_browser(page, email_of(app, world.member))
    page.goto("/actions/mine")
    card = page.locator("#open-actions .action-card")
    assert card.count() == 1
    assert_fits_phone(page, "my-actions", tmp_path)
    card.locator("input[type=date]").fill(days_ago(1).isoformat())
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#open-actions .action-card").count() == 0
    assert page.locator("#done-actions .action-card").count() == 1
