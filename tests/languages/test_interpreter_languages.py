"""Interpreter pools and "languages spoken" know the new languages: codes, and names in every
interface language."""

from __future__ import annotations

import pytest

from bot.core.dialogue.languages import name_in
from bot.i18n import translator
from bot.interpreter import languages
from bot.interpreter.texts import language_name
from services_catalog.languages import ARRIVAL_LANGUAGES, LANGUAGES


@pytest.mark.parametrize("reader", LANGUAGES)
def test_new_languages_are_named_in_every_interface_language(reader: str) -> None:
    for code in ARRIVAL_LANGUAGES:
        name = name_in(code, reader)
        assert name and name != code, (code, reader)
    assert language_name("ckb", translator("de")) == "Zentralkurdisch (کوردی)"
    assert language_name("kmr", translator("en")) == "Kurdish (Kurmancî)"


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Kurmancî", "kmr"), ("kurmanci", "kmr"), ("Sorani", "ckb"), ("کوردی", "ckb"),
     ("پښتو", "ps"), ("Paschtu", "ps"), ("Tigrinya", "ti"), ("ትግርኛ", "ti"), ("Somali", "so"),
     ("Französisch", "fr"), ("Amharisch", "am")],
)  # fmt: skip
def test_typed_language_names_find_their_code(typed: str, code: str) -> None:
    assert languages.match(typed) == code
