"""The participant's forms: record, change, close; record a consent. The services check the values again
(age, criteria, dates, organizations), so a forged form gets the same messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, WholeNumberField, options
from coord.referrals.consents import ConsentData
from coord.referrals.models import ClosingReason, ConsentForm, ConsentGiver, Gender, Purpose, ReferralState
from coord.referrals.participants import MAX_NOTE, ParticipantData

GENDER_LABELS = [
    ("", _l("Not said")),
    (Gender.GIRL.value, _l("Girl or woman")),
    (Gender.BOY.value, _l("Boy or man")),
    (Gender.NON_BINARY.value, _l("Non-binary")),
    (Gender.TRANS_GIRL.value, _l("Trans girl or woman")),
    (Gender.TRANS_BOY.value, _l("Trans boy or man")),
    (Gender.TWO_SPIRIT.value, _l("Two-spirit")),
    (Gender.OTHER.value, _l("Other")),
]
CLOSING_LABELS = [
    (ClosingReason.GOALS_MET.value, _l("Goals met")),
    (ClosingReason.PARTICIPANT_CHOICE.value, _l("The participant's choice")),
    (ClosingReason.TRANSFERRED.value, _l("Transferred to another resource")),
    (ClosingReason.NO_CONTACT.value, _l("No contact")),
    (ClosingReason.AGE_LIMIT.value, _l("Age limit reached")),
    (ClosingReason.OTHER.value, _l("Other")),
]
PURPOSE_LABELS = [
    (Purpose.REFERRAL.value, _l("Referral to the organization")),
    (Purpose.CASE_CONFERENCE.value, _l("Case conference")),
    (Purpose.FOLLOW_UP.value, _l("Sharing follow-up information")),
]
CONSENT_FORM_LABELS = [(ConsentForm.VERBAL.value, _l("Verbal")), (ConsentForm.WRITTEN.value, _l("Written"))]
GIVER_LABELS = [
    (ConsentGiver.PARTICIPANT.value, _l("The participant")),
    (ConsentGiver.PARENT.value, _l("A parent")),
    (ConsentGiver.TUTOR.value, _l("A tutor")),
]
REFERRAL_STATE_LABELS = [
    (ReferralState.SENT.value, _l("Waiting for an answer")),
    (ReferralState.ACCEPTED.value, _l("Accepted")),
    (ReferralState.DECLINED.value, _l("Declined")),
    (ReferralState.WITHDRAWN.value, _l("Withdrawn by the sender")),
    (ReferralState.CLOSED.value, _l("Closed with an outcome")),
    (ReferralState.SUSPENDED.value, _l("Suspended (consent)")),
]


class ReasonableDate:
    """A date between 2000 and 2100 (farther dates are typing mistakes)."""

    def __call__(self, form, field) -> None:
        if field.data and not 2000 <= field.data.year <= 2100:
            raise ValidationError(_l("Enter a date between 2000 and 2100."))


class _ParticipantFields(BaseForm):
    gender = SelectField(_l("Gender identity (optional)"), choices=options(GENDER_LABELS), default="")
    recognizes_harms = BooleanField(_l("Recognizes the harms experienced"))
    voluntary = BooleanField(_l("Takes part voluntarily, even if not yet ready to change"))
    private_note = TextAreaField(
        _l("Private note (only you see it)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        render_kw={"rows": 4, "maxlength": MAX_NOTE},
    )

    def data_for_service(self) -> ParticipantData:
        return ParticipantData(
            gender=self.gender.data or None,
            recognizes_harms=bool(self.recognizes_harms.data),
            voluntary=bool(self.voluntary.data),
            private_note=self.private_note.data or "",
            age_at_intake=getattr(getattr(self, "age_at_intake", None), "data", None),
        )

    def fill_from(self, participant) -> None:
        self.gender.data = participant.gender or ""
        self.recognizes_harms.data = participant.recognizes_harms
        self.voluntary.data = participant.voluntary
        self.private_note.data = participant.private_note


class ParticipantForm(_ParticipantFields):
    age_at_intake = WholeNumberField(
        _l("Age at intake"),
        digits=3,
        message=_l("The age at intake must be between 12 and 24."),
        render_kw={"inputmode": "numeric", "min": 12, "max": 24},
    )


class ParticipantEditForm(_ParticipantFields):
    pass


class ParticipantCloseForm(BaseForm):
    closed_on = DateField(_l("Closing date"), validators=[DataRequired(message=REQUIRED), ReasonableDate()])
    reason = SelectField(_l("Reason"), choices=options(CLOSING_LABELS), validate_choice=False)


class ConsentRecordForm(BaseForm):
    given_on = DateField(_l("Date given"), validators=[DataRequired(message=REQUIRED), ReasonableDate()])
    form_kind = RadioField(_l("Form"), choices=options(CONSENT_FORM_LABELS), validate_choice=False)
    given_by = RadioField(
        _l("Given by"),
        choices=options(GIVER_LABELS),
        default=ConsentGiver.PARTICIPANT.value,
        validate_choice=False,
    )
    purposes = MultiCheckboxField(_l("Purposes"), choices=options(PURPOSE_LABELS), validate_choice=False)
    organizations = MultiCheckboxField(_l("Partner organizations named"), choices=[], validate_choice=False)
    expires_on = DateField(
        _l("Last day it covers (at most 12 months; empty: 12 months)"),
        validators=[Optional(), ReasonableDate()],
    )

    def offer(self, organizations) -> ConsentRecordForm:
        self.organizations.choices = options((str(o.id), o.name) for o in organizations)
        return self

    def data_for_service(self) -> ConsentData:
        return ConsentData(
            given_on=self.given_on.data,
            form=self.form_kind.data or "",
            purposes=list(self.purposes.data or []),
            organization_ids=list(self.organizations.data or []),
            given_by=self.given_by.data or "",
            expires_on=self.expires_on.data,
        )
