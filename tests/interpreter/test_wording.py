"""What people read about requests in their own language: /help, /privacy and /delete name them,
the words are the plain ones newcomers know, and commands stay readable in right-to-left text."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.core.dialogue.bidi import LRI, PDI
from bot.i18n import LOCALES_DIR
from bot.settings import LAUNCH_LANGUAGES, RTL_LANGUAGES
from tests.interpreter.conftest import Bot

DOMAINS = ("interpreter", "reminders")
CALQUES = {
    "ar": ("وسيط", "وسطاء"),
    "fa": ("میانجی",),
    "uk": ("посередни",),
    "ru": ("посредни",),
    "tr": ("aracı",),
    "pl": ("pośrednik", "pośrednictw"),
}
"""Word-for-word "language mediator": newcomers know the plain word for interpreter."""
POLISH_TY = re.compile(
    r"\b(twój|twoj\w*|masz|możesz|chcesz|potrzebujesz|spróbuj|wybierz proszę|ci|cię)\b",
    re.IGNORECASE,
)
"""Polish speaks to people in the neutral polite style ("Proszę …", impersonal), never "ty"."""
COMMAND = re.compile(r"(?<![\w/])/[a-z{][\w{}]*")


def _translations(lang: str) -> list[str]:
    found = []
    for domain in DOMAINS:
        with (LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
            found += [m.string for m in read_po(handle, locale=lang) if m.id]
    return found


@pytest.mark.parametrize("lang", LAUNCH_LANGUAGES)
async def test_help_and_privacy_tell_about_reminders_and_requests(bot: Bot, lang: str) -> None:
    person = bot.person(f"h-{lang}", lang)
    helped = await person.say("/help")
    assert "/reminders — " in helped and "/requests — " in helped and "/delete — " in helped
    privacy = await person.say("/privacy")
    for command in ("/reminders", "/requests", "/delete"):
        isolated = f"{LRI}{command}{PDI}" if lang in RTL_LANGUAGES else command
        assert isolated in privacy, (lang, command)


INTERPRETER = {
    "de": "Sprachmittlung",
    "en": "interpreter requests",
    "ar": "المترجم",
    "fa": "مترجم",
    "uk": "перекладача",
    "ru": "переводчика",
    "tr": "tercüman",
    "pl": "tłumacza",
}
"""The word for interpreter requests in each language, as /help names them."""


@pytest.mark.parametrize("lang", LAUNCH_LANGUAGES)
async def test_delete_asks_about_requests_too(bot: Bot, lang: str) -> None:
    question = await bot.person(f"d-{lang}", lang).say("/delete")
    assert INTERPRETER[lang] in question, question


@pytest.mark.parametrize("lang", sorted(CALQUES))
def test_an_interpreter_is_called_by_its_plain_name(lang: str) -> None:
    texts = _translations(lang)
    assert not [text for text in texts if any(word in text for word in CALQUES[lang])]


def test_polish_speaks_politely_without_ty() -> None:
    assert not [text for text in _translations("pl") if POLISH_TY.search(text)]


@pytest.mark.parametrize("lang", sorted(RTL_LANGUAGES))
def test_commands_in_right_to_left_text_are_isolated(lang: str) -> None:
    for text in _translations(lang):
        for match in COMMAND.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            assert before.endswith(LRI) and PDI in after, (lang, text)
