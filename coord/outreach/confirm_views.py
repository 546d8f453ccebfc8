"""The confirmation pages before declining a request and cancelling a session: GET at the action's own
address, with the reason to give (its POST, in session_views, does the action). Thin: ask
coord.outreach.confirmations, render the page."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import login_required

from coord.core.actor import current_actor
from coord.outreach import confirmations
from coord.outreach.session_forms import CancelForm, DeclineForm
from coord.outreach.session_views import bp


@bp.get("/requests/<ref:ref>/decline")
@login_required
def decline_confirm(ref: str):
    step = confirmations.decline(current_actor(), ref)
    back = url_for("outreach_sessions.detail", ref=ref)
    return render_template(
        "outreach/confirm_reason.html", step=step, action=request.path, back=back, form=DeclineForm(), by=None
    )


@bp.get("/requests/<ref:ref>/cancel")
@login_required
def cancel_confirm(ref: str):
    by = "requester" if request.args.get("by") == "requester" else None
    step = confirmations.cancel(current_actor(), ref, by_requester=by is not None)
    back = url_for("outreach_sessions.detail", ref=ref)
    return render_template(
        "outreach/confirm_reason.html", step=step, action=request.path, back=back, form=CancelForm(), by=by
    )
