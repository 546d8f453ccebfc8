"""Helpers for the safety tests: browsers as plain HTTP clients of a live server, many at once.

Each `Browser` has its own cookie jar (its own login session) and talks to the app served by werkzeug in a
thread (the `live_server` fixture), so concurrent requests go through the real WSGI stack, the real
session handling and the real database connections, as under gunicorn.
"""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import sqlalchemy as sa

from coord.extensions import db
from coord.notify.models import OutboxMessage
from tests.support import CSRF_RE, PASSWORD

TRIES = 20


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 302/303 is the answer we look at, not followed
        return None


class Browser:
    """One browser tab: its cookies, its CSRF token, and the status of each answer."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310 (http://127.0.0.1)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            return error.code, error.read().decode(errors="replace")

    def fetch_token(self, path: str = "/") -> None:
        status, page = self.request(path)
        match = CSRF_RE.search(page)
        assert match, f"no csrf_token on {path} ({status})"
        self.token = match.group(1)

    def log_in(self, email: str) -> Browser:
        self.fetch_token("/login")
        status, page = self.request(
            "/login", {"email": email, "password": PASSWORD, "csrf_token": self.token}
        )
        assert status == 302, page[:500]
        self.fetch_token("/")
        return self

    def post(self, path: str, data: dict | None = None) -> int:
        # confirmed=1: the real button of a confirmation step, where the action has one
        return self.request(path, {"confirmed": "1", **(data or {}), "csrf_token": self.token})[0]


def browsers(base_url: str, email: str, count: int = TRIES) -> list[Browser]:
    """`count` tabs of the same person, each logged in on its own (two coordinators are two of these)."""
    return [Browser(base_url).log_in(email) for _ in range(count)]


def all_at_once(tabs: list[Browser], path: str, data: dict | None = None) -> list[int]:
    """POST `path` from every tab at the same moment; the status codes, in no particular order."""
    barrier = threading.Barrier(len(tabs))
    statuses: list[int] = []

    def run(tab: Browser) -> None:
        barrier.wait(timeout=60)
        try:
            statuses.append(tab.post(path, data))
        except Exception as error:  # noqa: BLE001 (a dropped connection is a failure the test reports)
            statuses.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=run, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses


def succeeded(statuses: list) -> bool:
    """Every answer a success or a redirect to the result: never a 4xx, a 500 or a lost connection."""
    return len(statuses) > 0 and all(isinstance(s, int) and 200 <= s < 400 for s in statuses)


def outbox(app, template: str) -> Counter:
    """How many messages of that template each address has in the outbox."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage.to_address).where(OutboxMessage.template == template)
        )
        counted = Counter(rows)
        db.session.remove()
        return counted


def received(smtp_server, subject_part: str = "") -> Counter:
    """How many e-mails each address received on the SMTP server (optionally with that in the subject)."""
    return Counter(
        message["To"] for message in smtp_server.messages if subject_part in str(message["Subject"] or "")
    )


def at_once(app, action, tries: int = TRIES) -> list[str]:
    """Run `action()` in `tries` threads released together, each with its own session; how each ended."""
    barrier = threading.Barrier(tries)
    results: list[str] = []

    def run():
        with app.test_request_context():
            try:
                barrier.wait(timeout=60)
                action()
                results.append("ok")
            except Exception as error:  # noqa: BLE001 (the test reports any failure)
                results.append(f"{type(error).__name__}: {error}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


def audited(app, action: str) -> int:
    """How many audit entries of that action."""
    from coord.audit import AuditEntry  # noqa: PLC0415

    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).where(AuditEntry.action == action))
        db.session.remove()
        return count
