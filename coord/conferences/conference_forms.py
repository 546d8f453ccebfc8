"""Case conference forms: dates and times in Montréal time; invitees are checked by the service (a forged
id gets the service's message, not a silent drop)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField, TimeField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from coord.calendar.validation import YEARS
from coord.core.errors import ServiceError
from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, WholeNumberField, options
from coord.core.localtime import LOCAL_TZ

# Service field names → form field names, for show_error.
FORM_FIELDS = {"starts_at": "start_time", "ends_at": "duration_minutes"}


def local_span(day: date, at: time, minutes: int) -> tuple[datetime, datetime]:
    """Start (aware, Montréal) and end; a time the clocks skip is refused rather than moved."""
    if day.year not in YEARS:
        raise ServiceError(_l("Give a date between 2000 and 2100."), "day")
    start = datetime.combine(day, at, tzinfo=LOCAL_TZ)
    if start.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) != start.replace(tzinfo=None):
        raise ServiceError(
            _l("This time does not exist that day: the clocks change. Choose another time."), "start_time"
        )
    return start, start + timedelta(minutes=minutes)


def _invitees_field():
    return MultiCheckboxField(_l("Invitees"), coerce=int, validate_choice=False)


class ConferenceFields:
    title = StringField(
        _l("Title (confidential: shown only to the people invited)"),
        validators=[DataRequired(message=REQUIRED), Length(max=200)],
    )
    day = DateField(_l("Date"), validators=[DataRequired(message=REQUIRED)])
    start_time = TimeField(_l("Start"), validators=[DataRequired(message=REQUIRED)])
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"),
        validators=[DataRequired(message=REQUIRED), NumberRange(min=15, max=480)],
        default=60,
    )
    location = StringField(_l("Place (address or room)"), validators=[Optional(), Length(max=300)])
    video_url = StringField(
        _l("Video link"),
        validators=[Optional(), Length(max=500), URL(require_tld=False, message=_l("Enter a web address."))],
    )
    notes = TextAreaField(_l("Notes (confidential)"), validators=[Optional(), Length(max=20_000)])


class ScheduleForm(ConferenceFields, BaseForm):
    invitees = _invitees_field()


class ConferenceForm(ConferenceFields, BaseForm):
    """Changing a conference (its invitees are added and removed on its page)."""


class InviteForm(BaseForm):
    invitees = _invitees_field()


def set_people(field, people) -> None:
    field.choices = options((p.id, f"{p.display_name} ({p.organization.short_name})") for p in people)
