"""The outbox's rule."""

from __future__ import annotations

from coord.core.permissions import rule


@rule("outbox.manage")
def _manage_outbox(actor, obj: None) -> bool:
    """See failed, uncertain and waiting e-mails, and send one again: the program's staff."""
    return actor.is_staff
