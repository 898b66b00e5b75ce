"""The ``wegweiser`` command line: one root, one module per command group."""

from __future__ import annotations

import os
import sys

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli import (
    catalogue,
    chat,
    common,
    db,
    interpreter,
    lotse,
    matrix,
    reminders,
    report,
    route,
    run,
    translations,
)

app = typer.Typer(
    name="wegweiser",
    help="Wegweiser: guides newcomers to the counselling services in their municipality.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(catalogue.app, name="catalogue")
app.add_typer(translations.app, name="translations")
app.add_typer(reminders.app, name="reminders")
app.add_typer(lotse.app, name="lotse")
app.add_typer(interpreter.app, name="interpreter")
app.add_typer(matrix.app, name="matrix")
app.command("chat")(chat.chat)
app.command("route")(route.route)
app.command("run")(run.run)
app.command("report")(report.report)


def main() -> None:
    """The command line; a fault no command foresaw ends in two clear lines, not a traceback."""
    try:
        app()
    except Exception as error:
        if os.environ.get("WEGWEISER_TRACEBACK"):
            raise
        if isinstance(error, SQLAlchemyError):
            print(f"Error: {common.database_fault(error, common.database_url())}", file=sys.stderr)
            sys.exit(1)
        message = (str(error).strip().splitlines() or [""])[0][:300]
        print(
            f"Error: the command stopped on an unexpected fault ({type(error).__name__}: "
            f"{message}).",
            file=sys.stderr,
        )
        hint = "The command did not finish. Set WEGWEISER_TRACEBACK=1 to see the details."
        print(hint, file=sys.stderr)
        sys.exit(1)
