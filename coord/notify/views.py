"""/outbox/: the coordinator sees messages that failed, are uncertain or wait, and can send one again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.ids import int_arg
from coord.notify import services
from coord.notify.forms import STATUS_LABELS, OutboxFilterForm

bp = Blueprint("notify", __name__, url_prefix="/outbox")


@bp.get("/")
@login_required
def index():
    counts = services.status_counts(current_actor())
    form = OutboxFilterForm(request.args)
    if request.args and not form.validate():
        return render_template(
            "notify/outbox.html", form=form, pagination=None, counts=counts, labels=STATUS_LABELS
        ), 400
    page = int_arg("page", 1)
    if page < 1 or page > 100_000:
        abort(404)
    status = form.status.data or ""
    return render_template(
        "notify/outbox.html",
        form=form,
        pagination=services.list_messages(current_actor(), status, page),
        counts=counts,
        labels=STATUS_LABELS,
        filter_args={"status": status} if status else {},
        retryable=services.RETRYABLE,
    )


@bp.post("/<int:message_id>/retry")
@login_required
def retry(message_id: int):
    try:
        services.retry_message(current_actor(), message_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The message will be sent again."), "success")
    status = request.form.get("status", "")
    return redirect(url_for("notify.index", **({"status": status} if status in STATUS_LABELS else {})))
