"""In Chromium on a phone: the coordinator publishes a presenter, gives their weekly availability, sees the
open times it makes, tightens the booking rules, and finds the demo's requests by status and region."""

from __future__ import annotations

import pytest

from coord.demo import seed_demo
from coord.extensions import db
from coord.modules import MODULES
from tests.browser.steps import menu
from tests.outreach.factories_admin import partner_person
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser
PASSWORD = "demo-sphères-2026"


def test_coordinator_manages_presenters_and_rules_on_a_phone(app, phone, tmp_path):
    with app.app_context():
        seed_demo(MODULES, PASSWORD)
        db.session.commit()
    partner_person(app, display_name="Amélie Nouvelle")
    page = phone()
    log_in_browser(page, "coordinator@demo.coord.test", PASSWORD)

    menu(page, "Sensibilisation")
    page.wait_for_url("**/outreach/requests")
    assert "Maison des jeunes de Sainte-Rose" in page.locator("#requests").inner_text()
    assert_fits_phone(page, "outreach-requests-phone", tmp_path)
    page.locator("#states").get_by_role("link", name="Confirmées").click()
    assert "Bilan à consigner" in page.locator("#requests").inner_text()
    page.get_by_label("Région").select_option("13")
    page.get_by_role("button", name="Rechercher").click()
    listed = page.locator("#requests").inner_text()
    assert "Maison des jeunes du Marigot" in listed and "Jeanne-Mance" not in listed

    page.get_by_role("link", name="Personnes qui présentent").click()
    assert "Karim Intervenant" in page.locator("#presenters").inner_text()
    assert_fits_phone(page, "outreach-presenters-phone", tmp_path)
    page.get_by_label("Personne", exact=True).select_option(label="Amélie Nouvelle (" + _short(page) + ")")
    page.get_by_label("anglais").check()
    page.get_by_role("button", name="Ajouter", exact=True).click()
    assert "Amélie Nouvelle" in page.get_by_role("heading", level=1).inner_text()
    assert "ajoutez ses disponibilités" in page.locator(".flashes").inner_text()

    page.get_by_label("Jour").select_option(label="Mercredi")
    page.get_by_label("Du").fill("13:00")
    page.get_by_label("À", exact=True).fill("12:00")
    page.locator("#availability").get_by_role("button", name="Ajouter").click()
    assert "La fin doit venir après le début." in page.locator("#availability").inner_text()
    page.get_by_label("Du").fill("09:00")
    page.get_by_label("À", exact=True).fill("12:00")
    page.locator("#availability").get_by_role("button", name="Ajouter").click()
    availability = page.locator("#availability").inner_text()
    assert "9\u00a0h à 12\u00a0h" in availability
    assert "mercredi" in page.locator("#next-slots").inner_text()
    assert_fits_phone(page, "outreach-presenter-phone", tmp_path)

    page.get_by_role("link", name="Règles de réservation").click()
    page.get_by_label("Préavis minimal (jours)").fill("400")
    page.get_by_role("button", name="Enregistrer les règles").click()
    assert "préavis minimal de 0 à 365 jours" in page.locator("main").inner_text()
    page.get_by_label("Préavis minimal (jours)").fill("14")
    page.get_by_role("button", name="Enregistrer les règles").click()
    assert "Les règles sont enregistrées." in page.locator(".flashes").inner_text()
    assert page.get_by_label("Préavis minimal (jours)").input_value() == "14"
    assert_fits_phone(page, "outreach-settings-phone", tmp_path)


def _short(page) -> str:
    """The short name of the new person's organization, as the select shows it."""
    option = page.locator("#person_id option", has_text="Amélie Nouvelle").inner_text()
    return option.split("(")[1].rstrip(")")
