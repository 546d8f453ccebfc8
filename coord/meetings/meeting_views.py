"""Single meetings (and occurrences with their own row): create, read, change, publish, cancel, answer,
attendance (thin: parse, call one service, render or redirect)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import submitted
from coord.core.localtime import LOCAL_TZ
from coord.meetings import attendance, meeting_pages, meeting_services, told
from coord.meetings.blueprint import bp
from coord.meetings.forms import FORM_FIELDS, MeetingForm, chosen_committee, local, set_committees


def _to_meeting(meeting_id: int):
    return redirect(url_for("meetings.meeting", meeting_id=meeting_id))


def _data(form, committee_id: int | None = None) -> meeting_services.MeetingData:
    return meeting_services.MeetingData(
        form.title.data,
        local(form.day.data, form.start_time.data),
        local(form.day.data, form.end_time.data, "end_time"),
        form.location.data or "",
        form.video_url.data or "",
        committee_id,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_meeting():
    found = meeting_pages.meeting_form(current_actor())
    form = MeetingForm()
    selected = request.args.get("committee", type=int) if request.method == "GET" else None
    set_committees(form, found.committees, selected)
    if form.validate_on_submit():
        try:
            created = meeting_services.create_meeting(
                current_actor(), _data(form, chosen_committee(form)), guest_emails=form.guests.data or ""
            )
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Meeting created. Publish it to invite people."), "success")
            return _to_meeting(created.id)
    return render_template("meetings/meeting_form.html", form=form, meeting=None), 400 if form.errors else 200


def _meeting_page(meeting_id: int, status: int = 200):
    page = meeting_pages.meeting_page(current_actor(), meeting_id)
    return render_template(
        "meetings/meeting.html",
        meeting=page.meeting,
        invitees=page.invitees,
        my_answer=page.my_answer,
        invited=page.invited,
        quorum=page.quorum,
        presences=page.presences,
        can_edit=page.can_edit,
        can_answer=page.can_answer,
        can_cancel=page.can_cancel,
        started=page.started,
        can_open_committee=page.can_open_committee,
        can_open_series=page.can_open_series,
        guest_ids=page.guest_ids,
    ), status


@bp.get("/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    hosted = meeting_services.hosted_page_url(current_actor(), meeting_id)
    if hosted is not None:  # the record of something else: its page is the host's
        return redirect(hosted)
    return _meeting_page(meeting_id)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    found = meeting_pages.meeting_form(current_actor(), meeting_id)
    meeting = found.meeting
    if request.method == "GET":  # a POST reads the request alone: a missing field is not the old value
        start, end = meeting.starts_at.astimezone(LOCAL_TZ), meeting.ends_at.astimezone(LOCAL_TZ)
        form = MeetingForm(obj=meeting, day=start.date(), start_time=start.time(), end_time=end.time())
        form.guests.data = found.guest_emails  # the meeting's guests attribute holds rows, not the text
    else:
        form = MeetingForm()
    set_committees(form, found.committees, meeting.committee_id if request.method == "GET" else None)
    if form.validate_on_submit():
        # Without the guests field the guests stay as they are (an empty field removes them).
        guests = (form.guests.data or "") if submitted(form.guests) else None
        try:
            meeting_services.update_meeting(current_actor(), meeting_id, _data(form), guest_emails=guests)
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Meeting saved."), "success")
            return _to_meeting(meeting_id)
    return render_template(
        "meetings/meeting_form.html", form=form, meeting=meeting
    ), 400 if form.errors else 200


@bp.post("/<int:meeting_id>/publish")
@login_required
def publish_meeting(meeting_id: int):
    try:
        count = meeting_services.publish_meeting(current_actor(), meeting_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(told.published(count), "success")
    return _to_meeting(meeting_id)


@bp.post("/<int:meeting_id>/cancel")
@login_required
def cancel_meeting(meeting_id: int):
    try:
        count = meeting_services.cancel_meeting(current_actor(), meeting_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(told.meeting_cancelled(count), "success")
    return _to_meeting(meeting_id)


@bp.post("/<int:meeting_id>/answer")
@login_required
def answer(meeting_id: int):
    try:
        meeting_services.answer(current_actor(), meeting_id, request.form.get("answer", ""))
    except ServiceError:
        abort(400)
    flash(gettext("Thank you, your answer is recorded."), "success")
    return _to_meeting(meeting_id)


@bp.post("/<int:meeting_id>/attendance")
@login_required
def record_attendance(meeting_id: int):
    presence = {}
    for key, value in request.form.items():
        if key.startswith("presence-") and value:
            person_id = key.removeprefix("presence-")
            if not person_id.isdigit() or len(person_id) > 10:
                abort(400)
            presence[int(person_id)] = value
    try:
        attendance.record_attendance(
            current_actor(), meeting_id, presence, request.form.get("also_present", "")[:5000]
        )
    except ServiceError as error:
        flash(str(error.message), "error")
        return _meeting_page(meeting_id, 400)
    flash(gettext("Attendance saved."), "success")
    return _to_meeting(meeting_id)
