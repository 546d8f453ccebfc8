"""Session pages (blueprint `outreach_sessions`): the coordinator's request page and its actions, a
presenter's sessions, and the requester's cancel / reschedule by signed link. Thin: parse, call one
service, render or redirect. A conflict (the time was taken, someone acted first) is a 409 with its
message; a bad value a 400 with the form's message."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.localtime import LOCAL_TZ
from coord.outreach import session_pages, workflow
from coord.outreach.booking import BookingConflict
from coord.outreach.session_forms import (
    FORM_FIELDS,
    CancelForm,
    ConfirmSessionForm,
    DeclineForm,
    LinkCancelForm,
    LinkRescheduleForm,
    OutcomeForm,
    RescheduleForm,
    local_span,
)
from coord.outreach.session_labels import LABELS, spoken_datetime, spoken_time
from coord.outreach.settings import current as current_settings
from coord.outreach.workflow import StateConflict

bp = Blueprint("outreach_sessions", __name__, url_prefix="/outreach")
CONFLICTS = (BookingConflict, StateConflict)


@bp.record_once
def _labels(state) -> None:
    """The words for states, milieux, formats... for these pages and the link partial."""
    state.app.jinja_env.globals["outreach_labels"] = LABELS
    state.app.jinja_env.filters["outreach_when"] = spoken_datetime
    state.app.jinja_env.filters["outreach_time"] = spoken_time


@bp.app_template_global("outreach_link_actions")
def _link_actions(outreach_request) -> dict:
    return session_pages.link_actions(outreach_request)


def _presenter_choices(form, page) -> None:
    form.presenters.choices = [(p.id, p.person.display_name) for p in page.presenters]


def _forms(page, **given) -> dict:
    """Every form of the page, blank unless given (a failed one comes back with its errors)."""
    req = page.request
    settings_minutes = current_settings().session_minutes
    confirm = given.get("confirm_form") or ConfirmSessionForm(formdata=None)
    reschedule = given.get("reschedule_form") or RescheduleForm(formdata=None)
    for form in (confirm, reschedule):
        _presenter_choices(form, page)
    if "confirm_form" not in given:
        start = req.starts_at or (req.windows[0].starts_at if req.windows else None)
        slot = session_pages.find_suggestion(request.args.get("slot", "")[:40])
        if slot is not None:
            start = slot.starts_at
            confirm.presenters.data = [slot.presenter_id]
        elif req.presenters:
            confirm.presenters.data = [p.id for p in req.presenters]
        if start is not None:
            local = start.astimezone(LOCAL_TZ)
            confirm.day.data, confirm.start_time.data = local.date(), local.time()
        minutes = settings_minutes
        if req.starts_at and req.ends_at and slot is None:
            minutes = int((req.ends_at - req.starts_at).total_seconds() // 60)
        confirm.duration_minutes.data = minutes
        confirm.video_url.data = req.video_url
    if "reschedule_form" not in given and req.starts_at is not None:
        local = req.starts_at.astimezone(LOCAL_TZ)
        reschedule.day.data, reschedule.start_time.data = local.date(), local.time()
        reschedule.duration_minutes.data = int((req.ends_at - req.starts_at).total_seconds() // 60)
        reschedule.presenters.data = [p.id for p in req.presenters]
        reschedule.video_url.data = req.video_url
        reschedule.sequence.data = str(req.sequence)
    return {
        "confirm_form": confirm,
        "reschedule_form": reschedule,
        "decline_form": given.get("decline_form") or DeclineForm(formdata=None),
        "cancel_form": given.get("cancel_form") or CancelForm(formdata=None),
        "outcome_form": given.get("outcome_form") or OutcomeForm(formdata=None),
    }


def _detail(ref: str, status: int = 200, **given):
    page = session_pages.detail_page(current_actor(), ref)
    return render_template(
        "outreach/session_detail.html", page=page, req=page.request, **_forms(page, **given)
    ), status


def _back(ref: str):
    return redirect(url_for("outreach_sessions.detail", ref=ref), code=303)


def _failed(ref: str, error: ServiceError, name: str, form):
    """Back to the page with the message: beside its field (400), or at the top for a conflict (409)."""
    if isinstance(error, CONFLICTS):
        flash(str(error.message), "error")
        return _detail(ref, 409)
    show_error(error, form, FORM_FIELDS, on_form=True)
    return _detail(ref, 400, **{name: form})


@bp.get("/requests/<ref:ref>")
@login_required
def detail(ref: str):
    return _detail(ref)


@bp.post("/requests/<ref:ref>/confirm")
@login_required
def confirm(ref: str):
    request_id = session_pages.request_id_for(ref)
    form = ConfirmSessionForm()
    if not form.validate_on_submit():
        return _detail(ref, 400, confirm_form=form)
    try:
        start, end = local_span(form.day.data, form.start_time.data, form.duration_minutes.data)
        workflow.confirm(
            current_actor(),
            request_id,
            start,
            end,
            list(form.presenters.data or []),
            form.video_url.data or "",
        )
    except ServiceError as error:
        return _failed(ref, error, "confirm_form", form)
    flash(gettext("The session is confirmed; the contact and the presenters are told."), "success")
    return _back(ref)


@bp.post("/requests/<ref:ref>/reschedule")
@login_required
def reschedule(ref: str):
    request_id = session_pages.request_id_for(ref)
    form = RescheduleForm()
    if not form.validate_on_submit():
        return _detail(ref, 400, reschedule_form=form)
    seen = form.sequence.data or ""
    try:
        start, end = local_span(form.day.data, form.start_time.data, form.duration_minutes.data)
        workflow.reschedule(
            current_actor(),
            request_id,
            start,
            end,
            list(form.presenters.data or []),
            video_url=form.video_url.data or "",
            seen_sequence=int(seen) if seen.isascii() and seen.isdigit() and len(seen) < 9 else None,
            note=form.note.data or "",
        )
    except ServiceError as error:
        return _failed(ref, error, "reschedule_form", form)
    flash(gettext("The session is moved; the contact and the presenters are told."), "success")
    return _back(ref)


@bp.post("/requests/<ref:ref>/decline")
@login_required
def decline(ref: str):
    request_id = session_pages.request_id_for(ref)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _detail(ref, 400, decline_form=form)
    try:
        workflow.decline(current_actor(), request_id, form.reason.data or "")
    except ServiceError as error:
        return _failed(ref, error, "decline_form", form)
    flash(gettext("The request is declined; the contact is told."), "success")
    return _back(ref)


@bp.post("/requests/<ref:ref>/cancel")
@login_required
def cancel(ref: str):
    """The program cancels (the coordinator), or a signed-in requester cancels their own request."""
    request_id = session_pages.request_id_for(ref)
    form = CancelForm()
    if not form.validate_on_submit():
        return _detail(ref, 400, cancel_form=form)
    by = "requester" if request.form.get("by") == "requester" else "program"
    try:
        workflow.cancel(current_actor(), request_id, by, form.reason.data or "")
    except ServiceError as error:
        return _failed(ref, error, "cancel_form", form)
    flash(gettext("The session is cancelled; everyone concerned is told."), "success")
    return _back(ref)


@bp.post("/requests/<ref:ref>/outcome")
@login_required
def outcome(ref: str):
    request_id = session_pages.request_id_for(ref)
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _detail(ref, 400, outcome_form=form)
    try:
        workflow.record_outcome(
            current_actor(),
            request_id,
            workflow.Outcome(
                form.people_reached.data,
                list(form.audiences.data or []),
                form.notes.data or "",
                bool(form.wants_training.data),
                form.questions_to_route.data or "",
            ),
        )
    except ServiceError as error:
        return _failed(ref, error, "outcome_form", form)
    flash(gettext("The outcome is recorded."), "success")
    return _back(ref)


@bp.get("/sessions/mine")
@login_required
def mine():
    return render_template("outreach/session_mine.html", page=session_pages.my_sessions(current_actor()))


# By signed link ----------------------------------------------------------------------------------------


def _to_link(token: str):
    return redirect(f"/outreach/follow/{token}", code=303)


def _link_failed(token: str, error: ServiceError | None, form, action: str):
    outreach_request = session_pages.by_link(token)
    status = 400
    if isinstance(error, CONFLICTS):
        status = 409
        form.form_errors.append(str(error.message))
    elif error is not None:
        show_error(error, form, {"windows": "note"}, on_form=True)
    return render_template(
        "outreach/session_link_action.html", form=form, action=action, token=token, req=outreach_request
    ), status


@bp.post("/follow/<token>/cancel")
def link_cancel(token: str):
    session_pages.by_link(token)
    form = LinkCancelForm()
    if not form.validate_on_submit():
        return _link_failed(token, None, form, "cancel")
    try:
        session_pages.link_cancel(token, form.reason.data or "")
    except ServiceError as error:
        return _link_failed(token, error, form, "cancel")
    flash(gettext("Your request is cancelled. The program is told."), "success")
    return _to_link(token)


@bp.post("/follow/<token>/reschedule")
def link_reschedule(token: str):
    session_pages.by_link(token)
    form = LinkRescheduleForm()
    if not form.validate_on_submit():
        return _link_failed(token, None, form, "reschedule")
    try:
        session_pages.link_ask_reschedule(token, form.window_data(), form.note.data or "")
    except ServiceError as error:
        return _link_failed(token, error, form, "reschedule")
    flash(gettext("Your new times are sent. The program will confirm a new time by e-mail."), "success")
    return _to_link(token)
