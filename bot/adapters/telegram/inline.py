"""Inline mode for Lotsen: ``@<bot> deutschkurs rostock ar`` in any chat offers service cards that
they can send straight into the chat with a client.

A query is free text for the router (a topic in any launch language), plus optionally a town
(region name or slug) and the card language as a two-letter code (``ar``, ``uk``, …). Without a
code the cards come in the language the Lotse uses with the bot, else their app's language.
Each card carries a button that opens the bot on that service, in that language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from bot.adapters.telegram.updates import PLATFORM, language_of
from bot.core.dialogue.cards import address_line, service_card
from bot.core.dialogue.users import find
from bot.core.normalise import normalise
from bot.core.router import Router
from bot.i18n import translator
from bot.lotsen.payload import PayloadError, build_payload
from bot.settings import LAUNCH_LANGUAGES
from services_catalog.queries import regions, services_for
from services_catalog.views import ServiceView

MAX_RESULTS = 20
MAX_QUERY = 256


@dataclass(frozen=True)
class InlineSearch:
    """What a Lotse asked for: the words for the router, the card language and the region."""

    words: str
    lang: str
    region: str | None


def parse_query(
    session: Session,
    query: str,
    *,
    user_id: str,
    language_code: str | None,
    default_region: str | None,
) -> InlineSearch:
    user = find(session, PLATFORM, user_id)
    lang = (user.language if user else None) or language_of(language_code)
    region = (user.region_slug if user else None) or default_region
    by_name = {}
    for known in regions(session):
        by_name[normalise(known.slug)] = known.slug
        by_name[normalise(known.name)] = known.slug
    words = []
    for word in query[:MAX_QUERY].split():
        folded = normalise(word)
        if word.lower() in LAUNCH_LANGUAGES:
            lang = word.lower()
        elif folded and folded in by_name:
            region = by_name[folded]
        else:
            words.append(word)
    if lang not in LAUNCH_LANGUAGES:
        lang = "de"
    return InlineSearch(" ".join(words), lang, region)


def find_services(
    session: Session, router: Router, search: InlineSearch, today: date
) -> list[ServiceView]:
    if not search.words:
        return []
    topic = router.route(search.words, lang_hint=search.lang).topic
    if topic is None:
        return []
    return services_for(session, search.region, topic, search.lang, today=today)[:MAX_RESULTS]


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
        session, query, user_id=user_id, language_code=language_code, default_region=default_region
    )
    views = find_services(session, router_for(session), search, today)
    return [result(view, search.lang, bot_username) for view in views], search.lang
