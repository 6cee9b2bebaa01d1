"""The `backoffice` command line."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup

from backoffice.db import unit_of_work
from integrations.simulators import PLATFORMS as SIMULATED


def _create_app() -> Flask:
    from backoffice.app import create_app

    app = create_app()
    register_commands(app)
    return app


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False,
             add_default_commands=False, set_debug_flag=False)
def main() -> None:
    """Back office: listings, orders, shipping, after-sales and platform sync."""


def register_commands(app: Flask) -> None:
    from backoffice.aftersales.cli import aftersales_group
    from backoffice.catalog.cli import catalog_group
    from backoffice.shipping.cli import shipping_group

    for command in (aftersales_group, catalog_group, shipping_group, db_group, users_group, demo_group, jobs_group,
                    serve, worker, backup, restore, simulate):
        app.cli.add_command(command)


# -- database -----------------------------------------------------------------
@click.group("db", help="Database schema (Alembic migrations).")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Migrate the database to the newest schema.")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    from backoffice import migrate

    migrate.upgrade(current_app.config["DATABASE_URL"], revision=revision)
    click.echo("database schema is up to date" if revision == "heads" else f"database at {revision}")


@db_group.command("revision", help="Write a new migration from the model changes (developers).")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    from alembic import command

    from backoffice import migrate

    command.revision(migrate.alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True)


# -- users --------------------------------------------------------------------
@click.group("users", help="Staff accounts.")
def users_group() -> None:
    pass


@users_group.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "supervisor", "listing", "service", "warehouse"]))
@click.option("--display-name", default=None)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(username: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create a staff account; the password is prompted for, or read from stdin."""
    from backoffice.accounts.operations import create_user
    from backoffice.errors import OperationError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with unit_of_work():
            user = create_user(username, password, role, display_name)
            user_id = user.id
    except OperationError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created user {username} (id {user_id}, role {role})")


@users_group.command("list", help="List the staff accounts with their roles.")
def users_list() -> None:
    from sqlalchemy import select

    from backoffice.accounts.models import User
    from backoffice.db import session

    with unit_of_work():
        for user in session.scalars(select(User).order_by(User.username)):
            click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'disabled'}")


# -- demo ---------------------------------------------------------------------
@click.group("demo", help="The demo shop.")
def demo_group() -> None:
    pass


@demo_group.command("load", help="Load the demo shop (idempotent) and print its logins.")
def demo_load() -> None:
    from backoffice import demo

    with unit_of_work():
        logins = demo.load(current_app.instance_path)
    click.echo("Demo logins (one per role):")
    for role, username, password in logins:
        click.echo(f"  {role:<11} {username:<12} {password}")


# -- serving and jobs ---------------------------------------------------------
@click.command("serve", help="Serve the back office (waitress) with the embedded job runner.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--no-jobs", is_flag=True, help="Do not run jobs in this process (a separate worker does).")
def serve(host: str, port: int, threads: int, no_jobs: bool) -> None:
    import waitress

    from backoffice import queue

    app = current_app._get_current_object()
    _sweep_abandoned()
    if not no_jobs and queue.embedded():
        queue.start_embedded_consumer()
        click.echo("jobs: running embedded in this process")
    click.echo(f"Back office: http://{host}:{port}/")
    waitress.serve(app, host=host, port=port, threads=threads, ident="backoffice")


@click.command("worker", help="Run scheduled and queued jobs (the Huey consumer).")
@click.option("--workers", default=2, show_default=True, type=int)
def worker(workers: int) -> None:
    import logging

    from backoffice import queue

    # A worker has no pages: what it did is in its log (the consumer's and the jobs' own lines).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    _sweep_abandoned()

    queue.run_consumer(workers=workers)


def _sweep_abandoned() -> None:
    """At start: the runs a killed worker or server left running past their
    lease fail and are queued again, its half-made folders go (then every minute)."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from backoffice.sync.tasks import sweep

    try:
        sweep()
    except SQLAlchemyError:  # e.g. not migrated yet: serving matters more; the minutely sweep tries again
        logging.getLogger(__name__).exception("could not sweep the runs of stopped workers at start")


@click.group("jobs", help="Scheduled jobs.")
def jobs_group() -> None:
    pass


@jobs_group.command("enqueue", help="Queue a job to run now (a worker or `serve` runs it).")
@click.argument("name")
def jobs_enqueue(name: str) -> None:
    from backoffice.sync.tasks import JOBS

    if name not in JOBS:
        raise click.ClickException(f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}")
    JOBS[name]()
    click.echo(f"queued {name}")


# -- backup -------------------------------------------------------------------
@click.command("backup", help="Write a consistent snapshot of the database to PATH.")
@click.argument("path", type=click.Path(dir_okay=False))
def backup(path: str) -> None:
    from backoffice import backup as backups
    from backoffice.accounts import audit

    try:
        written = backups.backup(current_app.extensions["engine"], path, instance=Path(current_app.instance_path))
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    with unit_of_work():
        audit.record("backup", str(written))
    click.echo(f"backup written to {written}")
    click.echo(f"media files (listing images, case evidence) written to {written}.media.tar")


@click.command("restore", help="Replace the database's contents with the snapshot at PATH.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(path: str, yes: bool) -> None:
    from backoffice import backup as backups
    from backoffice.accounts import audit

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    try:
        media = backups.restore(current_app.extensions["engine"], path, instance=Path(current_app.instance_path))
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    with unit_of_work():
        audit.record("restore", str(Path(path).resolve()))
    click.echo(f"database restored from {path}")
    click.echo(f"media files restored from {path}.media.tar" if media else
               f"no {path}.media.tar beside the snapshot: media files left as they are")


# -- simulators ---------------------------------------------------------------
@click.command("simulate", help=f"Serve a local simulator of a platform ({', '.join(SIMULATED)}).")
@click.argument("platform", type=click.Choice(SIMULATED))
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--orders", default=300, show_default=True, type=int, help="Orders modified over the last --hours.")
@click.option("--hours", default=24.0, show_default=True, type=float)
@click.option("--refunds", default=0, show_default=True, type=int, help="Of those orders, how many ask for a refund.")
@click.option("--seed", default=7, show_default=True, type=int)
def simulate(platform: str, port: int, host: str, orders: int, hours: float, refunds: int, seed: int) -> None:
    import datetime as dt

    from integrations.simulators import simulator_for
    from integrations.timeutil import now_utc

    sim = simulator_for(platform)
    if platform != "kuaidi100" and orders:
        now = now_utc().replace(microsecond=0)
        sim.book.generate(orders, now - dt.timedelta(hours=hours), now - dt.timedelta(minutes=5), seed=seed)
        sim.book.generate_refunds(refunds, seed=seed)
    click.echo(f"{platform} simulator on http://{host}:{port}/  app_key={sim.app_key} app_secret={sim.app_secret} "
               f"access_token={sim.access_token}")
    click.echo('faults: curl -X POST http://HOST:PORT/_sim/faults -d \'{"rate_limit": 3, "expired_token": false}\'')
    sim.serve_forever(port, host)
