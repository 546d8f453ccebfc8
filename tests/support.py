"""Helpers shared by the tests: service availability, CSRF tokens, logging in, factories."""

from __future__ import annotations

import html
import os
import re

import pytest

from coord.directory import passwords
from coord.directory.models import Committee, CommitteeMembership, Organization, Person, PersonRole
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


_counter = iter(range(1, 10**9))


def make_organization(app, **values) -> int:
    n = next(_counter)
    with app.app_context():
        organization = Organization(
            name=values.get("name", f"Organisme {n}"),
            short_name=values.get("short_name", f"ORG{n}"),
            sector=values.get("sector", "community"),
            region=values.get("region", "Montréal"),
            is_partner=values.get("is_partner", False),
            active=values.get("active", True),
        )
        db.session.add(organization)
        db.session.commit()
        return organization.id


def make_person(app, roles=("intervenant",), password: str | None = PASSWORD, **values) -> int:
    n = next(_counter)
    organization_id = values.get("organization_id") or make_organization(app)
    with app.app_context():
        person = Person(
            email=values.get("email", f"person{n}@example.org").lower(),
            display_name=values.get("display_name", f"Personne {n}"),
            organization_id=organization_id,
            preferred_language=values.get("preferred_language", "fr"),
            active=values.get("active", True),
            password_hash=passwords.hash_password(password) if password else None,
        )
        person.role_rows = [PersonRole(role=role) for role in roles]
        db.session.add(person)
        db.session.commit()
        return person.id


def make_committee(app, code: str = "clinique", member_ids=()) -> int:
    with app.app_context():
        committee = Committee(
            code=code, name_fr=f"Comité {code}", name_en=f"{code} committee", description=""
        )
        db.session.add(committee)
        db.session.flush()
        for person_id in member_ids:
            db.session.add(CommitteeMembership(committee_id=committee.id, person_id=person_id))
        db.session.commit()
        return committee.id


def email_of(app, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).email


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
