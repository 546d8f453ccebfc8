"""Line breaks and control characters: refused in every single-line field of every form (a message beside
the field, in French first), kept out by the services that take single-line text, and multi-line fields
keep their line breaks but refuse the other control characters."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import FieldList, FormField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import coord
from coord.core.errors import ServiceError
from coord.extensions import db
from tests.directory.factories import email_of, make_committee, make_organization, make_person
from tests.support import logged_in, post_form, text

FORGED = "Comité\r\nBcc: everyone@example.org"
SINGLE_LINE_FR = "Ce champ tient sur une seule ligne"
MULTI_LINE_FR = "Retirez les caractères de contrôle"
# Single-line values refused; multi-line values refused; multi-line values kept.
SINGLE_LINE_BAD = ("a\r\nb", "a\nb", "a\rb", "a\tb", "a\x1bb", "a\x7fb", "a\x85b", "a\u2028b")
MULTI_LINE_BAD = ("a\x0bb", "a\x1bb", "a\x0cb", "a\x7fb", "a\x9bb")
MULTI_LINE_GOOD = "Ligne 1\r\nLigne 2\n\tavec une tabulation"


def _import_app_modules() -> None:
    for module in pkgutil.walk_packages(coord.__path__, "coord."):
        importlib.import_module(module.name)


def _subclasses(base) -> list[type]:
    found, pending = [], list(base.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("coord.") and cls.__module__ != "coord.core.forms":
            found.append(cls)
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__name__))


def _app_forms() -> list[type]:
    _import_app_modules()
    return _subclasses(FlaskForm)


def _text_fields(form_class, prefix: str = "") -> list[tuple[str, type]]:
    """(form data name, field class) of every text field of the form, rows of FieldLists included."""
    fields = []
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        if not isinstance(unbound, UnboundField):
            continue
        if issubclass(unbound.field_class, FieldList):
            row = unbound.args[0]
            if isinstance(row, UnboundField) and issubclass(row.field_class, FormField):
                fields += _text_fields(row.args[0], f"{prefix}{name}-0-")
        elif issubclass(unbound.field_class, StringField):
            fields.append((prefix + name, unbound.field_class))
    return fields


def _form_cases() -> list[tuple[type, str, type]]:
    return [(form, name, kind) for form in _app_forms() for name, kind in _text_fields(form)]


def _bound(form, name: str):
    if "-0-" in name:
        list_name, _, sub = name.split("-", 2)
        return form[list_name][0][sub]
    return form[name]


def _validated(app, form_class, data: dict):
    with app.test_request_context(headers={"Accept-Language": "fr-CA"}):
        form = form_class(formdata=MultiDict(data), meta={"csrf": False})
        for field in form:
            if getattr(field, "choices", ()) is None:
                field.choices = []
        form.validate()
        return {name: [str(error) for error in errors] for name, errors in _flat_errors(form).items()}


def _flat_errors(form) -> dict:
    errors = {}
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                for sub in entry.form:
                    errors[sub.name] = sub.errors
        else:
            errors[field.name] = field.errors
    return errors


def test_every_form_of_the_app_derives_from_the_shared_bases():
    """So that a new module's forms get the checks by using the shared helpers."""
    import wtforms

    from coord.core.forms import BaseForm, RowForm

    forms = _app_forms()
    assert len(forms) >= 20
    assert [form for form in forms if not issubclass(form, BaseForm)] == []
    rows = [row for row in _subclasses(wtforms.Form) if not issubclass(row, FlaskForm)]
    assert rows and [row for row in rows if not issubclass(row, RowForm)] == []


@pytest.mark.parametrize(
    ("form_class", "name", "kind"), _form_cases(), ids=lambda v: getattr(v, "__name__", str(v))
)
def test_every_text_field_of_every_form_refuses_control_characters(app, form_class, name, kind):
    if issubclass(kind, TextAreaField):
        for value in MULTI_LINE_BAD:
            assert any(MULTI_LINE_FR in e for e in _validated(app, form_class, {name: value})[name]), value
        errors = _validated(app, form_class, {name: MULTI_LINE_GOOD})[name]
        assert not any(MULTI_LINE_FR in e for e in errors)
    else:
        for value in SINGLE_LINE_BAD:
            assert any(SINGLE_LINE_FR in e for e in _validated(app, form_class, {name: value})[name]), value
        errors = _validated(app, form_class, {name: "Une seule ligne, accentuée"})[name]
        assert not any(SINGLE_LINE_FR in e for e in errors)


# Forms without any text field: their selects, dates and numbers refuse a line break by their own checks.
NO_TEXT_FIELD = {
    "LanguageForm": "preferred_language",
    "MembershipForm": "role",
    "MoveForm": "day",
    "QuorumForm": "quorum",
    "OutboxFilterForm": "status",
    "DoneForm": "done_on",
    "DisclosureFilterForm": "since",
    "ParticipantCloseForm": "closed_on",  # referrals: a file closed (the service checks the reason)
    "ConsentRecordForm": "given_on",  # referrals: choices checked by the service (a forged id is refused)
    "InviteForm": "invitees",
    "ConfirmForm": None,  # the CSRF token alone
    "PublishForm": "person_id",  # outreach: a person from the list (digits; the service checks the choice)
    "LanguagesForm": "languages",  # outreach: French, English or both
    "WindowForm": "weekday",  # outreach: a day of the week (times are TimeFields)
    "SettingsForm": "minimum_notice_days",  # outreach: whole numbers within bounds
    "RegisterSomeoneForm": "person",  # training (registration): a person from the list (an id)
}


def test_forms_without_text_fields_refuse_a_line_break_in_the_others(app):
    forms = {form.__name__: form for form in _app_forms()}
    without = {name for name, form in forms.items() if not _text_fields(form)} | {"DoneForm"}
    assert without <= set(NO_TEXT_FIELD), f"add a field to try for {sorted(without - set(NO_TEXT_FIELD))}"
    for form_name, field in NO_TEXT_FIELD.items():
        if field is not None:
            assert _validated(app, forms[form_name], {field: "2026-12-10\r\nX"})[field], form_name


# Through the pages: a message beside the field, status 400, nothing written ----------------------------


@pytest.fixture
def coordinator(app):
    coordinator_id = make_person(app, roles=("coordinator",))
    committee = make_committee(app, code="cc", member_ids=[coordinator_id])
    client = logged_in(app.test_client(), email_of(app, coordinator_id))
    client.committee = committee
    client.person_id = coordinator_id
    return client


def _beside(html: str, field: str, message: str) -> bool:
    """The message is in the error list of that field (id="<field>-error")."""
    start = html.find(f'id="{field}-error"')
    return start != -1 and message in html[start : start + 400]


def test_a_meeting_title_with_a_line_break_is_refused_beside_the_field(app, coordinator):
    from coord.meetings.models import Meeting, MeetingSeries

    form = {
        "title": FORGED,
        "committee_id": str(coordinator.committee),
        "day": "2026-12-10",
        "start_time": "14:00",
        "end_time": "15:00",
        "location": "Salle 2.14",
        "video_url": "",
        "guests": "",
    }
    response = post_form(coordinator, "/meetings/new", form, token_page="/meetings/new")
    assert response.status_code == 400
    assert _beside(text(response), "title", SINGLE_LINE_FR)
    response = post_form(coordinator, "/meetings/new", form | {"title": "Comité", "location": "Salle\t2"})
    assert response.status_code == 400 and _beside(text(response), "location", SINGLE_LINE_FR)
    series = {
        "title": FORGED,
        "committee_id": str(coordinator.committee),
        "first_day": "2026-12-10",
        "start_time": "14:00",
        "duration_minutes": "60",
        "frequency": "weekly",
        "interval": "1",
        "ends": "never",
        "location": "",
        "video_url": "",
        "guests": "",
    }
    response = post_form(coordinator, "/meetings/series/new", series, token_page="/meetings/series/new")
    assert response.status_code == 400 and _beside(text(response), "title", SINGLE_LINE_FR)
    english = post_form(coordinator, "/meetings/new", form, headers={"Accept-Language": "en"})
    assert "one line of text" in text(english) or SINGLE_LINE_FR in text(english)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(MeetingSeries.id))) == 0

    created = post_form(coordinator, "/meetings/new", form | {"title": "Comité"})
    assert created.status_code == 302
    meeting_id = int(created.headers["Location"].rsplit("/", 1)[1])
    edit = {k: v for k, v in form.items() if k != "committee_id"}
    response = post_form(coordinator, f"/meetings/{meeting_id}/edit", edit, token_page="/meetings/new")
    assert response.status_code == 400 and _beside(text(response), "title", SINGLE_LINE_FR)
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).title == "Comité"


def test_the_directory_forms_refuse_a_line_break_beside_the_field(app, coordinator):
    from coord.directory.models import Organization, Person

    organization = {"name": FORGED, "short_name": "OX", "sector": "community", "region": ""}
    response = post_form(coordinator, "/organizations/new", organization)
    assert response.status_code == 400 and _beside(text(response), "name", SINGLE_LINE_FR)
    person = {
        "email": "x@example.org",
        "display_name": "Nouvelle\nPersonne",
        "organization_id": str(make_organization(app)),
        "preferred_language": "fr",
    }
    response = post_form(coordinator, "/people/new", person)
    assert response.status_code == 400 and _beside(text(response), "display_name", SINGLE_LINE_FR)
    with app.app_context():
        assert db.session.scalar(sa.select(Organization.id).where(Organization.short_name == "OX")) is None
        assert db.session.scalar(sa.select(Person.id).where(Person.email == "x@example.org")) is None


def test_agenda_and_minutes_forms_keep_line_breaks_in_descriptions_and_refuse_escapes(app):
    from coord.meetings.models import AgendaItem
    from tests.meetings.factories import ITEM_FORM, editor_client, item_count, post

    client = app.test_client()
    committee, coordinator, _, meeting = editor_client(app, client)
    response = post(client, meeting, "/items", ITEM_FORM | {"title": "Point\r\nsuivant"})
    assert response.status_code == 400 and _beside(text(response), "title", SINGLE_LINE_FR)
    response = post(client, meeting, "/items", ITEM_FORM | {"description": "Texte \x1b[31m rouge"})
    assert response.status_code == 400 and _beside(text(response), "description", MULTI_LINE_FR)
    assert item_count(app, meeting) == 0
    assert post(client, meeting, "/items", ITEM_FORM | {"description": MULTI_LINE_GOOD}).status_code == 303
    with app.app_context():
        assert "Ligne 1" in db.session.scalar(sa.select(AgendaItem.description))
        assert "\n" in db.session.scalar(sa.select(AgendaItem.description))


# The services refuse them too, whatever the caller -----------------------------------------------------


def _service_cases():
    """(description, call(app, world) -> None, field) for each service that takes single-line text."""
    from coord.conferences import services as conferences
    from coord.directory import organizations, people
    from coord.meetings import agenda, meeting_services, minutes, series_services
    from coord.meetings.models import Frequency
    from tests.calendar.factories import person

    start = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)

    def meeting_data(**values):
        fields = {"title": "Comité", "starts_at": start, "ends_at": start + timedelta(hours=1)} | values
        return meeting_services.MeetingData(**fields)

    def series_data(**values):
        fields = {
            "title": "Comité",
            "first_start": start,
            "duration_minutes": 60,
            "frequency": Frequency.WEEKLY,
        } | values
        return series_services.SeriesData(**fields)

    return [
        (
            "meeting title",
            lambda w: meeting_services.create_meeting(person(w["coordinator"]), meeting_data(title=FORGED)),
            "title",
        ),
        (
            "meeting place",
            lambda w: meeting_services.create_meeting(
                person(w["coordinator"]), meeting_data(location="A\nB")
            ),
            "location",
        ),
        (
            "changed meeting title",
            lambda w: meeting_services.update_meeting(
                person(w["coordinator"]), w["meeting"], meeting_data(title=FORGED)
            ),
            "title",
        ),
        (
            "series title",
            lambda w: series_services.create_series(person(w["coordinator"]), series_data(title=FORGED)),
            "title",
        ),
        (
            "video link",
            lambda w: series_services.create_series(
                person(w["coordinator"]), series_data(video_url="https://x.example/\r\nA")
            ),
            "video_url",
        ),
        (
            "case conference title",
            lambda w: conferences.schedule_conference(
                person(w["coordinator"]),
                w["participant_ref"],
                conferences.ConferenceData(FORGED, start, start + timedelta(hours=1)),
                [w["coordinator"]],
            ),
            "title",
        ),
        (
            "case conference notes",
            lambda w: conferences.schedule_conference(
                person(w["coordinator"]),
                w["participant_ref"],
                conferences.ConferenceData(
                    "Concertation", start, start + timedelta(hours=1), notes="\x1b[2J"
                ),
                [w["coordinator"]],
            ),
            "notes",
        ),
        (
            "agenda item title",
            lambda w: agenda.add_item(person(w["coordinator"]), w["meeting"], agenda.ItemData(FORGED, 10)),
            "title",
        ),
        (
            "agenda presenter",
            lambda w: agenda.add_item(
                person(w["coordinator"]), w["meeting"], agenda.ItemData("Point", 10, presenter_name="A\tB")
            ),
            "presenter_name",
        ),
        (
            "agenda description",
            lambda w: agenda.add_item(
                person(w["coordinator"]), w["meeting"], agenda.ItemData("Point", 10, description="\x00\x08")
            ),
            "description",
        ),
        (
            "action owner's name",
            lambda w: minutes.save_minutes(
                person(w["coordinator"]),
                w["meeting"],
                0,
                "",
                {},
                [],
                [minutes.ActionData("Action", owner_name="Mme\r\nX", ref="actions-0")],
            ),
            "actions-0-owner_name",
        ),
        (
            "minutes notes",
            lambda w: minutes.save_minutes(person(w["coordinator"]), w["meeting"], 0, "\x1b", {}, [], []),
            "general",
        ),
        (
            "organization name",
            lambda w: organizations.save_organization(
                person(w["coordinator"]), organizations.OrganizationData(FORGED, "OX", "community")
            ),
            "name",
        ),
        (
            "organization region",
            lambda w: organizations.save_organization(
                person(w["coordinator"]), organizations.OrganizationData("Orga", "OX", "community", "Laval\n")
            ),
            "region",
        ),
        (
            "person's name",
            lambda w: people.create_person(
                person(w["coordinator"]), "n@example.org", people.PersonData("Nom\r\nX", w["organization"])
            ),
            "display_name",
        ),
        (
            "person's address",
            lambda w: people.create_person(
                person(w["coordinator"]), "n@example.org\r\nBcc: x", people.PersonData("N", w["organization"])
            ),
            "email",
        ),
    ]


@pytest.fixture
def world(app):
    from tests.calendar.factories import committee_with_people, single_meeting

    committee, coordinator, _ = committee_with_people(app, 1)
    meeting = single_meeting(app, coordinator, committee, start=datetime(2026, 12, 3, 19, 0, tzinfo=UTC))
    from tests.referrals.factories import conferences_participant

    _, participant_ref = conferences_participant(app, coordinator)
    return {
        "coordinator": coordinator,
        "meeting": meeting,
        "organization": make_organization(app),
        "participant_ref": participant_ref,
    }


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name not in ("audit_entry", "login_session", "calendar_state")
    }


@pytest.mark.parametrize("index", range(16), ids=lambda i: f"case{i}")
def test_services_refuse_control_characters_in_single_line_text(app, world, index):
    cases = _service_cases()
    assert len(cases) == 16
    description, call, field = cases[index]
    with app.app_context():
        before = _row_counts()
        with pytest.raises(ServiceError) as refused:
            call(world)
        assert refused.value.field == field, description
        db.session.rollback()
        assert _row_counts() == before, description


def test_a_title_stored_before_the_checks_still_makes_a_valid_e_mail(app, world):
    """Rows written before these checks keep their line breaks; the e-mail subject puts them on one line."""
    from coord.meetings import meeting_services
    from coord.meetings.models import Meeting
    from tests.calendar.factories import person, sent_messages

    with app.app_context():
        db.session.execute(sa.update(Meeting).where(Meeting.id == world["meeting"]).values(title=FORGED))
        db.session.commit()
        meeting_services.cancel_meeting(person(world["coordinator"]), world["meeting"])
    subjects = [message["Subject"] for message in sent_messages(app)]
    assert any("Comité Bcc: everyone@example.org" in subject for subject in subjects), subjects
    assert all("\n" not in subject and "\r" not in subject for subject in subjects)
