"""Right to left for Pashto and Sorani with the isolation rules of Arabic and Persian, and dates,
numbers and plurals from CLDR (with a documented locale where CLDR has none of its own)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.adapters.terminal import render
from bot.core.dialogue.bidi import LRI, PDI, ltr
from bot.core.dialogue.emergency import emergency_reply
from bot.core.formatting import to_html
from bot.core.messages import Option
from bot.i18n import cldr_locale, translator
from bot.lotsen.qr import captions
from bot.settings import RTL_LANGUAGES
from tests.languages.conftest import NEW_LANGUAGES

FSI = "\u2068"


@pytest.mark.parametrize("lang", ["ps", "ckb"])
def test_pashto_and_sorani_run_right_to_left_like_arabic(lang: str) -> None:
    assert lang in RTL_LANGUAGES and translator(lang).rtl
    t = translator(lang)
    reply = emergency_reply(t, [Option("🏠 " + t.gettext("Menu"), "core:menu")])
    rendered = render(reply)
    for line in rendered.splitlines():
        assert line.startswith(FSI) and line.endswith(PDI)  # each line isolated in the terminal
    for number in ("112", "0800 111 0 111", "116 016"):
        assert f"{LRI}{number}{PDI}" in rendered  # digit groups stay in order
        assert f"{LRI}{number}{PDI}" in to_html(reply)  # on Telegram and Matrix too
    assert ltr("Am Markt 1", lang) == f"{LRI}Am Markt 1{PDI}"
    assert {line.direction for line in captions([lang, "de"])} == {"rtl", "ltr"}


@pytest.mark.parametrize("lang", ["de-simple", "kmr", "ti", "so", "fr"])
def test_other_new_languages_run_left_to_right(lang: str) -> None:
    rendered = render(emergency_reply(translator(lang)))
    assert FSI not in rendered and LRI not in rendered


def test_locales_without_a_cldr_locale_of_their_own() -> None:
    day = date(2027, 3, 12)
    assert cldr_locale("de-simple") == "de" and cldr_locale("kmr") == "ku"
    assert (
        translator("de-simple").date(day)
        == translator("de").date(day)
        == ("Freitag, 12. März 2027")
    )
    assert translator("de-simple").number(1234.5) == "1.234,5"
    assert "2027" in translator("kmr").date(day) and translator("kmr").locale.language == "ku"


@pytest.mark.parametrize("lang", NEW_LANGUAGES)
def test_dates_numbers_and_lists_come_from_cldr(lang: str) -> None:
    t = translator(lang)
    assert t.lang == lang
    assert t.date(date(2027, 3, 12), "long")
    assert t.number(3) and t.list(["a", "b"]).startswith("a") and "b" in t.list(["a", "b"])


def test_plural_rules_per_language() -> None:
    def seats(lang: str, count: int) -> str:
        return translator(lang).ngettext("{count} seat free", "{count} seats free", count)

    assert seats("fr", 0) == seats("fr", 1) == "{count} place libre"  # French: 0 is singular
    assert seats("fr", 2) == "{count} places libres"
    assert seats("fr", 1_000_000) == "{count} de places libres"
    assert seats("ps", 1) != seats("ps", 2)
    assert seats("ckb", 1) != seats("ckb", 2)
