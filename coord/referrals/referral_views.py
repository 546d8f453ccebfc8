"""Referrals between partner organizations: send, read, answer, withdraw, close; the lists; intake people."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm
from coord.referrals import board, intake_admin, referrals
from coord.referrals.referral_forms import LABELS, CloseForm, DeclineForm, IntakeAddForm, SendForm
from coord.referrals.referrals import ReferralConflict, ReferralData

bp = Blueprint("referrals", __name__, url_prefix="/referrals")


def _conflict(error: ReferralConflict):
    return render_template("referrals/referrals/conflict.html", message=error.message), 409


# Sending -----------------------------------------------------------------------------------------------


def _organization_id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


@bp.route("/new/<ref:participant_ref>", methods=["GET", "POST"])
@login_required
def new(participant_ref: str):
    try:
        page = referrals.send_page(current_actor(), participant_ref)
    except ServiceError as error:
        flash(str(error.message), "error")
        return render_template("referrals/referrals/closed.html"), 409
    form = SendForm()
    form.set_organizations(page.organizations, page.covered)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            data = ReferralData(
                organization_id=_organization_id(form.organization.data),
                services=list(form.services.data or []),
                services_other=form.services_other.data or "",
                needs=list(form.needs.data or []),
                urgency=form.urgency.data or "",
                note=form.note.data or "",
            )
            try:
                referral = referrals.send_referral(current_actor(), participant_ref, data)
            except ServiceError as error:
                show_error(error, form, on_form=True)
            else:
                flash(_("The referral is sent. The receiving organization is told."), "success")
                return redirect(url_for("referrals.referral", referral_ref=referral.ref))
    return render_template(
        "referrals/referrals/new.html", form=form, participant=page.participant, labels=LABELS
    ), status


# One referral ------------------------------------------------------------------------------------------


def _page(referral_ref: str, decline_form=None, close_form=None, status: int = 200):
    page = referrals.referral_page(current_actor(), referral_ref)
    return render_template(
        "referrals/referrals/referral.html",
        page=page,
        referral=page.referral,
        decline_form=decline_form or DeclineForm(formdata=None),
        close_form=close_form or CloseForm(formdata=None),
        confirm_form=ConfirmForm(),
        labels=LABELS,
        overdue=referrals.is_overdue(page.referral),
    ), status


@bp.get("/<ref:referral_ref>")
@login_required
def referral(referral_ref: str):
    return _page(referral_ref)


@bp.post("/<ref:referral_ref>/accept")
@login_required
def accept(referral_ref: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        referrals.accept(current_actor(), referral_ref)
    except ReferralConflict as error:
        return _conflict(error)
    flash(_("The referral is accepted. The sender is told."), "success")
    return redirect(url_for("referrals.referral", referral_ref=referral_ref))


@bp.post("/<ref:referral_ref>/decline")
@login_required
def decline(referral_ref: str):
    form = DeclineForm()
    if not form.validate_on_submit():
        return _page(referral_ref, decline_form=form, status=400)
    try:
        referrals.decline(current_actor(), referral_ref, form.reason.data, form.note.data or "")
    except ReferralConflict as error:
        return _conflict(error)
    except ServiceError as error:
        show_error(error, form, on_form=True)
        return _page(referral_ref, decline_form=form, status=400)
    flash(_("The referral is declined. The sender is told."), "info")
    return redirect(url_for("referrals.incoming"))


@bp.route("/<ref:referral_ref>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(referral_ref: str):
    if request.method == "GET":
        try:
            found = referrals.withdraw_confirmation(current_actor(), referral_ref)
        except ReferralConflict as error:
            return _conflict(error)
        return render_template("referrals/referrals/withdraw.html", referral=found, form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        referrals.withdraw(current_actor(), referral_ref)
    except ReferralConflict as error:
        return _conflict(error)
    flash(_("The referral is withdrawn. The receiving organization is told."), "info")
    return redirect(url_for("referrals.referral", referral_ref=referral_ref))


@bp.post("/<ref:referral_ref>/close")
@login_required
def close(referral_ref: str):
    form = CloseForm()
    if not form.validate_on_submit():
        return _page(referral_ref, close_form=form, status=400)
    try:
        referrals.close(current_actor(), referral_ref, form.outcome.data, form.feedback.data or "")
    except ReferralConflict as error:
        return _conflict(error)
    except ServiceError as error:
        show_error(error, form, on_form=True)
        return _page(referral_ref, close_form=form, status=400)
    flash(_("The referral is closed. The sender is told."), "success")
    return redirect(url_for("referrals.incoming"))


# Lists -------------------------------------------------------------------------------------------------


@bp.get("/incoming")
@login_required
def incoming():
    page = board.incoming(current_actor())
    return render_template("referrals/referrals/incoming.html", page=page, labels=LABELS)


@bp.get("/sent")
@login_required
def sent():
    page = board.sent(current_actor())
    return render_template("referrals/referrals/sent.html", page=page, labels=LABELS)


@bp.get("/board", endpoint="board")
@login_required
def board_page():
    try:
        page = board.board(current_actor(), request.args.get("state"), request.args.get("organization"))
    except ServiceError:
        abort(400)
    return render_template("referrals/referrals/board.html", page=page, labels=LABELS)


# Intake people -----------------------------------------------------------------------------------------


def _intake(form=None, status: int = 200):
    rows = intake_admin.intake_page(current_actor())
    form = form or IntakeAddForm(formdata=None)
    return render_template("referrals/referrals/intake.html", rows=rows, form=form), status


@bp.get("/intake")
@login_required
def intake():
    return _intake()


@bp.post("/intake")
@login_required
def intake_add():
    form = IntakeAddForm()
    if not form.validate_on_submit():
        intake_admin.intake_page(current_actor())  # a refusal (403) before a form message
        flash(_("Choose a person from the list."), "error")
        return _intake(form, 400)
    try:
        intake_admin.add_intake(
            current_actor(), _organization_id(form.organization_id.data), form.person_id.data
        )
    except ServiceError as error:
        flash(str(error.message), "error")
        return _intake(form, 400)
    flash(_("The intake person is added."), "success")
    return redirect(url_for("referrals.intake"))


@bp.route("/intake/<int:intake_id>/remove", methods=["GET", "POST"])
@login_required
def intake_remove(intake_id: int):
    row = intake_admin.get_intake(current_actor(), intake_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        intake_admin.remove_intake(current_actor(), intake_id)
        flash(_("The intake person is removed."), "info")
        return redirect(url_for("referrals.intake"))
    return render_template("referrals/referrals/intake_remove.html", row=row, form=form)
