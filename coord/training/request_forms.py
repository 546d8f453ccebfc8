"""The training request form (public, or signed in) and the reason for declining one. The form checks shapes
and lengths; the service (coord.training.training_requests) checks the rules again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from coord.core.forms import REQUIRED, BaseForm, WholeNumberField, options

HONEYPOT = "website"


def _too_long(limit: int):
    return Length(max=limit, message=_l("Keep this under %(max)d characters.", max=limit))


class TrainingRequestForm(BaseForm):
    organization_name = StringField(
        _l("Organization"), validators=[DataRequired(message=REQUIRED), _too_long(200)]
    )
    contact_name = StringField(_l("Your name"), validators=[DataRequired(message=REQUIRED), _too_long(120)])
    contact_email = EmailField(
        _l("Your e-mail address"), validators=[DataRequired(message=REQUIRED), _too_long(254)]
    )
    module = SelectField(_l("Training"), validators=[DataRequired(message=_l("Choose a training."))])
    audience = StringField(
        _l("Who would attend"), validators=[DataRequired(message=REQUIRED), _too_long(300)]
    )
    expected_size = WholeNumberField(
        _l("How many people"),
        validators=[Optional()],
        message=_l("Give a number between 1 and 1,000."),
        digits=4,
    )
    period_start = DateField(_l("From"), validators=[Optional()])
    period_end = DateField(_l("To"), validators=[Optional()])
    language = SelectField(
        _l("Language of the messages"), choices=options([("fr", "Français"), ("en", "English")]), default="fr"
    )
    details = TextAreaField(_l("Details (optional)"), validators=[Optional(), _too_long(3000)])
    website = StringField(_l("Leave this field empty"), validators=[Optional(), _too_long(200)])


class DeclineForm(BaseForm):
    reason = TextAreaField(
        _l("Reason (sent to the organization)"), validators=[DataRequired(message=REQUIRED), _too_long(2000)]
    )
