"""In Chromium, with e-mails going through a real SMTP server: an outside person registers for a full
training from the public page and lands on the waiting list; the partner who held the seat cancels from
"Mes formations"; the waiting person gets the seat offer by e-mail (read from the SMTP server), claims the
seat; the trainer marks attendance; the person's attestation PDF downloads from her page and its text names
her and the module."""

from __future__ import annotations

import email
import io
from datetime import timedelta
from email import policy

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from coord.core.localtime import utcnow
from coord.extensions import db
from coord.training import registration
from coord.training.models import Registration, SessionPart, TrainingSession
from tests.browser.steps import confirm
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import log_in_browser
from tests.training.factories_ses import make_session

pytestmark = pytest.mark.browser

OUTSIDE = "camille.roy@ecole-jeanne-mance.example"


@pytest.fixture
def app(make_app, smtp_server):
    """The app sending its e-mails to the test SMTP server (the outbox delivers them in-process)."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)


def _link(smtp_server, to: str, path: str, after: int = 0) -> str:
    """The first link to `path` in the latest e-mail to `to` received over SMTP, made relative."""
    for message in reversed(smtp_server.messages[after:]):
        if to in (message["To"] or ""):
            parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
            body = parsed.get_body(preferencelist=("plain",)).get_content()
            for word in body.split():
                if path in word:
                    return word[word.index(path) :].rstrip(".,)")
    raise AssertionError(f"no e-mail to {to} with a link to {path}")


def _status(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Registration.status).where(Registration.email == email))


def test_waiting_list_offer_claim_attendance_and_attestation(app, page, chromium, smtp_server):
    boss = make_person(app, roles=("coordinator",))
    trainer = make_person(app, roles=("intervenant",), display_name="Karim Trainer")
    partners = make_organization(app, is_partner=True)
    holder = make_person(app, roles=("intervenant",), organization_id=partners, display_name="Léa Tremblay")
    session_id = make_session(app, boss, days=5, capacity=1, audience="open", trainer_ids=[trainer])
    with app.app_context():
        from coord.directory.models import Person

        registration.register_self(db.session.get(Person, holder), session_id)
        ref = db.session.get(TrainingSession, session_id).ref

    # 1. Camille, of a school, finds the training on the public page: it is full; she joins the waiting list.
    outside = chromium.new_context(locale="fr-CA", base_url=app.config["PUBLIC_URL"]).new_page()
    outside.goto("/trainings/")
    outside.get_by_role("link", name="Les approches sensibles aux traumatismes").first.click()
    outside.get_by_role("link", name="S'inscrire sur la liste d'attente").click()
    outside.get_by_label("Votre nom").fill("Camille Roy")
    outside.get_by_label("Adresse courriel").fill(OUTSIDE)
    outside.get_by_label("Votre organisme").fill("École secondaire Jeanne-Mance")
    assert "Cette séance est complète" in outside.locator("main").inner_text()
    outside.get_by_role("button", name="S'inscrire sur la liste d'attente").click()
    outside.wait_for_load_state()
    assert _status(app, OUTSIDE) == "unverified"

    # 2. She confirms her address from the e-mail: she is first on the waiting list.
    outside.goto(_link(smtp_server, OUTSIDE, "/trainings/verify/"))
    outside.get_by_role("button", name="Confirmer mon inscription").click()
    outside.wait_for_load_state()
    assert _status(app, OUTSIDE) == "waiting"
    follow = _link(smtp_server, OUTSIDE, "/trainings/follow/")
    outside.goto(follow)
    assert "au rang 1" in outside.locator("main").inner_text()

    # 3. Léa, who held the seat, cancels from "Mes formations" (after the confirmation page).
    sent_before = len(smtp_server.messages)
    log_in_browser(page, email_of(app, holder))
    page.goto("/training/mine")
    page.get_by_role("button", name="Annuler mon inscription").first.click()
    confirm(page)
    assert _status(app, OUTSIDE) == "offered"

    # 4. Camille gets the offer by e-mail and takes the seat.
    outside.goto(_link(smtp_server, OUTSIDE, "/trainings/claim/", after=sent_before))
    outside.get_by_role("button", name="Prendre la place").click()
    outside.wait_for_load_state()
    assert _status(app, OUTSIDE) == "registered"

    # 5. The day comes (moved into the past here); the trainer marks her present.
    with app.app_context():
        for part in db.session.scalars(sa.select(SessionPart).where(SessionPart.session_id == session_id)):
            part.starts_at, part.ends_at = utcnow() - timedelta(hours=4), utcnow() - timedelta(hours=1)
        session = db.session.get(TrainingSession, session_id)
        session.starts_at, session.ends_at = utcnow() - timedelta(hours=4), utcnow() - timedelta(hours=1)
        db.session.commit()
    trainer_page = chromium.new_context(locale="fr-CA", base_url=app.config["PUBLIC_URL"]).new_page()
    log_in_browser(trainer_page, email_of(app, trainer))
    trainer_page.goto(f"/training/sessions/{ref}/registrants")
    trainer_page.locator("tr", has_text="Camille Roy").get_by_label("Présent·e", exact=True).check()
    trainer_page.get_by_role("button", name="Enregistrer les présences").click()
    trainer_page.wait_for_load_state()
    with app.app_context():
        marked = db.session.scalar(sa.select(Registration).where(Registration.email == OUTSIDE))
        assert marked.attendance == "present" and marked.attestation_code

    # 6. Her page offers the attestation; the PDF names her and the module.
    outside.goto(follow)
    with outside.expect_download() as download_info:
        outside.get_by_role("link", name="Télécharger votre attestation de participation (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Camille Roy" in words and "Les approches sensibles aux traumatismes" in words
    for other in (outside, trainer_page):
        other.context.close()
