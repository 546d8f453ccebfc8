"""The scratch database a benchmark runs on: a fresh SQLite file, or a PostgreSQL schema of its own.

SQLite in a temporary directory by default; with BENCH_DATABASE_URL (e.g.
postgresql://postgres@127.0.0.1:5432/test) a schema `coord_bench_<random>` created in that database and
dropped at the end. Either is migrated to head by the migrations, like the tests' databases. With
BENCH_REDIS_URL the rendered feeds are cached in that Redis (keys of this run only, under a prefix of its
own, removed at the end); else in-process. `Scratch.config` serves the same database from another process
(gunicorn).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from coord import create_app
from coord.extensions import db

PG_SCHEMA = "coord_bench_" + secrets.token_hex(4)  # this run's: runs side by side never meet


@dataclass(frozen=True)
class Scratch:
    app: Flask
    backend: str  # "sqlite" or "postgresql"
    cache: str  # "in-process" or "redis"
    config: dict  # the app's configuration (JSON values), for a server on the same database
    marker: str  # this run's: in the public address and the Redis key prefix
    tmp: Path


def cache_prefix(marker: str) -> str:
    return f"coord:bench:{marker}:feed:"


def _pg_engine_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _config(tmp: Path, database_uri: str, marker: str, redis_url: str | None) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        # A run never meets another run's entries in a shared Redis, and removes its own at the end.
        "PUBLIC_URL": f"https://{marker}.bench.coord.test",
        "FEED_CACHE_PREFIX": cache_prefix(marker),
        "REDIS_URL": redis_url,
    }
    if database_uri.startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={PG_SCHEMA}"},
        }
    return config


def _pg_schema(url: str, create: bool) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        if create:
            connection.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()


def drop_cached_feeds(redis_url: str, marker: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=cache_prefix(marker) + "*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
    except (redis.RedisError, OSError):
        pass
    finally:
        client.close()


def migrate(app: Flask) -> None:
    with app.app_context():
        upgrade()


@contextmanager
def scratch_app() -> Iterator[Scratch]:
    """A migrated, empty database and an app on it; everything is removed on the way out."""
    pg_url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL") or None
    marker = "run-" + secrets.token_hex(6)
    with tempfile.TemporaryDirectory(prefix="coord-bench-") as tmp:
        if pg_url:
            database_uri = _pg_engine_url(pg_url)
            _pg_schema(database_uri, create=True)
        else:
            database_uri = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        config = _config(Path(tmp), database_uri, marker, redis_url)
        app = create_app(dict(config))
        try:
            migrate(app)
            yield Scratch(
                app=app,
                backend="postgresql" if pg_url else "sqlite",
                cache="redis" if redis_url else "in-process",
                config=config,
                marker=marker,
                tmp=Path(tmp),
            )
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if pg_url:
                _pg_schema(database_uri, create=False)
            if redis_url:
                drop_cached_feeds(redis_url, marker)
