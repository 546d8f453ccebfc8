"""The confirmation step before a destructive or mass-mailing action: what a confirmation page says.

A module's page service returns a `Step`; its view renders templates/confirm.html at the action's own address
(GET), whose form POSTs to the action. Nothing changes on GET, and no script is needed (the CSP stays strict).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Step:
    """The question asked, what will happen (one line each, counts included), the button that does it."""

    question: str
    button: str
    consequences: list[str] = field(default_factory=list)
    danger: bool = False
