"""Small helpers every dialogue step uses to build replies in the user's language."""

from __future__ import annotations

from bot.core.dialogue import buttons
from bot.core.features import Turn
from bot.core.messages import Option, Reply
from bot.i18n import Translator


def say(turn: Turn, text: str, options: list[Option] | None = None) -> Reply:
    return Reply.text(text, lang=turn.lang, options=options)


def menu_option(turn: Turn) -> Option:
    """The way back that every answer offers."""
    return Option("🏠 " + turn.t.gettext("Menu"), buttons.value(buttons.MENU))


def label(text: str, limit: int = 48) -> str:
    """A button label short enough for small screens."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def distance_text(t: Translator, km: float) -> str:
    """A distance as people say it: "about 2 km away"; places may be approximate, so never more
    precise than a whole kilometre."""
    if km < 1:
        return t.gettext("less than 1 km away")
    return t.gettext("about {km} km away").format(km=t.number(round(km)))
