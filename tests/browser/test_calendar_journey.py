"""In Chromium on a phone: the calendar month and week, then subscribing and resetting the feed link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coord.core.localtime import local_today, to_local
from tests.browser.steps import menu
from tests.calendar.factories import committee_with_people, weekly_series
from tests.directory.factories import email_of
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser


def test_member_reads_the_calendar_on_a_phone_and_resets_the_feed(app, phone, tmp_path):
    committee, coordinator, (member, _) = committee_with_people(app)
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    weekly_series(app, coordinator, committee, first_start=first, title="Comité clinique hebdo")
    page = phone()
    log_in_browser(page, email_of(app, member))
    assert "Comité clinique hebdo" in page.locator("main").inner_text()  # "Mon horaire" lists it

    menu(page, "Calendrier")
    page.wait_for_url("**/calendar/me/month")
    if to_local(first).month != local_today().month:  # tomorrow is in next month: show that one
        page.goto(f"/calendar/me/month?m={to_local(first):%Y-%m}")
    assert page.locator(".month-grid").is_hidden() and page.locator(".month-list").is_visible()
    assert page.locator(".month-list .cal-item").first.is_visible()
    assert_fits_phone(page, "month-phone", tmp_path)

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
    assert_fits_phone(page, "subscriptions-phone", tmp_path)
