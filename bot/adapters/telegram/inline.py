"""Inline mode for Lotsen: ``@<bot> deutschkurs rostock ar`` in any chat offers service cards that
they can send straight into the chat with a client (what the query means: ``core.dialogue.search``).

Each card carries a button that opens the bot on that service, in that language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import ParseMode

from bot.adapters.telegram.render import html_pieces
from bot.adapters.telegram.updates import PLATFORM
from bot.core.dialogue.cards import address_line, service_card
from bot.core.dialogue.search import find_services, parse_query
from bot.core.router import Router
from bot.i18n import translator
from bot.lotsen.payload import PayloadError, build_payload
from services_catalog.views import ServiceView


def result(view: ServiceView, lang: str, bot_username: str | None) -> InlineQueryResultArticle:
    """One service card as a ready-to-send message."""
    t = translator(lang)
    card = html_pieces(service_card(view, t))[0]
    description = address_line(view.address, lang) or view.provider_name or ""
    markup = None
    link = _open_link(bot_username, lang, view.id)
    if link:
        button = InlineKeyboardButton(t.gettext("Open in Wegweiser"), url=link)
        markup = InlineKeyboardMarkup([[button]])
    return InlineQueryResultArticle(
        id=f"{lang}:{view.id}"[:64],
        title=view.title,
        description=description,
        input_message_content=InputTextMessageContent(card, parse_mode=ParseMode.HTML),
        reply_markup=markup,
    )


def _open_link(bot_username: str | None, lang: str, service_id: str) -> str | None:
    if not bot_username:
        return None
    try:
        payload = build_payload(lang=lang, service_id=service_id)
    except PayloadError:
        return None
    return f"https://t.me/{bot_username}?start={payload}"


def answer(
    session: Session,
    router_for: Callable[[Session], Router],
    query: str,
    *,
    user_id: str,
    language_code: str | None,
    default_region: str | None,
    bot_username: str | None,
    today: date,
) -> tuple[list[InlineQueryResultArticle], str]:
    """The cards for one inline query and the language they are in."""
    search = parse_query(
        session,
        query,
        platform=PLATFORM,
        user_id=user_id,
        language_code=language_code,
        default_region=default_region,
    )
    views = find_services(session, router_for(session), search, today)
    return [result(view, search.lang, bot_username) for view in views], search.lang
