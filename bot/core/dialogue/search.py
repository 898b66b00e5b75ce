"""What a Lotse's search for service cards means, whatever the platform offers it through.

A query is free text for the router (a topic in any launch language), plus optionally a town
(any name the catalogue knows for a region, in any script) and the card language as a two-letter
code (``ar``, ``uk``, …). Without a code the cards come in the language the Lotse uses with the
bot, else their app's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.core.dialogue.numbers import stated_age
from bot.core.dialogue.ranking import Asked, rank
from bot.core.dialogue.regions import find_region
from bot.core.dialogue.users import find, language_from_code
from bot.core.normalise import normalise
from bot.core.router import Router
from bot.settings import LANGUAGES, SOURCE_LANGUAGE
from services_catalog.queries import services_for
from services_catalog.views import ServiceView

MAX_RESULTS = 20
MAX_QUERY = 256


@dataclass(frozen=True)
class Search:
    """What a Lotse asked for: the words for the router, the card language and the region."""

    words: str
    lang: str
    region: str | None


CODE_WORDS = frozenset(LANGUAGES) - {"so"}
"""Language codes a query may name; "so" is a German and English word (Somali readers get their
language from their settings or their client)."""


def parse_query(
    session: Session,
    query: str,
    *,
    platform: str,
    user_id: str,
    language_code: str | None,
    default_region: str | None,
) -> Search:
    user = find(session, platform, user_id)
    lang = (user.language if user else None) or language_from_code(language_code)
    region = (user.region_slug if user else None) or default_region
    words = []
    for word in query[:MAX_QUERY].split():
        named = find_region(session, word)
        if word.lower() in CODE_WORDS:
            lang = word.lower()
        elif named is not None:
            region = named.slug
        else:
            words.append(word)
    return Search(" ".join(words), lang if lang in LANGUAGES else "de", region)


def find_services(
    session: Session, router: Router, search: Search, today: date
) -> list[ServiceView]:
    """The services for the topic the words name, those fitting the words best first, at most
    ``MAX_RESULTS``; none when unsure."""
    if not search.words:
        return []
    # Inline search runs on every keystroke, on the event loop: the lexicon alone answers it.
    topic = router.route_lexically(search.words, lang_hint=search.lang).topic
    if topic is None:
        return []
    views = services_for(session, search.region, topic, search.lang, today=today)
    sources = None
    if search.lang != SOURCE_LANGUAGE:
        german = services_for(session, search.region, topic, SOURCE_LANGUAGE, today=today)
        sources = {view.id: view for view in german}
    asked = Asked(words=tuple(normalise(search.words).split()), age=stated_age(search.words))
    return rank(session, topic, views, asked, search.lang, today, sources)[:MAX_RESULTS]
