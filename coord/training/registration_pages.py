"""What the session pages show about registering (the registration part owns this file)."""

from __future__ import annotations


def register_box(actor, session) -> object | None:
    """The "register" box of a session page for this reader (signed in or not); None: nothing to show."""
    return None
