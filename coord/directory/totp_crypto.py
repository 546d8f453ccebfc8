"""TOTP secrets encrypted at rest, with a key that is never in the database.

Fernet (from `cryptography`: AES-128-CBC and HMAC-SHA256, with a timestamp and a version byte) with the key
`TOTP_ENCRYPTION_KEY` (`COORD_TOTP_ENCRYPTION_KEY`, a Fernet key) when set, else a key derived from
`SECRET_KEY` (instance/secret_key or the environment) with HKDF-SHA256. A database copied without the
key gives no second factor away. A secret that does not decrypt (another key, a damaged value) is
`SecretUnreadable`: the caller refuses the code, it never guesses.

Migration 0006 encrypted the secrets stored in plain text before; it uses `encrypt` with the app's key.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

HKDF_INFO = b"coord.directory.totp-secret"
_PLAIN_BASE32 = re.compile(r"[A-Z2-7]+=*")


class SecretUnreadable(Exception):
    """The stored secret does not decrypt with the configured key."""


def derived_key(secret_key: str | bytes) -> bytes:
    """A Fernet key derived from SECRET_KEY (HKDF-SHA256, its own `info`: no other use of SECRET_KEY
    yields the same bytes)."""
    material = secret_key if isinstance(secret_key, bytes) else str(secret_key).encode()
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(material)
    return base64.urlsafe_b64encode(raw)


def _fernet(config: Mapping | None) -> Fernet:
    config = current_app.config if config is None else config
    key = config.get("TOTP_ENCRYPTION_KEY")
    return Fernet(key) if key else Fernet(derived_key(config["SECRET_KEY"]))


def encrypt(secret: str, config: Mapping | None = None) -> str:
    return _fernet(config).encrypt(secret.encode()).decode()


def decrypt(stored: str, config: Mapping | None = None) -> str:
    try:
        return _fernet(config).decrypt(stored.encode()).decode()
    except (InvalidToken, TypeError, ValueError) as error:
        raise SecretUnreadable() from error


def is_plain(stored: str) -> bool:
    """A base32 secret as stored before 0006 (a Fernet token is url-safe base64 starting with "gAAAAA")."""
    return bool(_PLAIN_BASE32.fullmatch(stored or ""))
