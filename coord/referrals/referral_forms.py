"""The referral forms: sending, declining, closing, naming intake people; and the labels of the codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from coord.core.forms import REQUIRED, BaseForm, MultiCheckboxField, WholeNumberField, options
from coord.referrals.models import DeclineReason, Need, Outcome, ReferralState, Service, Urgency
from coord.referrals.referrals import MAX_NOTE, MAX_OTHER

SERVICE_LABELS = {
    Service.INDIVIDUAL_FOLLOW_UP: _l("Individual follow-up"),
    Service.ACTIVITY: _l("Recreational or cultural activity"),
    Service.ACCOMPANIMENT: _l("Accompaniment to a specialized resource"),
    Service.STUDIES_EMPLOYMENT: _l("Help with studies or employment"),
    Service.OTHER: _l("Other"),
}
NEED_LABELS = {
    Need.BASIC_NEEDS: _l("Basic needs"),
    Need.HARM_REDUCTION: _l("Harm reduction"),
    Need.LIFE_PROJECT: _l("Life project"),
    Need.WELL_BEING: _l("Well-being"),
}
URGENCY_LABELS = {
    Urgency.SAME_DAY: _l("Same day"),
    Urgency.WITHIN_72_HOURS: _l("Within 72 hours"),
    Urgency.ROUTINE: _l("Routine"),
}
STATE_LABELS = {
    ReferralState.SENT: _l("Awaiting an answer"),
    ReferralState.ACCEPTED: _l("Accepted"),
    ReferralState.DECLINED: _l("Declined"),
    ReferralState.WITHDRAWN: _l("Withdrawn"),
    ReferralState.CLOSED: _l("Closed"),
    ReferralState.SUSPENDED: _l("Suspended"),
}
DECLINE_LABELS = {
    DeclineReason.NO_CAPACITY: _l("No capacity at the moment"),
    DeclineReason.NOT_ELIGIBLE: _l("Not eligible for our services"),
    DeclineReason.SERVICE_NOT_OFFERED: _l("Service not offered"),
    DeclineReason.BETTER_ELSEWHERE: _l("Better served elsewhere"),
    DeclineReason.OTHER: _l("Other (say why in the note)"),
}
OUTCOME_LABELS = {
    Outcome.SERVICES_GIVEN: _l("Services given"),
    Outcome.PARTICIPANT_STOPPED: _l("The participant stopped"),
    Outcome.REDIRECTED: _l("Redirected elsewhere"),
    Outcome.NO_CONTACT: _l("No contact possible"),
    Outcome.OTHER: _l("Other"),
}
LABELS = {
    "services": SERVICE_LABELS,
    "needs": NEED_LABELS,
    "urgency": URGENCY_LABELS,
    "states": STATE_LABELS,
    "decline": DECLINE_LABELS,
    "outcomes": OUTCOME_LABELS,
}


class SendForm(BaseForm):
    organization = SelectField(_l("Receiving organization"), validators=[InputRequired(REQUIRED)])
    services = MultiCheckboxField(_l("Services requested"), choices=options(SERVICE_LABELS.items()))
    services_other = StringField(
        _l("Other service"),
        validators=[Optional(), Length(max=MAX_OTHER)],
        render_kw={"maxlength": MAX_OTHER},
    )
    needs = MultiCheckboxField(_l("Needs"), choices=options(NEED_LABELS.items()))
    urgency = RadioField(
        _l("Urgency"), choices=options(URGENCY_LABELS.items()), validators=[InputRequired(REQUIRED)]
    )
    note = TextAreaField(
        _l("Confidential note"),
        validators=[Length(max=MAX_NOTE)],
        render_kw={"rows": 5, "maxlength": MAX_NOTE},
    )

    def set_organizations(self, organizations, covered: set[int]) -> None:
        def label(org):
            return org.name if org.id in covered else _l("%(name)s (no consent)", name=org.name)

        self.organization.choices = options(
            [("", _l("Choose…"))] + [(str(org.id), label(org)) for org in organizations]
        )


class DeclineForm(BaseForm):
    reason = SelectField(
        _l("Reason"),
        choices=options([("", _l("Choose…")), *DECLINE_LABELS.items()]),
        validators=[InputRequired(REQUIRED)],
    )
    note = TextAreaField(
        _l("Note to the sender"),
        validators=[Length(max=MAX_NOTE)],
        render_kw={"rows": 3, "maxlength": MAX_NOTE},
    )


class CloseForm(BaseForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=options([("", _l("Choose…")), *OUTCOME_LABELS.items()]),
        validators=[InputRequired(REQUIRED)],
    )
    feedback = TextAreaField(
        _l("Feedback to the sender"),
        validators=[Length(max=MAX_NOTE)],
        render_kw={"rows": 4, "maxlength": MAX_NOTE},
    )


class IntakeAddForm(BaseForm):
    organization_id = HiddenField(
        validators=[InputRequired(REQUIRED), Length(max=12)]
    )  # checked by the service
    person_id = WholeNumberField(_l("Person"), validators=[InputRequired(REQUIRED)])
