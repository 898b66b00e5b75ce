"""The command menu and the bot's descriptions in every launch language, set at start-up.

Telegram shows each client the menu in its own language (``language_code``); clients in other
languages get the English one.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.i18n import N_, translator
from bot.settings import LAUNCH_LANGUAGES

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


def commands_for(lang: str, feature_commands: list[str]) -> list[BotCommand]:
    t = translator(lang)
    menu = [BotCommand(name, t.gettext(text)) for name, text in COMMANDS]
    for name in feature_commands:
        if name in FEATURE_COMMANDS and name not in dict(COMMANDS):
            menu.append(BotCommand(name, t.gettext(FEATURE_COMMANDS[name])))
    return menu


async def publish(bot: Bot, feature_commands: list[str]) -> None:
    """Set menus and descriptions; a failure is logged and the bot runs on without them."""
    for lang in (None, *LAUNCH_LANGUAGES):
        t = translator(lang or "en")
        try:
            await bot.set_my_commands(commands_for(t.lang, feature_commands), language_code=lang)
            await bot.set_my_description(t.gettext(DESCRIPTION), language_code=lang)
            await bot.set_my_short_description(t.gettext(SHORT_DESCRIPTION), language_code=lang)
        except TelegramError as error:
            log.warning("could not set the %s menu: %s", lang or "default", error)
