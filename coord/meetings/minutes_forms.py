"""The minutes form (works without JavaScript): general notes, one textarea per agenda item, decision and
action rows (the existing ones plus three empty rows), and the revision the form was loaded with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from coord.core.forms import REQUIRED, BaseForm, RowForm, WholeNumberField, options
from coord.meetings.minutes import MAX_COMMENT, MAX_REASON
from coord.meetings.minutes_page import MinutesPage
from coord.meetings.minutes_revisions import MAX_REVISION
from coord.meetings.minutes_rows import (
    FIRST_DUE_YEAR,
    LAST_DUE_YEAR,
    MAX_OWNER_NAME,
    MAX_ROWS,
    MAX_TEXT,
    ActionData,
    DecisionData,
)
from coord.meetings.models import ActionStatus

EXTRA_ROWS = 3
ROW_LISTS = ("decisions", "actions")
OTHER_OWNER = "other"
STATUS_CHOICES = [
    (ActionStatus.OPEN.value, _l("Open")),
    (ActionStatus.DONE.value, _l("Done")),
    (ActionStatus.CANCELLED.value, _l("Cancelled")),
]


class DueYear:
    """A due date between 2000 and 2100 (farther dates are typing mistakes)."""

    def __call__(self, form, field) -> None:
        if field.data and not FIRST_DUE_YEAR <= field.data.year <= LAST_DUE_YEAR:
            raise ValidationError(_l("Give a due date between 2000 and 2100."))


class IdOrEmpty:
    """A select's value is empty, an id (checked by the service), or one of `words`."""

    def __init__(self, *words: str) -> None:
        self.words = words

    def __call__(self, form, field) -> None:
        value = field.data or ""
        an_id = value.isascii() and value.isdigit() and len(value) < 12
        if not (value == "" or value in self.words or an_id):
            raise ValidationError(_l("Choose from the list."))


# The selects' values are checked by the service (an unknown value gets a message on its row).


class DecisionRow(RowForm):
    text = TextAreaField(_l("Decision"), render_kw={"rows": 2, "maxlength": MAX_TEXT})
    item = SelectField(_l("Agenda item"), validate_choice=False, validators=[IdOrEmpty()])


class ActionRow(RowForm):
    id = WholeNumberField(  # a forged id: a message in the reader's language
        widget=HiddenInput(),
        validators=[Optional()],
        digits=10,
        message=_l("Unknown action: reload the page."),
    )
    description = TextAreaField(_l("Action"), render_kw={"rows": 2, "maxlength": MAX_TEXT})
    item = SelectField(_l("Agenda item"), validate_choice=False, validators=[IdOrEmpty()])
    owner = SelectField(_l("Owner"), validate_choice=False, validators=[IdOrEmpty(OTHER_OWNER)])
    owner_name = StringField(
        _l("Or another owner (name)"),
        validators=[Optional(), Length(max=MAX_OWNER_NAME)],
        render_kw={"maxlength": MAX_OWNER_NAME, "autocomplete": "off"},
    )
    due_date = DateField(_l("Due date"), validators=[Optional(), DueYear()])
    status = SelectField(
        _l("Status"), choices=options(STATUS_CHOICES), default=ActionStatus.OPEN.value, validate_choice=False
    )


class MinutesForm(BaseForm):
    base_revision = IntegerField(
        widget=HiddenInput(),
        validators=[
            InputRequired(_l("Reload the page: the form's revision number is missing.")),
            NumberRange(0, MAX_REVISION, _l("Unknown revision: reload the page and try again.")),
        ],
    )
    general = TextAreaField(_l("General notes"), render_kw={"rows": 5, "maxlength": MAX_TEXT})
    decisions = FieldList(FormField(DecisionRow))
    actions = FieldList(FormField(ActionRow))


class CorrectionForm(MinutesForm):
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON)],
        render_kw={"rows": 2, "maxlength": MAX_REASON},
    )


class CommentForm(BaseForm):
    text = TextAreaField(_l("Your comment"), render_kw={"rows": 3, "maxlength": MAX_COMMENT})


def item_field(item) -> str:
    return f"item_{item.id}"


def limit_rows(formdata: MultiDict) -> tuple[MultiDict, list[str]]:
    """The form data with at most MAX_ROWS + 3 rows per list (and no malformed row keys); the lists cut."""
    indices: dict[str, set[int]] = {name: set() for name in ROW_LISTS}
    malformed = False
    for key in formdata:
        for name in ROW_LISTS:
            if key.startswith(name + "-"):
                index = key[len(name) + 1 :].split("-", 1)[0]
                if index.isascii() and index.isdigit():
                    indices[name].add(int(index))
                else:
                    malformed = True
    over = [name for name, found in indices.items() if len(found) > MAX_ROWS + EXTRA_ROWS]
    if not over and not malformed:
        return formdata, []
    keep = {name: set(sorted(found)[: MAX_ROWS + EXTRA_ROWS]) for name, found in indices.items()}

    def kept(key: str) -> bool:
        for name in ROW_LISTS:
            if key.startswith(name + "-"):
                index = key[len(name) + 1 :].split("-", 1)[0]
                return index.isascii() and index.isdigit() and int(index) in keep[name]
        return True

    return MultiDict([(k, v) for k, v in formdata.items(multi=True) if kept(k)]), over


def _initial(page: MinutesPage) -> dict:
    notes = (page.minutes.content or {}).get("items", {}) if page.minutes else {}
    data = {
        "base_revision": page.minutes.revision if page.minutes else 0,
        "general": page.general,
        "decisions": [{"text": d.text, "item": str(d.agenda_item_id or "")} for d in page.decisions],
        "actions": [
            {
                "id": a.id,
                "description": a.description,
                "item": str(a.agenda_item_id or ""),
                "owner": str(a.owner_id) if a.owner_id else (OTHER_OWNER if a.owner_name else ""),
                "owner_name": a.owner_name,
                "due_date": a.due_date,
                "status": a.status,
            }
            for a in page.actions
        ],
    }
    data["decisions"] += [{} for _ in range(EXTRA_ROWS)]
    data["actions"] += [{} for _ in range(EXTRA_ROWS)]
    data.update({item_field(item): notes.get(str(item.id), "") for item in page.items})
    return data


def minutes_form(page: MinutesPage, *, correcting: bool = False, formdata: MultiDict | None = None):
    """The form for this meeting's agenda items and people: filled from the minutes, or from `formdata`."""
    base = CorrectionForm if correcting else MinutesForm
    fields = {
        item_field(item): TextAreaField(
            f"{number}. {item.title}", render_kw={"rows": 4, "maxlength": MAX_TEXT}
        )
        for number, item in enumerate(page.items, start=1)
    }
    form_class = type("AgendaMinutesForm", (base,), fields)
    form = form_class(formdata=formdata) if formdata is not None else form_class(data=_initial(page))
    items = options(
        [("", "—")] + [(str(item.id), f"{n}. {item.title}") for n, item in enumerate(page.items, 1)]
    )
    owners = options(
        [("", _l("Nobody yet"))]
        + [(str(person.id), person.display_name) for person in page.owners]
        + [(OTHER_OWNER, _l("Someone else (type the name)"))]
    )
    for entry in form.decisions:
        entry.form.item.choices = items
    for entry in form.actions:
        entry.form.item.choices = items
        entry.form.owner.choices = owners
    return form


def _int(value) -> int | None:
    value = value or ""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def item_notes(form, page: MinutesPage) -> dict[int, str]:
    return {item.id: form[item_field(item)].data or "" for item in page.items}


def decision_rows(form) -> list[DecisionData]:
    return [
        DecisionData(
            text=entry.form.text.data or "", agenda_item_id=_int(entry.form.item.data), ref=entry.name
        )
        for entry in form.decisions
    ]


def action_rows(form) -> list[ActionData]:
    rows = []
    for entry in form.actions:
        row = entry.form
        owner_id = _int(row.owner.data)
        rows.append(
            ActionData(
                description=row.description.data or "",
                id=row.id.data,
                agenda_item_id=_int(row.item.data),
                owner_id=owner_id,
                owner_name="" if owner_id else (row.owner_name.data or ""),
                owner_other=row.owner.data == OTHER_OWNER,
                due_date=row.due_date.data,
                status=row.status.data or ActionStatus.OPEN.value,
                ref=entry.name,
            )
        )
    return rows


# Actions ("Mes actions", a committee's list) -------------------------------------------------------------


class ActionForm(BaseForm):
    """Cancel or reopen an action; `back` names the page to return to."""

    back = HiddenField()


class DoneForm(ActionForm):
    done_on = DateField(_l("Done on"), validators=[Optional()])  # empty: today
