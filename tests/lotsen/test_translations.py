"""Every QR caption and report text is translated into all eight launch languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, translator
from bot.settings import LAUNCH_LANGUAGES

BOT = Path(__file__).resolve().parents[2] / "bot"
SOURCES = [*(BOT / "lotsen").glob("*.py"), *(BOT / "monitoring").glob("*.py")]
TEMPLATES = list((BOT / "monitoring" / "templates").glob("*.j2"))
TEMPLATE_CALL = re.compile(r"""gettext\("([^"]+)"\)""")


def _strings_in_code() -> set[str]:
    found = set()
    for path in SOURCES:
        for _, message, _, _ in extract_from_file("python", path, keywords={"gettext": None}):
            found.add(message)
    for path in TEMPLATES:
        found |= set(TEMPLATE_CALL.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("lang", LAUNCH_LANGUAGES)
def test_every_text_is_translated(lang: str) -> None:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "lotsen.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {message.id: message.string for message in catalog if message.id}
    assert str(catalog.locale) == lang
    assert set(translated) == _strings_in_code()
    assert all(translated.values())


@pytest.mark.parametrize("lang", LAUNCH_LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    t = translator(lang)
    assert "!start Rk7m2qp" in t.gettext("Then send this message: {message}").format(
        message="!start Rk7m2qp"
    )
    week = t.gettext("Week {number} ({first} – {last})").format(number=9, first="a", last="b")
    assert "9" in week and "a" in week and "b" in week
