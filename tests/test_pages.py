"""Layout, accessibility basics, security headers and error pages."""

from __future__ import annotations

import re

import pytest

from tests.directory.factories import email_of, make_person
from tests.support import csrf_token, logged_in, post_form, text

PAGES = [
    "/",
    "/people",
    "/people/new",
    "/organizations",
    "/organizations/new",
    "/committees",
    "/audit/",
    "/account/",
    "/account/2fa",
]


@pytest.fixture
def coordinator(app):
    return logged_in(app.test_client(), email_of(app, make_person(app, roles=("coordinator",))))


def test_security_headers_on_every_response(app, coordinator):
    for response in [
        app.test_client().get("/login"),
        coordinator.get("/"),
        coordinator.get("/nowhere"),
        app.test_client().get("/healthz"),
    ]:
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_authenticated_pages_are_not_stored(coordinator):
    for url in PAGES:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_pages_are_accessible_and_script_free(coordinator):
    for url in PAGES:
        html = text(coordinator.get(url))
        assert re.search(r'<html lang="(fr|en)-CA">', html), url
        assert '<a class="skip-link" href="#main">' in html and 'id="main"' in html, url
        assert 'name="viewport"' in html, url
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), f"inline script on {url}"
        assert " style=" not in html.split("<svg")[0], f"inline style on {url}"
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html):
            tag = re.search(
                r'<(?:input|select|textarea)[^>]*\sid="' + re.escape(field_id) + '"[^>]*>', html
            ).group(0)
            if 'type="hidden"' in tag or "hidden" in tag.split():
                continue
            labelled = (
                f'for="{field_id}"' in html
                or re.search(r"<label[^>]*>[^<]*" + re.escape(tag), html)
                or "aria-label" in tag
            )
            assert labelled, f"field {field_id} on {url} has no label"


@pytest.mark.parametrize(
    ("method", "url", "status", "phrase"),
    [
        ("get", "/nowhere", 404, "Page introuvable"),
        ("get", "/people/999999", 404, "Page introuvable"),
        ("get", "/people/not-a-number", 404, "Page introuvable"),
        ("get", "/logout", 405, "Méthode non permise"),
        ("post", "/people/new", 400, "formulaire"),
    ],
)
def test_error_pages_in_french_without_trace(coordinator, method, url, status, phrase):
    response = getattr(coordinator, method)(url)
    assert response.status_code == status
    body = text(response)
    assert phrase in body and "Traceback" not in body and 'lang="fr-CA"' in body


def test_error_pages_follow_the_readers_language(client, coordinator):
    english = client.get("/nowhere", headers={"Accept-Language": "en-CA"})
    assert english.status_code == 404 and "Page not found" in text(english)
    assert 'lang="en-CA"' in text(english)
    # A signed-in person's saved preference (French here) wins over the browser's.
    french = coordinator.get("/nowhere", headers={"Accept-Language": "en"})
    assert "Page introuvable" in text(french)


def test_413_for_oversized_requests(app, client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Trop volumineux" in text(response)


def test_500_page_hides_the_error_and_rolls_back(app):
    @app.get("/boom-test")
    def boom():
        raise RuntimeError("secret detail: participant P-123")

    response = app.test_client().get("/boom-test")
    assert response.status_code == 500
    body = text(response)
    assert "P-123" not in body and "RuntimeError" not in body
    assert "Une erreur inattendue" in body


def test_post_without_csrf_token_gets_400(app, coordinator):
    response = coordinator.post(
        "/organizations/new", data={"name": "X", "short_name": "X", "sector": "other"}
    )
    assert response.status_code == 400
    assert "formulaire a expiré" in text(response)
    response = post_form(
        coordinator, "/organizations/new", {"name": "X", "short_name": "X", "sector": "other"}
    )
    assert response.status_code == 302


def test_nul_characters_in_forms_give_400(app, client):
    token = csrf_token(client)
    response = client.post(
        "/login", data={"email": "a\x00@example.org", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400
