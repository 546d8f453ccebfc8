"""The registers: disclosures (with its CSV export), confidentiality incidents, purges (coordinator)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.ids import int_arg
from coord.referrals import registers
from coord.referrals.register_forms import (
    PURPOSE_LABELS,
    RISK_LABELS,
    DisclosureFilterForm,
    IncidentForm,
)

bp = Blueprint("referrals_registers", __name__, url_prefix="/registers")


def what_labels() -> dict[str, str]:
    return {
        "referral_summary": _("Referral summary"),
        "referral": _("Referral"),
        "conference": _("Case conference"),
        "follow_up": _("Follow-up information"),
    }


@bp.get("/")
@login_required
def index():
    runs = registers.purge_runs(current_actor())
    return render_template("referrals/registers/index.html", runs=runs)


def _filters(form: DisclosureFilterForm) -> registers.DisclosureFilter:
    return registers.DisclosureFilter(
        since=form.since.data,
        until=form.until.data,
        organization_id=form.organization_id(),
        purpose=form.purpose.data or "",
    )


@bp.get("/disclosures")
@login_required
def disclosures():
    form = DisclosureFilterForm(request.args)
    form.offer(registers.disclosure_organizations(current_actor()))
    page_number = int_arg("page", 1)
    if page_number < 1 or page_number > 100_000:
        abort(404)
    context = {"form": form, "what_labels": what_labels(), "purpose_labels": PURPOSE_LABELS}
    if request.args and not form.validate():
        return render_template("referrals/registers/disclosures.html", page=None, **context), 400
    try:
        page = registers.disclosures_page(current_actor(), _filters(form), page_number)
    except ServiceError as error:
        show_error(error, form)
        return render_template("referrals/registers/disclosures.html", page=None, **context), 400
    filter_args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "referrals/registers/disclosures.html", page=page, filter_args=filter_args, **context
    )


@bp.get("/disclosures.csv")
@login_required
def disclosures_csv():
    form = DisclosureFilterForm(request.args)
    form.offer(registers.disclosure_organizations(current_actor()))
    if request.args and not form.validate():
        abort(400)
    header = [
        _("When"),
        _("Participant"),
        _("What"),
        _("Purpose"),
        _("From"),
        _("To"),
        _("To (person)"),
        _("Consent given on"),
        _("Consent expires on"),
        _("By"),
    ]
    try:
        body = registers.export_disclosures(current_actor(), _filters(form), header)
    except ServiceError:
        abort(400)
    filename = registers.export_filename(_filters(form))
    return Response(
        "\ufeff" + body,  # a BOM, so that spreadsheets read the accents as UTF-8
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/incidents")
@login_required
def incidents():
    rows = registers.incidents_page(current_actor())
    return render_template("referrals/registers/incidents.html", rows=rows, risk_labels=RISK_LABELS)


def _incident_data(form: IncidentForm) -> registers.IncidentData:
    return registers.IncidentData(**{name: getattr(form, name).data for name in IncidentForm.data_fields()})


def _form_page(form: IncidentForm, incident=None, status: int = 200):
    return render_template("referrals/registers/incident_form.html", form=form, incident=incident), status


@bp.route("/incidents/new", methods=["GET", "POST"])
@login_required
def new_incident():
    registers.check_incident_manager(current_actor())
    form = IncidentForm()
    if request.method == "GET":
        return _form_page(form)
    if not form.validate_on_submit():
        return _form_page(form, status=400)
    try:
        registers.record_incident(current_actor(), _incident_data(form))
    except ServiceError as error:
        show_error(error, form)
        return _form_page(form, status=400)
    flash(_("The incident is recorded in the register."), "success")
    return redirect(url_for("referrals_registers.incidents"))


@bp.route("/incidents/<ref:incident_ref>", methods=["GET", "POST"])
@login_required
def incident(incident_ref: str):
    found = registers.get_incident(current_actor(), incident_ref)
    form = IncidentForm()
    if request.method == "GET":
        form.fill(found)
        return _form_page(form, found)
    if not form.validate_on_submit():
        return _form_page(form, found, status=400)
    try:
        registers.change_incident(current_actor(), incident_ref, _incident_data(form))
    except ServiceError as error:
        show_error(error, form)
        return _form_page(form, found, status=400)
    flash(_("The incident is updated."), "success")
    return redirect(url_for("referrals_registers.incidents"))
