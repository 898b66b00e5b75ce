"""`wegweiser db`: bring the database to the newest schema (and the fixed topics with it)."""

from __future__ import annotations

import typer
from alembic import command

from bot.cli.common import console, database_url, fail, open_engine
from services_catalog.db import alembic_config, current_revision, head_revision, session_scope
from services_catalog.topics import sync_topics

app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Migrate the database to the newest schema and write the fixed topics and their names."""
    url = database_url()
    try:
        command.upgrade(alembic_config(url), "head")
    except Exception as error:
        fail(f"The migration failed: {error}")
    with open_engine() as engine, session_scope(engine) as session:
        changed = sync_topics(session)
    console.print(f"Database is at the newest schema ({head_revision()}).")
    if changed:
        console.print("Topics and their names were updated.")


@app.command()
def downgrade(
    revision: str = typer.Argument(..., help='The revision to go back to, or "base" for none.'),
) -> None:
    """Migrate the database back to an older schema (``base`` removes every table)."""
    try:
        command.downgrade(alembic_config(database_url()), revision)
    except Exception as error:
        fail(f"The downgrade failed: {error}")
    console.print(f"Database downgraded to {revision}.")


@app.command()
def current() -> None:
    """Show the database's schema revision and the newest one."""
    with open_engine(check_schema=False) as engine:
        revision = current_revision(engine)
    console.print(f"Database: {revision or 'empty (not migrated)'}; newest: {head_revision()}")
    if revision != head_revision():
        console.print("Run `wegweiser db upgrade` to migrate.")
        raise typer.Exit(1)
