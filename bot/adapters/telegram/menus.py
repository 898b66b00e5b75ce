"""The command menu and the bot's descriptions in every interface language, set at start-up.

Telegram shows each client the menu in its own language (``language_code``); clients in other
languages get the English one. Telegram accepts only two-letter ISO 639-1 codes there, so
``TELEGRAM_CODES`` says under which code each interface language is published: Kurmanji under
``ku`` (Kurdish; clients that send ``ku`` are mostly Kurmanji readers), while Sorani (``ckb``) and
Einfache Sprache (``de-simple``) have no code of their own and are not published: their readers
see the default menu, and the bot answers them in their language all the same.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.i18n import N_, translator
from bot.settings import LANGUAGES

log = logging.getLogger(__name__)

COMMANDS: tuple[tuple[str, str], ...] = (
    ("menu", N_("Show the topics")),
    ("language", N_("Change the language")),
    ("region", N_("Change your town")),
    ("help", N_("How this bot works")),
    ("privacy", N_("What the bot stores about you")),
    ("delete", N_("Delete everything the bot stores about you")),
)
FEATURE_COMMANDS: dict[str, str] = {
    "reminders": N_("Your course reminders"),
    "requests": N_("Your interpreter requests"),
}
"""Descriptions for commands that features add, shown when the feature is running."""

DESCRIPTION = N_(
    "Wegweiser helps you find counselling and help in your town: migration counselling, "
    "language courses, interpreters, work, housing, health and more. Write in your language "
    "what you need. /delete removes everything the bot stores about you."
)
SHORT_DESCRIPTION = N_("Finds counselling and help for newcomers in your town, in your language.")


TELEGRAM_CODES: dict[str, str | None] = {"kmr": "ku", "ckb": None, "de-simple": None}
"""Interface languages whose code Telegram does not take → the code used instead, or None."""


def published_codes() -> dict[str, str]:
    """Interface language → the ISO 639-1 code its menu is published under on Telegram."""
    codes = {lang: TELEGRAM_CODES.get(lang, lang) for lang in LANGUAGES}
    return {lang: code for lang, code in codes.items() if code}


def commands_for(lang: str, feature_commands: list[str]) -> list[BotCommand]:
    t = translator(lang)
    menu = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]
    for name in feature_commands:
        if name in FEATURE_COMMANDS and name not in dict(COMMANDS):
            menu.append(BotCommand(name, t.gettext(FEATURE_COMMANDS[name])))
    return menu


async def publish(bot: Bot, feature_commands: list[str]) -> None:
    """Set menus and descriptions; a failure is logged and the bot runs on without them."""
    for lang, code in (("en", None), *published_codes().items()):
        t = translator(lang)
        try:
            await bot.set_my_commands(commands_for(t.lang, feature_commands), language_code=code)
            await bot.set_my_description(t.gettext(DESCRIPTION), language_code=code)
            await bot.set_my_short_description(t.gettext(SHORT_DESCRIPTION), language_code=code)
        except TelegramError as error:
            log.warning("could not set the %s menu: %s", code or "default", error)
