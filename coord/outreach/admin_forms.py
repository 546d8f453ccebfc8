"""The coordinator's forms: publishing a presenter, their languages and windows, the booking settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TimeField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, WholeNumberField, options
from coord.core.ids import MAX_ID
from coord.outreach.admin_labels import LANGUAGES, WEEKDAYS
from coord.outreach.admin_settings import BOUNDS, MESSAGES


class OneOf:
    """The submitted value is one of `values`, else `message` beside the field (a forged or garbled value)."""

    def __init__(self, values, message) -> None:
        self.values, self.message = set(values), message

    def __call__(self, form, field) -> None:
        data = field.data if isinstance(field.data, list) else [field.data or ""]
        if any(value not in self.values for value in data):
            raise ValidationError(str(self.message))


class Digits:
    """An id from a list: digits only (the service checks that it is one of the choices)."""

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        raw = field.data or ""
        if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
            raise ValidationError(str(self.message))


LANGUAGE_MESSAGE = _l("Choose at least one language: French, English or both.")


def _languages_field():
    return MultiCheckboxField(
        _l("Languages they present in"),
        choices=options(LANGUAGES.items()),
        validate_choice=False,
        validators=[OneOf(LANGUAGES, LANGUAGE_MESSAGE)],
    )


class PublishForm(BaseForm):
    person_id = SelectField(
        _l("Person"),
        validate_choice=False,
        validators=[Digits(_l("Choose an active person of a partner organization from the list."))],
    )
    languages = _languages_field()

    def set_people(self, people) -> None:
        self.person_id.choices = options(
            [("", _l("Choose a person"))]
            + [(str(p.id), f"{p.display_name} ({p.organization.short_name})") for p in people]
        )

    def chosen_person(self) -> int:
        raw = self.person_id.data or ""
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 and int(raw) <= MAX_ID else 0


class LanguagesForm(BaseForm):
    languages = _languages_field()


class WindowForm(BaseForm):
    weekday = SelectField(
        _l("Day"),
        choices=options([(str(n), label) for n, label in enumerate(WEEKDAYS)]),
        validate_choice=False,
        validators=[OneOf([str(n) for n in range(7)], _l("Choose a day of the week."))],
    )
    starts = TimeField(_l("From"), validators=[InputRequired(message=REQUIRED)])
    ends = TimeField(_l("To"), validators=[InputRequired(message=REQUIRED)])

    def chosen_weekday(self) -> int:
        raw = self.weekday.data or ""
        return int(raw) if raw in {"0", "1", "2", "3", "4", "5", "6"} else -1


def _bounded(label, name: str, hint):
    """A whole number within the settings' bounds; the message says which bounds."""
    low, high = BOUNDS[name]
    return WholeNumberField(
        label,
        digits=4,
        message=_l("Give a whole number."),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=low, max=high, message=MESSAGES[name])],
        description=hint,
    )


class SettingsForm(BaseForm):
    minimum_notice_days = _bounded(
        _l("Minimum notice (days)"),
        "minimum_notice_days",
        _l("A session may not be booked sooner. Default: 10."),
    )
    buffer_minutes = _bounded(
        _l("Travel time before and after each session (minutes)"),
        "buffer_minutes",
        _l("A presenter's sessions are at least this far apart. Default: 60."),
    )
    max_per_week = _bounded(
        _l("Sessions per presenter per week, at most"),
        "max_per_week",
        _l("Monday to Sunday. Default: 3."),
    )
    horizon_days = _bounded(
        _l("Booking horizon (days)"), "horizon_days", _l("How far ahead a time may be booked. Default: 120.")
    )
    session_minutes = _bounded(
        _l("Length of an open slot (minutes)"),
        "session_minutes",
        _l("The length of the times offered on the public form. Default: 90."),
    )
