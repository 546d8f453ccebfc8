"""GET /healthz: is the database reachable, and Redis when one is configured."""

from __future__ import annotations

import redis
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from coord.core.gates import open_before_second_factor
from coord.extensions import db

bp = Blueprint("health", __name__)


def redis_status() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "absent"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return "down"
    return "ok"


def database_status() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "down"
    return "ok"


@bp.get("/healthz")
@open_before_second_factor
def healthz():
    body = {"database": database_status(), "redis": redis_status()}
    response = current_app.json.response(body)
    response.status_code = 200 if body["database"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
