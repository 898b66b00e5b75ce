"""Telegram's menus and descriptions fit its length limits in every interface language.

(That every string is translated, and kept in the ``telegram`` catalogue, is checked for all
catalogues by ``tests/test_translations_complete.py``.)
"""

from __future__ import annotations

import pytest

from bot.adapters.telegram import menus
from bot.i18n import translator
from bot.settings import LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_menus_and_descriptions_fit_telegrams_limits(lang: str) -> None:
    t = translator(lang)
    assert len(t.gettext(menus.DESCRIPTION)) <= 512
    assert len(t.gettext(menus.SHORT_DESCRIPTION)) <= 120
    assert all(3 <= len(c.description) <= 256 for c in menus.commands_for(lang, ["reminders"]))
