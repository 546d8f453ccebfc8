"""What feeds keep between requests: each event's text, each feed version's ETag apart from its body, the
bodies, and a lock per feed so one render runs at a time.

Shared through Redis when REDIS_URL is set (every worker and instance sees them), else kept in this process
(LRU, bounded in bytes). Keys name content (digests), so entries are never invalidated, only left to
expire or be evicted. Redis being down only costs renders: every error falls back to rendering, unlocked.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from typing import TypeVar

import redis
from cachetools import LRUCache
from flask import current_app

log = logging.getLogger(__name__)
T = TypeVar("T")

TTL_SECONDS = {"event": 14 * 24 * 3600, "body": 24 * 3600, "meta": 24 * 3600, "last": 30 * 24 * 3600}
LOCAL_SIZES = {"event": 64 << 20, "body": 64 << 20, "meta": 4096, "last": 4096}  # bytes, or entries
LOCK_SECONDS = 30  # a render holding the lock longer than this (crashed, stuck) lets another one start
WAIT_SECONDS = 10  # how long a request waits for another's render before rendering itself
POLL_SECONDS = 0.02
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_local_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}
_ERRORS = (redis.RedisError, OSError)


class _FeedLock:
    """A lock that a weak dictionary can hold (a bare threading.Lock cannot be weakly referenced)."""

    __slots__ = ("lock", "__weakref__")

    def __init__(self) -> None:
        self.lock = threading.Lock()


class _Local:
    """This app's in-process stores, counters and per-feed locks (one per app: apps never share)."""

    def __init__(self) -> None:
        self.stores = {
            name: LRUCache(maxsize=size, getsizeof=len if name in ("event", "body") else None)
            for name, size in LOCAL_SIZES.items()
        }
        self.locks: weakref.WeakValueDictionary[str, _FeedLock] = weakref.WeakValueDictionary()
        self.renders = 0
        self.events_rendered = 0


def _local() -> _Local:
    local = current_app.extensions.get("coord_feed_cache")
    if local is None:
        with _local_lock:
            local = current_app.extensions.setdefault("coord_feed_cache", _Local())
    return local


def _redis() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)
    return _clients[url]


def _key(kind: str, key: str) -> str:
    return current_app.config.get("FEED_CACHE_PREFIX", "coord:feed:") + kind + ":" + key


def _down(error: Exception) -> None:
    log.warning("feed cache unavailable (Redis: %s); rendering without it", type(error).__name__)


def get(kind: str, key: str) -> bytes | None:
    client = _redis()
    if client is None:
        local = _local()
        with _local_lock:
            return local.stores[kind].get(key)
    try:
        return client.get(_key(kind, key))
    except _ERRORS as error:
        _down(error)
        return None


def get_many(kind: str, keys: list[str]) -> list[bytes | None]:
    if not keys:
        return []
    client = _redis()
    if client is None:
        store = _local().stores[kind]
        with _local_lock:
            return [store.get(key) for key in keys]
    try:
        return client.mget([_key(kind, key) for key in keys])
    except _ERRORS as error:
        _down(error)
        return [None] * len(keys)


def put(kind: str, key: str, value: bytes) -> None:
    put_many(kind, {key: value})


def put_many(kind: str, values: dict[str, bytes]) -> None:
    if not values:
        return
    client = _redis()
    if client is None:
        store = _local().stores[kind]
        with _local_lock:
            for key, value in values.items():
                if kind not in ("event", "body") or len(value) <= store.maxsize:
                    store[key] = value
        return
    try:
        with client.pipeline(transaction=False) as pipe:
            for key, value in values.items():
                pipe.set(_key(kind, key), value, ex=TTL_SECONDS[kind])
            pipe.execute()
    except _ERRORS as error:
        _down(error)


def has(kind: str, key: str) -> bool:
    client = _redis()
    if client is None:
        local = _local()
        with _local_lock:
            return key in local.stores[kind]
    try:
        return bool(client.exists(_key(kind, key)))
    except _ERRORS as error:
        _down(error)
        return False


def once(name: str, ready: Callable[[], T | None], build: Callable[[], T]) -> T:
    """What `ready()` finds, else `build()`, with one build per `name` at a time across workers: the others
    wait for it (up to WAIT_SECONDS, then build themselves) and take what it kept."""
    client = _redis()
    if client is None:
        return _once_here(name, ready, build)
    token = secrets.token_hex(16)
    lock = _key("lock", name)
    deadline = time.monotonic() + WAIT_SECONDS
    try:
        while not client.set(lock, token, nx=True, ex=LOCK_SECONDS):
            found = ready()
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                log.warning("feed render waited %ss for another; rendering too", WAIT_SECONDS)
                return build()
            time.sleep(POLL_SECONDS)
    except _ERRORS as error:
        _down(error)
        return build()
    try:
        found = ready()
        return found if found is not None else build()
    finally:
        try:
            client.eval(_RELEASE, 1, lock, token)
        except _ERRORS as error:
            _down(error)


def _once_here(name: str, ready: Callable[[], T | None], build: Callable[[], T]) -> T:
    local = _local()
    with _local_lock:
        held = local.locks.get(name)
        if held is None:
            held = local.locks[name] = _FeedLock()
    lock = held.lock
    if not lock.acquire(timeout=WAIT_SECONDS):
        log.warning("feed render waited %ss for another; rendering too", WAIT_SECONDS)
        return build()
    try:
        found = ready()
        return found if found is not None else build()
    finally:
        lock.release()


def count_render(events: int) -> None:
    """One feed assembled, `events` of its events rendered (the rest were kept): for the bench, the tests
    and anyone watching Redis (`<prefix>stats:renders`, `<prefix>stats:events`)."""
    local = _local()
    with _local_lock:
        local.renders += 1
        local.events_rendered += events
    client = _redis()
    if client is None:
        return
    try:
        with client.pipeline(transaction=False) as pipe:
            pipe.incr(_key("stats", "renders"))
            pipe.incrby(_key("stats", "events"), events)
            pipe.execute()
    except _ERRORS as error:
        _down(error)


def render_counts() -> tuple[int, int]:
    """(feeds assembled, events rendered): Redis's totals when configured, else this process's."""
    client = _redis()
    if client is not None:
        try:
            renders, events = client.mget([_key("stats", "renders"), _key("stats", "events")])
            return int(renders or 0), int(events or 0)
        except _ERRORS as error:
            _down(error)
    local = _local()
    return local.renders, local.events_rendered
