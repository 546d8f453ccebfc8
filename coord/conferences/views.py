"""Case conference pages: schedule one about a participant, read it (invitees only, audited), change,
cancel (after a confirmation page), invite and remove people, "Mes rencontres de concertation".
Thin: parse, call one service, render or redirect."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import login_required

from coord.conferences import conference_pages, services
from coord.conferences.conference_forms import (
    FORM_FIELDS,
    ConferenceForm,
    InviteForm,
    ScheduleForm,
    local_span,
    set_people,
)
from coord.core.actor import current_actor
from coord.core.clock import clock
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm
from coord.core.localtime import LOCAL_TZ

bp = Blueprint("conferences", __name__, url_prefix="/conferences")


@bp.app_template_filter("spoken_time")
def spoken_time(moment: datetime) -> str:
    """A local time as said in Québec ("9 h 30", "14 h") or in English ("9:30 AM")."""
    return clock(moment)


def _to_conference(conference_id: int):
    return redirect(url_for("conferences.conference", conference_id=conference_id), code=303)


def _data(form) -> services.ConferenceData:
    start, end = local_span(form.day.data, form.start_time.data, form.duration_minutes.data)
    return services.ConferenceData(
        form.title.data or "",
        start,
        end,
        form.location.data or "",
        form.video_url.data or "",
        form.notes.data or "",
    )


@bp.get("/mine")
@login_required
def mine():
    past = request.args.get("past") == "1"
    rows = conference_pages.my_conferences(current_actor(), past=past)
    return render_template("conferences/mine.html", rows=rows, past=past)


@bp.route("/new/<ref:participant_ref>", methods=["GET", "POST"])
@login_required
def new(participant_ref: str):
    found = conference_pages.schedule_form(current_actor(), participant_ref)
    form = ScheduleForm()
    set_people(form.invitees, found.candidates)
    if form.validate_on_submit():
        try:
            conference = services.schedule_conference(
                current_actor(), participant_ref, _data(form), list(form.invitees.data or [])
            )
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("The case conference is scheduled; the invitees are told."), "success")
            return _to_conference(conference.id)
    status = 400 if request.method == "POST" else 200
    return render_template("conferences/conference_form.html", form=form, conference=None), status


@bp.get("/<int:conference_id>")
@login_required
def conference(conference_id: int):
    page = conference_pages.conference_page(current_actor(), conference_id)
    invite_form = InviteForm(formdata=None)
    set_people(invite_form.invitees, page.candidates)
    return render_template(
        "conferences/conference.html",
        page=page,
        conference=page.conference,
        invite_form=invite_form,
        confirm_form=ConfirmForm(),
    )


@bp.route("/<int:conference_id>/edit", methods=["GET", "POST"])
@login_required
def edit(conference_id: int):
    conference = conference_pages.edit_form(current_actor(), conference_id)
    if request.method == "GET":
        start = conference.starts_at.astimezone(LOCAL_TZ)
        minutes = int((conference.ends_at - conference.starts_at).total_seconds() // 60)
        form = ConferenceForm(
            obj=conference, day=start.date(), start_time=start.time(), duration_minutes=minutes
        )
    else:
        form = ConferenceForm()
    if form.validate_on_submit():
        try:
            count = services.update_conference(current_actor(), conference_id, _data(form))
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            message = gettext("The case conference is saved.")
            if count:
                message += " " + ngettext(
                    "%(num)d person is told of the change.", "%(num)d people are told of the change.", count
                )
            flash(message, "success")
            return _to_conference(conference_id)
    status = 400 if request.method == "POST" else 200
    return render_template("conferences/conference_form.html", form=form, conference=conference), status


@bp.route("/<int:conference_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(conference_id: int):
    page = conference_pages.cancel_page(current_actor(), conference_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        count = services.cancel_conference(current_actor(), conference_id)
        if count:
            flash(
                ngettext(
                    "The case conference is cancelled; %(num)d person is told.",
                    "The case conference is cancelled; %(num)d people are told.",
                    count,
                ),
                "success",
            )
        else:
            flash(gettext("The case conference is cancelled."), "success")
        return _to_conference(conference_id)
    return render_template("conferences/cancel.html", page=page, conference=page.conference, form=form)


@bp.post("/<int:conference_id>/invitees")
@login_required
def invite(conference_id: int):
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        count = services.add_invitees(current_actor(), conference_id, list(form.invitees.data or []))
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(ngettext("%(num)d person is invited.", "%(num)d people are invited.", count), "success")
    return _to_conference(conference_id)


@bp.post("/<int:conference_id>/invitees/<int:person_id>/remove")
@login_required
def remove_invitee(conference_id: int, person_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_invitee(current_actor(), conference_id, person_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(gettext("The person is no longer invited; they are told."), "success")
    return _to_conference(conference_id)
