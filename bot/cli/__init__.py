"""The ``wegweiser`` command line: one root, one module per command group."""

from __future__ import annotations

import typer

from bot.cli import catalogue, chat, db, lotse, matrix, reminders, report, route, run, translations

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
app.add_typer(matrix.app, name="matrix")
app.command("chat")(chat.chat)
app.command("route")(route.route)
app.command("run")(run.run)
app.command("report")(report.report)


def main() -> None:
    app()
