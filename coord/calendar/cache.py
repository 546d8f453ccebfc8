"""Rendered feeds, shared through Redis when REDIS_URL is set, else kept in this process (LRU).

Keys carry the calendar generation, so entries are never invalidated, only left to expire. Redis being
down only costs a re-render: every error falls back to rendering.
"""

from __future__ import annotations

import logging
import threading

import redis
from cachetools import LRUCache
from flask import current_app

log = logging.getLogger(__name__)
TTL_SECONDS = 24 * 3600
_local_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}


def _local() -> LRUCache:
    """This app's in-process cache (one per app, so apps in one process never share entries)."""
    return current_app.extensions.setdefault("coord_feed_cache", LRUCache(maxsize=256))


def _redis() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    return _clients[url]


def get(key: str) -> bytes | None:
    client = _redis()
    if client is None:
        with _local_lock:
            return _local().get(key)
    try:
        return client.get("coord:feed:" + key)
    except (redis.RedisError, OSError):
        log.warning("feed cache unavailable (Redis); rendering without it")
        return None


def put(key: str, value: bytes) -> None:
    client = _redis()
    if client is None:
        with _local_lock:
            _local()[key] = value
        return
    try:
        client.set("coord:feed:" + key, value, ex=TTL_SECONDS)
    except (redis.RedisError, OSError):
        log.warning("feed cache unavailable (Redis); not kept")
