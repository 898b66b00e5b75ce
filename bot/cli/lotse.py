"""`wegweiser lotse` commands."""

import typer

app = typer.Typer(help="lotse", no_args_is_help=True)
