"""`wegweiser matrix`: the bot's cross-signing identity (see docs/matrix.md, "Device trust").

`status` shows what people verify; `export-recovery` saves the keys once after the first start;
`restore` puts them into a new store; `reset` gives the bot a new identity, which every person's
client will flag, so it asks for confirmation.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bot.adapters.matrix import admin
from bot.cli.common import console, fail
from bot.settings import Settings

app = typer.Typer(help="The Matrix bot's cross-signing identity.", no_args_is_help=True)


def _settings() -> Settings:
    settings = Settings()
    if not settings.matrix_homeserver or not settings.matrix_user:
        fail("Set WEGWEISER_MATRIX_HOMESERVER and WEGWEISER_MATRIX_USER first.")
    return settings


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "NO", None: "unknown"}[value]


@app.command()
def status() -> None:
    """User id, device, whether the device is cross-signed, and the master key's fingerprint."""
    found = asyncio.run(admin.status(_settings()))
    console.print(f"User:          {escape(found.user_id or '-')}")
    console.print(f"Device:        {escape(found.device_id or '-')}")
    console.print(f"Cross-signed:  {_yes_no(found.cross_signed)}")
    console.print(f"Master key:    {escape(found.fingerprint or 'no keys in the store')}")
    if found.published_fingerprint and found.published_fingerprint != found.fingerprint:
        console.print(
            f"[bold red]The homeserver shows another master key:[/] "
            f"{escape(found.published_fingerprint)}"
        )
    if found.problem:
        console.print(f"[yellow]Note:[/] {escape(found.problem)}")


@app.command("export-recovery")
def export_recovery(
    target: Annotated[Path, typer.Argument(help="New file for the keys; keep it offline.")],
) -> None:
    """Save the cross-signing keys to a recovery file (readable only by you)."""
    try:
        identity = admin.export_recovery(_settings(), target)
    except admin.AdminError as error:
        fail(str(error))
    console.print(f"Saved the keys of master key {escape(identity.fingerprint)} to {target}.")
    console.print("Whoever has this file can act as the bot: keep it as safe as its password.")


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A file made by `matrix export-recovery`.")],
) -> None:
    """Put saved keys into the store; the next start signs the bot's (new) device with them."""
    try:
        identity = admin.restore(_settings(), source)
    except admin.AdminError as error:
        fail(str(error))
    console.print(f"Restored master key {escape(identity.fingerprint)}. Start the bot now.")


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm without asking.")] = False,
) -> None:
    """Replace the bot's identity. Only when the keys and the recovery file are lost."""
    console.print(
        "[bold red]Warning:[/] everyone who verified the bot will see that its identity "
        "changed and may be asked to verify it again. Stop the bot before going on."
    )
    if not yes and not typer.confirm("Create a new identity for the bot?"):
        raise typer.Exit(1)
    try:
        identity = asyncio.run(admin.reset(_settings()))
    except admin.AdminError as error:
        fail(str(error))
    console.print(f"New master key {escape(identity.fingerprint)}; the device is signed with it.")
    console.print("Save a new recovery file now: wegweiser matrix export-recovery FILE")
