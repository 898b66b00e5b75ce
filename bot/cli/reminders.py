"""`wegweiser reminders` commands."""

import typer

app = typer.Typer(help="reminders", no_args_is_help=True)
