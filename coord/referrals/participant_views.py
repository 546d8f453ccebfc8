"""Participants and their consents: "Mes participant·es", record, the page, change, close, reopen, the
access log, record and withdraw a consent. Thin routes: the services check, change and audit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm
from coord.core.ids import int_arg
from coord.core.localtime import local_today
from coord.referrals import consents, participants, registers
from coord.referrals.participant_forms import (
    CLOSING_LABELS,
    CONSENT_FORM_LABELS,
    GENDER_LABELS,
    GIVER_LABELS,
    PURPOSE_LABELS,
    REFERRAL_STATE_LABELS,
    ConsentRecordForm,
    ParticipantCloseForm,
    ParticipantEditForm,
    ParticipantForm,
)
from coord.referrals.register_views import what_labels

bp = Blueprint("referrals_participants", __name__, url_prefix="/participants")

LABELS = {
    "gender": dict(GENDER_LABELS),
    "closing": dict(CLOSING_LABELS),
    "purpose": dict(PURPOSE_LABELS),
    "form": dict(CONSENT_FORM_LABELS),
    "giver": dict(GIVER_LABELS),
    "state": dict(REFERRAL_STATE_LABELS),
}


def _to_participant(participant_ref: str, anchor: str | None = None):
    return redirect(
        url_for("referrals_participants.participant", participant_ref=participant_ref, _anchor=anchor),
        code=303,
    )


@bp.get("/")
@login_required
def index():
    mine = participants.my_participants(current_actor())
    return render_template("referrals/participants/index.html", mine=mine, labels=LABELS)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    participants.creation_allowed(current_actor())
    form = ParticipantForm()
    if form.validate_on_submit():
        try:
            participant = participants.create_participant(current_actor(), form.data_for_service())
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The file is recorded."), "success")
            return _to_participant(participant.ref)
    status = 400 if request.method == "POST" else 200
    return render_template("referrals/participants/new.html", form=form), status


@bp.get("/<ref:participant_ref>")
@login_required
def participant(participant_ref: str):
    page = participants.participant_page(current_actor(), participant_ref)
    return render_template(
        "referrals/participants/participant.html", page=page, labels=LABELS, reopen_form=ConfirmForm()
    )


@bp.route("/<ref:participant_ref>/edit", methods=["GET", "POST"])
@login_required
def edit(participant_ref: str):
    found = participants.editable_participant(current_actor(), participant_ref)
    form = ParticipantEditForm()
    if request.method == "GET":
        form.fill_from(found)
    elif form.validate_on_submit():
        try:
            participants.change_participant(current_actor(), participant_ref, form.data_for_service())
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The changes are saved."), "success")
            return _to_participant(participant_ref)
    status = 400 if request.method == "POST" else 200
    return render_template("referrals/participants/edit.html", form=form, participant=found), status


@bp.route("/<ref:participant_ref>/close", methods=["GET", "POST"])
@login_required
def close(participant_ref: str):
    found = participants.editable_participant(current_actor(), participant_ref)
    form = ParticipantCloseForm()
    if request.method == "GET":
        form.closed_on.data = local_today()
    elif form.validate_on_submit():
        try:
            participants.close_participant(
                current_actor(), participant_ref, form.closed_on.data, form.reason.data or ""
            )
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The file is closed."), "info")
            return _to_participant(participant_ref)
    status = 400 if request.method == "POST" else 200
    return render_template("referrals/participants/close.html", form=form, participant=found), status


@bp.post("/<ref:participant_ref>/reopen")
@login_required
def reopen(participant_ref: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    participants.reopen_participant(current_actor(), participant_ref)
    flash(_("The file is open again."), "info")
    return _to_participant(participant_ref)


@bp.get("/<ref:participant_ref>/access")
@login_required
def access(participant_ref: str):
    actor = current_actor()
    page = participants.access_log(actor, participant_ref, int_arg("page", 1) or 1)
    disclosures = registers.disclosures_of(actor, page.participant.id) if page.pagination.page == 1 else None
    return render_template(
        "referrals/participants/access.html",
        page=page,
        disclosures=disclosures,
        what_labels=what_labels(),
        purpose_labels=dict(PURPOSE_LABELS),
    )


@bp.route("/<ref:participant_ref>/consents/new", methods=["GET", "POST"])
@login_required
def consent_new(participant_ref: str):
    found, organizations = consents.consent_form_page(current_actor(), participant_ref)
    form = ConsentRecordForm().offer(organizations)
    if request.method == "GET":
        form.given_on.data = local_today()
    elif form.validate_on_submit():
        try:
            consents.record_consent(current_actor(), participant_ref, form.data_for_service())
        except ServiceError as error:
            show_error(error, form, aliases={"form": "form_kind"})
        else:
            flash(_("The consent is recorded."), "success")
            return _to_participant(participant_ref, "consents")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "referrals/participants/consent_new.html", form=form, participant=found, organizations=organizations
    ), status


@bp.route("/consents/<ref:consent_ref>/withdraw", methods=["GET", "POST"])
@login_required
def consent_withdraw(consent_ref: str):
    consent = consents.withdrawable_consent(current_actor(), consent_ref)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        suspended = consents.withdraw_consent(current_actor(), consent_ref)
        flash(_("The consent is withdrawn."), "info")
        if suspended:
            flash(
                ngettext(
                    "%(num)d referral is suspended: no consent covers it any more.",
                    "%(num)d referrals are suspended: no consent covers them any more.",
                    len(suspended),
                ),
                "info",
            )
        return _to_participant(consent.participant.ref, "consents")
    return render_template(
        "referrals/participants/consent_withdraw.html", form=form, consent=consent, labels=LABELS
    )
