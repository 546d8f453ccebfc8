"""Caps per client address for the public forms (anything someone without an account may post), counted in
Flask-Limiter's storage (memory, or Redis when REDIS_URL is set).

What counts as one client is `network(address)`: an IPv4 address, or the /64 network of an IPv6 one. Keys are
keyed hashes (no address in Redis). When the storage cannot be reached, `hit` raises StorageDown and the
caller decides: let the post through, or read the same cap from the audit log (`wait_from_audit_log`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time as clock
from collections.abc import Iterable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from limits import parse

from coord.audit import AuditEntry
from coord.core.localtime import utcnow
from coord.extensions import db, limiter


class StorageDown(Exception):
    """The limiter's storage cannot be reached."""


def network(address: str) -> str:
    """What counts as one client: an IPv4 address, or the /64 network of an IPv6 one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return (address or "")[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(name: str, limit: str, address: str) -> float | None:
    """Count one post of `name` from this client under `limit` ("20 per hour"): the seconds to wait when past
    the cap, else None. StorageDown when the storage cannot be reached."""
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


def wait_from_audit_log(limit: str, address: str, actions: Iterable[str]) -> float | None:
    """The same cap read from the audit log (while the storage is down): the entries of `actions` from this
    exact address within the limit's period; the seconds to wait when there are enough, else None."""
    item = parse(limit)
    period = timedelta(seconds=item.get_expiry())
    count, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(AuditEntry.at)).where(
            AuditEntry.ip == (address or "")[:64],
            AuditEntry.at > utcnow() - period,
            AuditEntry.action.in_(tuple(actions)),
        )
    ).one()
    if count < item.amount:
        return None
    return max((oldest + period - utcnow()).total_seconds(), 1.0)
