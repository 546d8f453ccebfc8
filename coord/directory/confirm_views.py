"""The confirmation pages before removing a committee member and deactivating a person: GET at the action's
own address (its POST does the action). Thin: ask coord.directory.confirmations, render
templates/confirm.html."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import login_required

from coord.core.actor import current_actor
from coord.directory import confirmations
from coord.directory.views import bp


@bp.get("/committees/<int:committee_id>/members/<int:person_id>/remove")
@login_required
def committee_remove_confirm(committee_id: int, person_id: int):
    step = confirmations.remove_member(current_actor(), committee_id, person_id)
    back = url_for("directory.committee", committee_id=committee_id)
    return render_template("confirm.html", step=step, action=request.path, back=back)


@bp.get("/people/<int:person_id>/deactivate")
@login_required
def person_deactivate_confirm(person_id: int):
    step = confirmations.deactivate_person(current_actor(), person_id)
    back = url_for("directory.person", person_id=person_id)
    return render_template("confirm.html", step=step, action=request.path, back=back)
