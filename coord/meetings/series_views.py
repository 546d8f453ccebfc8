"""Series and their occurrences: create, read, publish, cancel, change from a date on; prepare, move or
cancel one occurrence (thin: parse, call one service, render or redirect)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from coord.calendar.validation import YEARS
from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.localtime import LOCAL_TZ
from coord.meetings import series_pages, series_services, told
from coord.meetings.blueprint import bp
from coord.meetings.forms import FORM_FIELDS, MoveForm, SeriesForm, chosen_committee, local, set_committees
from coord.meetings.models import Frequency

_OCCURRENCE = re.compile(r"^\d{8}T\d{6}Z$")


def _occurrence(key: str) -> datetime:
    """An occurrence's key in a URL (its original start, 20261208T143000Z) as a datetime, else a 404."""
    if not _OCCURRENCE.match(key):
        abort(404)
    try:
        start = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        abort(404)
    if start.year not in YEARS:
        abort(404)
    return start


def _to_series(series_id: int):
    return redirect(url_for("meetings.series", series_id=series_id))


def _series_data(form, committee_id: int | None) -> series_services.SeriesData:
    ends = form.ends.data
    return series_services.SeriesData(
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


def _all_problems(form, guest_emails: str | None, committee_id: int | None = None) -> bool:
    """Check the form (its fields, its end, then the service's rules) and mark every problem at once;
    True when there is any (or on GET: nothing was submitted)."""
    if not form.is_submitted():
        return True
    valid = form.validate()
    ends_ok = _check_ends(form)
    data = None
    if valid and ends_ok:
        chosen = chosen_committee(form) if getattr(form, "committee_id", None) is not None else committee_id
        try:
            data = _series_data(form, chosen)
        except ServiceError as error:  # a local time the clocks skip, a year out of range
            show_error(error, form, FORM_FIELDS, on_form=True)
            valid = False
    for error in series_services.series_problems(data, guest_emails):
        show_error(error, form, FORM_FIELDS, on_form=True)
    return bool(form.errors) or bool(getattr(form, "form_errors", None)) or not (valid and ends_ok)


# Series --------------------------------------------------------------------------------------------


@bp.route("/series/new", methods=["GET", "POST"])
@login_required
def new_series():
    committees = series_pages.new_series_form(current_actor())
    form = SeriesForm()
    set_committees(
        form, committees, request.args.get("committee", type=int) if request.method == "GET" else None
    )
    if _all_problems(form, form.guests.data or ""):
        pass  # every field in error is marked at once; nothing is written
    else:
        try:
            created = series_services.create_series(
                current_actor(),
                _series_data(form, chosen_committee(form)),
                guest_emails=form.guests.data or "",
            )
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Series created. Publish it to invite the members."), "success")
            return _to_series(created.id)
    return render_template("meetings/series_form.html", form=form, series=None), 400 if form.errors else 200


@bp.get("/series/<int:series_id>")
@login_required
def series(series_id: int):
    page = series_pages.series_page(current_actor(), series_id)
    return render_template(
        "meetings/series.html",
        series=page.series,
        occurrences=page.occurrences,
        can_edit=page.can_edit,
        page=page,
    )


@bp.post("/series/<int:series_id>/publish")
@login_required
def publish_series(series_id: int):
    count = series_services.publish_series(current_actor(), series_id)
    flash(told.published(count), "success")
    return _to_series(series_id)


@bp.post("/series/<int:series_id>/cancel")
@login_required
def cancel_series(series_id: int):
    count = series_services.cancel_series(current_actor(), series_id)
    flash(told.series_cancelled(count), "success")
    return _to_series(series_id)


@bp.route("/series/<int:series_id>/from/<key>", methods=["GET", "POST"])
@login_required
def edit_series_from(series_id: int, key: str):
    found = series_pages.series_to_change(current_actor(), series_id)
    start = _occurrence(key)
    local_start = start.astimezone(LOCAL_TZ)
    if request.method == "GET":  # a POST reads the request alone: a missing field is not the old value
        form = SeriesForm(
            obj=found,
            first_day=local_start.date(),
            start_time=local_start.time(),
            interval=found.repeat_interval,
            ends="until" if found.until_date else ("count" if found.count else "never"),
        )
    else:
        form = SeriesForm()
    del form.committee_id
    del form.guests  # the new series keeps the guests of the one it continues
    if _all_problems(form, None, found.committee_id):
        pass  # every field in error is marked at once; nothing is written
    else:
        try:
            new = series_services.edit_series_from(
                current_actor(), series_id, start, _series_data(form, found.committee_id)
            )
        except ServiceError as error:
            show_error(error, form, FORM_FIELDS, on_form=True)
        else:
            flash(gettext("Changed from this meeting on; earlier meetings are unchanged."), "success")
            return _to_series(new.id)
    return render_template("meetings/series_form.html", form=form, series=found, from_start=start), (
        400 if form.errors else 200
    )


# One occurrence ------------------------------------------------------------------------------------


def _occurrence_page(series_id: int, key: str, move_form: MoveForm | None = None, status: int = 200):
    page = series_pages.occurrence_page(current_actor(), series_id, _occurrence(key))
    if page.meeting_id is not None:
        return redirect(url_for("meetings.meeting", meeting_id=page.meeting_id))
    if move_form is None:
        move_form = MoveForm(
            day=page.start.astimezone(LOCAL_TZ).date(),
            start_time=page.start.astimezone(LOCAL_TZ).time(),
            end_time=page.end.astimezone(LOCAL_TZ).time(),
        )
    return render_template(
        "meetings/occurrence.html",
        series=page.series,
        start=page.start,
        end=page.end,
        key=key,
        can_edit=page.can_edit,
        move_form=move_form,
    ), status


@bp.get("/series/<int:series_id>/occurrences/<key>")
@login_required
def occurrence(series_id: int, key: str):
    return _occurrence_page(series_id, key)


@bp.post("/series/<int:series_id>/occurrences/<key>/prepare")
@login_required
def prepare_occurrence(series_id: int, key: str):
    try:
        row = series_services.prepare_occurrence(current_actor(), series_id, _occurrence(key))
    except ServiceError:
        abort(404)
    endpoint = "meetings_agenda.agenda" if request.form.get("next") == "agenda" else "meetings.meeting"
    return redirect(url_for(endpoint, meeting_id=row.id))


@bp.post("/series/<int:series_id>/occurrences/<key>/cancel")
@login_required
def cancel_occurrence(series_id: int, key: str):
    try:
        series_services.cancel_occurrence(current_actor(), series_id, _occurrence(key))
    except ServiceError:
        abort(404)
    flash(gettext("This meeting is cancelled; the others stay."), "success")
    return _to_series(series_id)


@bp.post("/series/<int:series_id>/occurrences/<key>/move")
@login_required
def move_occurrence(series_id: int, key: str):
    start = _occurrence(key)
    form = MoveForm()
    if not form.validate():
        return _occurrence_page(series_id, key, form, 400)
    try:
        row = series_services.move_occurrence(
            current_actor(),
            series_id,
            start,
            local(form.day.data, form.start_time.data),
            local(form.day.data, form.end_time.data, "end_time"),
        )
    except ServiceError as error:
        show_error(error, form, FORM_FIELDS)
        return _occurrence_page(series_id, key, form, 400)
    flash(gettext("This meeting is moved; the others stay."), "success")
    return redirect(url_for("meetings.meeting", meeting_id=row.id))
