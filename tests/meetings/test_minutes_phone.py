"""On a 375px phone in Chromium: write the minutes with a decision and an action, circulate them, and the
action's owner marks it done from "Mes actions"; no page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.meetings.minutes_support import days_ago, minutes_world
from tests.support import PASSWORD, email_of

pytestmark = pytest.mark.browser


def _phone(chromium, live_server):
    context = chromium.new_context(
        locale="fr-CA",
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _login(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")


def _narrow(page, name: str, tmp_path) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert width <= 375, f"{name} is {width}px wide on a 375px phone"


def test_minutes_and_my_actions_on_a_phone(app, chromium, live_server, tmp_path):
    world = minutes_world(app, items=2)
    long_word = "https://spheres.example/" + "tres-long-chemin-" * 12
    context, page = _phone(chromium, live_server)
    _login(page, email_of(app, world.coordinator))

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
    _narrow(page, "minutes-form", tmp_path)
    page.locator(".minutes-form button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{world.meeting}/minutes")
    assert "adopté" in page.locator("#minutes-body").inner_text()
    assert page.locator("#minutes-body strong").first.inner_text() == "adopté"
    _narrow(page, "minutes-page", tmp_path)
    page.locator("form[action$='/circulate'] button").click()
    page.wait_for_load_state()
    assert "minutes-state-circulated" in page.locator("#minutes-state").get_attribute("class")
    page.goto(f"/meetings/{world.meeting}/minutes/history")
    _narrow(page, "minutes-history", tmp_path)
    context.close()

    context, page = _phone(chromium, live_server)
    _login(page, email_of(app, world.member))
    page.goto("/actions/mine")
    card = page.locator("#open-actions .action-card")
    assert card.count() == 1
    _narrow(page, "my-actions", tmp_path)
    card.locator("input[type=date]").fill(days_ago(1).isoformat())
    card.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#open-actions .action-card").count() == 0
    assert page.locator("#done-actions .action-card").count() == 1
    context.close()
