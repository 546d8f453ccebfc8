"""Modules plug in through their manifest and the module list alone; no central file names a module.

A throwaway module, written here as a newcomer would write one (a blueprint with a service and a rule, a
navigation entry, a calendar scope with an event source, a demo seed, samples for its URL variables), is
installed next to the real ones and must show up in the app, on a feed and in the garbage sweep without a
line changed anywhere else.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l

from coord.calendar.events import CalendarEvent
from coord.calendar.scopes import ScopeType
from coord.calendar.sources import PERSON
from coord.core.actor import current_actor
from coord.core.module import DemoSeed, Module, NavEntry, demo_order
from coord.core.permissions import require, rule
from coord.demo import seed_demo
from coord.directory.models import Person
from coord.extensions import db
from coord.modules import MODULES
from tests.calendar.independent_parsers import all_readers_agree
from tests.directory.factories import email_of, make_person
from tests.support import logged_in, post_form, text
from tests.sweep import Prober, garbage_urls, make_world, real_url, rules

ROOT = Path(__file__).resolve().parent.parent
START = (datetime.now(UTC) + timedelta(days=30)).replace(hour=17, minute=0, second=0, microsecond=0)


# The throwaway module -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thing:
    id: int


@rule("throwaway.menu")
def _see_the_menu(actor, obj: None) -> bool:
    return actor.is_staff


@rule("throwaway.view", guards=Thing)
def _view_thing(actor, thing: Thing) -> bool:
    return actor.is_staff and thing.id < 100


def show_thing(actor, thing_id: int) -> Thing:
    """The module's one service: the thing, if the person may see it."""
    thing = Thing(thing_id)
    require(actor, "throwaway.view", thing)
    return thing


bp = Blueprint("throwaway", __name__, url_prefix="/throwaway")


@bp.get("/")
def index():
    return "Jetable"


@bp.route("/<int:thing_id>", methods=["GET", "POST"])
def thing(thing_id: int):
    if not current_actor().is_authenticated:
        abort(404)
    return f"Chose {show_thing(current_actor(), thing_id).id}"


class ThrowawaySource:
    """One public event, on the throwaway scope and on everyone's own calendar."""

    def _event(self) -> CalendarEvent:
        return CalendarEvent(
            uid="throwaway-1@coord.spheres",
            kind="throwaway",
            start=START,
            end=START + timedelta(hours=1),
            title="Atelier jetable",
            url="/throwaway/1",
            last_modified=START - timedelta(days=30),
        )

    def events(self, scope, window):
        wanted = scope.kind in ("throwaway", PERSON) and window.start < START < window.end
        return [self._event()] if wanted else []

    def event(self, uid: str):
        return self._event() if uid == "throwaway-1@coord.spheres" else None

    def is_invited(self, uid: str, person_id: int) -> bool:
        return False

    def with_invitees(self, window):
        return []


SEEDED: list[int] = []


def seed(password: str | None) -> None:
    """Runs after the directory's seed: the demo people are there."""
    SEEDED.append(db.session.scalar(sa.select(sa.func.count(Person.id))))


THROWAWAY = Module(
    name="throwaway",
    blueprints=(bp,),
    navigation=(NavEntry("throwaway.index", _l("Throwaway"), "throwaway.menu", order=85),),
    calendar_sources=(ThrowawaySource(),),
    calendar_scopes=(
        ScopeType(name="throwaway", label=lambda obj, language: "Jetable", public=True, order=90),
    ),
    event_kinds=(("throwaway", _l("Throwaway")),),
    demo=DemoSeed(seed, after=("directory",)),
    route_samples=lambda: {"thing_id": 7},
)


# What it must show ----------------------------------------------------------------------------------------


def test_a_throwaway_module_plugs_in_through_its_manifest_alone(make_app):
    app = make_app(modules=(*MODULES, THROWAWAY))
    client = app.test_client()
    staff = make_person(app, roles=("coordinator",))
    partner = make_person(app, roles=("partner",))

    # In the app: its blueprint, its rule (checked in its service), its menu entry for those it allows.
    logged_in(client, email_of(app, staff))
    assert text(client.get("/throwaway/7")) == "Chose 7"
    assert client.get("/throwaway/700").status_code == 403
    assert 'href="/throwaway/"' in client.get("/").get_data(as_text=True)
    other = app.test_client()
    logged_in(other, email_of(app, partner))
    assert other.get("/throwaway/7").status_code == 403
    assert 'href="/throwaway/"' not in other.get("/").get_data(as_text=True)
    # CSRF covers its forms like every other.
    assert client.post("/throwaway/7").status_code == 400
    assert post_form(client, "/throwaway/7", token_page="/").status_code == 200

    # On calendars: its public feed (read alike by three parsers), its page, everyone's own feed and page.
    feed = client.get("/feeds/public/throwaway.ics")
    assert feed.status_code == 200
    body = feed.get_data(as_text=True)
    window = (START - timedelta(days=1), START + timedelta(days=1))
    assert [event["summary"] for event in all_readers_agree(body, *window)] == ["Atelier jetable"]
    assert "Atelier jetable" in text(client.get(f"/calendar/throwaway/month?m={START:%Y-%m}"))
    assert "Atelier jetable" in text(client.get(f"/calendar/me/week?d={START:%Y-%m-%d}"))
    assert "/feeds/public/throwaway.ics" in text(client.get("/calendar/subscriptions"))

    # Its demo seed runs after the modules it needs.
    assert [module.name for module in demo_order((THROWAWAY, *MODULES))].index("throwaway") > [
        module.name for module in demo_order((THROWAWAY, *MODULES))
    ].index("directory")
    SEEDED.clear()
    with app.app_context():
        seed_demo(app.extensions["coord_modules"], None)
    assert SEEDED and SEEDED[0] > 0


def test_the_garbage_sweep_finds_it_and_aims_at_its_samples(make_app, caplog):
    app = make_app(modules=(*MODULES, THROWAWAY))
    world = make_world(app)
    assert world.real_value("throwaway.thing", "thing_id") == "7"
    swept = [rule for rule in rules(app) if rule.endpoint.startswith("throwaway.")]
    assert {rule.endpoint for rule in swept} == {"throwaway.index", "throwaway.thing"}
    assert "/throwaway/7" in {real_url(rule, world) for rule in swept}
    caplog.set_level(logging.ERROR, logger="coord")
    prober = Prober(app, caplog, "coordinator", world)
    try:
        for rule in swept:
            prober.send("GET", real_url(rule, world), rule.endpoint)
            for url in garbage_urls(rule, world):
                prober.send("GET", url, rule.endpoint)
                prober.send("POST", url, rule.endpoint, [("next", "/")])
        prober.assert_clean(floor=10, endpoints={rule.endpoint for rule in swept})
    finally:
        prober.writes.remove()


def test_without_it_in_the_list_nothing_of_it_remains(app, client):
    assert client.get("/throwaway/7").status_code == 404
    assert client.get("/feeds/public/throwaway.ics").status_code == 404
    assert client.get("/calendar/throwaway/month").status_code == 404


def test_a_module_cannot_take_another_modules_endpoint_names():
    stray = Blueprint("meetings_stray", __name__)
    try:
        Module(name="throwaway", blueprints=(stray,))
    except ValueError as error:
        assert "throwaway" in str(error)
    else:
        raise AssertionError("a blueprint outside the module's namespace was accepted")


# No central file names a module ---------------------------------------------------------------------------

DOMAIN = [module.name for module in MODULES if module.name not in ("calendar", "notify")]
CENTRAL = [
    *sorted((ROOT / "coord").glob("*.py")),
    *sorted((ROOT / "coord/core").rglob("*.py")),
    *sorted((ROOT / "coord/calendar").rglob("*.py")),
    *sorted((ROOT / "coord/notify").rglob("*.py")),
    ROOT / "templates/base.html",
    ROOT / "templates/_forms.html",
    *sorted((ROOT / "templates/errors").glob("*.html")),
    *sorted((ROOT / "templates/calendar").glob("*.html")),
    ROOT / "templates/email/_layout.html",
    ROOT / "gunicorn.conf.py",
]
# The one exception, also listed in the import contracts (pyproject.toml): the calendar and the outbox
# load people (the directory's Person) by id.
ALLOWED = re.compile(r"^from coord\.directory\.models import Person$")


def _names_a_module(line: str) -> str | None:
    for name in DOMAIN:
        if re.search(rf"\bcoord[./]{name}\b", line) or re.search(rf"['\"]{name}(_\w+)?\.\w+['\"]", line):
            return name
    return None


def test_no_central_file_names_a_domain_module():
    found = []
    for path in CENTRAL:
        if path.name == "modules.py" and path.parent.name == "coord":
            continue  # the module list: the one place that names them
        for number, line in enumerate(path.read_text().splitlines(), 1):
            name = _names_a_module(line.strip())
            allowed = ALLOWED.match(line.strip()) and path.parent.name in ("calendar", "notify")
            if name and not allowed:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "central files name a module:\n" + "\n".join(found)


def test_the_check_itself_sees_a_module_named():
    assert _names_a_module("from coord.meetings.calendar import invitees") == "meetings"
    assert _names_a_module("return redirect(url_for('directory_auth.login'))") == "directory"
    assert _names_a_module('NavEntry("home.index", ...)') == "home"
    assert _names_a_module("the meetings of a committee") is None


def test_no_test_imports_another_test_module():
    """Shared helpers: tests/support.py, tests/sweep.py, and each module's tests/<module>/factories.py."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.match(r"\s*(from|import)\s+tests(\.\w+)*\.test_\w+", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
