"""Failed-attempt throttles (login, second-factor code, current password) that nobody can aim at someone
else, after OWASP's Authentication cheat sheet.

- **Per pair.** Failures are counted per (account, client address) pair, or per (account, known device) when
  the attempt carries the account's device cookie (`devices.py`). A pair's first LOGIN_FREE_FAILURES cost
  nothing; then it waits LOGIN_FIRST_DELAY, twice as long after each further failure, up to LOGIN_MAX_DELAY.
  A pair's count is forgotten LOGIN_FAILURE_MEMORY after its first failure, at its first success, and when
  the account's password changes (a reset included: the keys carry the password's change time).
- **Per account, unknown devices only.** When failures on one account come from LOGIN_ACCOUNT_ADDRESSES
  addresses within LOGIN_ACCOUNT_WINDOW (a distributed guess), attempts without the account's device
  cookie are refused until the window moves on; the owner still gets in from a known device, or through a
  password reset.
- **Per address.** Every login or code post counts towards its address's cap (LOGIN_ATTEMPTS_PER_ADDRESS),
  whatever the account; forgotten-password requests have theirs (PASSWORD_FORGOT_PER_ADDRESS).
- **The owner is told** by e-mail when their account reaches LOGIN_FREE_FAILURES failures of one kind within
  LOGIN_ACCOUNT_WINDOW, at most once per LOGIN_ALERT_INTERVAL and kind.

An address is the client's as ProxyFix gives it (COORD_PROXY_FIX_HOPS); IPv6 addresses count by their /64
network (what one subscriber gets), IPv4 ones alone. Unknown e-mail addresses are throttled exactly like
known ones, so the answers tell nothing about which accounts exist.

Attempts are counted *before* the credentials are checked, atomically, in the limiter's storage (memory, or
Redis when REDIS_URL is set), so parallel guesses gain nothing. Keys are keyed hashes: no e-mail address
reaches Redis. When that storage fails (Redis down), the same rules are read from the audit log, which
records every failure with its account and address: login goes on and stays throttled (by exact address;
a few parallel guesses may pass, since failures are counted once they are written).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import RateLimitItemPerSecond, parse
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError

from coord import audit
from coord.audit import AuditEntry
from coord.core.actor import current_actor
from coord.core.after_response import after_response
from coord.core.errors import TooManyAttempts
from coord.core.localtime import utcnow
from coord.core.throttle import network
from coord.directory import emails
from coord.directory.models import Person
from coord.extensions import db, limiter

logger = logging.getLogger(__name__)

LOGIN, TOTP, PASSWORD = "login", "totp", "password"  # kinds of attempt
FORGOT = "forgot"  # forgotten-password requests: a per-address cap only
NAMESPACE = "coord-attempts"
OUTAGE_SECONDS = 30  # after a storage error, the audit log answers alone for this long

CAPS = {LOGIN: "LOGIN_ATTEMPTS_PER_ADDRESS", FORGOT: "PASSWORD_FORGOT_PER_ADDRESS"}
CAP_OF_KIND = {LOGIN: LOGIN, TOTP: LOGIN, PASSWORD: None}  # code posts share the login cap
# What the audit log holds for each kind, for the fallback: failures, successes, and the posts a cap counts.
FAILURE_ACTIONS = {
    LOGIN: ("auth.login",),
    TOTP: ("auth.totp",),
    PASSWORD: ("auth.password_change", "auth.totp_disabled"),
}
SUCCESS_ACTIONS = {
    LOGIN: ("auth.login",),
    TOTP: ("auth.login",),
    PASSWORD: ("auth.password_change", "auth.totp_disabled"),
}
CAPPED_ACTIONS = {LOGIN: ("auth.login", "auth.totp"), FORGOT: ("auth.password_reset_requested",)}
HINTS = {
    LOGIN: _l(
        "If this is your account, you can still log in from a device you have used before, or choose a new "
        "password with “Forgot your password?”."
    ),
}
HINTS[TOTP] = HINTS[LOGIN]


@dataclass(frozen=True)
class Attempt:
    """One attempt: its kind, the account it names (the e-mail address given, or the person's id), that
    account's person if any, the client address, and the id of the account's device cookie it carries."""

    kind: str
    account: str
    person: Person | None
    address: str
    device: str | None = None

    @property
    def audit_object(self) -> tuple[str, str]:
        """How the audit log names the account: the person, else a keyed hash of the address given."""
        if self.person is not None:
            return "person", str(self.person.id)
        return "account", account_key(self.account)

    @property
    def epoch(self) -> datetime | None:
        """When the account's password last changed: counts before it are forgotten."""
        return self.person.password_changed_at if self.person is not None else None


@dataclass(frozen=True)
class Refusal:
    reason: str  # "address", "account" or "pair"
    retry_after: float  # seconds


@dataclass(frozen=True)
class Rules:
    free: int
    first: float
    longest: float
    memory: int
    addresses: int
    window: int
    alert_every: int

    @classmethod
    def current(cls) -> Rules:
        config = current_app.config
        return cls(
            free=max(1, int(config["LOGIN_FREE_FAILURES"])),
            first=config["LOGIN_FIRST_DELAY"].total_seconds(),
            longest=config["LOGIN_MAX_DELAY"].total_seconds(),
            memory=_seconds(config["LOGIN_FAILURE_MEMORY"]),
            addresses=max(1, int(config["LOGIN_ACCOUNT_ADDRESSES"])),
            window=_seconds(config["LOGIN_ACCOUNT_WINDOW"]),
            alert_every=_seconds(config["LOGIN_ALERT_INTERVAL"]),
        )

    def delay(self, over: int) -> float:
        """The wait after the pair's (free + over)th failure: first, 2 × first, 4 × first, … up to longest."""
        return min(self.first * 2 ** min(over, 40), self.longest)


def _seconds(value: timedelta) -> int:
    return max(1, math.ceil(value.total_seconds()))


# Names ----------------------------------------------------------------------------------------------


def coarse(address: str) -> str:
    """A hint that says roughly where from, and no more: 203.0.x.x, 2001:db8:…"""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        first, second, *_rest = str(ip).split(".")
        return f"{first}.{second}.x.x"
    groups = [format(int(group, 16), "x") for group in ip.exploded.split(":")[:2]]
    return ":".join(groups) + ":…"


def _keyed(*parts: object) -> str:
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    material = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(secret, material, hashlib.sha256).hexdigest()


def account_key(email: str) -> str:
    """The audit log's name for an account nobody has: a keyed hash, never the address itself."""
    return _keyed("account", email)[:16]


# The throttle ----------------------------------------------------------------------------------------


def take(attempt: Attempt) -> None:
    """Count one attempt before its credentials are checked. Refused (TooManyAttempts, audited
    `auth.lockout`) when its address is over its cap, its pair is waiting, or the account holds back
    unknown devices."""
    refusal = _run("take", attempt)
    if refusal is not None:
        _refuse(attempt.kind, refusal, *attempt.audit_object)


def take_address(scope: str, address: str) -> None:
    """Count one request towards its address's cap (FORGOT); refused past it."""
    refusal = _run("cap", scope, address)
    if refusal is not None:
        _refuse(scope, refusal)


def failed(attempt: Attempt) -> None:
    """The credentials were wrong (the caller has audited the failure): count it for the account, and tell
    the owner when failures repeat."""
    failures = _run("failed", attempt)
    person = attempt.person
    if person is not None and person.active and failures >= Rules.current().free:
        _alert(attempt, failures)


def succeeded(attempt: Attempt) -> None:
    """The credentials were right: the pair starts afresh."""
    _run("succeeded", attempt)


def _refuse(kind: str, refusal: Refusal, object_type: str = "", object_id: str = "") -> None:
    audit.record_now(
        "auth.lockout",
        actor=current_actor(),
        object_type=object_type,
        object_id=object_id,
        outcome=audit.Outcome.DENIED,
        detail=f"{kind}: {refusal.reason}",
    )
    raise TooManyAttempts(refusal.retry_after, hint=HINTS.get(kind))


def _alert(attempt: Attempt, failures: int) -> None:
    """Queue the e-mail to the owner, at most once per interval and kind (the outbox's dedupe key), once
    the answer has been sent: how long queueing takes must not tell that the account has an owner."""
    rules = Rules.current()
    person_id, kind = attempt.person.id, attempt.kind
    minutes, hint = max(1, rules.window // 60), coarse(attempt.address)
    dedupe_key = f"failed-attempts:{person_id}:{kind}:{int(time.time() // rules.alert_every)}"

    def queue_alert() -> None:
        person = db.session.get(Person, person_id)
        if person is None or not person.active:
            return
        try:
            queued = emails.queue_failed_attempts(
                person, kind, failures=failures, minutes=minutes, hint=hint, dedupe_key=dedupe_key
            )
            if queued is not None:
                db.session.commit()
        except IntegrityError:  # a parallel attempt queued it first
            db.session.rollback()

    after_response(queue_alert)


# Where the counts live ---------------------------------------------------------------------------------


def _run(operation: str, *args):
    """Ask the counters, or the audit log while the counters' storage is down."""
    state = current_app.extensions.setdefault("coord.attempts", {})
    if time.monotonic() >= state.get("down_until", 0.0):
        counters = Counters()
        try:
            return getattr(counters, operation)(*args)
        except counters.errors as error:
            if time.monotonic() >= state.get("down_until", 0.0):
                logger.warning(
                    "attempt counters unavailable (%s): reading the audit log for %d s",
                    type(error).__name__,
                    OUTAGE_SECONDS,
                )
            state["down_until"] = time.monotonic() + OUTAGE_SECONDS
    return getattr(AuditLog(), operation)(*args)


class Counters:
    """Counts in the limiter's storage: counters with expiry, and moving windows."""

    def __init__(self) -> None:
        self.storage = limiter.storage
        self.windows = limiter.limiter
        self.rules = Rules.current()
        base = self.storage.base_exceptions
        self.errors = (*(base if isinstance(base, tuple) else (base,)), OSError)

    def cap(self, scope: str, address: str) -> Refusal | None:
        item = parse(current_app.config[CAPS[scope]])
        key = _keyed("cap", scope, network(address))[:32]
        if self.windows.hit(item, NAMESPACE, "cap", key):
            return None
        reset, _remaining = self.windows.get_window_stats(item, NAMESPACE, "cap", key)
        return Refusal("address", reset - time.time())

    def take(self, attempt: Attempt) -> Refusal | None:
        scope = CAP_OF_KIND[attempt.kind]
        refusal = self.cap(scope, attempt.address) if scope else None
        if refusal is not None:
            return refusal
        if attempt.device is None:
            item, key = self._addresses(attempt)
            if not self.windows.test(item, NAMESPACE, "account", key):
                reset, _remaining = self.windows.get_window_stats(item, NAMESPACE, "account", key)
                return Refusal("account", reset - time.time())
        count, wait = self._pair(attempt)
        if self.storage.get(wait):
            return Refusal("pair", self.storage.get_expiry(wait) - time.time())
        failures = self.storage.incr(count, self.rules.memory)  # counted before the check
        # Past the free failures, this attempt goes on and opens the pair's next wait; a parallel attempt
        # that finds the wait already open is refused (and not counted).
        over = failures - self.rules.free
        if over >= 0 and self.storage.incr(wait, math.ceil(self.rules.delay(over))) > 1:
            self.storage.incr(count, self.rules.memory, amount=-1)
            return Refusal("pair", self.storage.get_expiry(wait) - time.time())
        return None

    def failed(self, attempt: Attempt) -> int:
        account = self._account(attempt)
        if attempt.device is None:
            seen = f"{NAMESPACE}/seen/{_keyed(account, network(attempt.address))[:32]}"
            if self.storage.incr(seen, self.rules.window) == 1:  # a new address for this account
                item, key = self._addresses(attempt)
                self.windows.hit(item, NAMESPACE, "account", key)
        return self.storage.incr(f"{NAMESPACE}/account-failures/{account}", self.rules.window)

    def succeeded(self, attempt: Attempt) -> None:
        for key in self._pair(attempt):
            self.storage.clear(key)

    def _account(self, attempt: Attempt) -> str:
        epoch = attempt.epoch.isoformat() if attempt.epoch else ""
        return _keyed(attempt.kind, attempt.account, epoch)[:32]

    def _addresses(self, attempt: Attempt):
        return RateLimitItemPerSecond(self.rules.addresses, self.rules.window), self._account(attempt)

    def _pair(self, attempt: Attempt) -> tuple[str, str]:
        who = f"device:{attempt.device}" if attempt.device else f"address:{network(attempt.address)}"
        pair = _keyed(self._account(attempt), who)[:32]
        return f"{NAMESPACE}/failures/{pair}", f"{NAMESPACE}/wait/{pair}"


class AuditLog:
    """The same rules, read from the audit log while the counters' storage is down. Pairs are (account,
    exact address); a known device counts by its address too."""

    errors = ()

    def __init__(self) -> None:
        self.rules = Rules.current()
        self.now = utcnow()

    def cap(self, scope: str, address: str) -> Refusal | None:
        item = parse(current_app.config[CAPS[scope]])
        period = timedelta(seconds=item.get_expiry())
        count, oldest = db.session.execute(
            select(func.count(), func.min(AuditEntry.at)).where(
                AuditEntry.ip == address[:64],
                AuditEntry.at > self.now - period,
                AuditEntry.action.in_(CAPPED_ACTIONS[scope]),
            )
        ).one()
        if count < item.amount:
            return None
        return Refusal("address", (oldest + period - self.now).total_seconds())

    def take(self, attempt: Attempt) -> Refusal | None:
        scope = CAP_OF_KIND[attempt.kind]
        refusal = self.cap(scope, attempt.address) if scope else None
        if refusal is not None:
            return refusal
        window = timedelta(seconds=self.rules.window)
        if attempt.device is None:
            addresses, oldest = db.session.execute(
                select(func.count(distinct(AuditEntry.ip)), func.min(AuditEntry.at)).where(
                    *self._failures(attempt), AuditEntry.at > _latest(self.now - window, attempt.epoch)
                )
            ).one()
            if addresses >= self.rules.addresses:
                return Refusal("account", (oldest + window - self.now).total_seconds())
        object_type, object_id = attempt.audit_object
        last_success = db.session.scalar(
            select(func.max(AuditEntry.at)).where(
                AuditEntry.action.in_(SUCCESS_ACTIONS[attempt.kind]),
                AuditEntry.object_id == object_id,
                AuditEntry.outcome == audit.Outcome.SUCCESS,
                AuditEntry.ip == attempt.address[:64],
            )
        )
        since = _latest(self.now - timedelta(seconds=self.rules.memory), attempt.epoch, last_success)
        failures, last = db.session.execute(
            select(func.count(), func.max(AuditEntry.at)).where(
                *self._failures(attempt), AuditEntry.ip == attempt.address[:64], AuditEntry.at > since
            )
        ).one()
        if failures >= self.rules.free:
            wait = last + timedelta(seconds=self.rules.delay(failures - self.rules.free)) - self.now
            if wait.total_seconds() > 0:
                return Refusal("pair", wait.total_seconds())
        return None

    def failed(self, attempt: Attempt) -> int:
        since = _latest(self.now - timedelta(seconds=self.rules.window), attempt.epoch)
        return db.session.scalar(select(func.count()).where(*self._failures(attempt), AuditEntry.at > since))

    def succeeded(self, attempt: Attempt) -> None:
        """Nothing to clear: the success is in the audit log, and counts start after it."""

    @staticmethod
    def _failures(attempt: Attempt) -> tuple:
        _object_type, object_id = attempt.audit_object
        return (
            AuditEntry.action.in_(FAILURE_ACTIONS[attempt.kind]),
            AuditEntry.object_id == object_id,
            AuditEntry.outcome == audit.Outcome.FAILURE,
        )


def _latest(*moments: datetime | None) -> datetime:
    return max(moment for moment in moments if moment is not None)
