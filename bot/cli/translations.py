"""`wegweiser translations` commands."""

import typer

app = typer.Typer(help="translations", no_args_is_help=True)
