"""`wegweiser chat`: talk to the bot in a terminal, on the configured database.

Each run is a fresh conversation as a local terminal user: what an earlier run stored for that
user is forgotten first, so `make demo` always begins with the greeting and the choices.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated

import typer

from bot.adapters.terminal import PLATFORM, TerminalAdapter
from bot.app import Wegweiser, build_app
from bot.cli.common import fail
from bot.core.dialogue import users
from bot.settings import LANGUAGES, get_settings
from services_catalog.db import SchemaNotCurrent, session_scope
from services_catalog.queries import UnknownSlug, require_region

TERMINAL_USER = "local"


def _fresh_user(app: Wegweiser, lang: str | None, region: str | None) -> None:
    with session_scope(app.engine) as session:
        old = users.find(session, PLATFORM, TERMINAL_USER)
        if old is not None:
            users.forget(session, old, app.features)
        if region is not None:
            try:
                require_region(session, region)
            except UnknownSlug as error:
                fail(str(error))
        users.load_or_create(
            session,
            platform=PLATFORM,
            platform_user_id=TERMINAL_USER,
            chat_id=TERMINAL_USER,
            language_code=lang,
            now=app.clock.now(),
            default_region=region or app.settings.default_region,
        )


async def _chat(app: Wegweiser, lang: str | None) -> None:
    adapter = TerminalAdapter(
        app.conversation,
        user_id=TERMINAL_USER,
        language_code=lang,
        files_dir=app.settings.data_dir / "terminal-files",
    )
    app.outbox.register(adapter)
    await app.start()
    try:
        await adapter.run(interactive=sys.stdin.isatty())
    finally:
        await app.stop()
        app.outbox.unregister(PLATFORM)


def chat(
    lang: Annotated[
        str | None, typer.Option("--lang", help=f"Language: {', '.join(LANGUAGES)}.")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Region slug, e.g. rostock.")
    ] = None,
) -> None:
    """Chat with the bot in the terminal (interactive, or one message per line on stdin)."""
    if lang is not None and lang not in LANGUAGES:
        fail(f"{lang!r} is not an interface language ({', '.join(LANGUAGES)})")
    try:
        app = build_app(get_settings())
    except SchemaNotCurrent as error:
        fail(str(error))
    _fresh_user(app, lang, region)
    try:
        asyncio.run(_chat(app, lang))
    except KeyboardInterrupt:
        typer.echo()
