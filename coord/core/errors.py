"""The errors a service raises: a rule broken by the input, or too many attempts for now."""

from __future__ import annotations

import math

from werkzeug.exceptions import TooManyRequests


class ServiceError(ValueError):
    """A rule was broken; `message` is translatable, `field` names the form field it belongs to."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class TooManyAttempts(TooManyRequests):
    """Refused for now: the 429 page says, in the reader's language, how long to wait (also in Retry-After,
    in seconds); `hint` (translatable) adds what else the reader can do."""

    def __init__(self, retry_after: float, hint=None) -> None:
        super().__init__(retry_after=max(1, math.ceil(retry_after)))
        self.hint = hint
