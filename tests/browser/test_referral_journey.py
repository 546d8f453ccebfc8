"""In Chromium, on the demo data: an intervenant records a participant and a consent, refers them to FMV;
FMV's intake person reads the summary, accepts, reads the whole referral; the intervenant plans a case
conference inviting her, with an agenda and minutes; she reads them; the consent is withdrawn and every one
of those pages refuses her at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from coord.core.localtime import LOCAL_TZ, utcnow
from coord.demo import seed_demo
from coord.extensions import db
from coord.referrals.models import Participant, Referral
from tests.browser.steps import confirm
from tests.support import PASSWORD, assert_fits_phone, log_in_browser

pytestmark = pytest.mark.browser

KARIM = "intervenant@demo.coord.test"
ELODIE = "partner@demo.coord.test"
NOTE = "Préfère être jointe en après-midi, par texto seulement."
DECISION = "FMV offre un suivi individuel dès la semaine prochaine."


def switch_to(page, email: str) -> None:
    """Log out through the header's button, then log in as someone else."""
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    log_in_browser(page, email)


def flashes(page) -> str:
    """The flash messages (the page's main text when there is none, to say what went wrong)."""
    found = page.locator(".flashes")
    return found.inner_text() if found.count() else "no message: " + main_text(page)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_referral_conference_and_withdrawal_journey(app, page, phone, tmp_path):
    with app.app_context():
        seed_demo(list(app.extensions["coord_modules"]), PASSWORD)
    page.set_default_timeout(20_000)
    log_in_browser(page, KARIM)

    # 1. Karim records a participant: the file page shows the code, the address does not carry it
    page.get_by_role("link", name="Participant·e·s").click()
    page.get_by_role("link", name="Inscrire un·e participant·e").click()
    page.get_by_label("Âge à l'accueil").fill("16")
    page.get_by_label("Reconnaît les torts subis").check()
    page.get_by_label("Participe de son plein gré, même si elle n'est pas encore prête à changer").check()
    page.get_by_role("button", name="Inscrire", exact=True).click()
    page.wait_for_load_state()
    assert "Le dossier est ouvert." in flashes(page)
    code = page.locator("h1").inner_text().split()[0]
    assert code.startswith("SPH-")
    assert code not in page.url
    participant_url = page.url.split("#")[0]
    with app.app_context():
        participant = db.session.scalar(sa.select(Participant).where(Participant.code == code))
        assert participant is not None and participant.ref in participant_url

    # … a written consent for referrals and case conferences, naming FMV and the SPVM
    page.get_by_role("link", name="Enregistrer un consentement").click()
    page.get_by_label("Écrit").check()
    page.get_by_label("Référence vers l'organisme").check()
    page.get_by_label("Rencontre de concertation").check()
    page.get_by_label("Fondation Marie-Vincent", exact=True).check()
    page.get_by_label("Service de police de la Ville de Montréal", exact=True).check()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    page.wait_for_load_state()
    assert "Le consentement est enregistré." in flashes(page)
    consents = page.locator("#consents").inner_text()
    assert "Fondation Marie-Vincent" in consents and "Service de police de la Ville de Montréal" in consents

    # … and a referral to FMV with a confidential note
    page.get_by_role("link", name="Envoyer une référence").click()
    page.get_by_label("Organisme qui reçoit").select_option(label="Fondation Marie-Vincent")
    page.get_by_label("Suivi individuel").check()
    page.get_by_label("Bien-être").check()
    page.get_by_label("D'ici 72 heures").check()
    page.get_by_label("Note confidentielle").fill(NOTE)
    page.get_by_role("button", name="Envoyer la référence").click()
    page.wait_for_load_state()
    assert "La référence est envoyée." in flashes(page)
    referral_url = page.url
    with app.app_context():
        referral = db.session.scalar(sa.select(Referral).where(Referral.participant_id == participant.id))
        assert referral.state == "sent" and referral.ref in referral_url

    # 2. Élodie (FMV intake) finds it among the incoming referrals: a summary without the note
    switch_to(page, ELODIE)
    page.get_by_role("link", name="Références", exact=True).click()
    row = page.locator(f"#waiting li[data-referral='{referral.ref}']")
    assert code in row.inner_text()
    row.get_by_role("link", name=code).click()
    summary = main_text(page)
    assert code in summary and "Suivi individuel" in summary and "D'ici 72 heures" in summary
    assert NOTE not in summary
    assert "Ceci est un résumé." in summary
    page.get_by_role("button", name="Accepter").click()
    page.wait_for_load_state()
    assert "La référence est acceptée." in flashes(page)
    whole = main_text(page)
    assert "La référence complète" in whole and NOTE in whole and "Bien-être" in whole
    with app.app_context():
        assert db.session.get(Referral, referral.id).state == "accepted"

    # 3. Karim plans a case conference from the participant's page, inviting Élodie
    switch_to(page, KARIM)
    page.goto(participant_url)
    page.get_by_role("link", name="Planifier une rencontre de concertation").click()
    day = (utcnow().astimezone(LOCAL_TZ) + timedelta(days=3)).date()
    page.get_by_label("Titre (confidentiel : montré seulement aux personnes invitées)").fill(
        "Concertation FMV – suivi"
    )
    page.get_by_label("Date").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("Début").fill("10:00")
    page.get_by_label("Durée (minutes)").fill("60")
    page.get_by_label("Lieu (adresse ou salle)").fill("En Marge 12-17, salle de rencontre")
    page.get_by_label("Élodie Partenaire (FMV)").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert "La rencontre de concertation est planifiée" in flashes(page)
    conference_url = page.url
    assert "Élodie Partenaire (FMV)" in page.locator("#invitees").inner_text()

    # … an agenda item, then the minutes (general notes and a decision), circulated to the invitees
    page.locator("#conference-record").get_by_role("link", name="Ordre du jour").click()
    page.get_by_label("Titre").fill("Plan de suivi à FMV")
    page.get_by_label("Durée (minutes)").fill("20")
    page.get_by_role("button", name="Ajouter le point").click()
    page.wait_for_load_state()
    assert "Plan de suivi à FMV" in main_text(page)
    agenda_url = page.url.split("#")[0]
    page.goto(conference_url)
    page.locator("#conference-record").get_by_role("link", name="Procès-verbal").click()
    page.get_by_role("link", name="Rédiger le procès-verbal").click()
    page.get_by_label("Notes générales").fill("Rencontre tenue par visioconférence.")
    page.get_by_label("Décision", exact=True).first.fill(DECISION)
    page.get_by_role("button", name="Enregistrer le procès-verbal").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Faire circuler aux personnes invitées").click()
    confirm(page)
    assert DECISION in main_text(page)
    minutes_url = page.url

    # 4. Élodie opens the conference and its minutes
    switch_to(page, ELODIE)
    page.get_by_role("link", name="Mes rencontres de concertation").click()
    page.get_by_role("link", name="Concertation FMV – suivi").click()
    assert page.url == conference_url
    assert "Concertation FMV – suivi" in page.locator("h1").inner_text()
    page.locator("#conference-record").get_by_role("link", name="Ordre du jour").click()
    assert "Plan de suivi à FMV" in main_text(page)
    page.goto(conference_url)
    page.locator("#conference-record").get_by_role("link", name="Procès-verbal").click()
    minutes = main_text(page)
    assert DECISION in minutes and "Rencontre tenue par visioconférence." in minutes
    page.goto(conference_url)
    page.get_by_role("link", name="Le dossier du ou de la participant·e").click()
    assert code in page.locator("h1").inner_text()
    assert page.url.split("#")[0] == participant_url

    # 5. Karim withdraws the consent, after a confirmation page
    switch_to(page, KARIM)
    page.goto(participant_url)
    page.get_by_role("link", name="Retirer ce consentement").click()
    assert "Retirer un consentement" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Retirer le consentement").click()
    page.wait_for_load_state()
    assert "Le consentement est retiré." in flashes(page)
    assert "1 référence est suspendue" in flashes(page)
    with app.app_context():
        assert db.session.get(Referral, referral.id).state == "suspended"

    # … and Élodie's access is gone everywhere, at once
    switch_to(page, ELODIE)
    for url in (referral_url, participant_url, conference_url, agenda_url, minutes_url):
        response = page.goto(url)
        assert response.status == 403, url
        assert "Accès refusé" in page.locator("h1").inner_text(), url
        assert code not in main_text(page) and NOTE not in main_text(page)
    page.screenshot(path=str(tmp_path / "referral-journey-refused.png"), full_page=True)

    # The intervenant's pages fit a phone
    small = phone()
    log_in_browser(small, KARIM)
    small.goto(participant_url)
    assert "Retiré" in small.locator("#consents").inner_text()
    assert_fits_phone(small, "participant-after-withdrawal", tmp_path)
    small.goto(conference_url)
    invitees = small.locator("#invitees").inner_text()  # uninvited (with a CANCEL) when the consent went
    assert "Élodie" not in invitees and "Karim" in invitees
    assert_fits_phone(small, "conference", tmp_path)
    small.goto(referral_url)
    assert_fits_phone(small, "referral-suspended", tmp_path)
