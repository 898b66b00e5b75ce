"""Every Telegram-specific text is translated into all eight launch languages, within Telegram's
limits for menus and descriptions."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.adapters.telegram import menus
from bot.i18n import LOCALES_DIR, translator
from bot.settings import LAUNCH_LANGUAGES

SOURCES = Path(menus.__file__).parent


def _strings_in_code() -> set[str]:
    keywords = {"N_": None, "gettext": None}
    found = set()
    for path in SOURCES.glob("*.py"):
        for _, message, _, _ in extract_from_file("python", path, keywords=keywords):
            found.add(message)
    return found


@pytest.mark.parametrize("lang", LAUNCH_LANGUAGES)
def test_every_text_is_translated(lang: str) -> None:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "telegram.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {message.id: message.string for message in catalog if message.id}
    assert catalog.locale is not None and str(catalog.locale) == lang
    assert set(translated) == _strings_in_code()
    assert all(translated.values())


@pytest.mark.parametrize("lang", LAUNCH_LANGUAGES)
def test_menus_and_descriptions_fit_telegrams_limits(lang: str) -> None:
    t = translator(lang)
    assert len(t.gettext(menus.DESCRIPTION)) <= 512
    assert len(t.gettext(menus.SHORT_DESCRIPTION)) <= 120
    assert all(3 <= len(c.description) <= 256 for c in menus.commands_for(lang, ["reminders"]))
