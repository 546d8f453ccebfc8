"""The session pages' forms: confirm, reschedule, decline, cancel, outcome (the coordinator's), and the
requester's cancel and reschedule by signed link. Dates and times are Montréal wall-clock time; a time the
clocks skip is refused, never moved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coord.calendar.validation import YEARS
from coord.core.errors import ServiceError
from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, RowForm, WholeNumberField, options
from coord.core.localtime import LOCAL_TZ
from coord.outreach.calendar import AUDIENCE_LABELS
from coord.outreach.models import MAX_WINDOWS

# Service field names → form field names, for show_error.
FORM_FIELDS = {"starts_at": "start_time", "ends_at": "duration_minutes", "windows": "note"}


def local_moment(day: date, at: time, field: str = "start_time") -> datetime:
    """An aware Montréal time; a date outside 2000–2100 or a time the clocks skip that day is refused."""
    if day.year not in YEARS:
        raise ServiceError(_l("Give a date between 2000 and 2100."), "day")
    moment = datetime.combine(day, at, tzinfo=LOCAL_TZ)
    if moment.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ServiceError(
            _l("This time does not exist that day: the clocks change. Choose another time."), field
        )
    return moment


def local_span(day: date, at: time, minutes: int) -> tuple[datetime, datetime]:
    start = local_moment(day, at)
    return start, (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(LOCAL_TZ)


class SessionFields:
    presenters = MultiCheckboxField(_l("Presenters (one or two)"), coerce=int, validate_choice=False)
    day = DateField(_l("Date"), validators=[DataRequired(message=REQUIRED)])
    start_time = TimeField(_l("Start"), validators=[DataRequired(message=REQUIRED)])
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"), validators=[DataRequired(message=REQUIRED), NumberRange(min=30, max=480)]
    )
    video_url = StringField(_l("Video link (virtual sessions)"), validators=[Optional(), Length(max=500)])


class ConfirmSessionForm(SessionFields, BaseForm):
    """Confirm a request: its time and its presenters."""


class RescheduleForm(SessionFields, BaseForm):
    sequence = HiddenField()  # the version the coordinator saw: a change meanwhile is a 409
    note = TextAreaField(_l("Note for the history (optional)"), validators=[Optional(), Length(max=2000)])


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Reason (sent to the contact)"), validators=[DataRequired(message=REQUIRED), Length(max=2000)]
    )


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Reason (sent to the contact and the presenters)"),
        validators=[DataRequired(message=REQUIRED), Length(max=2000)],
    )


class OutcomeForm(BaseForm):
    people_reached = WholeNumberField(
        _l("People reached"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=5000)],  # 0 is an answer
        digits=4,
    )
    audiences = MultiCheckboxField(_l("Who attended"), validate_choice=False)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10_000)])
    wants_training = BooleanField(_l("The organization asks for a training"))
    questions_to_route = TextAreaField(
        _l("Questions to route to a partner"), validators=[Optional(), Length(max=2000)]
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.audiences.choices = options((value, label) for value, label in AUDIENCE_LABELS.items())


class LinkCancelForm(BaseForm):
    reason = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=2000)])


class WindowRow(RowForm):
    day = DateField(_l("Date"), validators=[Optional()])
    starts = TimeField(_l("Starts at"), validators=[Optional()])
    ends = TimeField(_l("Ends at"), validators=[Optional()])


class LinkRescheduleForm(BaseForm):
    windows = FieldList(FormField(WindowRow), min_entries=MAX_WINDOWS, max_entries=MAX_WINDOWS)
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])

    def window_data(self):
        """The filled rows as (start, end) in Montréal time; a half-filled row is an error."""
        from coord.outreach.workflow import WindowData

        found = []
        for row in self.windows:
            values = (row.form.day.data, row.form.starts.data, row.form.ends.data)
            if not any(values):
                continue
            if not all(values):
                raise ServiceError(_l("Give the date, the start and the end of each window."), "windows")
            day, starts, ends = values
            found.append(WindowData(local_moment(day, starts, "windows"), local_moment(day, ends, "windows")))
        return found
