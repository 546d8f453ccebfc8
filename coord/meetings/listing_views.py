"""The meetings index and a committee's meetings (upcoming or past), with its quorum."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.csv_export import csv_response
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.meetings import attendance, listing, overview, register
from coord.meetings.blueprint import bp
from coord.meetings.forms import MeetingSearchForm, QuorumForm


@bp.get("/")
@login_required
def index():
    form = MeetingSearchForm(request.args)
    status = 200
    try:
        if request.args and not form.validate():
            raise ServiceError("", None)
        search = overview.parse_search(
            form.q.data or "", form.committee.data or "", form.start.data or "", form.end.data or ""
        )
        page = overview.overview(current_actor(), search)
    except ServiceError as error:
        if error.field:
            show_error(error, form)
        page, status = overview.overview(current_actor()), 400
    return render_template(
        "meetings/index.html", page=page, form=form, committees=page.committees, editable=page.can_create
    ), status


@bp.route("/committee/<int:committee_id>", methods=["GET"])
@login_required
def committee(committee_id: int):
    page = listing.committee_page(current_actor(), committee_id, past=request.args.get("past", "") == "1")
    form = QuorumForm(quorum=page.committee.quorum)
    return render_template("meetings/committee.html", page=page, committee=page.committee, quorum_form=form)


@bp.post("/committee/<int:committee_id>/quorum")
@login_required
def set_quorum(committee_id: int):
    form = QuorumForm()
    if form.validate():
        try:
            attendance.set_quorum(current_actor(), committee_id, form.quorum.data)
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(gettext("Quorum saved."), "success")
            return redirect(url_for("meetings.committee", committee_id=committee_id))
    page = listing.committee_page(current_actor(), committee_id, past=False)
    html = render_template("meetings/committee.html", page=page, committee=page.committee, quorum_form=form)
    return html, 400


@bp.get("/committee/<int:committee_id>/decisions")
@login_required
def decisions(committee_id: int):
    page = register.decision_register(current_actor(), committee_id)
    return render_template("meetings/decisions.html", page=page, committee=page.committee)


@bp.get("/committee/<int:committee_id>/decisions.csv")
@login_required
def decisions_csv(committee_id: int):
    body = register.export_decisions(current_actor(), committee_id)
    return csv_response(body, register.export_filename("decisions", committee_id))
