"""Helpers shared by the tests: service availability, CSRF tokens, logging in, factories."""

from __future__ import annotations

import html
import os
import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from coord.extensions import db

IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def unavailable(reason: str) -> None:
    """Outside CI a missing service skips the test with a reason; under CI it fails."""
    if IN_CI:
        pytest.fail(f"required service unavailable under CI: {reason}")
    pytest.skip(reason)


def csrf_token(client, url: str = "/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no csrf_token on {url}"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, token_page: str | None = None, **kwargs):
    """POST a form with a fresh CSRF token taken from `token_page` (default: the same URL, else /)."""
    token = csrf_token(client, token_page or "/")
    return client.post(url, data={**(data or {}), "csrf_token": token}, **kwargs)


def login(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def logged_in(client, email: str, password: str = PASSWORD):
    response = login(client, email, password)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def text(response) -> str:
    """The response body with HTML entities decoded, for assertions on what a reader sees."""
    return html.unescape(response.get_data(as_text=True))


def log_in_browser(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the French login page of a Playwright page, and wait for the home page."""
    page.goto("/login")
    page.get_by_label("Adresse courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")


def assert_fits_phone(page, name: str, tmp_path=None) -> None:
    """The page does not scroll sideways on a 375px phone (a screenshot is kept when tmp_path is given)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if tmp_path is not None:
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert width <= 375, f"{name} is {width}px wide on a 375px phone"


@contextmanager
def counted_queries(app):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
