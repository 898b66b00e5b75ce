"""The languages Wegweiser speaks: one registry for the interface and the catalogue's texts.

They live here, not in the bot's settings, because the catalogue knows nothing of the bot; the bot
takes them from here. Interface and catalogue use the same set: a catalogue entry may carry a text
in any interface language (``de-simple`` for Einfache Sprache too), and a reader whose language has
no text gets the German source, with a note in their language.
"""

LAUNCH_LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "fa", "uk", "ru", "tr", "pl")
"""The first eight languages, translated and used since the first release."""

PLAIN_GERMAN = "de-simple"
"""Einfache Sprache: German in short sentences and common words, its own interface language."""

ARRIVAL_LANGUAGES: tuple[str, ...] = ("ps", "kmr", "ckb", "ti", "so", "fr")
"""Languages of many people arriving now: Pashto, Kurmanji, Sorani, Tigrinya, Somali, French."""

LANGUAGES: tuple[str, ...] = (*LAUNCH_LANGUAGES, PLAIN_GERMAN, *ARRIVAL_LANGUAGES)
"""Every interface language, in the order the language choice offers them."""

SOURCE_LANGUAGE = "de"

UNDERSTOOD_AS: dict[str, str] = {PLAIN_GERMAN: "de"}
"""Languages read with another language's words: Einfache Sprache is German to the router."""


def understood_as(lang: str) -> str:
    """The language whose keywords understand text written by a user of ``lang``."""
    return UNDERSTOOD_AS.get(lang, lang)


def same_language(first: str | None, second: str | None) -> bool:
    """Whether two interface languages are read alike (German and Einfache Sprache are)."""
    if first is None or second is None:
        return False
    return understood_as(first) == understood_as(second)
