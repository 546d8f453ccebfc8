"""The rq jobs, each in a fresh app context: the worker's app, or one made here for a bare `rq worker`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, has_app_context

from coord import create_app
from coord.notify.outbox import deliver_message
from coord.notify.schedule import sweep as run_sweep

_standalone: Flask | None = None


@contextmanager
def _app_context() -> Iterator[None]:
    global _standalone
    if has_app_context():
        app = current_app._get_current_object()
    else:
        if _standalone is None:
            _standalone = create_app()
        app = _standalone
    with app.app_context():  # a fresh db.session, removed when the job ends
        yield


def send_message(message_id: int) -> str | None:
    """Send one outbox message (does nothing if it was already claimed)."""
    with _app_context():
        return deliver_message(message_id)


def sweep() -> dict:
    """Re-dispatch due messages, mark dead sends uncertain, run the periodic tasks."""
    with _app_context():
        result = run_sweep()
    return {
        "uncertain": result.uncertain,
        "dispatched": result.dispatched,
        "failed_tasks": result.failed_tasks,
    }
