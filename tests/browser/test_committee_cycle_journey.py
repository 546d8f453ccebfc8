"""In Chromium: the coordinator plans a monthly series, builds and publishes an agenda, writes minutes with a
decision and an action, approves them; the action is then on the next meeting's agenda and in the owner's
"Mes actions"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import Committee
from coord.extensions import db
from tests.browser.steps import confirm, menu
from tests.calendar.factories import committee_with_people, person
from tests.directory.factories import email_of
from tests.support import assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser


def test_committee_cycle_from_series_to_my_actions(app, page, phone, tmp_path):
    committee, coordinator, (owner, _) = committee_with_people(app)
    with app.app_context():
        owner_name = person(owner).display_name
        committee_name = db.session.get(Committee, committee).name_fr
    page.set_default_timeout(20_000)
    log_in_browser(page, email_of(app, coordinator))

    # A monthly series whose first meeting is tomorrow
    first_day = (utcnow().astimezone(LOCAL_TZ) + timedelta(days=1)).date()
    page.get_by_role("link", name="Rencontres", exact=True).click()
    page.get_by_role("link", name="Nouvelle série").click()
    page.get_by_label("Titre").fill("Comité clinique mensuel")
    page.get_by_label("Comité", exact=True).select_option(str(committee))
    page.get_by_label("Date de la première rencontre").fill(f"{first_day:%Y-%m-%d}")
    page.get_by_label("Début").fill("09:30")
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_label("Lieu (adresse ou salle)").fill("CIUSSS, salle 2.14")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Publier et inviter").click()
    confirm(page)
    assert "Publiée" in page.locator(".flashes").inner_text()

    # The first meeting: prepare it, build and publish its agenda
    page.locator(".meeting-list li a").first.click()
    page.get_by_role("button", name="Préparer cette rencontre (ordre du jour, présences)").click()
    page.get_by_role("link", name="Ordre du jour", exact=True).click()
    page.get_by_label("Titre").fill("Trajectoires de référence")
    page.get_by_label("Durée (minutes)").fill("30")
    page.get_by_role("button", name="Ajouter le point").click()
    assert "Trajectoires de référence" in page.locator("main").inner_text()
    page.get_by_role("button", name="Publier l’ordre du jour et aviser les personnes invitées").click()
    confirm(page)
    assert page.locator(".flash-success").count() == 1 and page.locator(".flash-error").count() == 0
    first_meeting_url = page.url.removesuffix("/agenda")

    # Minutes with a decision and an action for the owner, circulated, then approved
    page.goto(first_meeting_url + "/minutes/edit")
    page.get_by_label("Notes générales").fill("Rencontre tenue en mode hybride.")
    page.get_by_label("Décision", exact=True).first.fill("Le comité adopte la trajectoire révisée.")
    page.get_by_label("Action", exact=True).first.fill("Rédiger la fiche de référence commune")
    page.get_by_label("Responsable", exact=True).first.select_option(label=owner_name)
    page.get_by_label("Échéance").first.fill(f"{first_day + timedelta(days=20):%Y-%m-%d}")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(first_meeting_url + "/minutes")
    page.locator("form[action$='/circulate'] button").click()
    confirm(page)
    page.locator("form[action$='/approve'] button").click()
    confirm(page)
    assert "Le procès-verbal est adopté et verrouillé." in page.locator(".flashes").inner_text()
    assert "Le comité adopte la trajectoire révisée." in page.locator("main").inner_text()
    assert page.locator("form[action$='/edit']").count() == 0  # locked: no editing any more
    page.screenshot(path=str(tmp_path / "minutes.png"), full_page=True)

    # The next meeting's agenda follows the open action
    series_link = page.url.split("/meetings/")[0] + "/meetings/"
    page.goto(series_link)
    page.get_by_role("link", name=committee_name).click()
    page.locator(".meeting-list li a").nth(1).click()
    page.get_by_role("button", name="Préparer cette rencontre (ordre du jour, présences)").click()
    page.get_by_role("link", name="Ordre du jour", exact=True).click()
    followed = page.locator("main").inner_text()
    assert "Suivi des actions" in followed and "Rédiger la fiche de référence commune" in followed

    # The owner sees it in "Mes actions", on a phone
    page = phone()
    log_in_browser(page, email_of(app, owner))
    menu(page, "Mes actions")
    assert "Rédiger la fiche de référence commune" in page.locator("main").inner_text()
    assert_fits_phone(page, "my-actions-phone", tmp_path)
