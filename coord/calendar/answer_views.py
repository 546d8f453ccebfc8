"""GET/POST /answer/<token>: answer an invitation from the e-mail's signed link, without logging in.

GET only shows the event and three buttons (mail scanners that follow links change nothing); the POST,
with its CSRF token, records the answer.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from coord.calendar import answers
from coord.calendar.events import redacted
from coord.calendar.models import Answer
from coord.calendar.sources import find_event

bp = Blueprint("calendar_answers", __name__)


@bp.route("/answer/<token>", methods=["GET", "POST"])
def answer(token: str):
    found = answers.read_token(token)
    if found is None:
        abort(404)
    uid, occurrence, person = found
    event, _source = find_event(uid)
    if request.method == "POST":
        try:
            choice = Answer(request.form.get("answer", ""))
        except ValueError:
            abort(400)
        if event.is_cancelled:
            flash(gettext("This event is cancelled."), "error")
        else:
            answers.record_answer(uid, person, choice, occurrence)
            flash(gettext("Thank you, your answer is recorded."), "success")
        return redirect(url_for("calendar_answers.answer", token=token), code=303)
    return render_template(
        "calendar/answer.html",
        event=redacted(event),
        person=person,
        current=answers.answer_of(uid, person.id, occurrence),
        token=token,
    )
