"""`wegweiser db` commands."""

import typer

app = typer.Typer(help="db", no_args_is_help=True)
