"""`make bench`: does the forgotten-password answer tell whether an account exists?

Prints `# coord forgotten-password benchmark (<backend>)` then one `name: value` line per figure; progress
goes to stderr.

- forgot_known_vs_unknown: the median time of the answer to POST /password/forgot for an address that
  belongs to an active person, divided by the median for an address that belongs to nobody, with the
  configured minimum duration (PASSWORD_FORGOT_MIN_SECONDS). Goal: between 0.9 and 1.1.
- forgot_known_vs_unknown_without_floor: the same with no minimum duration: what the same work on both
  paths, and the e-mail leaving after the answer, achieve alone.

Each request goes through the whole WSGI stack with Flask's test client; the time is until the answer is
complete (status, headers, body), as a client sees it. The response is then closed, as a server does once
it has sent the answer: that is when the reset e-mail leaves (written to the scratch outbox), outside the
measured time, as it is outside what the client sees. Known and unknown requests alternate (which one goes
first alternates too) so that both see the same machine load; each pair comes from its own client address,
as many people would, so the per-address cap never answers in their place. Unmeasured requests first warm up
imports, translations and SQLAlchemy's statement cache. The `_ms` lines are absolute medians, for
information only.
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path
from time import perf_counter

from flask import Flask

from bench.feeds import BenchError, log, milliseconds, ratio
from bench.scratch import scratch_app
from coord.directory.models import Organization, Person
from coord.extensions import db

KNOWN = "marie.tremblay@bench.coord.test"
UNKNOWN = "nobody.here@bench.coord.test"
WARM_UP = 10  # pairs
FLOOR_PAIRS = 60  # each request takes the floor (0.25 s by default): fewer are needed, the spread is small
BARE_PAIRS = 300


def seed(app: Flask) -> None:
    with app.app_context():
        organization = Organization(name="Organisme banc d'essai", short_name="BANC", sector="community")
        db.session.add(organization)
        db.session.flush()
        db.session.add(
            Person(
                email=KNOWN,
                display_name="Marie Tremblay",
                organization_id=organization.id,
                preferred_language="fr",
                active=True,
            )
        )
        db.session.commit()
        db.session.remove()


class Forgot:
    def __init__(self, app: Flask) -> None:
        self.client = app.test_client()
        page = self.client.get("/password/forgot").get_data(as_text=True)
        self.token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
        self.sent = 0

    def ask(self, address: str, client_address: str) -> float:
        """Seconds until the complete answer for one request from `client_address`."""
        data = {"email": address, "csrf_token": self.token}
        environ = {"REMOTE_ADDR": client_address}
        start = perf_counter()
        response = self.client.post("/password/forgot", data=data, environ_base=environ)
        response.get_data()
        elapsed = perf_counter() - start
        response.close()  # the server has sent the answer: the reset e-mail leaves now
        if response.status_code != 302:
            raise BenchError(f"POST /password/forgot: {response.status_code}, expected 302")
        self.sent += 1
        return elapsed

    def pairs(self, count: int) -> tuple[list[float], list[float]]:
        known, unknown = [], []
        for n in range(count):
            client_address = f"10.{self.sent // 62500 % 250}.{self.sent // 250 % 250}.{self.sent % 250 + 1}"
            first, second = (KNOWN, UNKNOWN) if n % 2 else (UNKNOWN, KNOWN)
            times = {first: self.ask(first, client_address), second: self.ask(second, client_address)}
            known.append(times[KNOWN])
            unknown.append(times[UNKNOWN])
        return known, unknown


def outbox_files(app: Flask) -> int:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return len(list(folder.glob("*.eml"))) if folder.exists() else 0


def measure(app: Flask) -> dict[str, str]:
    forgot = Forgot(app)
    log(f"warming up, {WARM_UP} pairs")
    forgot.pairs(WARM_UP)
    floor = app.config["PASSWORD_FORGOT_MIN_SECONDS"]
    log(f"known and unknown addresses, alternating, x{FLOOR_PAIRS} (minimum duration {floor} s)")
    known, unknown = forgot.pairs(FLOOR_PAIRS)
    app.config["PASSWORD_FORGOT_MIN_SECONDS"] = 0
    log(f"the same without a minimum duration, x{BARE_PAIRS}")
    bare_known, bare_unknown = forgot.pairs(BARE_PAIRS)
    app.config["PASSWORD_FORGOT_MIN_SECONDS"] = floor
    expected = WARM_UP + FLOOR_PAIRS + BARE_PAIRS
    if outbox_files(app) != expected:
        raise BenchError(
            f"{outbox_files(app)} reset e-mails written, expected {expected}: a path did not send"
        )
    known_s, unknown_s = statistics.median(known), statistics.median(unknown)
    bare_known_s, bare_unknown_s = statistics.median(bare_known), statistics.median(bare_unknown)
    return {
        "forgot_known_vs_unknown": ratio(known_s / unknown_s),
        "forgot_known_vs_unknown_without_floor": ratio(bare_known_s / bare_unknown_s),
        "forgot_min_seconds": str(floor),
        "forgot_known_ms": milliseconds(known_s),
        "forgot_unknown_ms": milliseconds(unknown_s),
        "forgot_known_without_floor_ms": milliseconds(bare_known_s),
        "forgot_unknown_without_floor_ms": milliseconds(bare_unknown_s),
    }


def main() -> int:
    try:
        with scratch_app() as scratch:
            print(f"# coord forgotten-password benchmark ({scratch.backend})", flush=True)
            seed(scratch.app)
            figures = measure(scratch.app)
    except BenchError as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        return 1
    for name, value in figures.items():
        print(f"{name}: {value}")
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
