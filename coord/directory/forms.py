"""Directory and authentication forms. Every POST form carries Flask-WTF's csrf_token."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, ValidationError

from coord.audit_labels import ACTION_LABELS, OBJECT_LABELS
from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, options
from coord.directory.models import CommitteeRole, Role, Sector

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]
ROLE_LABELS = {
    Role.COORDINATOR: _l("Coordinator"),
    Role.INTERVENANT: _l("Intervenant"),
    Role.PARTNER: _l("Partner professional"),
    Role.REQUESTER: _l("Requester"),
    Role.RESEARCHER: _l("Evaluation researcher"),
    Role.ADMIN: _l("Administrator"),
}
SECTOR_LABELS = {
    Sector.HEALTH_SOCIAL: _l("Health and social services"),
    Sector.POLICE: _l("Police"),
    Sector.COMMUNITY: _l("Community"),
    Sector.EDUCATION: _l("Education"),
    Sector.OTHER: _l("Other"),
}
COMMITTEE_ROLE_LABELS = {
    CommitteeRole.MEMBER: _l("Member"),
    CommitteeRole.CHAIR: _l("Chair"),
    CommitteeRole.SECRETARY: _l("Secretary"),
}


class EmailAddress:
    """A syntactically valid e-mail address (no DNS look-up; .test addresses allowed for demo data)."""

    def __call__(self, form, field) -> None:
        try:
            validate_email(field.data or "", check_deliverability=False, test_environment=True)
        except EmailNotValidError as error:
            raise ValidationError(_l("Enter a valid e-mail address.")) from error


def email_field(label=None) -> StringField:
    return StringField(
        label or _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Length(max=254), EmailAddress()],
        render_kw={"autocomplete": "email", "type": "email", "maxlength": 254},
    )


def new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "new-password", "minlength": 12, "maxlength": 256},
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        _l("Confirm the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password", "maxlength": 256},
    )


class LoginForm(BaseForm):
    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "username", "type": "email", "maxlength": 254, "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password", "maxlength": 256},
    )
    next = HiddenField()


class TotpForm(BaseForm):
    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(REQUIRED), Length(min=6, max=7)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "maxlength": 7,
            "autofocus": True,
        },
    )


class ForgotPasswordForm(BaseForm):
    email = email_field()


class SetPasswordForm(BaseForm):
    password = new_password_field()
    confirm = confirm_field()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    confirm = confirm_field()


class LanguageForm(BaseForm):
    preferred_language = SelectField(_l("Language"), choices=options(LANGUAGE_CHOICES))


class ConfirmWithPasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )


class EmailChangeForm(BaseForm):
    """An administrator asks for another person's new address."""

    email = email_field(_l("New e-mail address"))


class OwnEmailChangeForm(BaseForm):
    """A person asks for their own new address, with their current password."""

    email = email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password", "maxlength": 256},
    )


class PersonForm(BaseForm):
    """A person's details; the address only when adding someone (NewPersonForm): an account's address
    changes through EmailChangeForm / OwnEmailChangeForm, confirmed from the new address."""

    display_name = StringField(
        _l("Name shown to others"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"maxlength": 120, "autocomplete": "off"},
    )
    organization_id = SelectField(_l("Organization"), coerce=int, validators=[InputRequired(REQUIRED)])
    preferred_language = SelectField(_l("Language"), choices=options(LANGUAGE_CHOICES))
    roles = MultiCheckboxField(
        _l("Roles"), choices=options([(role.value, label) for role, label in ROLE_LABELS.items()])
    )


class NewPersonForm(PersonForm):
    email = email_field()
    send_invitation = BooleanField(_l("Send an invitation by e-mail now"), default=True)


class OrganizationForm(BaseForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)], render_kw={"maxlength": 200}
    )
    short_name = StringField(
        _l("Short name"), validators=[DataRequired(REQUIRED), Length(max=40)], render_kw={"maxlength": 40}
    )
    sector = SelectField(
        _l("Sector"),
        choices=options(
            [("", _l("Choose a sector")), *((s.value, label) for s, label in SECTOR_LABELS.items())]
        ),
        validators=[DataRequired(REQUIRED)],
    )
    region = StringField(_l("Region"), validators=[Optional(), Length(max=100)], render_kw={"maxlength": 100})
    is_partner = BooleanField(_l("Partner organization of the program"))


class MembershipForm(BaseForm):
    person_id = SelectField(_l("Person"), coerce=int, validators=[InputRequired(REQUIRED)])
    role = SelectField(
        _l("Role in the committee"),
        choices=options([(role.value, label) for role, label in COMMITTEE_ROLE_LABELS.items()]),
    )


class ReasonableDate:
    """A date between 1900 and 2999 (farther dates are typing mistakes and overflow date arithmetic)."""

    def __call__(self, form, field) -> None:
        if field.data and not 1900 <= field.data.year <= 2999:
            raise ValidationError(_l("Enter a date between 1900 and 2999."))


def _labelled(labels: dict) -> list[SelectChoice]:
    pairs = sorted(((code, str(label)) for code, label in labels.items()), key=lambda p: p[1].casefold())
    return options([("", _l("All")), *pairs])


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form

    # Actions and kinds of objects in words, sorted in the reader's language (the log stores codes).
    action = SelectField(_l("Action"), choices=lambda: _labelled(ACTION_LABELS), validators=[Optional()])
    actor = StringField(_l("Person (e-mail)"), validators=[Optional(), Length(max=254)])
    object_type = SelectField(
        _l("Object type"), choices=lambda: _labelled(OBJECT_LABELS), validators=[Optional()]
    )
    object_id = StringField(_l("Object id"), validators=[Optional(), Length(max=64)])
    outcome = SelectField(
        _l("Outcome"),
        choices=options(
            [
                ("", _l("All")),
                ("success", _l("Success")),
                ("failure", _l("Failure")),
                ("denied", _l("Denied")),
            ]
        ),
        validators=[Optional()],
    )
    since = DateField(_l("From"), validators=[Optional(), ReasonableDate()])
    until = DateField(_l("To (inclusive)"), validators=[Optional(), ReasonableDate()])
