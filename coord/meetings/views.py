"""Meeting pages: lists per committee, single meetings, series and their occurrences, attendance."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from coord.calendar import answers
from coord.calendar.answers import occurrence_key
from coord.calendar.models import Answer
from coord.calendar.validation import YEARS
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import options
from coord.core.localtime import LOCAL_TZ, utcnow
from coord.core.permissions import may, require
from coord.directory.models import Committee
from coord.extensions import db
from coord.i18n import current_language
from coord.meetings import attendance, listing, services
from coord.meetings.forms import MeetingForm, MoveForm, QuorumForm, SeriesForm, local
from coord.meetings.models import Frequency, Meeting, MeetingSeries, Presence

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
_OCCURRENCE = re.compile(r"^\d{8}T\d{6}Z$")


def _occurrence(key: str) -> datetime:
    if not _OCCURRENCE.match(key):
        abort(404)
    try:
        start = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        abort(404)
    if start.year not in YEARS:
        abort(404)
    return start


FORM_FIELDS = {"ends_at": "end_time", "starts_at": "start_time", "first_start": "first_day"}


def _editable_committees() -> list[Committee]:
    return [c for c in listing.visible_committees(current_user) if may(current_user, "meetings.edit", c)]


def _committee_choices(form, selected: int | None) -> None:
    committees = _editable_committees()
    form.committee_id.choices = options(
        [("", gettext("No committee"))] + [(str(c.id), c.name_for(current_language())) for c in committees]
    )
    if request.method == "GET" and selected:
        form.committee_id.data = str(selected)


def _committee_id(form) -> int | None:
    raw = form.committee_id.data or ""
    return int(raw) if raw.isdigit() and int(raw) < 2**31 else None


def _guest_ids(form) -> list[int] | None:
    """The guests typed in the form (one address per line); None, with a field message, if one is unknown."""
    found, missing = services.people_by_email(form.guests.data or "")
    if missing:
        form.guests.errors = [
            *form.guests.errors,
            gettext("Nobody active has this address: %(a)s", a=", ".join(missing)),
        ]
        return None
    return found


# Lists ---------------------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    committees = listing.visible_committees(current_user)
    return render_template("meetings/index.html", committees=committees, editable=_editable_committees())


@bp.route("/committee/<int:committee_id>", methods=["GET"])
@login_required
def committee(committee_id: int):
    found = db.session.get(Committee, committee_id) or abort(404)
    past = request.args.get("past", "") == "1"
    rows = listing.committee_meetings(current_user, found, utcnow(), past=past)
    form = QuorumForm(quorum=found.quorum)
    return render_template("meetings/committee.html", committee=found, rows=rows, past=past, quorum_form=form)


@bp.post("/committee/<int:committee_id>/quorum")
@login_required
def set_quorum(committee_id: int):
    found = db.session.get(Committee, committee_id) or abort(404)
    form = QuorumForm()
    if not form.validate():
        abort(400)
    try:
        attendance.set_quorum(current_user, found, form.quorum.data)
    except ServiceError:
        abort(400)
    flash(gettext("Quorum saved."), "success")
    return redirect(url_for("meetings.committee", committee_id=found.id))


# Single meetings -----------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_meeting():
    if not _editable_committees() and not may(current_user, "meetings.edit"):
        require(current_user, "meetings.edit")
    form = MeetingForm()
    _committee_choices(form, request.args.get("committee", type=int))
    if form.validate_on_submit():
        guests = _guest_ids(form)
        if guests is not None:
            try:
                data = services.MeetingData(
                    form.title.data,
                    local(form.day.data, form.start_time.data),
                    local(form.day.data, form.end_time.data, "end_time"),
                    form.location.data or "",
                    form.video_url.data or "",
                    _committee_id(form),
                )
                created = services.create_meeting(current_user, data, guests)
            except ServiceError as error:
                show_error(error, form, FORM_FIELDS, on_form=True)
            else:
                flash(gettext("Meeting created. Publish it to invite people."), "success")
                return redirect(url_for("meetings.meeting", meeting_id=created.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=None), 400 if form.errors else 200


@bp.get("/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    return _meeting_page(found)


def _meeting_page(found: Meeting, status: int = 200):
    rows = attendance.attendance_rows(found)
    people = attendance.people_of(found, rows)
    given = answers.answers_for([found.uid])
    occurrence = occurrence_key(found.original_start)
    presence = {row.person_id: row.presence for row in rows}
    return render_template(
        "meetings/meeting.html",
        meeting=found,
        invitees=[(p, given.of(found.uid, p.id, occurrence), presence.get(p.id)) for p in people],
        my_answer=given.of(found.uid, current_user.id, occurrence),
        invited=any(p.id == current_user.id for p in people),
        quorum=attendance.quorum(found, rows),
        presences=list(Presence),
        can_edit=may(current_user, "meetings.edit", found.committee),
        started=attendance.attendance_open(found),
    ), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    require(current_user, "meetings.edit", found.committee)
    start, end = found.starts_at.astimezone(LOCAL_TZ), found.ends_at.astimezone(LOCAL_TZ)
    form = MeetingForm(
        obj=found,
        day=start.date(),
        start_time=start.time(),
        end_time=end.time(),
        committee_id=str(found.committee_id or ""),
    )
    _committee_choices(form, found.committee_id)
    if request.method == "GET":
        form.guests.data = "\n".join(guest.person.email for guest in found.guests)
    if form.validate_on_submit() and (guests := _guest_ids(form)) is not None:
        try:
            data = services.MeetingData(
                form.title.data,
                local(form.day.data, form.start_time.data),
                local(form.day.data, form.end_time.data, "end_time"),
                form.location.data or "",
                form.video_url.data or "",
            )
            services.update_meeting(current_user, found, data, guests)
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Meeting saved."), "success")
            return redirect(url_for("meetings.meeting", meeting_id=found.id))
    return render_template(
        "meetings/meeting_form.html", form=form, meeting=found
    ), 400 if form.errors else 200


@bp.post("/<int:meeting_id>/publish")
@login_required
def publish_meeting(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    try:
        count = services.publish_meeting(current_user, found)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(gettext("Published: %(count)d invitation(s) sent.", count=count), "success")
    return redirect(url_for("meetings.meeting", meeting_id=found.id))


@bp.post("/<int:meeting_id>/cancel")
@login_required
def cancel_meeting(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    services.cancel_meeting(current_user, found)
    flash(gettext("Meeting cancelled. Invitees are told."), "success")
    return redirect(url_for("meetings.meeting", meeting_id=found.id))


@bp.post("/<int:meeting_id>/answer")
@login_required
def answer(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    require(current_user, "meetings.answer", found)
    if found.is_cancelled:
        abort(400)
    try:
        choice = Answer(request.form.get("answer", ""))
    except ValueError:
        abort(400)
    answers.record_answer(found.uid, current_user, choice, occurrence_key(found.original_start))
    flash(gettext("Thank you, your answer is recorded."), "success")
    return redirect(url_for("meetings.meeting", meeting_id=found.id))


@bp.post("/<int:meeting_id>/attendance")
@login_required
def record_attendance(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    presence = {}
    for key, value in request.form.items():
        if key.startswith("presence-") and value:
            person_id = key.removeprefix("presence-")
            if not person_id.isdigit() or len(person_id) > 10:
                abort(400)
            presence[int(person_id)] = value
    try:
        attendance.record_attendance(current_user, found, presence)
    except ServiceError as error:
        flash(str(error.message), "error")
        return _meeting_page(found, 400)
    flash(gettext("Attendance saved."), "success")
    return redirect(url_for("meetings.meeting", meeting_id=found.id))


# Series --------------------------------------------------------------------------------------------


def _series_data(form, committee_id: int | None) -> services.SeriesData:
    ends = form.ends.data
    return services.SeriesData(
        title=form.title.data,
        first_start=local(form.first_day.data, form.start_time.data),
        duration_minutes=form.duration_minutes.data,
        frequency=Frequency(form.frequency.data),
        interval=form.interval.data or 1,
        until_date=form.until_date.data if ends == "until" else None,
        count=form.count.data if ends == "count" else None,
        location=form.location.data or "",
        video_url=form.video_url.data or "",
        committee_id=committee_id,
    )


def _check_ends(form) -> bool:
    if form.ends.data == "until" and not form.until_date.data:
        form.until_date.errors = [*form.until_date.errors, gettext("Give the last date.")]
        return False
    if form.ends.data == "count" and not form.count.data:
        form.count.errors = [*form.count.errors, gettext("Give the number of meetings.")]
        return False
    return True


@bp.route("/series/new", methods=["GET", "POST"])
@login_required
def new_series():
    if not _editable_committees():
        require(current_user, "meetings.edit")
    form = SeriesForm()
    _committee_choices(form, request.args.get("committee", type=int))
    if form.validate_on_submit() and _check_ends(form) and (guests := _guest_ids(form)) is not None:
        try:
            created = services.create_series(current_user, _series_data(form, _committee_id(form)), guests)
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Series created. Publish it to invite the members."), "success")
            return redirect(url_for("meetings.series", series_id=created.id))
    return render_template("meetings/series_form.html", form=form, series=None), 400 if form.errors else 200


@bp.get("/series/<int:series_id>")
@login_required
def series(series_id: int):
    found = services.get_series(current_user, series_id) or abort(404)
    return render_template(
        "meetings/series.html",
        series=found,
        occurrences=services.upcoming_occurrences(found, utcnow() - timedelta(days=1), limit=24),
        can_edit=may(current_user, "meetings.edit", found.committee),
    )


@bp.post("/series/<int:series_id>/publish")
@login_required
def publish_series(series_id: int):
    found = services.get_series(current_user, series_id) or abort(404)
    count = services.publish_series(current_user, found)
    flash(gettext("Published: %(count)d invitation(s) sent.", count=count), "success")
    return redirect(url_for("meetings.series", series_id=found.id))


@bp.post("/series/<int:series_id>/cancel")
@login_required
def cancel_series(series_id: int):
    found = services.get_series(current_user, series_id) or abort(404)
    services.cancel_series(current_user, found)
    flash(gettext("Series cancelled. Invitees are told."), "success")
    return redirect(url_for("meetings.series", series_id=found.id))


@bp.route("/series/<int:series_id>/from/<key>", methods=["GET", "POST"])
@login_required
def edit_series_from(series_id: int, key: str):
    found = services.get_series(current_user, series_id) or abort(404)
    require(current_user, "meetings.edit", found.committee)
    start = _occurrence(key)
    local_start = start.astimezone(LOCAL_TZ)
    form = SeriesForm(
        obj=found,
        first_day=local_start.date(),
        start_time=local_start.time(),
        interval=found.repeat_interval,
        ends="until" if found.until_date else ("count" if found.count else "never"),
    )
    del form.committee_id
    del form.guests  # the new series keeps the guests of the one it continues
    if form.validate_on_submit() and _check_ends(form):
        try:
            new = services.edit_series_from(
                current_user, found, start, _series_data(form, found.committee_id)
            )
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Changed from this meeting on; earlier meetings are unchanged."), "success")
            return redirect(url_for("meetings.series", series_id=new.id))
    return render_template("meetings/series_form.html", form=form, series=found, from_start=start), (
        400 if form.errors else 200
    )


@bp.get("/series/<int:series_id>/occurrences/<key>")
@login_required
def occurrence(series_id: int, key: str):
    found = services.get_series(current_user, series_id) or abort(404)
    start = _occurrence(key)
    row = db.session.scalar(
        sa.select(Meeting).where(Meeting.series_id == found.id, Meeting.original_start == start)
    )
    if row is not None:
        return redirect(url_for("meetings.meeting", meeting_id=row.id))
    if start not in services.rules.all_starts(found, until=start + timedelta(seconds=1)):
        abort(404)
    return _occurrence_page(found, start, key)


def _occurrence_page(found: MeetingSeries, start: datetime, key: str, move_form=None, status: int = 200):
    if move_form is None:
        move_form = MoveForm(
            day=start.astimezone(LOCAL_TZ).date(),
            start_time=start.astimezone(LOCAL_TZ).time(),
            end_time=(start + found.duration).astimezone(LOCAL_TZ).time(),
        )
    return render_template(
        "meetings/occurrence.html",
        series=found,
        start=start,
        end=start + found.duration,
        key=key,
        can_edit=may(current_user, "meetings.edit", found.committee),
        move_form=move_form,
    ), status


def _series_occurrence(series_id: int, key: str) -> tuple[MeetingSeries, datetime]:
    found = services.get_series(current_user, series_id) or abort(404)
    return found, _occurrence(key)


@bp.post("/series/<int:series_id>/occurrences/<key>/prepare")
@login_required
def prepare_occurrence(series_id: int, key: str):
    found, start = _series_occurrence(series_id, key)
    try:
        row = services.prepare_occurrence(current_user, found, start)
    except ServiceError:
        abort(404)
    return redirect(
        url_for(
            request.form.get("next") == "agenda" and "meetings_agenda.agenda" or "meetings.meeting",
            meeting_id=row.id,
        )
    )


@bp.post("/series/<int:series_id>/occurrences/<key>/cancel")
@login_required
def cancel_occurrence(series_id: int, key: str):
    found, start = _series_occurrence(series_id, key)
    try:
        services.cancel_occurrence(current_user, found, start)
    except ServiceError:
        abort(404)
    flash(gettext("This meeting is cancelled; the others stay."), "success")
    return redirect(url_for("meetings.series", series_id=found.id))


@bp.post("/series/<int:series_id>/occurrences/<key>/move")
@login_required
def move_occurrence(series_id: int, key: str):
    found, start = _series_occurrence(series_id, key)
    form = MoveForm()
    if not form.validate():
        return _occurrence_page(found, start, key, form, 400)
    try:
        row = services.move_occurrence(
            current_user,
            found,
            start,
            local(form.day.data, form.start_time.data),
            local(form.day.data, form.end_time.data, "end_time"),
        )
    except ServiceError as error:
        show_error(error, form, FORM_FIELDS)
        return _occurrence_page(found, start, key, form, 400)
    flash(gettext("This meeting is moved; the others stay."), "success")
    return redirect(url_for("meetings.meeting", meeting_id=row.id))
