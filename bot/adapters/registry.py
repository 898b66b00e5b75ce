"""Which adapters run: every platform whose settings are present, side by side in one process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.base import Adapter

if TYPE_CHECKING:
    from bot.app import Wegweiser


def configured_adapters(app: Wegweiser) -> list[Adapter]:
    """Adapters for the platforms configured in settings; platform libraries load only when used."""
    settings = app.settings
    adapters: list[Adapter] = []
    if settings.telegram_token:
        from bot.adapters.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(app))
    if settings.matrix_homeserver and settings.matrix_user:
        from bot.adapters.matrix import MatrixAdapter

        adapters.append(MatrixAdapter(app))
    return adapters
