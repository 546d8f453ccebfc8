"""Agenda pages: read the agenda; editors add, change, delete, move and reorder items, and publish it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm
from coord.core.ids import MAX_ID
from coord.meetings import agenda as items
from coord.meetings import agenda_page, agenda_publication
from coord.meetings.agenda_forms import KIND_LABELS, AgendaItemForm

bp = Blueprint("meetings_agenda", __name__, url_prefix="/meetings")


def _page(meeting_id: int, form: AgendaItemForm | None = None, status: int = 200):
    """The agenda page; editors get the add form (the one given, with its errors, or a blank one)."""
    found = agenda_page.agenda_for(current_actor(), meeting_id)
    if form is None:
        form = AgendaItemForm(formdata=None)
        form.set_presenters(found.invitees)
    page = render_template(
        "meetings/agenda.html",
        agenda=found,
        meeting=found.meeting,
        form=form,
        confirm_form=ConfirmForm(),
        kind_labels=KIND_LABELS,
    )
    return page, status


def _is_id(value: str) -> bool:
    return 0 < len(value) <= 10 and value.isascii() and value.isdigit() and int(value) <= MAX_ID


def _to_agenda(meeting_id: int, anchor: str | None = None):
    return redirect(url_for("meetings_agenda.agenda", meeting_id=meeting_id, _anchor=anchor), code=303)


@bp.get("/<int:meeting_id>/agenda")
@login_required
def agenda(meeting_id: int):
    return _page(meeting_id)


@bp.post("/<int:meeting_id>/agenda/items")
@login_required
def add(meeting_id: int):
    found = agenda_page.item_form(current_actor(), meeting_id)
    form = AgendaItemForm()
    form.set_presenters(found.presenters)
    if form.validate_on_submit():
        try:
            item = items.add_item(current_actor(), meeting_id, form.data_for_service())
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The item is added."), "success")
            return _to_agenda(meeting_id, f"item-{item.id}")
    return _page(meeting_id, form, 400)


@bp.route("/<int:meeting_id>/agenda/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int, item_id: int):
    found = agenda_page.item_form(current_actor(), meeting_id, item_id)
    form = AgendaItemForm()
    form.set_presenters(found.presenters, found.item.presenter)
    if request.method == "GET":
        form.fill_from(found.item)
    elif form.validate_on_submit():
        try:
            items.update_item(current_actor(), meeting_id, item_id, form.data_for_service())
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The changes are saved."), "success")
            return _to_agenda(meeting_id, f"item-{item_id}")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "meetings/agenda_item_form.html", form=form, item=found.item, meeting=found.meeting
    ), status


@bp.post("/<int:meeting_id>/agenda/items/<int:item_id>/delete")
@login_required
def delete(meeting_id: int, item_id: int):
    try:
        items.delete_item(current_actor(), meeting_id, item_id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return _page(meeting_id, status=400)
    flash(_("The item is deleted."), "success")
    return _to_agenda(meeting_id, "agenda-items")


@bp.post("/<int:meeting_id>/agenda/items/<int:item_id>/move")
@login_required
def move(meeting_id: int, item_id: int):
    try:
        items.move_item(current_actor(), meeting_id, item_id, request.form.get("direction", ""))
    except ServiceError as error:
        flash(str(error.message), "error")
        return _page(meeting_id, status=400)
    return _to_agenda(meeting_id, f"item-{item_id}")


@bp.post("/<int:meeting_id>/agenda/reorder")
@login_required
def reorder(meeting_id: int):
    """The whole order at once: item_ids=<id>&item_ids=<id>..., each of the meeting's items once."""
    raw = request.form.getlist("item_ids")
    if len(raw) > items.MAX_ITEMS or not all(_is_id(value) for value in raw):
        abort(400)
    try:
        items.reorder(current_actor(), meeting_id, [int(value) for value in raw])
    except ServiceError as error:
        flash(str(error.message), "error")
        return _page(meeting_id, status=400)
    flash(_("The new order is saved."), "success")
    return _to_agenda(meeting_id, "agenda-items")


@bp.post("/<int:meeting_id>/agenda/publish")
@login_required
def publish(meeting_id: int):
    try:
        count = agenda_publication.publish_agenda(current_actor(), meeting_id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return _page(meeting_id, status=400)
    flash(_("The agenda is sent to %(count)d invitees.", count=count), "success")
    return _to_agenda(meeting_id)
