"""UI strings through gettext, and dates, times, numbers and lists formatted per locale by Babel.

Message ids are English. Each feature keeps its own catalogue (``locales/<lang>/LC_MESSAGES/
<domain>.po``); all of a language's catalogues are read straight from the ``.po`` files at start-up
and chained, so there is no build step and a missing string falls back to English.

Dates, numbers and plural rules come from CLDR. Two interface languages have no CLDR locale of
their own, so they borrow one (``CLDR_LOCALES``): Einfache Sprache formats like German, and
Kurmanji (ISO 639-3 ``kmr``) is what CLDR files as ``ku`` (Kurdish in Latin script).
"""

from __future__ import annotations

import gettext
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.settings import LANGUAGES, RTL_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

CLDR_LOCALES: dict[str, str] = {"de-simple": "de", "kmr": "ku"}
"""Interface languages without a CLDR locale of their own → the locale they format with."""


def cldr_locale(lang: str) -> str:
    """The CLDR locale identifier for an interface language's dates, numbers and plurals."""
    return CLDR_LOCALES.get(lang, lang)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message


def _load(lang: str) -> gettext.NullTranslations:
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for po_path in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=cldr_locale(lang))
        buffer = BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        translations = gettext.GNUTranslations(buffer)
        translations.add_fallback(chain)
        chain = translations
    return chain


class Translator:
    """Everything language-specific a reply needs, for one interface language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self._translations = _load(self.lang)

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(cldr_locale(self.lang))

    @property
    def rtl(self) -> bool:
        return self.lang in RTL_LANGUAGES

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._translations.ngettext(singular, plural, count)

    def date(self, value: date, format: str = "full") -> str:
        return format_date(value, format=format, locale=self.locale)

    def time(self, value: time | datetime, format: str = "short") -> str:
        return format_time(value, format=format, locale=self.locale)

    def datetime(self, value: datetime, format: str = "medium") -> str:
        return format_datetime(value, format=format, locale=self.locale)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def list(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale)


def translator(lang: str | None) -> Translator:
    """The shared translator for ``lang``; any other code gets English, so that no client's
    language code ("it", "en-US") makes the catalogues be read again."""
    return _translator(lang if lang in LANGUAGES else "en")


@lru_cache(maxsize=len(LANGUAGES))
def _translator(lang: str) -> Translator:
    return Translator(lang)
