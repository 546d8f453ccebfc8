"""The coordinator's forms: a session (its parts as rows, like the outreach request's windows), a module,
the cancellation's reason. Shapes and lengths here; the rules in coord.training.session_rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, RowForm, WholeNumberField, options
from coord.training.models import MAX_PARTS, Audience
from coord.training.session_rules import SessionInput

AUDIENCES = (
    (Audience.PARTNERS.value, _l("Partners only")),
    (Audience.OPEN.value, _l("Open to outside organizations")),
)
LANGUAGES = (("fr", _l("French")), ("en", _l("English")))
NUMBER = _l("Give a whole number, like 20.")


def _too_long(limit: int):
    return Length(max=limit, message=_l("Keep this under %(max)d characters.", max=limit))


class PartRow(RowForm):
    """One part: a date, a start, an end (Montréal time)."""

    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("Starts at"), validators=[Optional()])
    end = TimeField(_l("Ends at"), validators=[Optional()])


class SessionForm(BaseForm):
    module_id = SelectField(
        _l("Module"), coerce=int, validators=[InputRequired(message=REQUIRED)], validate_choice=False
    )
    # The rows sent (or the existing parts) and one empty row; "Add a part" (add_part) gives one more.
    parts = FieldList(FormField(PartRow), min_entries=1, max_entries=MAX_PARTS)
    trainer_ids = MultiCheckboxField(
        _l("Trainers"), coerce=int, validators=[Optional()], validate_choice=False
    )
    place = StringField(_l("Place"), validators=[Optional(), _too_long(300)])
    video_url = StringField(_l("Video link"), validators=[Optional(), _too_long(500)])
    capacity = WholeNumberField(
        _l("Capacity (seats)"), validators=[InputRequired(message=REQUIRED)], digits=6, message=NUMBER
    )
    registration_opens = DateField(_l("Registration opens on"), validators=[InputRequired(message=REQUIRED)])
    registration_closes = DateField(
        _l("Registration closes on"), validators=[InputRequired(message=REQUIRED)]
    )
    audience = RadioField(
        _l("Who may register"),
        choices=options(AUDIENCES),
        default="partners",
        validators=[DataRequired(message=REQUIRED)],
        validate_choice=False,
    )
    per_organization_limit = WholeNumberField(
        _l("Seats per organization (optional)"), validators=[Optional()], digits=6, message=NUMBER
    )
    language = RadioField(
        _l("Language of the training"),
        choices=options(LANGUAGES),
        default="fr",
        validators=[DataRequired(message=REQUIRED)],
        validate_choice=False,
    )
    cancel_hours_before = WholeNumberField(
        _l("Registrants may cancel until (hours before)"),
        default=48,
        validators=[InputRequired(message=REQUIRED)],
        digits=6,
        message=NUMBER,
    )
    offer_hours = WholeNumberField(
        _l("A freed seat is held for (hours)"),
        default=48,
        validators=[InputRequired(message=REQUIRED)],
        digits=6,
        message=NUMBER,
    )
    notes = TextAreaField(
        _l("Notes for the registrants (optional)"), validators=[Optional(), _too_long(3000)]
    )
    request = StringField(_l("Request"), validators=[Optional(), Length(max=24)])

    def pad_parts(self, rows: int) -> None:
        """At least `rows` part rows (at most MAX_PARTS)."""
        while len(self.parts) < min(rows, MAX_PARTS):
            self.parts.append_entry()

    def to_input(self) -> SessionInput:
        return SessionInput(
            module_id=self.module_id.data,
            parts=[(row.form.day.data, row.form.start.data, row.form.end.data) for row in self.parts],
            capacity=self.capacity.data,
            registration_opens=self.registration_opens.data,
            registration_closes=self.registration_closes.data,
            trainer_ids=list(self.trainer_ids.data or []),
            place=(self.place.data or "").strip(),
            video_url=(self.video_url.data or "").strip(),
            audience=self.audience.data,
            per_organization_limit=self.per_organization_limit.data,
            language=self.language.data,
            cancel_hours_before=self.cancel_hours_before.data,
            offer_hours=self.offer_hours.data,
            notes=self.notes.data or "",
        )


class ModuleForm(BaseForm):
    title_fr = StringField(_l("Title in French"), validators=[DataRequired(message=REQUIRED), _too_long(200)])
    title_en = StringField(
        _l("Title in English"), validators=[DataRequired(message=REQUIRED), _too_long(200)]
    )
    description_fr = TextAreaField(_l("Description in French"), validators=[Optional(), _too_long(5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), _too_long(5000)])
    audience_fr = StringField(_l("For whom, in French"), validators=[Optional(), _too_long(300)])
    audience_en = StringField(_l("For whom, in English"), validators=[Optional(), _too_long(300)])
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"), validators=[InputRequired(message=REQUIRED)], digits=6, message=NUMBER
    )
    prerequisite_ids = SelectMultipleField(
        _l("Prerequisites"), coerce=int, validators=[Optional()], validate_choice=False
    )
    active = BooleanField(_l("Offered (in the catalogue)"))


class CancelSessionForm(BaseForm):
    reason = TextAreaField(
        _l("Reason (the registrants read it)"), validators=[DataRequired(message=REQUIRED), _too_long(1000)]
    )
