"""flask --app coord seed-demo: every module's demo data, with one account per role."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app

from coord.demo import seed_demo
from coord.directory import passwords
from coord.directory.demo import is_empty


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--password", help="Password for every demo account (at least 12 characters).")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has people.")
    def seed_demo_command(password: str | None, if_empty: bool) -> None:
        """Create the demo organizations, committees and one account per role (idempotent)."""
        if if_empty and not is_empty():
            click.echo("The database already has people: no demo data added.")
            return
        generated = False
        if password is None and is_empty():
            password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
            generated = True
        if password is not None:
            problems = passwords.password_problems(password)
            if problems:
                raise click.BadParameter(" ".join(str(p) for p in problems), param_hint="--password")
        accounts = seed_demo(current_app.extensions["coord_modules"], password)
        click.echo("Demo accounts:")
        for email, roles, created in accounts:
            click.echo(f"  {email:34} {roles:14} {'created' if created else 'already there'}")
        if password is not None:
            click.echo(f"Password for every demo account: {password}" + (" (generated)" if generated else ""))
        else:
            click.echo("Passwords unchanged (give --password to set them).")
