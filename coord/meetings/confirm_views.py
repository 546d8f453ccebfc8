"""The confirmation pages of the meetings' destructive or mass-mailing actions: GET at the action's own
address (its POST does the action). Thin: ask coord.meetings.confirmations, render templates/confirm.html."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.confirm import Step
from coord.core.errors import ServiceError
from coord.meetings import agenda_views, confirmations, minutes_page, minutes_views
from coord.meetings.blueprint import bp
from coord.meetings.series_views import _occurrence


def _confirm(step: Callable[[], Step], back: str):
    try:
        shown = step()
    except ServiceError as error:  # nothing left to confirm (cancelled, minutes moved on…): say why
        flash(str(error.message), "error")
        return redirect(back)
    return render_template("confirm.html", step=shown, action=request.path, back=back)


@bp.get("/<int:meeting_id>/publish")
@login_required
def publish_meeting_confirm(meeting_id: int):
    back = url_for("meetings.meeting", meeting_id=meeting_id)
    return _confirm(lambda: confirmations.publish_meeting(current_actor(), meeting_id), back)


@bp.get("/<int:meeting_id>/cancel")
@login_required
def cancel_meeting_confirm(meeting_id: int):
    back = url_for("meetings.meeting", meeting_id=meeting_id)
    return _confirm(lambda: confirmations.cancel_meeting(current_actor(), meeting_id), back)


@bp.get("/series/<int:series_id>/publish")
@login_required
def publish_series_confirm(series_id: int):
    back = url_for("meetings.series", series_id=series_id)
    return _confirm(lambda: confirmations.publish_series(current_actor(), series_id), back)


@bp.get("/series/<int:series_id>/cancel")
@login_required
def cancel_series_confirm(series_id: int):
    back = url_for("meetings.series", series_id=series_id)
    return _confirm(lambda: confirmations.cancel_series(current_actor(), series_id), back)


@bp.get("/series/<int:series_id>/occurrences/<key>/cancel")
@login_required
def cancel_occurrence_confirm(series_id: int, key: str):
    start = _occurrence(key)
    back = url_for("meetings.occurrence", series_id=series_id, key=key)
    return _confirm(lambda: confirmations.cancel_occurrence(current_actor(), series_id, start), back)


@agenda_views.bp.get("/<int:meeting_id>/agenda/items/<int:item_id>/delete")
@login_required
def delete_item_confirm(meeting_id: int, item_id: int):
    back = url_for("meetings_agenda.agenda", meeting_id=meeting_id, _anchor="agenda-items")
    return _confirm(lambda: confirmations.delete_item(current_actor(), meeting_id, item_id), back)


@agenda_views.bp.get("/<int:meeting_id>/agenda/publish")
@login_required
def publish_agenda_confirm(meeting_id: int):
    back = url_for("meetings_agenda.agenda", meeting_id=meeting_id)
    return _confirm(lambda: confirmations.publish_agenda(current_actor(), meeting_id), back)


@minutes_views.bp.get("/circulate")
@login_required
def circulate_confirm(meeting_id: int):
    back = url_for("meetings_minutes.view", meeting_id=meeting_id)
    return _confirm(lambda: confirmations.circulate_minutes(current_actor(), meeting_id), back)


@minutes_views.bp.get("/approve")
@login_required
def approve_confirm(meeting_id: int):
    """Also where the adopting meeting is chosen, with the comments nobody has acted on shown first."""
    back = url_for("meetings_minutes.view", meeting_id=meeting_id)
    try:
        step = confirmations.approve_minutes(current_actor(), meeting_id)
    except ServiceError as error:
        flash(str(error.message), "error")
        return redirect(back)
    page = minutes_page.read_page(current_actor(), meeting_id)
    return render_template(
        "meetings/approve_confirm.html", step=step, action=request.path, back=back, page=page
    )
