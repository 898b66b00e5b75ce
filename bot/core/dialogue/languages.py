"""Names of languages, from Babel's CLDR data rather than hand-written lists.

The language menu names each language in its own script ("العربية", "Українська"); a service
card names the languages its staff speak in the reader's language.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from rapidfuzz import fuzz, process

from bot.core.normalise import normalise
from bot.settings import LAUNCH_LANGUAGES


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


@cache
def native_name(code: str) -> str:
    """The language's name in itself, as its speakers look for it in a menu."""
    try:
        return _capitalised(Locale.parse(code).get_display_name(code) or code)
    except (ValueError, UnknownLocaleError):
        return code


@cache
def name_in(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang``, as written in running text
    ("Arabisch" in German, "арабська" in Ukrainian)."""
    try:
        name = Locale.parse(lang).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


_ALIASES = {"farsi": "fa", "dari": "fa", "arabi": "ar", "turkce": "tr"}
"""Names people type that CLDR does not list under the launch locales."""


@cache
def _names() -> dict[str, str]:
    """Every way to write a launch language's name (in all launch languages), normalised."""
    names: dict[str, str] = dict(_ALIASES)
    for code in LAUNCH_LANGUAGES:
        names[code] = code
        for lang in LAUNCH_LANGUAGES:
            names[normalise(name_in(code, lang))] = code
    return names


def match(text: str) -> str | None:
    """The launch language a typed answer names ("english", "عربي", "turkce"), if any."""
    return match_in(text, _names(), cutoff=80)


def match_in(text: str, names: dict[str, str], cutoff: float) -> str | None:
    """The code of the name ``text`` spells in ``names`` (normalised name → code): exactly, else
    the closest name within ``cutoff`` (a rapidfuzz ratio), so typos still find their language."""
    typed = normalise(text)
    if not typed:
        return None
    if typed in names:
        return names[typed]
    found = process.extractOne(typed, list(names), scorer=fuzz.ratio, score_cutoff=cutoff)
    return names[found[0]] if found else None
