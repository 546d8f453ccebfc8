"""Meeting and series forms: dates and times are entered in Montréal time."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from coord.calendar.validation import YEARS
from coord.core.errors import ServiceError
from coord.core.forms import REQUIRED, BaseForm, WholeNumberField, options
from coord.core.ids import MAX_ID
from coord.core.localtime import LOCAL_TZ
from coord.i18n import current_language
from coord.meetings.models import Frequency

# Service field names → form field names, for show_error.
FORM_FIELDS = {"ends_at": "end_time", "starts_at": "start_time", "first_start": "first_day"}

FREQUENCY_LABELS = {
    Frequency.WEEKLY: _l("Every week (or every N weeks), on the same weekday"),
    Frequency.MONTHLY_BY_DATE: _l("Every month (or every N months), on the same date"),
    Frequency.MONTHLY_BY_WEEKDAY: _l("Every month, on the same weekday of the month (e.g. the 2nd Tuesday)"),
}
ENDS_LABELS = [
    ("never", _l("Never")),
    ("until", _l("On a date")),
    ("count", _l("After a number of meetings")),
]


def local(day, at, field: str = "start_time") -> datetime:
    """A local date and time as an aware datetime (America/Toronto); a time the clocks skip (2:30 on the
    night they spring forward) is refused rather than silently moved."""
    if day.year not in YEARS:
        raise ServiceError(_l("Give a date between 2000 and 2100."), "day" if field != "first_day" else field)
    moment = datetime.combine(day, at, tzinfo=LOCAL_TZ)
    if moment.astimezone(UTC).astimezone(LOCAL_TZ).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise ServiceError(
            _l("This time does not exist that day: the clocks change. Choose another time."), field
        )
    return moment


class PlaceFields:
    title = StringField(_l("Title"), validators=[DataRequired(message=REQUIRED), Length(max=200)])
    location = StringField(_l("Place (address or room)"), validators=[Optional(), Length(max=300)])
    video_url = StringField(
        _l("Video link"),
        validators=[Optional(), Length(max=500), URL(require_tld=False, message=_l("Enter a web address."))],
    )


class MeetingForm(PlaceFields, BaseForm):
    committee_id = SelectField(_l("Committee"), validators=[Optional()])
    day = DateField(_l("Date"), validators=[DataRequired(message=REQUIRED)])
    start_time = TimeField(_l("Start"), validators=[DataRequired(message=REQUIRED)])
    end_time = TimeField(_l("End"), validators=[DataRequired(message=REQUIRED)])
    guests = TextAreaField(
        _l("Guests (e-mail addresses, one per line)"), validators=[Optional(), Length(max=5000)]
    )


class SeriesForm(PlaceFields, BaseForm):
    committee_id = SelectField(_l("Committee"), validators=[Optional()])
    first_day = DateField(_l("Date of the first meeting"), validators=[DataRequired(message=REQUIRED)])
    start_time = TimeField(_l("Start"), validators=[DataRequired(message=REQUIRED)])
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"),
        validators=[DataRequired(message=REQUIRED), NumberRange(min=1, max=720)],
        default=120,
    )
    frequency = SelectField(
        _l("Repeats"), choices=options(FREQUENCY_LABELS.items()), default=Frequency.MONTHLY_BY_WEEKDAY
    )
    interval = IntegerField(
        _l("Every how many weeks or months"), default=1, validators=[NumberRange(min=1, max=12)]
    )
    ends = RadioField(_l("Ends"), choices=options(ENDS_LABELS), default="never")
    until_date = DateField(_l("Last date"), validators=[Optional()])
    guests = TextAreaField(
        _l("Guests (e-mail addresses, one per line)"), validators=[Optional(), Length(max=5000)]
    )
    count = WholeNumberField(_l("Number of meetings"), validators=[Optional(), NumberRange(min=1, max=500)])


class MoveForm(BaseForm):
    day = DateField(_l("New date"), validators=[DataRequired(message=REQUIRED)])
    start_time = TimeField(_l("Start"), validators=[DataRequired(message=REQUIRED)])
    end_time = TimeField(_l("End"), validators=[DataRequired(message=REQUIRED)])


class QuorumForm(BaseForm):
    quorum = IntegerField(
        _l("Quorum (members present)"), validators=[Optional(), NumberRange(min=1, max=200)]
    )


def set_committees(form, committees, selected: int | None = None) -> None:
    """The committee select: no committee, or one of `committees`; `selected` is chosen beforehand."""
    form.committee_id.choices = options(
        [("", _l("No committee"))] + [(str(c.id), c.name_for(current_language())) for c in committees]
    )
    if selected:
        form.committee_id.data = str(selected)


def chosen_committee(form) -> int | None:
    raw = form.committee_id.data or ""
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID else None


class MeetingSearchForm(BaseForm):
    """The meetings index's search (GET): the service reads and checks every value."""

    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Search meetings, decisions and actions"))
    committee = StringField(_l("Committee"))
    start = StringField(_l("From"), render_kw={"type": "date"})
    end = StringField(_l("To"), render_kw={"type": "date"})
