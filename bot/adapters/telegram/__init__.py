"""Telegram adapter (python-telegram-bot): see ``adapter.py`` and ``docs/telegram.md``."""

from bot.adapters.telegram.adapter import TelegramAdapter

__all__ = ["TelegramAdapter"]
