"""Authentication services: credentials, server-side login sessions, passwords, TOTP.

The checks that a guesser could repeat (the password at login, the code, the current password on the
account page) go through `attempts` (throttled per account and address, see there) and take the `Client`
they come from.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass

import pyotp
from flask import current_app, g, request
from sqlalchemy import select, update

from coord import audit
from coord.core.ids import MAX_ID
from coord.core.localtime import utcnow
from coord.directory import attempts, devices, passwords, totp_crypto
from coord.directory.models import LoginSession, Person
from coord.extensions import db

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Client:
    """Where a request comes from: the client address (as ProxyFix gives it), its user agent, and the
    device cookie it carries, if any."""

    address: str
    user_agent: str = ""
    device_cookie: str | None = None

    @classmethod
    def of_request(cls) -> Client:
        """The client of the current request (for views)."""
        return cls(
            request.remote_addr or "",
            request.headers.get("User-Agent", ""),
            request.cookies.get(devices.COOKIE),
        )


@dataclass(frozen=True)
class Grant:
    """A completed login: the server-side session's secret (for the session cookie) and a new device
    cookie's value."""

    token: str
    device_cookie: str


class PasswordRejected(ValueError):
    def __init__(self, problems: list) -> None:
        super().__init__("password rejected")
        self.problems = problems


class SecondFactorUnavailable(Exception):
    """The person's TOTP secret does not decrypt with the configured key: no code can be accepted."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalize_email(email)))


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def person_for_second_factor(person_id, token_version) -> Person | None:
    """The active person whose password was just checked, for the second-factor step (else None). The step
    dies with the person's token version: a password reset or a deactivation meanwhile ends it."""
    valid = _whole(person_id) and 0 < person_id <= MAX_ID and _whole(token_version)
    person = db.session.get(Person, person_id) if valid else None
    if person is None or not person.active or person.token_version != token_version:
        return None
    return person


def check_password(email: str, password: str, client: Client) -> Person | None:
    """The login's first step: the active person with these credentials, or None (audited, the same answer
    whether the account exists or not). Throttled before the check: TooManyAttempts."""
    email = normalize_email(email)
    person = find_person_by_email(email)
    attempt = attempts.Attempt(
        attempts.LOGIN, email, person, client.address, devices.device_of(client.device_cookie, person)
    )
    attempts.take(attempt)
    valid = passwords.verify_password(person.password_hash if person else None, password)
    if not valid or person is None or not person.active:
        object_type, object_id = attempt.audit_object
        audit.record_now(
            "auth.login",
            actor=audit.ANONYMOUS,
            object_type=object_type,
            object_id=object_id,
            outcome=audit.Outcome.FAILURE,
            detail="inactive account" if valid and person else "bad credentials",
        )
        attempts.failed(attempt)
        return None
    attempts.succeeded(attempt)
    if passwords.needs_rehash(person.password_hash):
        person.password_hash = passwords.hash_password(password)
        db.session.commit()
    return person


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(person: Person, client: Client) -> Grant:
    """Open a new server-side session for the person: its secret token (for the session cookie) and a new
    device cookie (this browser becomes a known device)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        LoginSession(
            token_hash=_hash_token(token),
            person_id=person.id,
            created_at=now,
            last_seen_at=now,
            token_version=person.token_version,
            ip=client.address[:64],
            user_agent=(client.user_agent or "")[:200],
        )
    )
    person.last_login_at = now
    audit.record("auth.login", obj=person, actor=person)
    db.session.commit()
    return Grant(token, devices.new_cookie(person))


def load_session(token: str | None, person_id: int) -> Person | None:
    """The person behind a live session token; ends sessions past the inactivity or absolute limit."""
    if not token or len(token) > 100:
        return None
    login = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash_token(token)))
    if login is None or login.ended_at is not None or login.person_id != person_id:
        return None
    config = current_app.config
    now = utcnow()
    expired = (
        now - login.last_seen_at > config["SESSION_INACTIVITY_TIMEOUT"]
        or now - login.created_at > config["SESSION_ABSOLUTE_LIFETIME"]
    )
    revoked = login.token_version != login.person.token_version
    if expired or revoked or not login.person.active:
        login.ended_at = now
        db.session.commit()
        g.session_expired = expired
        return None
    if now - login.last_seen_at > config["SESSION_TOUCH_INTERVAL"]:
        login.last_seen_at = now
        db.session.commit()
    return login.person


def end_session(token: str | None, person: Person | None) -> None:
    """Log out: the session ends server-side, so a copied cookie stops working too."""
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _hash_token(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    if person is not None:
        audit.record("auth.logout", obj=person, actor=person)
    db.session.commit()


def end_all_sessions(*person_ids: int) -> None:
    """End every open session of these people in one statement, as part of the caller's operation (no
    commit)."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.person_id.in_(person_ids), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_access(*people: Person) -> None:
    """Raise the person's token version and end their sessions (no commit): every reset, invitation and
    e-mail-change link, feed link, answer link and login session made before is dead for good, even if
    the person is deactivated and reactivated later (a change of address waiting for its now dead link is
    dropped). Deactivation, an e-mail change, a password reset and a password change call it."""
    for person in people:
        person.token_version = (person.token_version or 0) + 1
        person.pending_email = None
    end_all_sessions(*(person.id for person in people))


def _new_password(person: Person, new_password: str, action: str, *, ends_links: bool) -> None:
    """Check the policy, set the password, end the person's sessions (and links), audit (no commit)."""
    problems = passwords.password_problems(new_password, person.email)
    if problems:
        raise PasswordRejected(problems)
    person.password_hash = passwords.hash_password(new_password)
    person.password_changed_at = utcnow()
    if ends_links:
        end_access(person)
    else:
        end_all_sessions(person.id)
    audit.record(action, obj=person, actor=person)


def set_password(person: Person, new_password: str, action: str, *, ends_links: bool = True) -> None:
    """Set a new password after checking the policy, from a reset link (which ends every session and
    link of the person) or an accepted invitation (`ends_links=False`: the answer links already mailed
    to someone who never had a password stay valid)."""
    _new_password(person, new_password, action, ends_links=ends_links)
    db.session.commit()


def person_attempt(kind: str, person: Person, client: Client) -> attempts.Attempt:
    device = devices.device_of(client.device_cookie, person)
    return attempts.Attempt(kind, str(person.id), person, client.address, device)


def change_own_password(person: Person, current_password: str, new_password: str, client: Client) -> bool:
    """Change one's own password (throttled like a login: TooManyAttempts); False when the current one is
    wrong, PasswordRejected when the new one breaks the policy."""
    attempt = person_attempt(attempts.PASSWORD, person, client)
    attempts.take(attempt)
    try:
        changed = change_password(person, current_password, new_password)
    except PasswordRejected:
        attempts.succeeded(attempt)  # the current password was right
        raise
    if changed:
        attempts.succeeded(attempt)
    else:
        attempts.failed(attempt)
    return changed


def _throttled(kind: str, person: Person, client: Client, check) -> bool:
    """`check()` counted as one attempt of this kind: refused first when throttled (TooManyAttempts)."""
    attempt = person_attempt(kind, person, client)
    attempts.take(attempt)
    if check():
        attempts.succeeded(attempt)
        return True
    attempts.failed(attempt)
    return False


def turn_off_totp(person: Person, current_password: str, client: Client) -> bool:
    """Turn one's second factor off with the current password (throttled: TooManyAttempts)."""
    return _throttled(attempts.PASSWORD, person, client, lambda: disable_totp(person, current_password))


def check_code(person: Person, code: str, client: Client) -> bool:
    """The login's second step: a valid, unused code (throttled: TooManyAttempts)."""
    return _throttled(attempts.TOTP, person, client, lambda: verify_totp(person, code))


def change_password(person: Person, current_password: str, new_password: str) -> bool:
    """Change one's own password; False when the current password is wrong."""
    if not passwords.verify_password(person.password_hash, current_password):
        audit.record_now("auth.password_change", obj=person, actor=person, outcome=audit.Outcome.FAILURE)
        return False
    _new_password(person, new_password, "auth.password_change", ends_links=True)
    db.session.commit()
    return True


# Second factor (TOTP) ------------------------------------------------------------------------------


def totp_required(person: Person) -> bool:
    return person.has_role(*current_app.config["TOTP_REQUIRED_ROLES"])


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(person: Person, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=person.email, issuer_name=current_app.config["TOTP_ISSUER"]
    )


def _matching_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (current one, or one either side for clock drift)."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isascii() and code.isdigit()) or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step, now_step - 1, now_step + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enable_totp(person: Person, secret: str, code: str) -> bool:
    step = _matching_step(secret, code)
    if step is None:
        return False
    person.totp_secret = totp_crypto.encrypt(secret)
    person.totp_last_step = step
    audit.record("auth.totp_enabled", obj=person, actor=person)
    db.session.commit()
    return True


def disable_totp(person: Person, current_password: str) -> bool:
    """Turn the second factor off; False (audited) when the password is wrong."""
    if not passwords.verify_password(person.password_hash, current_password):
        audit.record_now("auth.totp_disabled", obj=person, actor=person, outcome=audit.Outcome.FAILURE)
        return False
    person.totp_secret = None
    person.totp_last_step = None
    audit.record("auth.totp_disabled", obj=person, actor=person)
    db.session.commit()
    return True


def _totp_secret(person: Person) -> str:
    """The person's decrypted TOTP secret; SecondFactorUnavailable (logged, audited) when it does not
    decrypt: the key is wrong, and no code is accepted rather than any code."""
    try:
        return totp_crypto.decrypt(person.totp_secret or "")
    except totp_crypto.SecretUnreadable:
        logger.error(
            "TOTP secret of person %s does not decrypt: TOTP_ENCRYPTION_KEY (or SECRET_KEY, which the key "
            "is derived from when unset) differs from the key that encrypted it; second-factor login refused",
            person.id,
        )
        audit.record_now(
            "auth.totp", obj=person, actor=person, outcome=audit.Outcome.FAILURE, detail="secret unreadable"
        )
        raise SecondFactorUnavailable() from None


def verify_totp(person: Person, code: str) -> bool:
    """Check a login code; a code already used (same or earlier step) is refused. SecondFactorUnavailable
    when the stored secret does not decrypt."""
    step = _matching_step(_totp_secret(person), code)
    if step is None or (person.totp_last_step is not None and step <= person.totp_last_step):
        audit.record_now("auth.totp", obj=person, actor=person, outcome=audit.Outcome.FAILURE)
        return False
    person.totp_last_step = step
    db.session.commit()
    return True
