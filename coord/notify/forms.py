"""The outbox filter (a GET form, no CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional

from coord.core.forms import BaseForm, options
from coord.notify.models import OutboxStatus

STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Waiting"),
    OutboxStatus.SENDING: _l("Sending"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
    OutboxStatus.UNCERTAIN: _l("Uncertain"),
}


class OutboxFilterForm(BaseForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=options(
            [
                ("", _l("Needing attention")),
                (OutboxStatus.FAILED, STATUS_LABELS[OutboxStatus.FAILED]),
                (OutboxStatus.UNCERTAIN, STATUS_LABELS[OutboxStatus.UNCERTAIN]),
                (OutboxStatus.PENDING, STATUS_LABELS[OutboxStatus.PENDING]),
                (OutboxStatus.SENT, STATUS_LABELS[OutboxStatus.SENT]),
            ]
        ),
        validators=[Optional()],
    )
