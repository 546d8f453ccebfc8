"""Meeting pages: a meeting (or an occurrence) and a series, for the people who may see them."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from coord.calendar import answers
from coord.calendar.answers import occurrence_key
from coord.meetings import services
from coord.meetings.calendar import invitees
from coord.timeutil import utcnow

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.get("/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    found = services.get_meeting(current_user, meeting_id) or abort(404)
    people = invitees(found)
    given = answers.answers_for([found.uid])
    return render_template(
        "meetings/meeting.html",
        meeting=found,
        invitees=[
            (person, given.of(found.uid, person.id, occurrence_key(found.original_start)))
            for person in people
        ],
    )


@bp.get("/series/<int:series_id>")
@login_required
def series(series_id: int):
    found = services.get_series(current_user, series_id) or abort(404)
    return render_template(
        "meetings/series.html",
        series=found,
        occurrences=services.upcoming_occurrences(found, utcnow()),
    )
