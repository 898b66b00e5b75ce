"""The one thing only Matrix needs to tell people: a message that stayed unreadable.

An end-to-end encrypted message can arrive without its key (sent from a device that did not
share it with the bot). The bot then cannot know what was asked, so it says so in the language
the person chose earlier and asks them to send it again.
"""

from __future__ import annotations

from sqlalchemy import Engine

from bot.core.dialogue.users import find
from bot.core.messages import Reply
from bot.i18n import translator
from services_catalog.db import session_scope


def known_language(engine: Engine, platform: str, user_id: str) -> str | None:
    with session_scope(engine) as session:
        user = find(session, platform, user_id)
        return user.language if user else None


def unreadable(lang: str | None) -> Reply:
    t = translator(lang)
    text = t.gettext("Sorry, I could not read your last message. Please send it again.")
    return Reply.text(text, lang=t.lang)
