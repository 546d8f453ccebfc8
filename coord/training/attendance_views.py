"""The registrant list and attendance of a session, its CSV export, attestation downloads and the public
check of a code. Thin: parse, call one service, render or redirect."""

from __future__ import annotations

from flask import Response, abort, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.csv_export import csv_response, csv_text
from coord.core.errors import ServiceError
from coord.core.forms import ConfirmForm
from coord.i18n import babel_locale, current_language
from coord.training import attendance, attestations, registrant_pages
from coord.training.blueprint import bp, public_bp

MARK_PREFIX = "attendance-"
MAX_MARKS = 1000


def _marks() -> dict[str, str]:
    marks = {
        key[len(MARK_PREFIX) :]: value for key, value in request.form.items() if key.startswith(MARK_PREFIX)
    }
    if len(marks) > MAX_MARKS:
        abort(400)
    return marks


@bp.route("/sessions/<session_ref>/registrants", methods=["GET", "POST"])
@login_required
def registrants(session_ref: str):
    """The registrant list (rule training.teach); its POST marks attendance."""
    actor = current_actor()
    form = ConfirmForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                attendance.mark_attendance(actor, session_ref, _marks())
            except ServiceError as error:
                form.form_errors.append(str(error.message))
                status = 400
            else:
                return redirect(url_for("training.registrants", session_ref=session_ref, saved=1), code=303)
        else:
            status = 400
    page = registrant_pages.registrants_page(actor, session_ref)
    saved = request.args.get("saved") == "1" and status == 200
    return render_template("training/registrants.html", page=page, form=form, saved=saved), status


@bp.get("/sessions/<session_ref>/registrants.csv")
@login_required
def registrants_csv(session_ref: str):
    session, header, rows = registrant_pages.csv_rows(current_actor(), session_ref)
    return csv_response(csv_text(header, rows), f"inscriptions-{session.ref}.csv")


public_bp.add_app_template_filter(attestations.hours_text, "training_hours")


def _pdf_response(facts: attestations.AttestationFacts) -> Response:
    """The PDF in the person's language (registration.language), whoever downloads it."""
    with force_locale(babel_locale(facts.language)):
        html = render_template("training/attestation_print.html", doc=facts)
    response = Response(attestations.pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="attestation-{facts.language}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/registrations/<registration_ref>/attestation.pdf")
@login_required
def attestation(registration_ref: str):
    """The attestation of one's own registration marked present (or any, for the coordinator)."""
    try:
        facts = attestations.for_reader(current_actor(), registration_ref)
    except attestations.NoAttestation:
        abort(404)
    return _pdf_response(facts)


@public_bp.get("/follow/<follow_token>/attestation.pdf")
def follow_attestation(follow_token: str):
    """An outside person's attestation, from their own page's signed link."""
    try:
        facts = attestations.for_follow_token(follow_token)
    except attestations.NoAttestation:
        abort(404)
    response = _pdf_response(facts)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public_bp.route("/attestations/verify", methods=["GET"])
def verify_attestation():
    """Anyone checks an attestation's code (no login): valid, unknown, or not a valid code."""
    code = request.args.get("code")
    verdict = None
    if code is not None:
        attestations.throttle_check(request.remote_addr or "")
        verdict = attestations.verify(code, current_language())
    response = make_response(
        render_template("training/attestation_verify.html", code=(code or "")[:40], verdict=verdict)
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response
