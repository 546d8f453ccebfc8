"""Log in and out, second factor, forgotten password, invitations, confirming a new e-mail address."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from coord.core.errors import ServiceError
from coord.core.forms import ConfirmForm
from coord.core.gates import open_before_second_factor
from coord.core.redirects import safe_next
from coord.directory import auth, devices, email_change, people, tokens
from coord.directory.forms import ForgotPasswordForm, LoginForm, SetPasswordForm, TotpForm
from coord.directory.models import Person
from coord.extensions import login_manager

bp = Blueprint("directory_auth", __name__)

PENDING_TOTP_SECONDS = 300


def configure_login_manager() -> None:
    login_manager.session_protection = None  # server-side sessions replace Flask-Login's fingerprint

    @login_manager.user_loader
    def load_user(user_id: str) -> Person | None:
        try:
            person_id = int(user_id)
        except (TypeError, ValueError):
            return None
        return auth.load_session(session.get("sid"), person_id)

    @login_manager.unauthorized_handler
    def unauthorized():
        if g.get("session_expired"):
            flash(_("Your session has expired. Log in again."), "info")
        else:
            flash(_("Log in to see this page."), "info")
        session.pop("_user_id", None)
        session.pop("sid", None)
        return redirect(url_for("directory_auth.login", next=safe_next(request.full_path.rstrip("?"))))


def _complete_login(person: Person, next_url: str | None):
    """Renew the session identifier, open a server-side session, sign the person in, and mark this browser
    as one of their known devices."""
    session.clear()
    grant = auth.start_session(person, auth.Client.of_request())
    session["sid"] = grant.token
    session["lang"] = person.preferred_language
    session.permanent = True
    login_user(person)
    if auth.totp_required(person) and not person.totp_enabled:
        flash(_("Your role requires a second factor. Set it up to continue."), "info")
        response = redirect(url_for("directory_account.totp_setup"))
    else:
        response = redirect(safe_next(next_url) or url_for("home.index"))
    response.set_cookie(
        devices.COOKIE,
        grant.device_cookie,
        max_age=devices.max_age(),
        path=devices.PATH,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure),
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        person = auth.check_password(form.email.data, form.password.data, auth.Client.of_request())
        if person is None:
            flash(_("The e-mail address or the password is incorrect."), "error")
            return render_template("auth/login.html", form=form), 200
        if person.totp_enabled:
            session.clear()
            session["pending_totp"] = {
                "p": person.id,
                "v": person.token_version,
                "t": int(time.time()),
                "n": safe_next(form.next.data),
            }
            return redirect(url_for("directory_auth.totp"))
        return _complete_login(person, form.next.data)
    return render_template("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
def totp():
    pending = session.get("pending_totp")
    person = (
        auth.person_for_second_factor(pending.get("p"), pending.get("v"))
        if isinstance(pending, dict)
        else None
    )
    if person is None or time.time() - pending.get("t", 0) > PENDING_TOTP_SECONDS:
        session.pop("pending_totp", None)
        flash(_("Log in again."), "info")
        return redirect(url_for("directory_auth.login"))
    form = TotpForm()
    if form.validate_on_submit():
        try:
            verified = auth.check_code(person, form.code.data, auth.Client.of_request())
        except auth.SecondFactorUnavailable:
            flash(
                _("Your second factor cannot be checked at the moment. Contact the program's coordination."),
                "error",
            )
            return render_template("auth/totp.html", form=form)
        if verified:
            return _complete_login(person, pending.get("n"))
        flash(_("This code is not valid. Try the current code from your app."), "error")
    return render_template("auth/totp.html", form=form)


@bp.post("/logout")
@open_before_second_factor
def logout():
    person = current_user._get_current_object() if current_user.is_authenticated else None
    auth.end_session(session.get("sid"), person)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("directory_auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        people.request_password_reset(form.email.data, auth.Client.of_request().address)
        flash(
            _("If an active account uses this address, a link to choose a new password has been sent to it."),
            "info",
        )
        return redirect(url_for("directory_auth.login"))
    return render_template("auth/forgot.html", form=form)


def _set_password_page(token: str, purpose: str, template: str, action: str, done_message: str):
    person = tokens.person_for_token(token, purpose)
    if person is None:
        return render_template("auth/token_invalid.html", purpose=purpose), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            auth.set_password(person, form.password.data, action, ends_links=purpose == tokens.RESET)
        except auth.PasswordRejected as rejected:
            form.password.errors = [str(problem) for problem in rejected.problems]
        else:
            flash(done_message, "success")
            return redirect(url_for("directory_auth.login"))
    return render_template(template, form=form, person=person)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page(
        token,
        tokens.RESET,
        "auth/reset.html",
        "auth.password_reset",
        _("Your password has been changed. Log in with the new one."),
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page(
        token,
        tokens.INVITE,
        "auth/invitation.html",
        "auth.invitation_accepted",
        _("Your password is set. You can now log in."),
    )


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@open_before_second_factor
def confirm_email(token: str):
    """The link mailed to a new address: GET shows what will change (mail scanners follow links), the
    POST confirms. Signed in or not: the link is the proof that the new address is the person's."""
    found = email_change.confirmation(token)
    if found is None:
        return render_template("auth/token_invalid.html", purpose=tokens.EMAIL_CHANGE), 404
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            person = email_change.confirm_email_change(token)
        except ServiceError as error:
            form.form_errors.append(str(error.message))
        else:
            if person is None:
                return render_template("auth/token_invalid.html", purpose=tokens.EMAIL_CHANGE), 404
            if current_user.is_authenticated and current_user.id == person.id:
                logout_user()  # the change ended the session server-side; forget it here too
                session.clear()
            flash(_("Your e-mail address is now %(email)s. Log in with it.", email=person.email), "success")
            return redirect(url_for("directory_auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/confirm_email.html", form=form, confirmation=found), status
