"""The leak scan sees every channel: each test here leaks a participant code on purpose, and the scan must
find it (`expect_leak`); the rest of the suite runs under the same scan and must leak nothing."""

from __future__ import annotations

import logging
from email.message import EmailMessage

import pytest

from coord.extensions import db
from coord.referrals.models import Participant
from tests.directory.factories import make_organization, make_person

CODE = "SPH-2026-0999"


def _participant(app) -> None:
    organization_id = make_organization(app, is_partner=True)
    person_id = make_person(app, organization_id=organization_id)
    with app.app_context():
        db.session.add(
            Participant(
                code=CODE,
                code_year=2026,
                code_number=999,
                age_at_intake=16,
                organization_id=organization_id,
                intervenant_id=person_id,
                recognizes_harms=True,
                voluntary=True,
            )
        )
        db.session.commit()


@pytest.mark.expect_leak
def test_a_code_in_a_url_is_found(app, client):
    _participant(app)
    client.get(f"/healthz?q={CODE}")


@pytest.mark.expect_leak
def test_a_code_in_a_log_line_is_found(app):
    _participant(app)
    logging.getLogger("coord.anything").warning("participant %s", CODE)


@pytest.mark.expect_leak
def test_a_code_in_an_email_is_found(app):
    _participant(app)
    message = EmailMessage()
    message["Subject"] = "Référence"
    message.set_content(f"Le dossier {CODE} attend une réponse — é à")  # non-ASCII: encoded on the wire
    with app.app_context():
        from coord.notify import mail

        mail.deliver(message)


def test_the_scan_knows_the_codes_written_so_far(app, leak_scan):
    _participant(app)
    assert CODE in leak_scan.values
