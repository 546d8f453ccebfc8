"""Caps per client address for the training's public forms (registration, requests, attestation checks),
in Flask-Limiter's storage (memory, or Redis when REDIS_URL is set). An IPv6 address counts by its /64."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time as clock

from flask import current_app
from limits import parse

from coord.extensions import limiter


class StorageDown(Exception):
    """The limiter's storage cannot be reached: the caller decides (let through, or read the audit log)."""


def network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return (address or "")[:64]
    if ip.version == 6:
        return str(ip.ipv4_mapped or ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(name: str, limit: str, address: str) -> float | None:
    """Count one post of `name` from this address under `limit` ("20 per hour"); the seconds to wait when
    past the cap, else None. StorageDown when the storage cannot be reached."""
    item = parse(limit)
    base = limiter.storage.base_exceptions
    storage_errors = (*(base if isinstance(base, tuple) else (base,)), OSError)
    secret = current_app.config["SECRET_KEY"].encode()
    key = hmac.new(secret, f"{name}:{network(address)}".encode(), hashlib.sha256).hexdigest()[:32]
    namespace = f"coord-{name}"
    try:
        if limiter.limiter.hit(item, namespace, key):
            return None
        reset, _remaining = limiter.limiter.get_window_stats(item, namespace, key)
    except storage_errors as error:
        raise StorageDown(type(error).__name__) from error
    return max(reset - clock.time(), 1.0)
