"""Requests for a training: the form (public, or signed in), its thank-you page, and the coordinator's list,
request page and "decline with a reason" (a confirmation page at the action's own address). Thin."""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import options
from coord.i18n import current_language
from coord.training import training_requests
from coord.training.blueprint import bp, public_bp
from coord.training.request_forms import DeclineForm, TrainingRequestForm


@public_bp.app_template_filter("training_isodate")
def training_isodate(value: str) -> date:
    return date.fromisoformat(value)


def _form() -> TrainingRequestForm:
    form = TrainingRequestForm()
    language = current_language()
    form.module.choices = options(
        [("", "—")] + [(m.code, m.title(language)) for m in training_requests.modules()]
    )
    return form


def _data(form: TrainingRequestForm) -> training_requests.RequestData:
    return training_requests.RequestData(
        organization_name=form.organization_name.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        module_code=form.module.data or "",
        audience=form.audience.data or "",
        expected_size=form.expected_size.data,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        details=form.details.data or "",
        language=form.language.data or "fr",
        honeypot=form.website.data or "",
    )


@public_bp.route("/request", methods=["GET", "POST"])
def request_training():
    """Ask for a training: anyone (public page), or signed in (rule training.request, prefilled)."""
    actor = current_actor()
    form = _form()
    status = 200
    if request.method == "POST":
        if not current_user.is_authenticated:
            training_requests.throttle_address(request.remote_addr or "")
        if form.validate_on_submit():
            try:
                training_requests.create_request(actor, _data(form))
            except training_requests.Dropped:
                return redirect(url_for("training_public.request_sent"), code=303)
            except ServiceError as error:
                show_error(error, form, on_form=True)
                status = 400
            else:
                return redirect(url_for("training_public.request_sent"), code=303)
        else:
            status = 400
    else:
        for name, value in training_requests.prefill(actor).items():
            getattr(form, name).data = value
        form.language.data = current_language()
    return render_template("training/request_form.html", form=form), status


@public_bp.get("/request/sent")
def request_sent():
    return render_template("training/request_sent.html")


@bp.get("/requests")
@login_required
def requests():
    q = request.args.get("q", "")[:200]
    rows = training_requests.requests_list(current_actor(), q)
    return render_template("training/requests.html", rows=rows, q=q)


@bp.get("/requests/<request_ref>")
@login_required
def request_page(request_ref: str):
    page = training_requests.request_page(current_actor(), request_ref)
    return render_template("training/request_detail.html", row=page.row, made=page.session)


@bp.route("/requests/<request_ref>/decline", methods=["GET", "POST"])
@login_required
def decline_request(request_ref: str):
    """GET: the confirmation page with the reason to give; POST: decline."""
    actor = current_actor()
    form = DeclineForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                training_requests.decline(actor, request_ref, form.reason.data or "")
            except ServiceError as error:
                show_error(error, form, on_form=True)
                status = 400
            else:
                return redirect(url_for("training.request_page", request_ref=request_ref), code=303)
        else:
            status = 400
    step = training_requests.decline_step(actor, request_ref)
    back = url_for("training.request_page", request_ref=request_ref)
    return render_template(
        "training/request_decline.html", step=step, action=request.path, back=back, form=form
    ), status
