"""flask --app coord purge-participants [--dry-run]: the retention purge (the worker also runs it daily)."""

from __future__ import annotations

import click
from flask import Flask

from coord.referrals.purge import purge_participants


def register(app: Flask) -> None:
    @app.cli.command("purge-participants")
    @click.option("--dry-run", is_flag=True, help="Say what would be anonymized; change nothing.")
    def purge_participants_command(dry_run: bool) -> None:
        """Anonymize the participants closed longer than PARTICIPANT_RETENTION_DAYS."""
        result = purge_participants(dry_run=dry_run)
        plan = result.plan
        refs = ", ".join(f"{participant_id} ({ref})" for participant_id, ref in plan.participants) or "-"
        if dry_run:
            click.echo(
                f"Dry run: {len(plan.participants)} participant(s) closed before "
                f"{plan.closed_before.isoformat()} (retention {plan.retention_days} days) would be "
                f"anonymized; nothing was changed."
            )
        else:
            click.echo(
                f"Purge {result.run_id}: {result.anonymized} participant(s) closed before "
                f"{plan.closed_before.isoformat()} (retention {plan.retention_days} days) anonymized."
            )
        click.echo(f"Participants (id, ref): {refs}")
