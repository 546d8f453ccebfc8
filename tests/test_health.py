"""GET /healthz."""

from __future__ import annotations

import socket

from tests.support import text


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_ok_and_redis_absent_by_default(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"database": "ok", "redis": "absent"}


def test_redis_ok_when_configured(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)
    assert app.test_client().get("/healthz").get_json() == {"database": "ok", "redis": "ok"}


def test_redis_down_is_reported_without_failing(make_app):
    app = make_app(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["redis"] == "down"


def test_database_down_gives_503(tmp_path):
    from coord import create_app

    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"database": "down", "redis": "absent"}
    assert "Traceback" not in text(response)
    with app.app_context():
        from coord.extensions import db

        db.engine.dispose()
