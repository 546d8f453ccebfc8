"""In Chromium on a phone: the calendar month and week, then subscribing and resetting the feed link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.calendar.support import committee_with_people, weekly_series
from tests.support import PASSWORD, email_of

pytestmark = pytest.mark.browser


def test_member_reads_the_calendar_on_a_phone_and_resets_the_feed(app, chromium, live_server, tmp_path):
    committee, coordinator, (member, _) = committee_with_people(app)
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    weekly_series(app, coordinator, committee, first_start=first, title="Comité clinique hebdo")
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
    page.get_by_label("Adresse courriel").fill(email_of(app, member))
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")
    assert "Comité clinique hebdo" in page.locator("main").inner_text()  # "Mon horaire" lists it

    page.get_by_role("link", name="Calendrier").click()
    page.wait_for_url("**/calendar/me/month")
    assert page.locator(".month-grid").is_hidden() and page.locator(".month-list").is_visible()
    assert page.locator(".month-list .cal-item").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"month page is {width}px wide on a 375px phone"
    page.screenshot(path=str(tmp_path / "month-phone.png"), full_page=True)

    page.get_by_role("link", name="Vue semaine").click()
    assert "Semaine du" in page.get_by_role("heading", level=1).inner_text()
    page.locator(".calendar-nav a[rel=next]").click()
    assert page.locator(".week-days .cal-item").count() >= 1

    page.goto("/calendar/subscriptions")
    page.get_by_role("button", name="Obtenir mon lien d’abonnement").first.click()
    page.wait_for_load_state()
    webcal = page.get_by_role("link", name="S’abonner").first.get_attribute("href")
    assert webcal.startswith("webcal://")
    old_feed = page.locator("input.copy-field").first.input_value()
    assert page.request.get(old_feed).status == 200
    page.get_by_role("button", name="Créer un nouveau lien (l’ancien cessera de fonctionner)").first.click()
    page.wait_for_load_state()
    assert "ne fonctionne plus" in page.locator(".flashes").inner_text()
    new_feed = page.locator("input.copy-field").first.input_value()
    assert new_feed != old_feed
    assert page.request.get(old_feed).status == 404
    assert page.request.get(new_feed).status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"subscription page is {width}px wide"
    context.close()
