"""A module's manifest: everything a package brings to the app, declared in one place.

`coord/<module>/manifest.py` defines `MODULE = Module(...)`; `coord/modules.py` lists the manifests and
`create_app` walks that list. Nothing else in the app names a module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType

from flask import Blueprint, Flask


@dataclass(frozen=True)
class NavEntry:
    """A link in the main menu, shown to people for whom `permission` holds (None: everyone signed in)."""

    endpoint: str
    label: object  # a lazy translatable string
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class DemoSeed:
    """`seed(password)` adds the module's demo data (flushing, never committing); it runs after the
    seeds of the modules named in `after`. It may return the demo accounts it created."""

    seed: Callable[[str | None], object]
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Module:
    """What one package brings. Only `name` is required."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    # Imported for their side effects: models (SQLAlchemy metadata), rules (@rule), periodic jobs
    # (@periodic) and e-mail context builders (@context_builder).
    models: tuple[ModuleType, ...] = ()
    permissions: tuple[ModuleType, ...] = ()
    jobs: tuple[ModuleType, ...] = ()
    # What the module puts on calendars (read by the calendar, which names no module): event sources
    # (coord.calendar.sources.EventSource), calendar scopes (coord.calendar.scopes.ScopeType), and its
    # event kinds as (name, translatable label).
    calendar_sources: tuple[object, ...] = ()
    calendar_scopes: tuple[object, ...] = ()
    event_kinds: tuple[tuple[str, object], ...] = ()
    navigation: tuple[NavEntry, ...] = ()
    # Pages anyone may open without an account (a public form, a public list): the footer of every page
    # links to them, so that a visitor who is not signed in finds them. Their `permission` is ignored.
    public_pages: tuple[NavEntry, ...] = ()
    cli: Callable[[Flask], None] | None = None
    demo: DemoSeed | None = None
    # Path prefixes (regular expressions ending with "/") whose next segment is a secret token that
    # must never reach a log line, e.g. r"/password/reset/".
    secret_url_prefixes: tuple[str, ...] = ()
    # Path prefixes (regular expressions) served without a session: the session is neither loaded nor
    # saved, so answers carry no Set-Cookie and no `Vary: Cookie` (calendar feeds, polled by programs).
    sessionless_url_prefixes: tuple[str, ...] = ()
    # Anything else the module wires into the app once (request hooks, template filters, the login manager).
    setup: Callable[[Flask], None] | None = None
    # Values for this module's URL variables, taken from the demo data (the garbage sweep aims at them).
    route_samples: Callable[[], dict[str, object]] | None = None
    # Well-known pages the layout and other modules link to by role, not by module: e.g.
    # {"home": <endpoint>}, {"account": ..., "logout": ..., "login": ...}, {"language": ...}.
    links: dict[str, str] = field(default_factory=dict)
    # Cards on the home page: each callable takes the signed-in person and returns the card's HTML (rendered
    # by the module's own view code, from its own template), or None when it has nothing for that person.
    home_cards: tuple[Callable[[object], object], ...] = ()
    email_templates: str = field(default="")  # folder under templates/, "email/<name>" by convention

    def __post_init__(self) -> None:
        if not self.email_templates:
            object.__setattr__(self, "email_templates", f"email/{self.name}")
        for blueprint in self.blueprints:
            if blueprint.name != self.name and not blueprint.name.startswith(f"{self.name}_"):
                raise ValueError(
                    f"blueprint {blueprint.name!r} of module {self.name!r} must be named "
                    f"{self.name!r} or start with {self.name + '_'!r} (endpoints are namespaced by module)"
                )


def install(app: Flask, modules: Iterable[Module]) -> None:
    """Register every module's blueprints, CLI commands and set-up, in the list's order."""
    modules = list(modules)
    names = [module.name for module in modules]
    if len(set(names)) != len(names):
        raise ValueError(f"a module is listed twice: {names}")
    app.extensions["coord.home_cards"] = tuple(card for module in modules for card in module.home_cards)
    for module in modules:
        for blueprint in module.blueprints:
            app.register_blueprint(blueprint)
        if module.cli is not None:
            module.cli(app)
        if module.setup is not None:
            module.setup(app)


def links(modules: Iterable[Module]) -> dict[str, str]:
    """Every module's well-known pages by role; a role claimed twice is a mistake."""
    found: dict[str, str] = {}
    for module in modules:
        for role, endpoint in module.links.items():
            if role in found:
                raise ValueError(f"link {role!r} declared by two modules")
            found[role] = endpoint
    return found


def navigation(modules: Iterable[Module]) -> list[NavEntry]:
    entries = [entry for module in modules for entry in module.navigation]
    return sorted(entries, key=lambda entry: entry.order)


def public_pages(modules: Iterable[Module]) -> list[NavEntry]:
    entries = [entry for module in modules for entry in module.public_pages]
    return sorted(entries, key=lambda entry: entry.order)


def demo_order(modules: Iterable[Module]) -> list[Module]:
    """The modules with demo data, each after the modules it needs seeded first."""
    seeding = {module.name: module for module in modules if module.demo is not None}
    ordered: list[Module] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in visiting and seeding[name] not in ordered:
            raise ValueError(f"demo seeds depend on each other in a cycle through {name!r}")
        if seeding[name] in ordered:
            return
        visiting.add(name)
        for needed in seeding[name].demo.after:
            if needed not in seeding:
                raise ValueError(f"the demo of {name!r} needs {needed!r}, which seeds nothing")
            visit(needed)
        ordered.append(seeding[name])

    for name in seeding:
        visit(name)
    return ordered
