"""Bad input anywhere in the current pages never gives a 500 and never leaves a half-done write.

The machinery (garbage values, the write log, the prober) is in tests/sweep.py; the world it aims at comes
from the modules' manifests (their demo data and their `route_samples`), so a new module is swept by being
in the module list.
"""

from __future__ import annotations

import html
import logging
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from coord.directory import passwords
from tests.sweep import (
    ACTORS,
    FORM_GARBAGE,
    QUERY_GARBAGE,
    SESSION_ENDING,
    Prober,
    World,
    garbage_forms,
    garbage_urls,
    make_world,
    post_rules,
    real_url,
    rules,
    sent_to_login,
)


@pytest.fixture
def world(app, monkeypatch) -> World:
    # Unknown e-mail addresses are checked against a dummy hash made at import with the full argon2
    # cost; give it the tests' small cost, like every other hash (see fast_password_hashing).
    monkeypatch.setattr(passwords, "_DUMMY_HASH", passwords.hash_password("dummy password for timing"))
    return make_world(app)


@pytest.fixture
def prober(app, world, caplog, request):
    caplog.set_level(logging.ERROR, logger="coord")
    prober = Prober(app, caplog, request.param, world)
    yield prober
    prober.writes.remove()


# The tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prober", ACTORS, indirect=True)
def test_garbage_in_urls_and_query_strings(app, world, prober, french_scan):
    read_before = french_scan.pages
    for rule in rules(app):
        methods = rule.methods - {"HEAD", "OPTIONS"}
        url = real_url(rule, world)
        if "GET" in methods:
            first, *rest = QUERY_GARBAGE
            if sent_to_login(prober.send("GET", f"{url}?{first}", rule.endpoint)):
                rest = rest[-1:]  # the actor is sent to log in before the query is read: one more is enough
            for query in rest:
                prober.send("GET", f"{url}?{query}", rule.endpoint)
        for garbage_url in garbage_urls(rule, world):
            if "GET" in methods:
                prober.send("GET", garbage_url, rule.endpoint)
            if "POST" in methods and rule.endpoint not in SESSION_ENDING:
                prober.send("POST", garbage_url, rule.endpoint, [("next", "/"), ("active", "1")])
        if "GET" not in methods:
            prober.send("GET", url, rule.endpoint)
    prober.assert_clean(floor=max(150, 5 * len(rules(app))), endpoints={rule.endpoint for rule in rules(app)})
    assert french_scan.pages - read_before >= 100  # the French scan reads the crawl (tests/french_scan.py)


@pytest.mark.parametrize("prober", ACTORS, indirect=True)
def test_posts_without_csrf_token_get_400(app, world, prober):
    form = [(name, "x") for name in world.field_names]
    for rule in post_rules(app):
        for url in [real_url(rule, world), *garbage_urls(rule, world)]:
            with app.test_request_context(url, method="POST") as context:
                routed = context.request.routing_exception is None
            # A NUL in the path is a 400 before routing (coord.security), also where a converter (<ref:>)
            # would not have matched it.
            bad = routed or "%00" in url
            prober.send("POST", url, rule.endpoint, form, token=False, expect={400} if bad else {404, 405})
    prober.assert_clean(
        floor=max(20, len(post_rules(app))), endpoints={rule.endpoint for rule in post_rules(app)}
    )


@pytest.mark.parametrize("kind", FORM_GARBAGE)
@pytest.mark.parametrize("prober", ACTORS, indirect=True)
def test_garbage_in_forms_with_a_valid_token(app, world, prober, kind):
    for rule in post_rules(app):
        url = real_url(rule, world)
        first, *rest = garbage_forms(kind, world.field_names, world.baseline(rule.endpoint))
        if sent_to_login(prober.send("POST", url, rule.endpoint, first)):
            rest = rest[-1:]  # the actor is sent to log in before the form is read: one more is enough
        for pairs in rest:
            prober.send("POST", url, rule.endpoint, pairs)
    prober.assert_clean(
        floor=max(20, len(post_rules(app))), endpoints={rule.endpoint for rule in post_rules(app)}
    )


# Every form the pages show: each field missing in turn, control characters in each single-line field -----

CONTROL = ("Titre\r\nBcc: victime@example.org", "bip\x07\x1b[31m", "fin\u0085ligne", "tab\x0bvertical")
BUTTONS = ("submit", "button", "reset", "image", "file")


class FormParser(HTMLParser):
    """The POST forms of a page: (action, [(name, value, kind)]), kind "line" for single-line text inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str, str]]]] = []
        self.current: list[tuple[str, str, str]] | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = []
            self.forms.append((attrs.get("action") or "", self.current))
        elif self.current is None or not name or name == "csrf_token":
            return
        elif tag == "input" and (attrs.get("type") or "text") not in BUTTONS:
            kind = attrs.get("type") or "text"
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.current.append(
                (name, attrs.get("value") or "", "line" if kind in ("text", "email") else kind)
            )
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and (not self._has(self.select) or "selected" in attrs):
            self.current[:] = [field for field in self.current if field[0] != self.select]
            self.current.append((self.select, attrs.get("value") or "", "select"))
        elif tag == "textarea":
            self.textarea = name
            self.current.append((name, "", "text"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def _has(self, name: str) -> bool:
        return any(field[0] == name for field in self.current or [])


def _routed(app, action: str) -> bool:
    try:
        app.url_map.bind("localhost").match(urlsplit(action).path, method="POST")
    except HTTPException:
        return False
    return True


def page_forms(prober, world, app) -> dict[str, list[tuple[str, str, str]]]:
    """Every POST form with fields on every page the coordinator can open (by action URL)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for rule in rules(app):
        if "GET" not in rule.methods or rule.endpoint in SESSION_ENDING:
            continue
        page_url = real_url(rule, world)
        response = prober.client.get(page_url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = FormParser()
        parser.feed(response.get_data(as_text=True))
        for action, fields in parser.forms:
            action = html.unescape(action) or page_url  # no action: the form posts to its own page
            if fields and action.startswith("/") and action not in found and _routed(app, action):
                found[action] = fields
    return found


@pytest.mark.parametrize("prober", ["coordinator"], indirect=True)
def test_every_form_refuses_missing_fields_and_control_characters(app, world, prober):
    forms = page_forms(prober, world, app)
    assert len(forms) >= 15, "\n".join(sorted(forms))
    accepted = []
    for action, fields in forms.items():
        endpoint = app.url_map.bind("localhost").match(urlsplit(action).path, method="POST")[0]
        pairs = [(name, value) for name, value, _ in fields]
        for index in range(len(pairs)):
            prober.send("POST", action, endpoint, pairs[:index] + pairs[index + 1 :])
        for index, (name, _, kind) in enumerate(fields):
            if kind != "line":
                continue
            for junk in CONTROL:
                response = prober.send(
                    "POST", action, endpoint, [*pairs[:index], (name, junk), *pairs[index + 1 :]]
                )
                if response.status_code in (302, 303):
                    accepted.append(f"{action} {name}={junk!r} -> {response.status_code}")
    prober.assert_clean(floor=len(forms), endpoints=set())
    assert not accepted, "control characters accepted in single-line fields:\n" + "\n".join(accepted)
