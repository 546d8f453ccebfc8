"""The coordinator's view of the audit log: read and filter, nothing else."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from coord import audit
from coord.audit_labels import ACTOR_LABELS, action_label, object_label
from coord.core.actor import current_actor
from coord.core.ids import int_arg
from coord.core.localtime import LOCAL_TZ
from coord.directory import audit_log as log
from coord.directory.forms import AuditFilterForm

bp = Blueprint("directory_audit", __name__, url_prefix="/audit")


def _local_midnight(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


@bp.get("/")
@login_required
def index():
    log.check_reader(current_actor())
    form = AuditFilterForm(request.args)
    if request.args and not form.validate():
        return render_template("audit/index.html", form=form, pagination=None, **_labels()), 400
    page = int_arg("page", 1)
    if page < 1 or page > 100_000:
        abort(404)
    filters = audit.AuditFilter(
        action=(form.action.data or "").strip(),
        object_type=(form.object_type.data or "").strip(),
        object_id=(form.object_id.data or "").strip(),
        outcome=form.outcome.data or "",
        since=_local_midnight(form.since.data) if form.since.data else None,
        until=_local_midnight(form.until.data) + timedelta(days=1) if form.until.data else None,
    )
    pagination, actors = log.search(current_actor(), filters, form.actor.data or "", page)
    filter_args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template(
        "audit/index.html",
        form=form,
        pagination=pagination,
        actors=actors,
        object_names=log.object_names(pagination.items),
        action_label=action_label,
        object_label=object_label,
        actor_labels=ACTOR_LABELS,
        filter_args=filter_args,
        **_labels(),
    )


def _labels() -> dict:
    return {"outcome_labels": {choice.value: choice.label for choice in AuditFilterForm().outcome.choices}}
