"""Command-line commands: flask --app coord worker, flask --app coord send-pending."""

from __future__ import annotations

import click
from flask import Flask, current_app

from coord.notify.schedule import sweep
from coord.notify.worker import log_to_stderr, run_worker


def register_notify_cli(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    @click.option("--simple", is_flag=True, help="Run jobs in this process instead of a forked one.")
    def worker_command(burst: bool, simple: bool) -> None:
        """Send queued e-mails and run scheduled tasks (an rq worker with its scheduler; needs REDIS_URL)."""
        if not current_app.config.get("REDIS_URL"):
            raise click.ClickException(
                "REDIS_URL is not set. Without Redis there is no worker: e-mails are sent right after each "
                "change, and `flask --app coord send-pending` retries those that wait."
            )
        log_to_stderr()
        run_worker(current_app._get_current_object(), burst=burst, simple=simple)

    @app.cli.command("send-pending")
    def send_pending_command() -> None:
        """Run one outbox sweep now: due messages, sends left unfinished, scheduled reminders."""
        result = sweep()
        click.echo(
            f"{result.dispatched} message(s) dispatched, {result.uncertain} marked uncertain, "
            f"{len(result.tasks)} periodic task(s) run"
            + (f", failed: {', '.join(result.failed_tasks)}" if result.failed_tasks else "")
        )
