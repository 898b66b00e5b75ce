"""`wegweiser catalogue` commands."""

import typer

app = typer.Typer(help="catalogue", no_args_is_help=True)
