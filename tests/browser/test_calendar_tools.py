"""Calendar pages in Chromium: the copy button beside a feed address (and the field alone without
JavaScript), the "Aujourd'hui" link and the year in the week's title."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.calendar.factories import committee_with_people
from tests.directory.factories import email_of
from tests.support import log_in_browser


def test_copy_button_copies_the_feed_address(app, page, chromium, live_server):
    _, coordinator, _ = committee_with_people(app)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in_browser(page, email_of(app, coordinator))
    page.goto("/calendar/subscriptions")
    page.get_by_role("button", name="Obtenir mon lien d’abonnement").first.click()
    field = page.locator("input.copy-field").first
    address = field.input_value()
    assert "/feeds/" in address
    button = page.locator("button.copy-button").first
    expect(button).to_have_text("Copier l’adresse")
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == address
    expect(button).to_have_text("Copiée")

    no_js = chromium.new_context(locale="fr-CA", base_url=live_server, java_script_enabled=False)
    try:
        other = no_js.new_page()
        log_in_browser(other, email_of(app, coordinator))
        other.goto("/calendar/subscriptions")
        assert other.locator("input.copy-field").first.input_value() == address  # selectable by hand
        assert not other.locator("button.copy-button").first.is_visible()  # no button that does nothing
    finally:
        no_js.close()


def test_today_link_and_the_year_in_the_weeks_title(app, page):
    _, coordinator, _ = committee_with_people(app)
    log_in_browser(page, email_of(app, coordinator))
    page.goto("/calendar/me/week?d=2027-03-10")
    assert "Semaine du dimanche 7 mars 2027" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Aujourd’hui").click()
    assert page.locator(".calendar-nav a[aria-current='date']").count() == 1
    page.goto("/calendar/me/month?m=2027-03")
    page.get_by_role("link", name="Aujourd’hui").click()
    assert page.locator(".calendar-nav a[aria-current='date']").count() == 1
