"""`wegweiser run`: every configured adapter and the scheduler in one process."""

from __future__ import annotations

import asyncio
import logging
import signal

import typer

from bot.adapters.registry import configured_adapters
from bot.settings import get_settings

log = logging.getLogger(__name__)


async def _serve() -> None:
    from bot.app import build_app

    app = build_app(get_settings())
    adapters = configured_adapters(app)
    if not adapters:
        raise typer.BadParameter(
            "No platform is configured: set WEGWEISER_TELEGRAM_TOKEN and/or the "
            "WEGWEISER_MATRIX_* settings (see README.md)."
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    for adapter in adapters:
        app.outbox.register(adapter)
        await adapter.start()
        log.info("%s adapter running", adapter.platform)
    # Background services (reminders, re-raised requests) start once they can reach every platform.
    await app.start()
    await stop.wait()
    await app.stop()
    for adapter in reversed(adapters):
        await adapter.stop()


def run() -> None:
    """Run the bot on every configured platform (Telegram, Matrix) until stopped."""
    logging.basicConfig(
        level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(_serve())
