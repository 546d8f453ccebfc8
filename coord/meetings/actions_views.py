"""Action items: "Mes actions", a committee's list, and marking an action done, cancelled or open again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.csv_export import csv_response
from coord.core.errors import ServiceError
from coord.core.localtime import local_today
from coord.errors import render_error
from coord.meetings import actions, register
from coord.meetings.minutes_forms import STATUS_CHOICES, ActionForm, DoneForm

bp = Blueprint("meetings_actions", __name__, url_prefix="/actions")


def _mine(errors: dict | None = None, status: int = 200):
    page = actions.my_actions_page(current_actor())
    return render_template(
        "actions/mine.html",
        rows=page.rows,
        updatable=page.updatable,
        today=local_today(),
        errors=errors or {},
        status_labels=dict(STATUS_CHOICES),
    ), status


def _committee(committee_id: int, shown: str, errors: dict | None = None, status: int = 200):
    try:
        page = actions.committee_actions(current_actor(), committee_id, shown)
    except ServiceError:
        abort(400)
    return render_template(
        "actions/committee.html",
        committee=page.committee,
        rows=page.rows,
        updatable=page.updatable,
        shown=page.shown,
        statuses=actions.STATUSES,
        today=local_today(),
        errors=errors or {},
        status_labels=dict(STATUS_CHOICES),
    ), status


@bp.get("/mine")
@login_required
def mine():
    return _mine()


@bp.get("/committee/<int:committee_id>")
@login_required
def committee(committee_id: int):
    return _committee(committee_id, request.args.get("status", "open"))


@bp.get("/committee/<int:committee_id>.csv")
@login_required
def committee_csv(committee_id: int):
    try:
        body = register.export_actions(current_actor(), committee_id, request.args.get("status", "all"))
    except ServiceError as error:
        return render_error(400, error.message)
    return csv_response(body, register.export_filename("actions", committee_id))


def _back(form: ActionForm, action):
    if form.back.data == "committee" and action.committee_id is not None:
        return redirect(url_for("meetings_actions.committee", committee_id=action.committee_id))
    return redirect(url_for("meetings_actions.mine"))


def _refused(form: ActionForm, action, message: str):
    """The page the form came from again, with the message next to that action (status 400)."""
    submitted = (form.done_on.raw_data or [""])[0] if isinstance(form, DoneForm) else ""
    errors = {action.id: (message, submitted[:20])}
    if form.back.data == "committee" and action.committee_id is not None:
        return _committee(action.committee_id, "open", errors, 400)
    return _mine(errors, 400)


@bp.post("/<int:action_id>/done")
@login_required
def done(action_id: int):
    action = actions.updatable_action(current_actor(), action_id)
    form = DoneForm()
    if not form.validate_on_submit():
        return _refused(form, action, _("Give the date as YYYY-MM-DD."))
    try:
        actions.mark_done(current_actor(), action_id, form.done_on.data or local_today())
    except ServiceError as error:
        return _refused(form, action, str(error.message))
    flash(_("The action is marked done."), "success")
    return _back(form, action)


@bp.post("/<int:action_id>/cancel")
@login_required
def cancel(action_id: int):
    action = actions.updatable_action(current_actor(), action_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    actions.cancel_action(current_actor(), action_id)
    flash(_("The action is cancelled."), "info")
    return _back(form, action)


@bp.post("/<int:action_id>/reopen")
@login_required
def reopen(action_id: int):
    action = actions.updatable_action(current_actor(), action_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    actions.reopen(current_actor(), action_id)
    flash(_("The action is open again."), "info")
    return _back(form, action)
