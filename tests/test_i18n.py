"""French first, English second: choice, switch, persistence, and a complete French catalog."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from coord.directory.models import Person
from coord.extensions import db
from tests.directory.factories import email_of, make_person
from tests.support import csrf_token, logged_in, post_form, text

ROOT = Path(__file__).resolve().parent.parent


def switch(client, language, next_url="/login"):
    token = csrf_token(client, next_url)
    return client.post("/language", data={"lang": language, "next": next_url, "csrf_token": token})


def test_french_by_default_english_from_the_browser(client):
    assert '<html lang="fr-CA">' in text(client.get("/login"))
    english = text(client.get("/login", headers={"Accept-Language": "en-CA,en;q=0.9"}))
    assert '<html lang="en-CA">' in english and "Log in" in english
    french = text(client.get("/login", headers={"Accept-Language": "de, fr;q=0.5, en;q=0.4"}))
    assert '<html lang="fr-CA">' in french


def test_switch_for_a_visitor_is_remembered_in_the_session(client):
    response = switch(client, "en")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert '<html lang="en-CA">' in text(client.get("/login"))
    switch(client, "fr")
    assert '<html lang="fr-CA">' in text(client.get("/login"))


def test_switch_for_a_person_is_saved_and_outranks_the_browser(app, client):
    person_id = make_person(app)
    logged_in(client, email_of(app, person_id))
    switch(client, "en", "/")
    with app.app_context():
        assert db.session.get(Person, person_id).preferred_language == "en"
    other_browser = logged_in(app.test_client(), email_of(app, person_id))
    page = text(other_browser.get("/", headers={"Accept-Language": "fr"}))
    assert "My schedule" in page


def test_unknown_language_code_gives_400(client):
    assert switch(client, "xx").status_code == 400
    assert switch(client, "fr_CA<script>").status_code == 400


def test_switch_needs_csrf_and_never_redirects_off_site(client):
    assert client.post("/language", data={"lang": "en"}).status_code == 400
    for target in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        response = post_form(client, "/language", {"lang": "en", "next": target}, token_page="/login")
        assert response.headers["Location"] in ("/", "/login"), target


def test_every_page_has_the_language_switch(app, client):
    logged_in(client, email_of(app, make_person(app, roles=("coordinator",))))
    for url in ("/", "/people", "/organizations", "/committees", "/audit/", "/account/"):
        assert 'action="/language"' in text(client.get(url)), url
    assert 'action="/language"' in text(app.test_client().get("/login"))


def test_french_catalog_is_complete_and_up_to_date(tmp_path):
    """Every UI string in the source is in the catalog, translated, not fuzzy."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with (ROOT / "coord/translations/fr/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        message.id
        for message in catalog
        if message.id
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    missing = {m if isinstance(m, str) else m[0] for m in wanted - translated}
    assert not missing, f"untranslated or missing in fr catalog: {sorted(missing)[:10]}"
