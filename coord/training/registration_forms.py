"""Registration forms: the public form (with its honeypot) and the coordinator's "register someone"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from coord.core.forms import REQUIRED, BaseForm, options


class OutsideRegistrationForm(BaseForm):
    name = StringField(_l("Your name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(REQUIRED), Length(max=254)])
    organization = StringField(_l("Your organization"), validators=[DataRequired(REQUIRED), Length(max=200)])
    language = SelectField(
        _l("Language of your messages"),
        choices=options([("fr", "Français"), ("en", "English")]),
        validators=[DataRequired(REQUIRED)],
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled by robots.
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)])


class RegisterSomeoneForm(BaseForm):
    person = SelectField(_l("Person"), coerce=int, validate_choice=True, validators=[DataRequired(REQUIRED)])
