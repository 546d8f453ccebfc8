"""The coordinator's view of the audit log: read and filter, nothing else."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from coord import audit
from coord.directory.auth import find_person_by_email
from coord.directory.forms import AuditFilterForm
from coord.directory.services import display_names
from coord.permissions import require
from coord.security import int_arg
from coord.timeutil import LOCAL_TZ

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


@bp.get("/")
@login_required
def index():
    require(current_user, "audit.read")
    form = AuditFilterForm(request.args)
    if request.args and not form.validate():
        return render_template("audit/index.html", form=form, pagination=None, **_labels()), 400
    page = int_arg("page", 1)
    if page < 1 or page > 100_000:
        abort(404)
    actor_id = None
    if form.actor.data:
        person = find_person_by_email(form.actor.data)
        actor_id = person.id if person else -1
    filters = audit.AuditFilter(
        action=(form.action.data or "").strip(),
        actor_id=actor_id,
        object_type=(form.object_type.data or "").strip(),
        object_id=(form.object_id.data or "").strip(),
        outcome=form.outcome.data or "",
        since=_local_midnight(form.since.data) if form.since.data else None,
        until=_local_midnight(form.until.data) + timedelta(days=1) if form.until.data else None,
    )
    pagination = audit.search(filters, page)
    actors = display_names({entry.actor_id for entry in pagination.items if entry.actor_id})
    filter_args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "audit/index.html",
        form=form,
        pagination=pagination,
        actors=actors,
        filter_args=filter_args,
        **_labels(),
    )


def _labels() -> dict:
    return {"outcome_labels": {choice.value: choice.label for choice in AuditFilterForm().outcome.choices}}
