"""The one error a service raises when a rule is broken by the input."""

from __future__ import annotations


class ServiceError(ValueError):
    """A rule was broken; `message` is translatable, `field` names the form field it belongs to."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
