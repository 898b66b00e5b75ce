"""`wegweiser interpreter`: what admins need to see about interpreter requests."""

from __future__ import annotations

import typer

from bot.cli.common import open_engine
from bot.interpreter import store
from services_catalog.db import session_scope

app = typer.Typer(help="Interpreter requests.", no_args_is_help=True)


@app.command()
def undelivered() -> None:
    """Requests still waiting to reach their coordination chat, and those given up.

    Shows the reference, pool and tries only, never who asked.
    """
    with open_engine() as engine, session_scope(engine) as session:
        rows = store.undelivered(session)
        if not rows:
            typer.echo("Every interpreter request reached its coordination chat.")
            return
        for request, given_up in rows:
            if given_up:
                state = f"not delivered, closed {request.closed_at:%Y-%m-%d %H:%M} UTC"
            elif request.next_attempt_at is not None:
                state = f"waiting, next try {request.next_attempt_at:%Y-%m-%d %H:%M} UTC"
            else:
                state = "waiting, first try under way"
            typer.echo(
                f"{request.reference}  pool {request.pool_service_id}  "
                f"created {request.created_at:%Y-%m-%d %H:%M} UTC  "
                f"tries {request.delivery_attempts}  {state}"
            )
