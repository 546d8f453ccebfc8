"""Steps shared by the browser tests."""

from __future__ import annotations


def confirm(page) -> None:
    """On a confirmation page (templates/confirm.html), press the button that does the action."""
    page.locator(".confirm-consequences").wait_for()  # the confirmation page, once loaded
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()


def menu(page, name: str, exact: bool = False) -> None:
    """Follow a link of the main menu; on a phone the menu is folded under "Menu": open it first."""
    summary = page.locator(".site-menu > summary")
    if summary.is_visible() and page.locator(".site-menu[open]").count() == 0:
        summary.click()
    page.locator(".main-nav").get_by_role("link", name=name, exact=exact).click()
