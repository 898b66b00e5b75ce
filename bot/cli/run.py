"""`wegweiser run`: every configured adapter and the scheduler in one process."""

from __future__ import annotations

import asyncio
import logging
import signal

from sqlalchemy import Engine

from bot.adapters.base import Adapter
from bot.adapters.registry import configured_adapters
from bot.app import Wegweiser, build_app
from bot.cli.common import fail, open_engine
from bot.settings import Settings

log = logging.getLogger(__name__)


async def _serve(app: Wegweiser, adapters: list[Adapter]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    started: list[Adapter] = []
    try:
        for adapter in adapters:
            app.outbox.register(adapter)
            await adapter.start()
            started.append(adapter)
            log.info("%s adapter running", adapter.platform)
        # Background services (reminders, re-raised requests) start once they can reach every
        # platform.
        await app.start()
        try:
            await stop.wait()
        finally:
            await app.stop()
    finally:
        # Also when a later adapter fails to start: the ones running are closed properly.
        for adapter in reversed(started):
            await adapter.stop()


def _checked_app(settings: Settings, engine: Engine) -> tuple[Wegweiser, list[Adapter]]:
    app = build_app(settings, engine=engine)
    adapters = configured_adapters(app)
    if not adapters:
        fail(
            "No platform is configured: set WEGWEISER_TELEGRAM_TOKEN and/or "
            "WEGWEISER_MATRIX_HOMESERVER and WEGWEISER_MATRIX_USER (see README.md)."
        )
    return app, adapters


def run() -> None:
    """Run the bot on every configured platform (Telegram, Matrix) until stopped."""
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with open_engine() as engine:
        app, adapters = _checked_app(settings, engine)
        asyncio.run(_serve(app, adapters))
