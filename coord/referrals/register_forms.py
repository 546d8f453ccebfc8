"""The registers' forms: the disclosures filter (GET) and a confidentiality incident."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from coord.core.forms import REQUIRED, BaseForm, WholeNumberField, options
from coord.referrals.models import Purpose, RiskLevel

PURPOSE_LABELS = {
    Purpose.REFERRAL: _l("Referral"),
    Purpose.CASE_CONFERENCE: _l("Case conference"),
    Purpose.FOLLOW_UP: _l("Follow-up"),
}
RISK_LABELS = {RiskLevel.LOW: _l("Low"), RiskLevel.SERIOUS: _l("Serious risk of harm")}
DATE_MESSAGE = _l("Give the date as YYYY-MM-DD.")


class ReasonableDate:
    """A date between 1900 and 2999 (farther ones are typing mistakes and overflow date arithmetic)."""

    def __call__(self, form, field) -> None:
        if field.data and not 1900 <= field.data.year <= 2999:
            raise ValidationError(_l("Enter a date between 1900 and 2999."))


class DisclosureFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form

    since = DateField(_l("From"), validators=[Optional(), ReasonableDate()])
    until = DateField(_l("To (inclusive)"), validators=[Optional(), ReasonableDate()])
    organization = SelectField(_l("Organization (from or to)"), validators=[Optional()])
    purpose = SelectField(
        _l("Purpose"),
        choices=options([("", _l("All")), *PURPOSE_LABELS.items()]),
        validators=[Optional()],
    )

    def offer(self, organizations) -> None:
        """The organizations to choose from (id, short name)."""
        self.organization.choices = options(
            [("", _l("All")), *((str(org.id), org.short_name) for org in organizations)]
        )

    def organization_id(self) -> int | None:
        return int(self.organization.data) if self.organization.data else None


def _date(label, required: bool = False) -> DateField:
    first = InputRequired(REQUIRED) if required else Optional()
    return DateField(label, validators=[first, ReasonableDate()], format="%Y-%m-%d")


class IncidentForm(BaseForm):
    data_concerned = TextAreaField(
        _l("Personal information concerned"), validators=[DataRequired(REQUIRED), Length(max=10_000)]
    )
    circumstances = TextAreaField(
        _l("Circumstances"), validators=[DataRequired(REQUIRED), Length(max=10_000)]
    )
    occurred_on = _date(_l("Date of the incident"), required=True)
    discovered_on = _date(_l("Date it was discovered"), required=True)
    people_count = WholeNumberField(
        _l("Number of people concerned"),
        validators=[InputRequired(REQUIRED)],
        message=_l("Give a whole number (0 if none)."),
        digits=7,
    )
    risk_level = SelectField(
        _l("Risk of harm"),
        choices=options([("", _l("Choose…")), *RISK_LABELS.items()]),
        validators=[DataRequired(REQUIRED)],
    )
    risk_assessment = TextAreaField(_l("Risk assessment"), validators=[Length(max=10_000)])
    commission_notified_on = _date(_l("Notice to the Commission d'accès à l'information (date)"))
    people_notified_on = _date(_l("Notice to the people concerned (date)"))
    notices = TextAreaField(_l("Notices given"), validators=[Length(max=10_000)])
    measures = TextAreaField(_l("Measures taken"), validators=[Length(max=10_000)])

    def fill(self, incident) -> None:
        """On GET only: the form shows the line as it is."""
        for name in self.data_fields():
            getattr(self, name).data = getattr(incident, name)

    @staticmethod
    def data_fields() -> tuple[str, ...]:
        return (
            "data_concerned",
            "circumstances",
            "occurred_on",
            "discovered_on",
            "people_count",
            "risk_level",
            "risk_assessment",
            "commission_notified_on",
            "people_notified_on",
            "notices",
            "measures",
        )
