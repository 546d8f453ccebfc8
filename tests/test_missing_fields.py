"""Every POST route of the meetings and the directory, with its fields missing (all of them, then each in
turn): a 400 or a form message, never a 500. A form posted without a field does not take the old value
(a missing title is asked for), and a missing guest list keeps the guests (an empty one removes them)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coord import create_app
from coord.calendar.answers import occurrence_key
from coord.directory import tokens
from coord.extensions import db
from tests.directory.factories import email_of, make_organization, make_person
from tests.support import PASSWORD, csrf_token, logged_in

BLUEPRINTS = ("meetings", "directory")
ALLOWED = {200, 302, 303, 400, 403, 404, 409}
START = (datetime.now(UTC) - timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)


def _post_endpoints() -> list[str]:
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods and rule.endpoint.split(".")[0].split("_")[0] in BLUEPRINTS
        }
    )


@dataclass
class World:
    coordinator: int
    member: int
    guest: int
    committee: int
    organization: int
    person: int
    meeting: int  # single, published, one guest, an agenda item, draft minutes with an action
    item: int
    action: int
    circulated: int  # a meeting whose minutes are circulated
    approved: int  # a meeting whose minutes are approved
    series: int
    key: str  # the series' first occurrence (no row of its own)
    reset_token: str
    invite_token: str


def build_world(app) -> World:
    from coord.meetings import agenda, meeting_services, minutes, series_services
    from coord.meetings.models import Frequency
    from tests.calendar.factories import committee_with_people, person

    committee, coordinator, (member, _) = committee_with_people(app, 2)
    guest = make_person(app)
    organization = make_organization(app)
    target = make_person(app, organization_id=organization)
    invitee = make_person(app, organization_id=organization, password=None)
    with app.app_context():
        actor = person(coordinator)

        def meeting(day: int, guests=()) -> int:
            start = START - timedelta(days=day)
            data = meeting_services.MeetingData(
                "Comité", start, start + timedelta(hours=1), "Salle", "", committee
            )
            created = meeting_services.create_meeting(actor, data, list(guests))
            meeting_services.publish_meeting(actor, created.id)
            return created.id

        single = meeting(0, [guest])
        item = agenda.add_item(actor, single, agenda.ItemData("Ouverture", 10)).id
        minutes.save_minutes(
            actor, single, 0, "Notes", {}, [], [minutes.ActionData("Relancer", owner_id=member)]
        )
        action = db.session.scalar(sa.text("SELECT id FROM action_item ORDER BY id LIMIT 1"))
        circulated, approved = meeting(7), meeting(14)
        for meeting_id in (circulated, approved):
            minutes.save_minutes(actor, meeting_id, 0, "Notes", {}, [], [])
            minutes.circulate(actor, meeting_id)
        minutes.approve(actor, approved)
        series_start = START + timedelta(days=30)
        series = series_services.create_series(
            actor,
            series_services.SeriesData("Série", series_start, 60, Frequency.WEEKLY, committee_id=committee),
        )
        series_services.publish_series(actor, series.id)
        reset_token = tokens.make_token(person(target), tokens.RESET)
        invite_token = tokens.make_token(person(invitee), tokens.INVITE)
        return World(
            coordinator,
            member,
            guest,
            committee,
            organization,
            target,
            single,
            item,
            action,
            circulated,
            approved,
            series.id,
            occurrence_key(series_start),
            reset_token,
            invite_token,
        )


def requests_for(endpoint: str, w: World) -> tuple[str, dict, str]:
    """(URL, the complete form a browser would send, who sends it: coordinator or anonymous)."""
    meeting_form = {
        "title": "Comité",
        "committee_id": str(w.committee),
        "day": "2026-12-10",
        "start_time": "14:00",
        "end_time": "15:00",
        "location": "Salle",
        "video_url": "",
        "guests": "",
    }
    series_form = {
        "title": "Série",
        "committee_id": str(w.committee),
        "first_day": "2026-12-10",
        "start_time": "14:00",
        "duration_minutes": "60",
        "frequency": "weekly",
        "interval": "1",
        "ends": "count",
        "until_date": "",
        "count": "4",
        "location": "",
        "video_url": "",
        "guests": "",
    }
    item_form = {
        "title": "Point",
        "presenter_id": "",
        "presenter_name": "",
        "duration_minutes": "10",
        "kind": "discussion",
        "description": "",
    }
    minutes_form = {
        "base_revision": "1",
        "general": "Notes",
        f"item_{w.item}": "",
        "decisions-0-text": "Adopté",
        "decisions-0-item": "",
        "actions-0-id": str(w.action),
        "actions-0-description": "Relancer",
        "actions-0-item": "",
        "actions-0-owner": str(w.member),
        "actions-0-owner_name": "",
        "actions-0-due_date": "",
        "actions-0-status": "open",
    }
    person_form = {
        "email": "nouvelle@example.org",
        "display_name": "Nouvelle",
        "organization_id": str(w.organization),
        "preferred_language": "fr",
        "roles": "intervenant",
        "send_invitation": "y",
    }
    new_password = {"password": "un mot de passe assez long", "confirm": "un mot de passe assez long"}
    m, s, k = w.meeting, w.series, w.key
    table = {
        "meetings.new_meeting": ("/meetings/new", meeting_form),
        "meetings.edit_meeting": (f"/meetings/{m}/edit", meeting_form),
        "meetings.publish_meeting": (f"/meetings/{m}/publish", {}),
        "meetings.cancel_meeting": (f"/meetings/{m}/cancel", {}),
        "meetings.answer": (f"/meetings/{m}/answer", {"answer": "accepted"}),
        "meetings.record_attendance": (f"/meetings/{m}/attendance", {f"presence-{w.member}": "present"}),
        "meetings.set_quorum": (f"/meetings/committee/{w.committee}/quorum", {"quorum": "2"}),
        "meetings.new_series": ("/meetings/series/new", series_form),
        "meetings.edit_series_from": (f"/meetings/series/{s}/from/{k}", series_form),
        "meetings.publish_series": (f"/meetings/series/{s}/publish", {}),
        "meetings.cancel_series": (f"/meetings/series/{s}/cancel", {}),
        "meetings.prepare_occurrence": (f"/meetings/series/{s}/occurrences/{k}/prepare", {"next": "agenda"}),
        "meetings.cancel_occurrence": (f"/meetings/series/{s}/occurrences/{k}/cancel", {}),
        "meetings.move_occurrence": (
            f"/meetings/series/{s}/occurrences/{k}/move",
            {"day": "2027-01-20", "start_time": "10:00", "end_time": "11:00"},
        ),
        "meetings_agenda.add": (f"/meetings/{m}/agenda/items", item_form),
        "meetings_agenda.edit": (f"/meetings/{m}/agenda/items/{w.item}/edit", item_form),
        "meetings_agenda.delete": (f"/meetings/{m}/agenda/items/{w.item}/delete", {}),
        "meetings_agenda.move": (f"/meetings/{m}/agenda/items/{w.item}/move", {"direction": "down"}),
        "meetings_agenda.reorder": (f"/meetings/{m}/agenda/reorder", {"item_ids": str(w.item)}),
        "meetings_agenda.publish": (f"/meetings/{m}/agenda/publish", {}),
        "meetings_minutes.edit": (f"/meetings/{m}/minutes/edit", minutes_form),
        "meetings_minutes.correct": (
            f"/meetings/{w.approved}/minutes/correct",
            {**minutes_form, "base_revision": "1", "reason": "Coquille", f"item_{w.item}": None},
        ),
        "meetings_minutes.circulate": (f"/meetings/{m}/minutes/circulate", {}),
        "meetings_minutes.approve": (f"/meetings/{w.circulated}/minutes/approve", {}),
        "meetings_minutes.comment": (f"/meetings/{w.circulated}/minutes/comments", {"text": "Merci"}),
        "meetings_actions.done": (f"/actions/{w.action}/done", {"done_on": "", "back": "committee"}),
        "meetings_actions.cancel": (f"/actions/{w.action}/cancel", {"back": "committee"}),
        "meetings_actions.reopen": (f"/actions/{w.action}/reopen", {"back": "mine"}),
        "directory.person_new": ("/people/new", person_form),
        "directory.person_edit": (
            f"/people/{w.person}/edit",
            {k: v for k, v in person_form.items() if k != "email"},
        ),
        "directory.person_email": (f"/people/{w.person}/email", {"email": "nouvelle.cible@example.org"}),
        "directory.person_email_cancel": (f"/people/{w.person}/email/cancel", {}),
        "directory.person_deactivate": (f"/people/{w.person}/deactivate", {}),
        "directory.person_reactivate": (f"/people/{w.person}/reactivate", {}),
        "directory.person_invite": (f"/people/{w.person}/invite", {}),
        "directory.organization_form": (
            f"/organizations/{w.organization}/edit",
            {
                "name": "Organisme X",
                "short_name": "OX",
                "sector": "community",
                "region": "",
                "is_partner": "y",
            },
        ),
        "directory.organization_deactivate": (f"/organizations/{w.organization}/deactivate", {}),
        "directory.organization_reactivate": (f"/organizations/{w.organization}/reactivate", {}),
        "directory.committee": (f"/committees/{w.committee}", {"person_id": str(w.guest), "role": "member"}),
        "directory.committee_remove": (f"/committees/{w.committee}/members/{w.member}/remove", {}),
        "directory_account.language": ("/account/language", {"preferred_language": "en"}),
        "directory_account.password": (
            "/account/password",
            {"current_password": "pas le bon", **new_password},
        ),
        "directory_account.totp_setup": ("/account/2fa", {"code": "123456"}),
        "directory_account.email": (
            "/account/email",
            {"email": "moi@example.org", "current_password": PASSWORD},
        ),
        "directory_account.email_cancel": ("/account/email/cancel", {}),
        "directory_account.totp_disable": ("/account/2fa/disable", {"current_password": PASSWORD}),
        "directory_auth.login": ("/login", {"email": "x@example.org", "password": "faux", "next": "/"}),
        "directory_auth.totp": ("/login/code", {"code": "123456"}),
        "directory_auth.logout": ("/logout", {}),
        "directory_auth.forgot_password": ("/password/forgot", {"email": "x@example.org"}),
        "directory_auth.reset_password": (f"/password/reset/{w.reset_token}", new_password),
        "directory_auth.accept_invitation": (f"/invitation/{w.invite_token}", new_password),
        "directory_auth.confirm_email": (f"/email/confirm/{w.invite_token}", {}),
    }
    url, form = table[endpoint]
    anonymous = endpoint.startswith("directory_auth.") and endpoint != "directory_auth.logout"
    return (
        url,
        {name: value for name, value in form.items() if value is not None},
        ("anonymous" if anonymous else "coordinator"),
    )


# Within a group, routes that end something (a meeting, an item, a session) come last.
LAST = (
    "meetings_agenda.delete",
    "meetings.cancel_occurrence",
    "meetings.cancel_meeting",
    "meetings.cancel_series",
    "directory.committee_remove",
    "directory.person_deactivate",
    "directory.organization_deactivate",
    "directory_auth.logout",
)


def _groups() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for endpoint in _post_endpoints():
        groups.setdefault(endpoint.split(".")[0], []).append(endpoint)
    order = {endpoint: n for n, endpoint in enumerate(LAST, start=1)}
    return {name: sorted(found, key=lambda e: (order.get(e, 0), e)) for name, found in groups.items()}


GROUPS = _groups()


def test_every_post_route_of_the_meetings_and_the_directory_is_covered():
    w = World(*([1] * 12), "20261210T140000Z", "t", "t")
    assert set(GROUPS) >= {"meetings", "meetings_agenda", "directory", "directory_auth"}
    for endpoints in GROUPS.values():
        for endpoint in endpoints:
            requests_for(endpoint, w)  # a KeyError names a route this test does not know yet


class Sender:
    """Posts forms as the coordinator (logged in again when a request ended the session) or anonymously."""

    def __init__(self, app, world: World) -> None:
        self.app, self.world = app, world
        self.clients: dict[str, tuple] = {}

    def client(self, who: str):
        if who not in self.clients:
            client = self.app.test_client()
            if who == "coordinator":
                logged_in(client, email_of(self.app, self.world.coordinator))
            self.clients[who] = (client, csrf_token(client, "/" if who == "coordinator" else "/login"))
        return self.clients[who]

    def post(self, who: str, url: str, form: dict):
        client, token = self.client(who)
        response = client.post(url, data={**form, "csrf_token": token})
        if who == "coordinator" and client.get("/").status_code != 200:
            del self.clients[who]  # the session ended (logout): the next request logs in again
        return response


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_missing_fields_get_a_400_or_a_form_message_never_a_500(app, caplog, group):
    caplog.set_level(logging.ERROR)
    world = build_world(app)
    sender = Sender(app, world)
    problems = []
    for endpoint in GROUPS[group]:
        url, full, who = requests_for(endpoint, world)
        forms = [{}] + [{name: value for name, value in full.items() if name != missing} for missing in full]
        for form in forms:
            response = sender.post(who, url, form)
            if response.status_code not in ALLOWED or b"Traceback" in response.data:
                problems.append((endpoint, sorted(set(full) - set(form)), response.status_code))
    assert problems == [], "(route, missing fields, status)"


def test_a_meeting_changed_without_the_guests_field_keeps_its_guests(app):
    """A missing field is not an empty one: the guests stay as they are (an empty field removes them)."""
    from coord.meetings.models import MeetingGuest

    world = build_world(app)
    client = logged_in(app.test_client(), email_of(app, world.coordinator))
    form = {
        "title": "Comité changé",
        "day": "2026-12-10",
        "start_time": "14:00",
        "end_time": "15:00",
        "location": "Salle",
        "video_url": "",
    }
    response = client.post(
        f"/meetings/{world.meeting}/edit", data={**form, "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302
    with app.app_context():
        guests = db.session.scalars(
            sa.select(MeetingGuest.person_id).where(MeetingGuest.meeting_id == world.meeting)
        )
        assert list(guests) == [world.guest]
    response = client.post(
        f"/meetings/{world.meeting}/edit", data={**form, "guests": "", "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MeetingGuest.id))) == 0


def test_a_missing_field_does_not_keep_the_old_value_silently(app):
    """Without a title, the meeting form says the title is required (it does not reuse the old one)."""
    world = build_world(app)
    client = logged_in(app.test_client(), email_of(app, world.coordinator))
    response = client.post(
        f"/meetings/{world.meeting}/edit",
        data={
            "day": "2026-12-10",
            "start_time": "14:00",
            "end_time": "15:00",
            "csrf_token": csrf_token(client, "/"),
        },
    )
    assert response.status_code == 400 and "Ce champ est obligatoire." in response.get_data(as_text=True)
