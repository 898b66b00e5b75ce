"""Names of languages, from Babel's CLDR data rather than hand-written lists.

The language menu names each language in its own script ("العربية", "پښتو", "Kurmancî"); a
service card names the languages its staff speak in the reader's language. Where CLDR's own name
is not what speakers look for in a menu, ``OWN_NAMES`` says it: CLDR calls Sorani "کوردیی
ناوەندی" (Central Kurdish) and Kurmanji "kurdî (kurmancî)", and has no Einfache Sprache.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from babel import Locale, UnknownLocaleError
from rapidfuzz import fuzz, process

from bot.core.normalise import normalise
from bot.i18n import cldr_locale
from bot.settings import LANGUAGES
from services_catalog.languages import PLAIN_GERMAN

OWN_NAMES: dict[str, str] = {"de-simple": "Einfache Sprache", "kmr": "Kurmancî", "ckb": "کوردی"}
"""Menu names that differ from CLDR's, as speakers of the language write them."""

CLIENT_CODES: dict[str, str] = {"ku": "kmr", "ku-arab": "ckb", "ku-latn": "kmr"}
"""Language codes clients send for an interface language of another code: Kurdish without a
script is mostly Kurmanji (Latin); Kurdish in Arabic script is Sorani."""


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


@cache
def native_name(code: str) -> str:
    """The language's name in itself, as its speakers look for it in a menu."""
    if code in OWN_NAMES:
        return OWN_NAMES[code]
    try:
        return _capitalised(Locale.parse(cldr_locale(code)).get_display_name(code) or code)
    except (ValueError, UnknownLocaleError):
        return code


@cache
def name_in(code: str, lang: str) -> str:
    """The name of language ``code`` in language ``lang``, as written in running text
    ("Arabisch" in German, "арабська" in Ukrainian). Einfache Sprache keeps its own name."""
    if code == PLAIN_GERMAN:
        return OWN_NAMES[code]
    try:
        name = Locale.parse(cldr_locale(lang)).languages.get(cldr_locale(code))
    except (ValueError, UnknownLocaleError):
        name = None
    return name or OWN_NAMES.get(code, code)


def from_client_code(code: str | None) -> str | None:
    """The interface language of a client's language code ("de-AT" → "de", "ku" → "kmr"),
    None when Wegweiser does not speak it."""
    if not code:
        return None
    tag = code.replace("_", "-").strip().lower()
    if tag in LANGUAGES:
        return tag  # "de-simple" is an interface language, not German of a region
    base = tag.split("-")[0]
    script = next((part for part in tag.split("-")[1:] if len(part) == 4), None)
    found = CLIENT_CODES.get(f"{base}-{script}" if script else base, base)
    return found if found in LANGUAGES else None


def by_region(offered: Sequence[str]) -> list[str]:
    """Every interface language, those a region offers first (in the region's order)."""
    first = [code for code in offered if code in LANGUAGES]
    return [*dict.fromkeys(first), *(code for code in LANGUAGES if code not in first)]


_ALIASES = {
    "farsi": "fa",
    "dari": "fa",
    "arabi": "ar",
    "turkce": "tr",
    "pashto": "ps",
    "pashtu": "ps",
    "pukhto": "ps",
    "kurmanci": "kmr",
    "kurmanji": "kmr",
    "kurdi": "kmr",
    "sorani": "ckb",
    "kurdi sorani": "ckb",
    "tigrinya": "ti",
    "tigrigna": "ti",
    "somali": "so",
    "francais": "fr",
    "einfaches deutsch": "de-simple",
    "leicht deutsch": "de-simple",
}
"""Names people type that CLDR does not list under the interface locales."""


@cache
def _names() -> dict[str, str]:
    """Every way to write an interface language's name (in all of them), normalised."""
    names: dict[str, str] = dict(_ALIASES)
    for code in LANGUAGES:
        names.setdefault(code, code)
        names.setdefault(normalise(native_name(code)), code)
    for code in LANGUAGES:
        for lang in LANGUAGES:
            names.setdefault(normalise(name_in(code, lang)), code)
    names.pop("", None)
    return names


def match(text: str) -> str | None:
    """The interface language a typed answer names ("english", "عربي", "kurmanci"), if any."""
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
