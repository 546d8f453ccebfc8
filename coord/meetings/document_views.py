"""GET /meetings/<id>/agenda/print, /agenda.pdf, /minutes/print, /minutes.pdf."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import login_required

from coord.core.actor import current_actor
from coord.i18n import current_language
from coord.meetings import documents

bp = Blueprint("meetings_documents", __name__, url_prefix="/meetings")


def _agenda_html(meeting_id: int, for_pdf: bool = False) -> str:
    document = documents.agenda_document(current_actor(), meeting_id)
    return render_template(
        "meetings/print/agenda.html", agenda=document, meeting=document.meeting, for_pdf=for_pdf
    )


def _minutes_html(meeting_id: int, for_pdf: bool = False) -> str:
    document = documents.minutes_document(current_actor(), meeting_id) or abort(404)
    return render_template(
        "meetings/print/minutes.html", doc=document, meeting=document.meeting, for_pdf=for_pdf
    )


def _pdf_response(html: str, name: str) -> Response:
    response = Response(documents.pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}-{current_language()}.pdf"'
    return response


@bp.get("/<int:meeting_id>/agenda/print")
@login_required
def agenda_print(meeting_id: int):
    return _agenda_html(meeting_id)


@bp.get("/<int:meeting_id>/agenda.pdf")
@login_required
def agenda_pdf(meeting_id: int):
    return _pdf_response(_agenda_html(meeting_id, for_pdf=True), f"ordre-du-jour-{meeting_id}")


@bp.get("/<int:meeting_id>/minutes/print")
@login_required
def minutes_print(meeting_id: int):
    return _minutes_html(meeting_id)


@bp.get("/<int:meeting_id>/minutes.pdf")
@login_required
def minutes_pdf(meeting_id: int):
    return _pdf_response(_minutes_html(meeting_id, for_pdf=True), f"proces-verbal-{meeting_id}")
