"""The requester's pages: the request form (public, or signed in), the thank-you page, the signed-link page
and "Mes demandes". Thin: parse, call one service, render or redirect."""

from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.outreach import request_pages, requests
from coord.outreach.request_choices import (
    audience_labels,
    format_label,
    history_label,
    milieu_label,
    region_label,
    state_label,
)
from coord.outreach.request_dates import register_filters
from coord.outreach.request_forms import RequestForm

bp = Blueprint("outreach", __name__, url_prefix="/outreach")
bp.record_once(register_filters)

LABELS = {
    "audience_labels": audience_labels,
    "format_label": format_label,
    "history_label": history_label,
    "milieu_label": milieu_label,
    "region_label": region_label,
    "state_label": state_label,
}


def _data(form: RequestForm) -> requests.RequestData:
    return requests.RequestData(
        organization_name=form.organization_name.data or "",
        milieu=form.milieu.data or "",
        region=form.region.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        audiences=tuple(form.audiences.data or ()),
        expected_size=form.expected_size.data,
        format=form.format.data or "",
        address=form.address.data or "",
        language=form.language.data or "",
        details=form.details.data or "",
        slot_id=form.slot.data or "",
        windows=tuple(
            requests.WindowData(row.form.day.data, row.form.start.data, row.form.end.data)
            for row in form.windows
        ),
        honeypot=form.website.data or "",
    )


@bp.route("/request", methods=["GET", "POST"])
def new_request():
    """Ask for an awareness session: anyone (public page), or a signed-in partner (rule outreach.request)."""
    actor = current_actor()
    form = RequestForm()
    status = 200
    if request.method == "POST":
        if not current_user.is_authenticated:
            requests.throttle_address(request.remote_addr or "")
        if form.validate_on_submit():
            try:
                requests.create_request(actor, _data(form))
            except requests.Dropped:
                return redirect(url_for("outreach.request_sent"), code=303)
            except ServiceError as error:
                show_error(error, form, on_form=True)
                status = 409 if error.message is requests.SLOT_TAKEN else 400
            else:
                return redirect(url_for("outreach.request_sent"), code=303)
        else:
            status = 400
    page = request_pages.form_page(actor)
    if request.method == "GET":
        for name, value in page.prefill.items():
            getattr(form, name).data = value
    return render_template("outreach/request_form.html", form=form, page=page, failed=status != 200), status


@bp.get("/request/sent")
def request_sent():
    return render_template("outreach/request_sent.html")


@bp.get("/follow/<token>")
def follow(token: str):
    """The requester's page from the signed link in their e-mails (no account needed)."""
    page = request_pages.follow_page(token)
    if page is None:
        response = make_response(render_template("outreach/request_link_invalid.html"), 404)
    else:
        response = make_response(render_template("outreach/request_follow.html", page=page, **LABELS))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/mine")
@login_required
def mine():
    page = request_pages.my_requests(current_actor())
    return render_template("outreach/request_mine.html", page=page, **LABELS)


def home_card(person) -> Markup | None:
    """The card on the home page of someone who asks for sessions (None for everyone else)."""
    summary = request_pages.home_summary(person)
    if summary is None:
        return None
    return Markup(render_template("outreach/request_home_card.html", summary=summary))  # noqa: S704
