"""Where to send someone back to after a form: only a local path (no open redirects)."""

from __future__ import annotations


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after login, or None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if len(target) > 500 or any(ord(char) < 32 for char in target):
        return None
    return target
