"""Links in e-mails and feeds come from the configured public address, never from the request's Host."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pytest

from coord import create_app
from coord.config import ConfigurationError
from coord.core.urls import absolute_url
from coord.directory.models import Person
from coord.extensions import db
from coord.notify.outbox import deliver_message, queue_email
from tests.directory.factories import email_of, make_person

PUBLIC = "https://coord.example.org"


def sent(app) -> list[str]:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if folder.exists() else []
    return [
        email.message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
        for path in files
    ]


def ask_for_reset(client, address: str, headers: dict, base_url: str) -> int:
    page = client.get("/password/forgot", headers=headers, base_url=base_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    headers = {**headers, "Referer": f"{PUBLIC}/password/forgot"}
    data = {"email": address, "csrf_token": token}
    response = client.post("/password/forgot", data=data, headers=headers, base_url=base_url)
    response.close()  # the answer is sent: the reset e-mail leaves now
    return response.status_code


def test_a_forged_host_gets_400_and_no_mail(make_app):
    app = make_app(PUBLIC_URL=PUBLIC)
    address = email_of(app, make_person(app))
    client = app.test_client()
    response = client.post("/password/forgot", data={"email": address}, headers={"Host": "attacker.example"})
    assert response.status_code == 400
    assert "attacker" not in response.get_data(as_text=True)
    assert client.get("/login", headers={"Host": "attacker.example"}).status_code == 400
    assert sent(app) == []


def test_behind_the_proxy_a_forwarded_host_does_not_reach_the_link(make_app):
    app = make_app(PUBLIC_URL=PUBLIC, PROXY_FIX_HOPS=1)
    address = email_of(app, make_person(app))
    client = app.test_client()
    forged = {"X-Forwarded-Host": "attacker.example", "X-Forwarded-Proto": "https"}
    status = ask_for_reset(client, address, headers=forged, base_url="http://coord.example.org")
    assert status == 302
    (body,) = sent(app)
    assert "attacker" not in body
    assert re.search(r"https://coord\.example\.org/password/reset/\S+", body)


def test_jobs_outside_a_request_build_the_same_links(make_app):
    app = make_app(PUBLIC_URL=PUBLIC)
    person_id = make_person(app)
    with app.app_context():
        message = queue_email(db.session.get(Person, person_id), "directory/password_reset")
        db.session.commit()
        message_id = message.id
    with app.app_context():  # no request: as the worker does
        deliver_message(message_id)
        assert absolute_url("/meetings/3") == f"{PUBLIC}/meetings/3"
    (body,) = sent(app)
    assert f"{PUBLIC}/password/reset/" in body and "localhost" not in body


def test_in_development_the_address_is_the_one_make_run_serves(app):
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert "attacker.example" not in app.config["TRUSTED_HOSTS"]


def test_production_refuses_to_start_without_a_public_address(tmp_path):
    base = {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite"}
    with pytest.raises(ConfigurationError, match="COORD_PUBLIC_URL"):
        create_app({**base, "ENVIRONMENT": "production"})
    with pytest.raises(ConfigurationError, match="https"):
        create_app({**base, "ENVIRONMENT": "production", "PUBLIC_URL": "http://coord.example.org"})
    with pytest.raises(ConfigurationError):
        create_app({**base, "PUBLIC_URL": "coord.example.org"})
    app = create_app({**base, "ENVIRONMENT": "production", "PUBLIC_URL": PUBLIC})
    assert app.config["TRUSTED_HOSTS"] == ["coord.example.org"]
    assert set(app.config["TOTP_REQUIRED_ROLES"]) == {"admin", "coordinator"}
    with app.app_context():
        db.engine.dispose()
