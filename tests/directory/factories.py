"""Directory helpers for tests: e-mails read back from the outbox folder, links in them, TOTP enrolment."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pyotp

from coord.directory import passwords
from coord.directory.models import Committee, CommitteeMembership, Organization, Person, PersonRole
from coord.extensions import db
from tests.support import PASSWORD, csrf_token, post_form, text

_counter = iter(range(1, 10**9))  # unique names and e-mail addresses within a test run


def outbox_messages(app):
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime) if folder.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def link_in(message, path_prefix):
    text = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"[^\s]+)", text)
    assert match, text
    return match.group(1)


def enrol(client):
    html = text(client.get("/account/2fa"))
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', html).group(1)
    assert "<svg" in html
    response = post_form(
        client, "/account/2fa", {"code": pyotp.TOTP(secret).now()}, token_page="/account/2fa"
    )
    assert response.status_code == 302
    return secret


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


NEW_PASSWORD = "une phrase de passe bien longue"


def request_reset(app, address):
    client = app.test_client()
    response = post_form(client, "/password/forgot", {"email": address}, token_page="/password/forgot")
    assert response.status_code == 302
    response.close()  # the answer is sent: the e-mail leaves now
    return client


def set_password(client, path, password=NEW_PASSWORD, confirm=None):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": confirm or password, "csrf_token": token})
