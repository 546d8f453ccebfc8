"""Attestation codes (checksum, grouping), the public check (valid, unknown, tampered; a code whose mark
became absent), its cap per address, and the PDF in the person's language for who may download it."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from coord.audit import AuditEntry
from coord.extensions import db
from coord.training import attestations, links
from tests.support import logged_in, post_form, text
from tests.training.factories_att import coordinator, make_person, make_session, register, registration


def _email(app, person_id):
    from coord.directory.models import Person

    with app.app_context():
        return db.session.get(Person, person_id).email


def _marked(app, language="fr", mark="present", outside=False):
    """A two-part session (2 × 3 h) given by a trainer, one registrant marked: (trainer, ref, person, reg)."""
    trainer = make_person(app, roles=("intervenant",), display_name="Formatrice Dubé")
    ref = make_session(app, module_code="mi-initial", parts=2, hours=3, capacity=5, trainer_ids=[trainer])
    person = None if outside else make_person(app, display_name="Élodie Tremblay")
    reg = register(app, ref, person, language=language, name="Élodie Tremblay")
    client = logged_in(app.test_client(), _email(app, trainer))
    assert (
        post_form(client, f"/training/sessions/{ref}/registrants", {f"attendance-{reg}": mark}).status_code
        == 303
    )
    return trainer, ref, person, reg


def _code(app, reg):
    with app.app_context():
        return registration(reg).attestation_code


def test_codes_are_grouped_and_checked(app):
    with app.test_request_context():
        code = attestations.new_code()
        shown = attestations.grouped(code)
        assert len(code) == 14 and shown.count("-") == 3 and len(shown) == 17
        assert attestations.normalized(shown.lower().replace("-", " ")) == code
        tampered = ("B" if code[0] != "B" else "C") + code[1:]
        assert attestations.normalized(tampered) is None
        assert attestations.normalized("not a code") is None
        assert attestations.normalized("") is None and attestations.normalized("A" * 500) is None


def test_the_public_check(app, client):
    _trainer, _ref, _person, reg = _marked(app)
    code = attestations.grouped(_code(app, reg))
    page = text(client.get("/trainings/attestations/verify", query_string={"code": code}))
    assert "Élodie Tremblay" in page and "présent·e" in page and "6\u00a0h" in page
    assert "entretien motivationnel" in page.lower()
    with app.test_request_context():
        unknown = attestations.grouped(attestations.new_code())
    page = text(client.get("/trainings/attestations/verify", query_string={"code": unknown}))
    assert "Aucune attestation" in page and "Élodie" not in page
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    page = text(client.get("/trainings/attestations/verify", query_string={"code": tampered}))
    assert "n'est pas valide" in page and "Élodie" not in page
    assert client.get("/trainings/attestations/verify", query_string={"code": "x" * 5000}).status_code == 200
    assert client.get("/trainings/attestations/verify").status_code == 200


def test_a_code_no_longer_verifies_once_marked_absent(app, client):
    trainer, ref, _person, reg = _marked(app)
    code = _code(app, reg)
    trainer_client = logged_in(app.test_client(), _email(app, trainer))
    post_form(trainer_client, f"/training/sessions/{ref}/registrants", {f"attendance-{reg}": "absent"})
    page = text(client.get("/trainings/attestations/verify", query_string={"code": code}))
    assert "Aucune attestation" in page and "Élodie" not in page


def test_the_check_is_capped_per_address(make_app, redis_url):
    app = make_app(
        REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url, TRAINING_VERIFY_PER_ADDRESS="2 per hour"
    )
    client = app.test_client()
    statuses = [client.get("/trainings/attestations/verify?code=ABCD").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    other = client.get(
        "/trainings/attestations/verify?code=ABCD", environ_overrides={"REMOTE_ADDR": "198.51.100.9"}
    )
    assert other.status_code == 200


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)


def test_the_pdf_in_french_and_english(app, client):
    _trainer, _ref, person, reg = _marked(app)
    logged_in(client, _email(app, person))
    content = _pdf_text(client.get(f"/training/registrations/{reg}/attestation.pdf"))
    assert "Élodie Tremblay" in content and "entretien motivationnel" in content.lower()
    assert "a assisté à la formation" in content and "Formatrice Dubé" in content
    assert attestations.grouped(
        _code(app, reg)
    ) in content and "/trainings/attestations/verify" in content.replace("\n", "")
    _trainer, _ref, person_en, reg_en = _marked(app, language="en")
    boss = logged_in(app.test_client(), _email(app, coordinator(app)))
    content = _pdf_text(boss.get(f"/training/registrations/{reg_en}/attestation.pdf"))
    assert (
        "Élodie Tremblay" in content
        and "motivational interviewing" in content.lower()
        and "attended the training" in content
    )
    with app.app_context():
        reads = db.session.scalar(
            sa.select(sa.func.count()).where(AuditEntry.action == "training.attestation.read")
        )
        assert reads == 2


def test_downloads_are_for_the_person_the_coordinator_and_the_follow_link(app, client):
    _trainer, _ref, person, reg = _marked(app, mark="partial")
    logged_in(client, _email(app, person))
    assert client.get(f"/training/registrations/{reg}/attestation.pdf").status_code == 404  # partly present
    _trainer, _ref, person, reg = _marked(app)
    stranger = logged_in(app.test_client(), _email(app, make_person(app)))
    assert stranger.get(f"/training/registrations/{reg}/attestation.pdf").status_code == 403
    assert app.test_client().get(f"/training/registrations/{reg}/attestation.pdf").status_code == 302
    _trainer, _ref, _none, outside = _marked(app, outside=True)
    with app.test_request_context():
        token = links.token_for(registration(outside), "follow")
    content = _pdf_text(app.test_client().get(f"/trainings/follow/{token}/attestation.pdf"))
    assert "Élodie Tremblay" in content
    assert app.test_client().get(f"/trainings/follow/{token}x/attestation.pdf").status_code == 404
