"""A meeting's minutes: read, edit (refused on a stale revision, with the text kept), circulate, approve,
correct, comment, history and comparison of two revisions (thin: parse, call one service, render)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm
from coord.core.ids import int_arg
from coord.meetings import minutes, minutes_page, minutes_revisions
from coord.meetings.minutes import StaleMinutes
from coord.meetings.minutes_forms import (
    CommentForm,
    action_rows,
    decision_rows,
    item_notes,
    limit_rows,
    minutes_form,
)
from coord.meetings.minutes_page import MinutesPage

bp = Blueprint("meetings_minutes", __name__, url_prefix="/meetings/<int:meeting_id>/minutes")

ROWS_CUT = {
    "decisions": _l("At most 200 decisions per meeting."),
    "actions": _l("At most 200 actions per meeting."),
}


def _to_view(meeting_id: int):
    return redirect(url_for("meetings_minutes.view", meeting_id=meeting_id))


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _view_page(page: MinutesPage, comment_form: CommentForm | None = None, status: int = 200):
    return render_template(
        "meetings/minutes.html",
        page=page,
        comment_form=comment_form or CommentForm(formdata=None),
        confirm_form=ConfirmForm(),
    ), status


@bp.get("")
@login_required
def view(meeting_id: int):
    return _view_page(minutes_page.read_page(current_actor(), meeting_id))


def _save(form, page: MinutesPage, correcting: bool):
    args = (
        form.base_revision.data,
        form.general.data or "",
        item_notes(form, page),
        decision_rows(form),
        action_rows(form),
    )
    if correcting:
        return minutes.correct_minutes(current_actor(), page.meeting.id, *args, reason=form.reason.data or "")
    return minutes.save_minutes(current_actor(), page.meeting.id, *args)


def _form_page(page: MinutesPage, correcting: bool):
    """GET: the form filled from the minutes. POST: save, or show the person's text again with the reason."""
    if request.method == "GET":
        form = minutes_form(page, correcting=correcting)
        return render_template("meetings/minutes_form.html", page=page, form=form, correcting=correcting)
    formdata, cut = limit_rows(request.form)
    form = minutes_form(page, correcting=correcting, formdata=formdata)
    valid = form.validate()
    form.form_errors.extend(str(ROWS_CUT[name]) for name in cut)
    status, stale = 400, None
    if valid and not cut:
        try:
            saved = _save(form, page, correcting)
        except StaleMinutes as error:
            status, stale = 409, error
        except ServiceError as error:
            show_error(error, form, on_form=True)
        else:
            flash(_("The minutes are saved (revision %(number)d).", number=saved.revision), "success")
            return _to_view(page.meeting.id)
    return render_template(
        "meetings/minutes_form.html", page=page, form=form, correcting=correcting, stale=stale
    ), status


@bp.route("/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    page = minutes_page.edit_page(current_actor(), meeting_id)
    if request.method == "GET" and page.locked:
        flash(_("Approved minutes are locked: the coordinator can make a correction."), "info")
        return _to_view(meeting_id)
    return _form_page(page, correcting=False)


@bp.route("/correct", methods=["GET", "POST"])
@login_required
def correct(meeting_id: int):
    try:
        page = minutes_page.correction_page(current_actor(), meeting_id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return _to_view(meeting_id)
    return _form_page(page, correcting=True)


@bp.post("/circulate")
@login_required
def circulate(meeting_id: int):
    _confirmed()
    try:
        count = minutes.circulate(current_actor(), meeting_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The minutes are circulated: %(count)d people were told by e-mail.", count=count), "success")
    return _to_view(meeting_id)


@bp.post("/approve")
@login_required
def approve(meeting_id: int):
    _confirmed()
    adopted_at = request.form.get("adopted_at", "")
    if adopted_at and not (adopted_at.isdigit() and len(adopted_at) <= 10):
        flash(_("Choose a meeting of the committee held after this one."), "error")
        return _to_view(meeting_id)
    try:
        minutes.approve(current_actor(), meeting_id, int(adopted_at) if adopted_at else None)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The minutes are approved and locked."), "success")
    return _to_view(meeting_id)


@bp.post("/comments")
@login_required
def comment(meeting_id: int):
    form = CommentForm()
    try:
        minutes.add_comment(current_actor(), meeting_id, form.text.data or "")
    except ServiceError as error:
        form.text.errors = [str(error.message)]
        return _view_page(minutes_page.read_page(current_actor(), meeting_id), comment_form=form, status=400)
    flash(_("Your comment is added."), "success")
    return _to_view(meeting_id)


@bp.get("/history")
@login_required
def history(meeting_id: int):
    found = minutes_revisions.history_page(current_actor(), meeting_id)
    return render_template("meetings/minutes_history.html", page=found.page, revisions=found.revisions)


@bp.get("/compare")
@login_required
def compare(meeting_id: int):
    found = minutes_revisions.compare_page(current_actor(), meeting_id, int_arg("a"), int_arg("b"))
    return render_template("meetings/minutes_compare.html", page=found.page, comparison=found.comparison)
