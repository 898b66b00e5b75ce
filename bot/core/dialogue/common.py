"""Small helpers every dialogue step uses to build replies in the user's language."""

from __future__ import annotations

from bot.core.dialogue import buttons
from bot.core.features import Turn
from bot.core.messages import Option, Reply


def say(turn: Turn, text: str, options: list[Option] | None = None) -> Reply:
    return Reply.text(text, lang=turn.lang, options=options)


def menu_option(turn: Turn) -> Option:
    """The way back that every answer offers."""
    return Option("🏠 " + turn.t.gettext("Menu"), buttons.value(buttons.MENU))


def label(text: str, limit: int = 48) -> str:
    """A button label short enough for small screens."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
