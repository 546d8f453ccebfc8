"""The calendar's registry, made per app from the modules' manifests: event sources, scopes, event kinds.

The calendar's manifest runs `install(app)` once the module list is known; it reads what every module
declares (`calendar_sources`, `calendar_scopes`, `event_kinds`) without naming any module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

from coord.calendar.scopes import ScopeType


@dataclass
class CalendarRegistry:
    sources: list = field(default_factory=list)  # EventSource objects (coord.calendar.sources)
    scopes: dict[str, ScopeType] = field(default_factory=dict)
    kinds: dict[str, object] = field(default_factory=dict)  # event kind -> its translatable label


def build(modules) -> CalendarRegistry:
    registry = CalendarRegistry()
    for module in modules:
        registry.sources.extend(module.calendar_sources)
        for scope in module.calendar_scopes:
            if not isinstance(scope, ScopeType):
                raise TypeError(f"module {module.name!r}: calendar scopes are ScopeType, not {scope!r}")
            if scope.name in registry.scopes:
                raise ValueError(f"calendar scope {scope.name!r} registered twice (module {module.name!r})")
            registry.scopes[scope.name] = scope
        for kind, label in module.event_kinds:
            if kind in registry.kinds:
                raise ValueError(f"event kind {kind!r} registered twice (module {module.name!r})")
            registry.kinds[kind] = label
    return registry


def install(app: Flask) -> None:
    app.extensions["coord_calendar"] = build(app.extensions["coord_modules"])


def registry() -> CalendarRegistry:
    return current_app.extensions["coord_calendar"]


def scope_type(name: str) -> ScopeType | None:
    return registry().scopes.get(name)


def scope_types() -> list[ScopeType]:
    return sorted(registry().scopes.values(), key=lambda scope: (scope.order, scope.name))
