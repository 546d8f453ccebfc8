"""Helpers for the minutes and actions tests: a committee meeting with a secretary, a member and an
outsider, agenda items, the minutes form read back from the page as a browser would submit it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from coord.core.localtime import LOCAL_TZ, utcnow
from coord.directory.models import CommitteeMembership
from coord.extensions import db
from coord.meetings.models import ActionItem, AgendaItem, Minutes, MinutesRevision
from tests.calendar.factories import committee_with_people, single_meeting
from tests.directory.factories import email_of, make_person
from tests.support import csrf_token, logged_in


def local_today() -> date:
    return utcnow().astimezone(LOCAL_TZ).date()


def days_ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def local_start(day: date, hour: int = 13) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ)


@dataclass
class World:
    committee: int
    coordinator: int
    secretary: int
    members: list[int]
    outsider: int
    meeting: int
    items: list[int]

    @property
    def member(self) -> int:
        return self.members[0]


def add_items(app, meeting_id: int, count: int) -> list[int]:
    with app.app_context():
        rows = [
            AgendaItem(meeting_id=meeting_id, position=n, title=f"Point {n}", duration_minutes=10)
            for n in range(1, count + 1)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def minutes_world(app, items: int = 2, members: int = 2, held_days_ago: int = 7) -> World:
    """A committee (coordinator, secretary, members), an outsider, and a meeting held some days ago."""
    committee, coordinator, people = committee_with_people(app, members)
    secretary = make_person(app)
    outsider = make_person(app)
    with app.app_context():
        db.session.add(CommitteeMembership(committee_id=committee, person_id=secretary, role="secretary"))
        db.session.commit()
    meeting = single_meeting(
        app, coordinator, committee, start=local_start(days_ago(held_days_ago)), publish=False
    )
    return World(committee, coordinator, secretary, people, outsider, meeting, add_items(app, meeting, items))


def client_of(app, person_id: int):
    return logged_in(app.test_client(), email_of(app, person_id))


def add_action(app, world: World, description: str, **values) -> int:
    with app.app_context():
        action = ActionItem(
            meeting_id=values.pop("meeting_id", world.meeting),
            committee_id=world.committee,
            description=description,
            **values,
        )
        db.session.add(action)
        db.session.commit()
        return action.id


def minutes_row(app, meeting_id: int) -> Minutes | None:
    with app.app_context():
        minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting_id))
        if minutes is not None:
            db.session.expunge(minutes)
        return minutes


def revisions(app, meeting_id: int) -> list[tuple[int, int, str, str]]:
    """(number, author id, state, reason) of the meeting's minutes revisions."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                MinutesRevision.number,
                MinutesRevision.author_id,
                MinutesRevision.state,
                MinutesRevision.reason,
            )
            .join(Minutes, Minutes.id == MinutesRevision.minutes_id)
            .where(Minutes.meeting_id == meeting_id)
            .order_by(MinutesRevision.number)
        )
        return [tuple(row) for row in rows]


def action_rows(app, meeting_id: int) -> list[ActionItem]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(ActionItem).where(ActionItem.meeting_id == meeting_id).order_by(ActionItem.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


# The form as a browser sends it ----------------------------------------------------------------------


class _FormReader(HTMLParser):
    """The fields of the page's form with class `css_class`, in document order, with their current values."""

    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.inside = False
        self.pairs: list[list[str]] = []
        self.textarea: list[str] | None = None
        self.select: list | None = None  # [name, value or None, first option]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.css_class in (attrs.get("class") or "").split():
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            self.pairs.append([attrs["name"], attrs.get("value") or ""])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = [attrs["name"], None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.select[1] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            self.pairs.append([name, value[2:] if value.startswith("\r\n") else value.removeprefix("\n")])
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, value, first = self.select
            self.pairs.append([name, value if value is not None else (first or "")])
            self.select = None


class FilledForm:
    """The minutes form read from a page; set fields by name, then `post()` it like a browser."""

    def __init__(self, html: str, css_class: str = "minutes-form") -> None:
        reader = _FormReader(css_class)
        reader.feed(html)
        self.pairs = reader.pairs
        assert self.pairs, "no form found"

    def __getitem__(self, name: str) -> str:
        return next(value for key, value in self.pairs if key == name)

    def __setitem__(self, name: str, value: str) -> None:
        for pair in self.pairs:
            if pair[0] == name:
                pair[1] = value
                return
        self.pairs.append([name, value])

    def names(self) -> list[str]:
        return [key for key, _ in self.pairs]

    def data(self) -> MultiDict:
        return MultiDict([tuple(pair) for pair in self.pairs])


def load_form(client, meeting_id: int, path: str = "edit") -> FilledForm:
    response = client.get(f"/meetings/{meeting_id}/minutes/{path}")
    assert response.status_code == 200, response.status_code
    return FilledForm(response.get_data(as_text=True))


def send(client, meeting_id: int, form: FilledForm, path: str = "edit"):
    """POST the form with the sending client's own CSRF token (a form may come from another person's page)."""
    form["csrf_token"] = csrf_token(client, "/")
    return client.post(f"/meetings/{meeting_id}/minutes/{path}", data=form.data())


def save(client, meeting_id: int, general: str = "", **fields):
    """Load the edit form, set fields (name=value; names with "-" as in the form), and send it."""
    form = load_form(client, meeting_id)
    form["general"] = general
    for name, value in fields.items():
        form[name.replace("__", "-")] = value
    return send(client, meeting_id, form)


def post_button(client, url: str, data: dict | None = None):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, "/")})
