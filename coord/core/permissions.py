"""May this person do this (to this object)? The registry every module adds its rules to.

Each module keeps its rules in `coord/<module>/permissions.py`, one function per action, registered with
`@rule(action, guards=Type)`: the rule receives an object of that type (or None when `optional`). Asking
with an object of another type is a programming error (TypeError), never a guess. Services call
`require(...)`; a refusal writes an audit entry and raises `PermissionDenied`, which the app renders as a
403 page in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.exceptions import Forbidden

from coord import audit

Rule = Callable[[object, object | None], bool]


class PermissionDenied(Forbidden):
    """A 403 that services raise after auditing the refusal."""


@dataclass(frozen=True)
class RegisteredRule:
    check: Rule
    guards: type | tuple[type, ...] | None  # None: the rule takes no object
    optional: bool  # the object may be None (e.g. "may create one at all")


_RULES: dict[str, RegisteredRule] = {}


def rule(action: str, guards: type | tuple[type, ...] | None = None, optional: bool = False):
    """Register `func(actor, obj) -> bool` for `action`, guarding objects of type `guards`."""

    def register(func: Rule) -> Rule:
        if action in _RULES and _RULES[action].check is not func:
            raise ValueError(f"rule {action!r} defined twice")
        _RULES[action] = RegisteredRule(func, guards, optional or guards is None)
        return func

    return register


def known_actions() -> list[str]:
    return sorted(_RULES)


def _checked(action: str, obj: object | None) -> RegisteredRule | None:
    registered = _RULES.get(action)
    if registered is None:
        return None
    if obj is None:
        if not registered.optional:
            raise TypeError(f"rule {action!r} needs an object of type {registered.guards}")
    elif registered.guards is None or not isinstance(obj, registered.guards):
        raise TypeError(f"rule {action!r} guards {registered.guards}, not {type(obj).__name__}")
    return registered


def may(actor, action: str, obj: object | None = None) -> bool:
    """True when an active, authenticated person may do `action` (to `obj`). Unknown actions are refused."""
    registered = _checked(action, obj)
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "active", False):
        return False
    return bool(registered and registered.check(actor, obj))


def require(actor, action: str, obj: object | None = None) -> None:
    """Raise PermissionDenied (after an audit entry) unless `may(actor, action, obj)`."""
    if may(actor, action, obj):
        return
    audit.record_now(
        "permission.denied",
        obj=obj if hasattr(obj, "__tablename__") else None,
        actor=actor if getattr(actor, "is_authenticated", False) else audit.ANONYMOUS,
        outcome=audit.Outcome.DENIED,
        detail=action,
    )
    raise PermissionDenied()
