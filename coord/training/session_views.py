"""Catalogue, plan and session pages: the annual plan, a session (signed in and public), the public list, the
catalogue and its modules, the coordinator's session and module forms, confirm and cancel. Thin: parse,
call one service, render or redirect; bad input is a 400 with the form's messages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm
from coord.i18n import current_language
from coord.training import catalogue, session_pages
from coord.training import sessions as session_services
from coord.training.blueprint import bp, public_bp
from coord.training.dates import register_filters
from coord.training.models import MAX_PARTS
from coord.training.session_forms import CancelSessionForm, ModuleForm, SessionForm

ALIASES = {"location": "place", "title": "module_id"}
NEW_ROWS = 2  # a new session's form starts with two part rows
bp.record_once(register_filters)


def _year() -> int | None:
    raw = request.args.get("year", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


@bp.get("/")
@login_required
def plan():
    page = session_pages.plan(current_actor(), _year())
    return render_template("training/plan.html", page=page)


@bp.get("/sessions/<session_ref>")
@login_required
def session(session_ref: str):
    page = session_pages.session_page(current_actor(), session_ref)
    return render_template("training/session.html", page=page, confirm_form=ConfirmForm())


def _session_form(choices, formdata=True) -> SessionForm:
    form = SessionForm() if formdata else SessionForm(formdata=None)
    form.module_id.choices = [(0, gettext("Choose…")), *choices.modules]
    form.trainer_ids.choices = choices.trainers
    return form


def _adding_part(form) -> bool:
    """The "Add a part" button: one more empty row, nothing saved."""
    if "add_part" not in request.form:
        return False
    form.pad_parts(len(form.parts) + 1)
    return True


def _render_form(form, choices, status: int = 200):
    failed = status == 400
    page = render_template(
        "training/session_form.html", form=form, choices=choices, failed=failed, max_parts=MAX_PARTS
    )
    return page, status


@bp.route("/sessions/new", methods=["GET", "POST"])
@login_required
def new_session():
    request_ref = (request.values.get("request") or "")[:24]
    choices = session_pages.form_choices(current_actor(), None, request_ref, current_language())
    if request.method == "GET":
        form = _session_form(choices, formdata=False)
        form.pad_parts(NEW_ROWS)
        if choices.request is not None:  # its details are shown beside the form, never copied to the notes
            form.module_id.data = choices.request.module_id
            form.request.data = choices.request.ref
        return _render_form(form, choices)
    form = _session_form(choices)
    if _adding_part(form):
        return _render_form(form, choices)
    if not form.validate():
        return _render_form(form, choices, 400)
    try:
        created = session_services.create(current_actor(), form.to_input(), form.request.data or "")
    except ServiceError as error:
        show_error(error, form, ALIASES, on_form=True)
        return _render_form(form, choices, 400)
    flash(gettext("The session is planned."), "success")
    return redirect(url_for("training.session", session_ref=created.ref))


@bp.route("/sessions/<session_ref>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_ref: str):
    choices = session_pages.form_choices(current_actor(), session_ref, "", current_language())
    current = choices.session
    if choices.begun:
        flash(gettext("This session has begun: it can no longer be changed."), "error")
        return redirect(url_for("training.session", session_ref=session_ref)), 303
    if request.method == "GET":
        form = _session_form(choices, formdata=False)
        form.process(formdata=None, obj=current)
        form.module_id.choices = [(0, gettext("Choose…")), *choices.modules]
        form.trainer_ids.choices = choices.trainers
        form.trainer_ids.data = [t.id for t in current.trainers]
        existing = session_pages.local_parts(current)
        form.pad_parts(len(existing) + 1)
        for row, (day, start, end) in zip(form.parts, existing, strict=False):
            row.form.day.data, row.form.start.data, row.form.end.data = day, start, end
        form.registration_opens.data = session_pages.local_date(current.registration_opens_at)
        form.registration_closes.data = session_pages.closing_date(current.registration_closes_at)
        return _render_form(form, choices)
    form = _session_form(choices)
    if _adding_part(form):
        return _render_form(form, choices)
    if not form.validate():
        return _render_form(form, choices, 400)
    try:
        session_services.change(current_actor(), current.id, form.to_input())
    except ServiceError as error:
        show_error(error, form, ALIASES, on_form=True)
        return _render_form(form, choices, 400)
    flash(gettext("The session is saved."), "success")
    return redirect(url_for("training.session", session_ref=session_ref))


@bp.post("/sessions/<session_ref>/confirm")
@login_required
def confirm_session(session_ref: str):
    form = ConfirmForm()
    if not form.validate():
        flash(gettext("The form expired: try again."), "error")
        return redirect(url_for("training.session", session_ref=session_ref)), 303
    try:
        session_services.confirm_by_ref(current_actor(), session_ref)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(url_for("training.session", session_ref=session_ref)), 303
    flash(gettext("The session is confirmed."), "success")
    return redirect(url_for("training.session", session_ref=session_ref)), 303


@bp.route("/sessions/<session_ref>/cancel", methods=["GET", "POST"])
@login_required
def cancel_session(session_ref: str):
    step = session_pages.cancel_step(current_actor(), session_ref)
    back = url_for("training.session", session_ref=session_ref)
    if step is None:
        flash(gettext("This session is cancelled already."), "info")
        return redirect(back), 303
    form = CancelSessionForm()
    if request.method == "POST":
        if form.validate():
            try:
                session_services.cancel_by_ref(current_actor(), session_ref, form.reason.data)
            except ServiceError as error:
                show_error(error, form)
            else:
                flash(gettext("The session is cancelled; everyone concerned is told."), "success")
                return redirect(back), 303
        return render_template(
            "training/session_cancel.html", step=step, action=request.path, back=back, form=form
        ), 400
    form = CancelSessionForm(formdata=None)
    return render_template(
        "training/session_cancel.html", step=step, action=request.path, back=back, form=form
    )


@bp.get("/modules")
@login_required
def modules():
    page = catalogue.catalogue_page(current_actor())
    return render_template("training/catalogue.html", page=page)


@bp.get("/modules/<module_code>")
@login_required
def module(module_code: str):
    page = catalogue.module_page(current_actor(), module_code)
    return render_template("training/catalogue_module.html", page=page)


@bp.route("/modules/<module_code>/edit", methods=["GET", "POST"])
@login_required
def edit_module(module_code: str):
    page = catalogue.module_form_page(current_actor(), module_code)
    if request.method == "GET":
        form = ModuleForm(formdata=None, obj=page["module"])
        form.prerequisite_ids.choices = page["choices"]
        form.prerequisite_ids.data = [m.id for m in page["module"].prerequisites]
        return render_template("training/catalogue_edit.html", page=page, form=form)
    form = ModuleForm()
    form.prerequisite_ids.choices = page["choices"]
    if form.validate():
        try:
            catalogue.update_module(current_actor(), module_code, form.data)
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(gettext("The module is saved."), "success")
            return redirect(url_for("training.module", module_code=module_code)), 303
    return render_template("training/catalogue_edit.html", page=page, form=form), 400


@public_bp.get("/")
def sessions():
    rows = session_pages.public_sessions()
    return render_template("training/public_sessions.html", rows=rows)


@public_bp.get("/<session_ref>")
def session(session_ref: str):  # noqa: F811  (the public blueprint's endpoint of the same name)
    page = session_pages.public_session(session_ref, current_actor())
    return render_template("training/public_session.html", page=page)
