"""The public form's cap per client address: in Redis, and from the audit log while Redis is down."""

from __future__ import annotations

import pytest

from coord import create_app
from coord.extensions import db
from tests.conftest import base_config
from tests.outreach.factories_requests import post_request, request_count, valid_post

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _three_posts(app) -> list[int]:
    client = app.test_client()
    statuses = [
        post_request(client, valid_post(contact_email=f"n{n}@x.example")).status_code for n in range(3)
    ]
    other = post_request(
        app.test_client(),
        valid_post(contact_email="elsewhere@x.example"),
        environ_overrides={"REMOTE_ADDR": "198.51.100.7"},
    )
    return [*statuses, other.status_code]


def test_the_cap_counts_in_redis(make_app, redis_url):
    app = make_app(
        REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url, OUTREACH_REQUESTS_PER_ADDRESS="2 per hour"
    )
    assert _three_posts(app) == [303, 303, 429, 303]
    assert request_count(app) == 3


@pytest.fixture
def app_with_redis_down(make_app, database_template, tmp_path):
    database = make_app().config["SQLALCHEMY_DATABASE_URI"]
    config = base_config(
        tmp_path,
        database,
        pg_schema=database_template.schema,
        REDIS_URL=UNREACHABLE_REDIS,
        RATELIMIT_STORAGE_URI=UNREACHABLE_REDIS,
        OUTREACH_REQUESTS_PER_ADDRESS="2 per hour",
    )
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_with_redis_down_the_audit_log_counts(app_with_redis_down, caplog):
    app = app_with_redis_down
    assert _three_posts(app) == [303, 303, 429, 303]
    assert request_count(app) == 3
    assert "request counters unavailable" in caplog.text
    assert "n0@x.example" not in caplog.text
