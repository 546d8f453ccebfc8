"""The coordinator's pages: the list of requests, presenters and their availability, the booking settings."""

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
from coord.outreach import admin_labels, admin_requests, admin_settings, presenters
from coord.outreach.admin_forms import LanguagesForm, PublishForm, SettingsForm, WindowForm

bp = Blueprint("outreach_admin", __name__, url_prefix="/outreach")
bp.record_once(admin_labels.register)


# Requests ------------------------------------------------------------------------------------------------


@bp.get("/requests")
@login_required
def requests():
    try:
        filters = admin_requests.check_filters(
            request.args.get("state"),
            request.args.get("q"),
            request.args.get("region"),
            request.args.get("milieu"),
        )
    except ServiceError:
        abort(400)
    page = admin_requests.requests_page(current_actor(), filters, int_arg("page", 1))
    return render_template("outreach/admin_requests.html", page=page, tabs=admin_requests.TABS)


# Presenters ----------------------------------------------------------------------------------------------


def _presenters(form: PublishForm | None = None, status: int = 200):
    page = presenters.presenters_page(current_actor())
    form = form or PublishForm(formdata=None, languages=["fr"])
    form.set_people(page.candidates)
    return render_template("outreach/admin_presenters.html", page=page, form=form), status


@bp.get("/presenters")
@login_required
def presenter_list():
    return _presenters()


@bp.post("/presenters")
@login_required
def publish():
    form = PublishForm()
    if not form.validate_on_submit():
        return _presenters(form, 400)
    try:
        presenter = presenters.publish(current_actor(), form.chosen_person(), form.languages.data or [])
    except ServiceError as error:
        show_error(error, form)
        return _presenters(form, 400)
    flash(
        _("%(name)s is now a presenter: add their availability.", name=presenter.person.display_name),
        "success",
    )
    return redirect(url_for("outreach_admin.presenter", presenter_id=presenter.id))


def _presenter(presenter_id: int, languages=None, window=None, status: int = 200):
    page = presenters.presenter_page(current_actor(), presenter_id)
    languages = languages or LanguagesForm(formdata=None, languages=page.presenter.languages.split(","))
    window = window or WindowForm(formdata=None)
    return (
        render_template(
            "outreach/admin_presenter.html", page=page, languages_form=languages, window_form=window
        ),
        status,
    )


@bp.get("/presenters/<int:presenter_id>")
@login_required
def presenter(presenter_id: int):
    return _presenter(presenter_id)


@bp.post("/presenters/<int:presenter_id>/languages")
@login_required
def languages(presenter_id: int):
    form = LanguagesForm()
    if not form.validate_on_submit():
        return _presenter(presenter_id, languages=form, status=400)
    try:
        presenters.set_languages(current_actor(), presenter_id, form.languages.data or [])
    except ServiceError as error:
        show_error(error, form)
        return _presenter(presenter_id, languages=form, status=400)
    flash(_("The languages are saved."), "success")
    return redirect(url_for("outreach_admin.presenter", presenter_id=presenter_id))


@bp.post("/presenters/<int:presenter_id>/windows")
@login_required
def add_window(presenter_id: int):
    form = WindowForm()
    if not form.validate_on_submit():
        return _presenter(presenter_id, window=form, status=400)
    try:
        presenters.add_window(
            current_actor(), presenter_id, form.chosen_weekday(), form.starts.data, form.ends.data
        )
    except ServiceError as error:
        show_error(error, form)
        return _presenter(presenter_id, window=form, status=400)
    flash(_("The availability is added."), "success")
    return redirect(url_for("outreach_admin.presenter", presenter_id=presenter_id) + "#availability")


@bp.post("/presenters/<int:presenter_id>/windows/<int:window_id>/remove")
@login_required
def remove_window(presenter_id: int, window_id: int):
    _checked_token()
    presenters.remove_window(current_actor(), presenter_id, window_id)
    flash(_("The availability is removed; sessions already booked in it stay."), "info")
    return redirect(url_for("outreach_admin.presenter", presenter_id=presenter_id) + "#availability")


@bp.post("/presenters/<int:presenter_id>/deactivate")
@login_required
def deactivate(presenter_id: int):
    _checked_token()
    ahead = presenters.deactivate(current_actor(), presenter_id)
    if ahead:
        flash(
            ngettext(
                "No longer offered. %(num)d session ahead is still theirs: reassign it if need be.",
                "No longer offered. %(num)d sessions ahead are still theirs: reassign them if need be.",
                ahead,
            ),
            "info",
        )
    else:
        flash(_("The presenter is no longer offered."), "info")
    return redirect(url_for("outreach_admin.presenter", presenter_id=presenter_id))


@bp.post("/presenters/<int:presenter_id>/reactivate")
@login_required
def reactivate(presenter_id: int):
    _checked_token()
    try:
        presenters.reactivate(current_actor(), presenter_id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("outreach_admin.presenter", presenter_id=presenter_id))
    flash(_("The presenter is offered again."), "success")
    return redirect(url_for("outreach_admin.presenter", presenter_id=presenter_id))


def _checked_token() -> None:
    """A button's form: its CSRF token and nothing else (400 without it)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


# Settings ------------------------------------------------------------------------------------------------


def _settings(form: SettingsForm | None = None, status: int = 200):
    settings = admin_settings.settings_page(current_actor())
    form = form or SettingsForm(formdata=None, obj=settings)
    return render_template("outreach/admin_settings.html", form=form), status


@bp.get("/settings")
@login_required
def settings():
    return _settings()


@bp.post("/settings")
@login_required
def save_settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings(form, 400)
    values = admin_settings.Values(**{name: form[name].data for name in admin_settings.BOUNDS})
    try:
        changed = admin_settings.update(current_actor(), values)
    except ServiceError as error:
        show_error(error, form)
        return _settings(form, 400)
    flash(
        _("The settings are saved.") if changed else _("Nothing changed."), "success" if changed else "info"
    )
    return redirect(url_for("outreach_admin.settings"))
