"""`flask --app coord worker`: an rq worker on NOTIFY_QUEUE with rq's scheduler, and the periodic sweep.

rq's scheduler (with_scheduler=True) moves retries queued with `enqueue_at` into the queue. The sweep is
not left to a job that re-schedules itself (Redis restarting empty would end that chain) nor to rq's
CronScheduler (a separate, beta process, one per deployment): the worker's own main loop enqueues it
every NOTIFY_SWEEP_SECONDS, and a Redis lock makes that one sweep per period however many workers run.
The sweep has its own queue (`<NOTIFY_QUEUE>-sweep`), listed first: rq serves queues in order, so after a
crash the sweep (uncertain sends, due retries, reminders) runs next, not behind a long queue of sends.
"""

from __future__ import annotations

import logging

from flask import Flask
from redis import Redis
from rq import SimpleWorker, Worker

from coord.extensions import db
from coord.notify import dispatch


class _Sweeps:
    """Mixin: rq's maintenance step, run every `maintenance_interval` seconds, also enqueues the sweep."""

    sweep_seconds = 60

    @property
    def dequeue_timeout(self) -> int:  # wake up at least once per sweep period when idle
        return max(1, min(super().dequeue_timeout, self.sweep_seconds))

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        dispatch.enqueue_sweep(self.connection, self.queues[0], self.sweep_seconds)  # the sweep queue


class OutboxWorker(_Sweeps, Worker):
    """Forks a work horse per job (a job that crashes or hangs cannot take the worker with it)."""

    def main_work_horse(self, job, queue) -> None:
        db.engine.dispose(close=False)  # a fork must not share the parent's pooled connections
        super().main_work_horse(job, queue)


class SimpleOutboxWorker(_Sweeps, SimpleWorker):
    """Runs jobs in its own process (tests, debugging)."""


def run_worker(app: Flask, *, burst: bool = False, simple: bool = False) -> bool:
    """Work on the queue (until it is empty with `burst`); True if any job ran."""
    seconds = max(1, int(app.config["NOTIFY_SWEEP_SECONDS"]))
    worker_class = SimpleOutboxWorker if simple else OutboxWorker
    worker = worker_class(
        [dispatch.sweep_queue_name(app), app.config["NOTIFY_QUEUE"]],
        connection=Redis.from_url(app.config["REDIS_URL"]),
        maintenance_interval=seconds,
    )
    worker.sweep_seconds = seconds
    db.engine.dispose()
    return worker.work(burst=burst, with_scheduler=True)


def log_to_stderr() -> None:
    """The worker's own messages (retries, failures, uncertain sends) next to rq's, on stderr."""
    logger = logging.getLogger("coord")
    logger.setLevel(logging.INFO)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
        logger.propagate = False
