"""The awareness-session request form (public, or signed in): who asks, for whom, how, and when.

The form checks shapes and lengths; the service (`coord.outreach.requests`) checks the rules again (times,
notice, horizon, the slot still open), so a forged post gets the same messages as a mistaken one.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, RowForm, WholeNumberField, options
from coord.outreach.models import MAX_WINDOWS
from coord.outreach.request_choices import AUDIENCES, FORMATS, LANGUAGES, MILIEUX, REGION_NAMES

NAME_MAX = 200
CONTACT_MAX = 120
EMAIL_MAX = 254
PHONE_MAX = 40
ADDRESS_MAX = 300
DETAILS_MAX = 3000
HONEYPOT = "website"  # a field people never see (hidden by CSS, out of the tab order): bots fill it


def _too_long(limit: int):
    return Length(max=limit, message=_l("Keep this under %(max)d characters.", max=limit))


class Email:
    def __call__(self, form, field) -> None:
        try:
            validate_email(field.data or "", check_deliverability=False, test_environment=True)
        except EmailNotValidError as error:
            raise ValidationError(str(_l("Enter a valid e-mail address, like name@example.org."))) from error


class Size:
    """1 to 2,000 people; a value that is not a number already has its own message."""

    def __call__(self, form, field) -> None:
        if field.data is not None and not 1 <= field.data <= 2000:
            raise ValidationError(str(_l("Give a number between 1 and 2,000.")))


class AtLeastOne:
    """At least one box ticked (no `required` flag: a browser would then require every box)."""

    def __call__(self, form, field) -> None:
        if not field.data:
            raise ValidationError(str(_l("Choose at least one audience.")))


class WindowRow(RowForm):
    """One preferred time window: a date, a start, an end (Montréal time)."""

    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("From"), validators=[Optional()])
    end = TimeField(_l("To"), validators=[Optional()])


class RequestForm(BaseForm):
    organization_name = StringField(
        _l("Organization or school"), validators=[DataRequired(message=REQUIRED), _too_long(NAME_MAX)]
    )
    milieu = SelectField(
        _l("Kind of milieu"),
        choices=options([("", _l("Choose…")), *MILIEUX.items()]),
        validators=[DataRequired(message=_l("Choose the kind of milieu."))],
    )
    region = SelectField(
        _l("Region"),
        choices=options(REGION_NAMES.items()),
        default="06",
        validators=[DataRequired(message=REQUIRED)],
    )
    contact_name = StringField(
        _l("Name"), validators=[DataRequired(message=REQUIRED), _too_long(CONTACT_MAX)]
    )
    contact_email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(message=_l("Give an e-mail address: we send the confirmation there.")),
            _too_long(EMAIL_MAX),
            Email(),
        ],
    )
    contact_phone = StringField(_l("Phone (optional)"), validators=[Optional(), _too_long(PHONE_MAX)])
    audiences = MultiCheckboxField(
        _l("Audience"),
        choices=options(AUDIENCES.items()),
        validators=[AtLeastOne()],
        validate_choice=False,
    )
    expected_size = WholeNumberField(
        _l("Expected number of people"),
        validators=[InputRequired(message=_l("Give an approximate number of people.")), Size()],
        digits=6,
        message=_l("Give a number, like 25."),
    )
    format = RadioField(
        _l("Format"),
        choices=options(FORMATS.items()),
        default="in_person",
        validators=[DataRequired(message=_l("Choose in person or virtual."))],
        validate_choice=False,
    )
    address = StringField(_l("Address of the session"), validators=[Optional(), _too_long(ADDRESS_MAX)])
    language = RadioField(
        _l("Language of the session"),
        choices=options(LANGUAGES.items()),
        default="fr",
        validators=[DataRequired(message=_l("Choose French or English."))],
        validate_choice=False,
    )
    details = TextAreaField(
        _l("Anything we should know (optional)"), validators=[Optional(), _too_long(DETAILS_MAX)]
    )
    slot = StringField(_l("Open time"), validators=[Optional()])  # checked by the service
    windows = FieldList(FormField(WindowRow), min_entries=MAX_WINDOWS, max_entries=MAX_WINDOWS)
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)])
