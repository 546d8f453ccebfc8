"""Agenda and minutes as printable HTML and PDF: the PDF's text (read by pypdf) holds what matters."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from coord.core.localtime import utcnow
from coord.demo import seed_demo
from coord.extensions import db
from coord.meetings.models import Meeting, Minutes
from coord.modules import MODULES
from tests.directory.factories import email_of, make_person
from tests.support import logged_in


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def demo_meetings(app) -> tuple[int, int]:
    with app.app_context():
        seed_demo(MODULES, "demo-sphères-2026")
        approved = db.session.scalars(sa.select(Minutes).where(Minutes.state == "approved")).first()
        upcoming = db.session.scalar(
            sa.select(Meeting).where(Meeting.agenda_published_at.is_not(None), Meeting.starts_at > utcnow())
        )
        return approved.meeting_id, upcoming.id


def test_approved_minutes_pdf_holds_the_decisions_and_the_attendance(app, client):
    past_id, _ = demo_meetings(app)
    logged_in(client, "partner@demo.coord.test", "demo-sphères-2026")  # a member reads approved minutes
    response = client.get(f"/meetings/{past_id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    content = pdf_text(response.data)
    assert "Procès-verbal" in content
    assert "Les formations du printemps auront lieu en mars et en avril" in content
    # "Présent·e·s :" with a non-breaking space before the colon (OQLF), never "Présent·e:"
    present = re.split(r"Présent·e·s[\u00a0 ]:", content)[1].split("Absent·e·s")[0]
    assert "Nathalie Coordonnatrice" in present and "Élodie Partenaire" in present
    assert "Sophie Policière" in (
        re.split(r"Excusé·e·s[\u00a0 ]:", content)[1] if "Sophie Policière" not in present else present
    )
    assert "Rédiger la fiche de référence commune" in content  # an action item with its owner
    assert "Karim Intervenant" in content
    # In the reader's language: the same minutes for an English reader
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 302
    english = pdf_text(client.get(f"/meetings/{past_id}/minutes.pdf").data)
    assert "Minutes" in english and "Summary of decisions" in english and "Procès-verbal" not in english
    assert "Les formations du printemps auront lieu en mars et en avril" in english  # content as written


def test_agenda_print_and_pdf(app, client):
    _, next_id = demo_meetings(app)
    logged_in(client, "intervenant@demo.coord.test", "demo-sphères-2026")
    page = client.get(f"/meetings/{next_id}/agenda/print")
    assert page.status_code == 200 and "print.css" in page.get_data(as_text=True)
    content = pdf_text(client.get(f"/meetings/{next_id}/agenda.pdf").data)
    assert "Ordre du jour" in content
    assert "Bilan des références du trimestre" in content and "09:30" not in content  # "9 h 30" (OQLF)
    assert "9\u00a0h\u00a030" in content or "9 h 30" in content
    assert "Rédiger la fiche de référence commune" in content  # open action carried forward
    assert "Durée (min)" in content and "Procès-verbal" not in content  # "Minutes", the duration column


def test_documents_follow_the_permissions(app, client):
    past_id, next_id = demo_meetings(app)
    outsider = make_person(app)
    logged_in(client, email_of(app, outsider))
    for path in (
        f"/meetings/{past_id}/minutes.pdf",
        f"/meetings/{next_id}/agenda.pdf",
        f"/meetings/{past_id}/minutes/print",
    ):
        assert client.get(path).status_code == 403, path
    assert client.get("/meetings/999999/minutes.pdf").status_code == 404
    with app.app_context():
        minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == past_id))
        minutes.state = "draft"
        db.session.commit()
    member = app.test_client()
    logged_in(member, "partner@demo.coord.test", "demo-sphères-2026")
    assert member.get(f"/meetings/{past_id}/minutes.pdf").status_code == 403  # drafts: editors only
    editor = app.test_client()
    logged_in(editor, "coordinator@demo.coord.test", "demo-sphères-2026")
    assert editor.get(f"/meetings/{past_id}/minutes.pdf").status_code == 200
