"""The README names the links as they are on screen, and says truly who can open the demo case conference."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

from coord.conferences.models import CaseConference
from coord.demo import seed_demo
from coord.extensions import db
from coord.modules import MODULES
from tests.french.catalog import french_strings
from tests.support import logged_in

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "demo-sphères-2026"


def test_links_named_in_the_readme_are_the_screens_words():
    named = {" ".join(term.split()) for term in re.findall(r"\*\*([^*]+)\*\*", README.read_text())}
    on_screen = {string for _, string in french_strings()}
    assert "M’abonner à mes calendriers" in named
    assert not [term for term in named - {"SPHÈRES"} if term not in on_screen]


def test_who_opens_the_demo_case_conference_is_what_the_readme_says(app):
    readme = " ".join(README.read_text().split())
    assert "Only these four can open it" in readme
    with app.app_context():
        seed_demo(MODULES, PASSWORD)
        conference_id = db.session.scalar(sa.select(CaseConference.id))
    for account, status in [
        ("intervenant", 200),
        ("police", 200),
        ("coordinator", 200),
        ("partner", 200),
        ("researcher", 403),
        ("admin", 403),
        ("requester", 403),
    ]:
        client = logged_in(app.test_client(), f"{account}@demo.coord.test", PASSWORD)
        assert client.get(f"/conferences/{conference_id}").status_code == status, account
