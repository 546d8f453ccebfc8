"""Registration pages: register oneself or someone, cancel (after a confirmation page), "My trainings", and
the public pages: the outside registration form, the verify, claim and follow links. Thin: parse, call one
service, render or redirect."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm, options
from coord.training import cancellation, offers, registration, registration_pages
from coord.training.blueprint import bp, public_bp
from coord.training.registration_forms import OutsideRegistrationForm, RegisterSomeoneForm


def _invalid_link():
    return render_template("training/registration_link_invalid.html"), 404


def _refused(error: ServiceError, status: int = 400):
    return render_template("training/registration_refused.html", message=str(error.message)), status


@bp.route("/sessions/<session_ref>/register", methods=["POST"])
@login_required
def register_self(session_ref: str):
    if not ConfirmForm().validate_on_submit():
        return render_template(
            "training/registration_refused.html", message=gettext("The form expired.")
        ), 400
    try:
        found = registration.register_self(current_actor(), registration_pages.session_id(session_ref))
    except ServiceError as error:
        return _refused(error)
    flash(_placed_message(found), "success")
    return redirect(url_for("training.session", session_ref=session_ref))


def _placed_message(found) -> str:
    if found.status == "registered":
        return gettext("You are registered. The confirmation is on its way by e-mail.")
    return gettext("The session is full: you are on the waiting list.")


@bp.route("/sessions/<session_ref>/register-someone", methods=["GET", "POST"])
@login_required
def register_other(session_ref: str):
    page = registration_pages.register_someone_page(current_actor(), session_ref)
    form = RegisterSomeoneForm()
    form.person.choices = options([(0, "—"), *page.people])
    if form.validate_on_submit():
        try:
            found = registration.register_other(current_actor(), page.session.id, form.person.data)
        except ServiceError as error:
            show_error(error, form, aliases={"session": "person"})
        else:
            flash(_placed_message(found), "success")
            return redirect(url_for("training.register_other", session_ref=session_ref))
    status = 400 if request.method == "POST" else 200
    return render_template("training/registration_someone.html", page=page, form=form), status


@bp.route("/registrations/<registration_ref>/cancel", methods=["GET", "POST"])
@login_required
def cancel_registration(registration_ref: str):
    if request.method == "GET":
        step, found = registration_pages.cancel_step(current_actor(), registration_ref)
        return render_template("confirm.html", step=step, action=request.path, back=url_for("training.mine"))
    if not ConfirmForm().validate_on_submit():
        return render_template(
            "training/registration_refused.html", message=gettext("The form expired.")
        ), 400
    try:
        cancellation.cancel(current_actor(), registration_ref)
    except ServiceError as error:
        return _refused(error)
    flash(gettext("The registration is cancelled."), "success")
    return redirect(url_for("training.mine"))


@bp.route("/registrations/<registration_ref>/claim", methods=["POST"])
@login_required
def claim_own(registration_ref: str):
    if not ConfirmForm().validate_on_submit():
        return render_template(
            "training/registration_refused.html", message=gettext("The form expired.")
        ), 400
    try:
        offers.claim_own(current_actor(), registration_ref)
    except ServiceError as error:
        return _refused(error, 409)
    flash(gettext("The seat is yours. The confirmation is on its way by e-mail."), "success")
    return redirect(url_for("training.mine"))


@bp.get("/mine")
@login_required
def mine():
    page = registration_pages.mine(current_actor())
    return render_template("training/registration_mine.html", page=page)


@public_bp.route("/<session_ref>/register", methods=["GET", "POST"])
def register(session_ref: str):
    session = registration_pages.public_session(session_ref)
    form = OutsideRegistrationForm()
    if request.method == "POST":
        registration.throttle_public_form(request.remote_addr or "")
    if form.validate_on_submit():
        data = registration.OutsideData(
            form.name.data,
            form.email.data,
            form.organization.data,
            form.language.data,
            form.website.data or "",
        )
        try:
            registration.register_outside(session_ref, data)
        except ServiceError as error:
            show_error(error, form, on_form=True)
        else:
            return render_template("training/registration_check_email.html", session=session)
    status = 400 if request.method == "POST" else 200
    full = registration_pages.is_full(session)
    return render_template("training/registration_public.html", session=session, form=form, full=full), status


@public_bp.route("/verify/<verify_token>", methods=["GET", "POST"])
def verify(verify_token: str):
    try:
        found = registration_pages.verify_page(verify_token)
    except NotFound:
        return _invalid_link()
    if request.method == "GET":
        return render_template("training/registration_verify.html", registration=found, form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        return render_template(
            "training/registration_refused.html", message=gettext("The form expired.")
        ), 400
    try:
        found = registration.verify(verify_token)
    except ServiceError as error:
        return _refused(error)
    return render_template("training/registration_verified.html", registration=found)


@public_bp.route("/claim/<claim_token>", methods=["GET", "POST"])
def claim(claim_token: str):
    try:
        page = registration_pages.claim_page(claim_token)
    except NotFound:
        return _invalid_link()
    if request.method == "GET" or page.refusal:
        status = 409 if request.method == "POST" else 200
        return render_template("training/registration_claim.html", page=page), status
    if not ConfirmForm().validate_on_submit():
        return render_template(
            "training/registration_refused.html", message=gettext("The form expired.")
        ), 400
    try:
        offers.claim(claim_token, current_actor())
    except ServiceError as error:
        page.refusal = str(error.message)
        return render_template("training/registration_claim.html", page=page), 409
    return render_template("training/registration_claimed.html", page=page)


@public_bp.route("/follow/<follow_token>", methods=["GET"])
def follow(follow_token: str):
    try:
        page = registration_pages.follow_page(follow_token)
    except NotFound:
        return _invalid_link()
    return render_template("training/registration_follow.html", page=page, token=follow_token)


@public_bp.route("/follow/<follow_token>/cancel", methods=["GET", "POST"])
def follow_cancel(follow_token: str):
    try:
        step, found = registration_pages.follow_cancel_step(follow_token)
    except NotFound:
        return _invalid_link()
    back = url_for("training_public.follow", follow_token=follow_token)
    if request.method == "GET":
        return render_template("confirm.html", step=step, action=request.path, back=back)
    if not ConfirmForm().validate_on_submit():
        return render_template(
            "training/registration_refused.html", message=gettext("The form expired.")
        ), 400
    try:
        cancellation.cancel_outside(follow_token)
    except ServiceError as error:
        return _refused(error)
    return redirect(back)


def home_card(person) -> Markup | None:
    """The card on the home page of someone with trainings to come (None for everyone else)."""
    summary = registration_pages.home_summary(person)
    if summary is None:
        return None
    return Markup(render_template("training/registration_home_card.html", summary=summary))  # noqa: S704
