"""In Chromium: log in, switch language, see the home page, log out."""

from __future__ import annotations

import pytest

from tests.directory.factories import email_of, make_person
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def test_login_switch_language_home_logout(app, page, tmp_path):
    email = email_of(app, make_person(app, roles=("coordinator",), display_name="Nathalie Coordonnatrice"))
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "fr-CA"
    assert page.title().startswith("Se connecter") or "connexion" in page.title().lower()
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon horaire"
    assert "Nathalie Coordonnatrice" in page.locator("main").inner_text()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en-CA"
    assert page.get_by_role("heading", level=1).inner_text() == "My schedule"
    page.get_by_role("link", name="People").click()
    assert page.get_by_role("heading", level=1).inner_text() == "People"

    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr-CA"
    assert page.get_by_role("heading", level=1).inner_text() == "Personnes"

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/login")
    assert page.get_by_role("heading", level=1).inner_text() == "Se connecter"
    page.goto("/")
    assert "/login" in page.url


def test_login_page_fits_a_phone_and_keyboard_reaches_the_form(chromium, live_server, tmp_path):
    context = chromium.new_context(
        locale="fr-CA",
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.goto("/login")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px phone"
    first = page.evaluate(
        "document.querySelector('a[href], button, input:not([type=hidden]), select').className"
    )
    assert first == "skip-link"
    page.locator(".skip-link").focus()
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0, "the skip link stays off screen when focused"
    page.screenshot(path=str(tmp_path / "login-phone.png"), full_page=True)
    context.close()
