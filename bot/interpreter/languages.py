"""Which language a person typed when it is not among the buttons: any language CLDR knows.

Pools cover languages far beyond the interface languages (Amharic, Dari, Vietnamese…), so typed
names are matched against every language's name in all interface languages and in itself.
Kurdish is named by its varieties' codes, as the interface uses them: Kurmanji ``kmr``, Sorani
``ckb``.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from bot.core.dialogue import languages as launch
from bot.core.normalise import normalise
from bot.i18n import cldr_locale
from bot.settings import LANGUAGES

EXTRA_NAMES = {"kurmanci": "kmr", "kurmandschi": "kmr", "sorani": "ckb"}
"""Names people use that CLDR files under another word."""


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for lang in dict.fromkeys(cldr_locale(code) for code in LANGUAGES):
        for code, name in Locale.parse(lang).languages.items():
            if code.isalpha() and len(code) <= 3:
                names.setdefault(normalise(name), code)
    for code in set(names.values()):
        try:
            own = Locale.parse(code).get_display_name(code)
        except (ValueError, UnknownLocaleError):
            continue
        if own:
            names.setdefault(normalise(own), code)
    names.update(EXTRA_NAMES)
    names.pop("", None)
    return names


def match(text: str) -> str | None:
    """The language code a typed name stands for ("Tigrinya", "ትግርኛ", "kurdisch"), if any."""
    return launch.match(text) or launch.match_in(text, _names(), cutoff=85)


@cache
def known_codes() -> frozenset[str]:
    """Every language code a person can end up with: CLDR's languages and the extra names'."""
    listed = {code for code in Locale.parse("en").languages if code.isalpha() and len(code) <= 3}
    return frozenset(listed | set(_names().values()))


def is_known(code: str) -> bool:
    """Whether a code that came back from a button is one this bot could have offered."""
    return code in known_codes()
