"""The start message a Matrix QR caption asks for, and report headings, survive translation.

(That every string is translated, and kept in the ``lotsen`` catalogue, is checked for all
catalogues by ``tests/test_translations_complete.py``.)
"""

from __future__ import annotations

import pytest

from bot.i18n import translator
from bot.settings import LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    t = translator(lang)
    assert "!start Rk7m2qp" in t.gettext("Then send this message: {message}").format(
        message="!start Rk7m2qp"
    )
    week = t.gettext("Week {number} ({first} – {last})").format(number=9, first="a", last="b")
    assert "9" in week and "a" in week and "b" in week
