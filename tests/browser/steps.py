"""Steps shared by the browser tests."""

from __future__ import annotations


def confirm(page) -> None:
    """On a confirmation page (templates/confirm.html), press the button that does the action."""
    assert page.locator(".confirm-consequences").count() == 1, f"{page.url} is no confirmation page"
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
