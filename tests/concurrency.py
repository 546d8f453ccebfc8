"""Running one operation from many threads at once, released together by a barrier (the concurrency tests
of awareness bookings and training registrations). Each thread has its own app context, session and
connection."""

from __future__ import annotations

import threading

from coord.core.errors import ServiceError
from coord.extensions import db


def race(app, attempt, attempts: int) -> tuple[list, list[str]]:
    """Run attempt(n) in `attempts` threads released together: (successes, refusal messages). Any other
    exception (what would be a 500) fails the test."""
    barrier = threading.Barrier(attempts)
    won, refused, crashed = [], [], []

    def run(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                won.append(attempt(n))
            except ServiceError as error:
                refused.append(str(error.message))
            except Exception as error:  # a 500 would be a failure of the test
                crashed.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not crashed, crashed
    assert len(won) + len(refused) == attempts, "a thread did not finish"
    return won, refused
