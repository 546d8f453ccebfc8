"""Work that must not weigh on an answer's timing: run once the answer has been sent.

`after_response(func)` runs `func()` when the server closes the current response (WSGI close: the body has
been sent), in a fresh app context, so in a fresh database session; outside a request, at once. What it does
cannot change the answer, and how long it takes cannot be read from the answer (whether a reset e-mail was
queued for an address, whether an account has an owner to alert). Errors are logged, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import after_this_request, current_app, has_request_context

logger = logging.getLogger(__name__)


def after_response(func: Callable[[], None]) -> None:
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                func()
            except Exception:
                logger.exception("work after the response failed: %s", getattr(func, "__name__", func))

    if not has_request_context():
        run()
        return

    @after_this_request
    def on_close(response):
        response.call_on_close(run)
        return response
