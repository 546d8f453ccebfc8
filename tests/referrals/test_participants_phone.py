"""On a 375px phone in Chromium: record a participant, record a consent, read the access log; no page
scrolls sideways."""

from __future__ import annotations

import pytest

from tests.directory.factories import email_of
from tests.referrals.participant_factories import participants_intervenant, participants_partner
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser


def test_an_intervenant_records_a_participant_and_a_consent_on_a_phone(app, phone, tmp_path):
    holder = participants_intervenant(app)
    participants_partner(app, name="Fondation Marie-Vincent, services aux jeunes victimes d'exploitation")
    page = phone()
    log_in_browser(page, email_of(app, holder))

    page.goto("/participants/")
    assert page.locator("#no-participants").is_visible()
    assert_fits_phone(page, "participants-empty", tmp_path)
    page.goto("/participants/new")
    page.locator("#age_at_intake").fill("15")
    page.locator("#recognizes_harms").check()
    page.locator("#voluntary").check()
    assert_fits_phone(page, "participant-new", tmp_path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("SPH-")
    assert_fits_phone(page, "participant-page", tmp_path)

    page.get_by_role("link", name="Enregistrer un consentement").click()
    page.wait_for_load_state()
    page.locator("input[name=form_kind][value=verbal]").check()
    page.locator("input[name=purposes][value=referral]").check()
    page.locator("input[name=organizations]").first.check()
    assert_fits_phone(page, "consent-new", tmp_path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Fondation Marie-Vincent" in page.locator("#consents").inner_text()
    page.locator("#access-log-link").click()
    page.wait_for_load_state()
    assert page.locator("#access-log tbody tr").count() >= 3
    assert_fits_phone(page, "access-log", tmp_path)
