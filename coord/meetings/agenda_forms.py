"""The agenda item form: title, presenter (a person or a typed name), duration, kind, description."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from coord.core.forms import REQUIRED, BaseForm, WholeNumberField, options
from coord.meetings.agenda import (
    MAX_DESCRIPTION,
    MAX_DURATION,
    MAX_PRESENTER_NAME,
    MAX_TITLE,
    MIN_DURATION,
    ItemData,
)
from coord.meetings.models import ItemKind

KIND_LABELS = {
    ItemKind.INFORMATION: _l("Information"),
    ItemKind.DISCUSSION: _l("Discussion"),
    ItemKind.DECISION: _l("Decision"),
}
DURATION_MESSAGE = _l("A duration is a whole number of minutes from 1 to 600.")


class AgendaItemForm(BaseForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=REQUIRED), Length(max=MAX_TITLE)],
        render_kw={"maxlength": MAX_TITLE},
    )
    presenter_id = SelectField(_l("Presenter"), validators=[Optional()])
    presenter_name = StringField(
        _l("Or another presenter (name)"),
        validators=[Optional(), Length(max=MAX_PRESENTER_NAME)],
        render_kw={"maxlength": MAX_PRESENTER_NAME, "autocomplete": "off"},
    )
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=MIN_DURATION, max=MAX_DURATION, message=DURATION_MESSAGE),
        ],
        default=15,
        render_kw={"type": "number", "min": MIN_DURATION, "max": MAX_DURATION, "inputmode": "numeric"},
        message=DURATION_MESSAGE,
    )
    kind = SelectField(
        _l("Kind"),
        choices=options([(kind.value, label) for kind, label in KIND_LABELS.items()]),
        default=ItemKind.INFORMATION.value,
    )
    description = TextAreaField(
        _l("Description (Markdown: **bold**, _italic_, lists, links)"),
        validators=[Optional(), Length(max=MAX_DESCRIPTION)],
        render_kw={"rows": 4, "maxlength": MAX_DESCRIPTION},
    )

    def set_presenters(self, people, current=None) -> None:
        """Choices: nobody, then the invitees (and the current presenter, if no longer among them)."""
        pairs = [("", _l("Nobody, or the name typed below"))]
        pairs += [(str(person.id), person.display_name) for person in people]
        if current is not None and all(person.id != current.id for person in people):
            pairs.append((str(current.id), current.display_name))
        self.presenter_id.choices = options(pairs)

    def data_for_service(self) -> ItemData:
        presenter = self.presenter_id.data or ""
        return ItemData(
            title=self.title.data or "",
            duration_minutes=self.duration_minutes.data,
            kind=self.kind.data,
            presenter_id=int(presenter) if presenter.isascii() and presenter.isdigit() else None,
            presenter_name=self.presenter_name.data or "",
            description=self.description.data or "",
        )

    def fill_from(self, item) -> None:
        self.title.data = item.title
        self.presenter_id.data = str(item.presenter_id) if item.presenter_id else ""
        self.presenter_name.data = item.presenter_name
        self.duration_minutes.data = item.duration_minutes
        self.kind.data = str(item.kind)
        self.description.data = item.description
