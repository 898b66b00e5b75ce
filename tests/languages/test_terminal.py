"""A conversation in the terminal (`wegweiser chat`) in each language added after the launch:
a request finds the service in the reader's language, a danger message the emergency numbers.

Kurmanji, Tigrinya, Somali and Einfache Sprache get their texts and words from their own files;
the messages here are written as their readers would write them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.core.dialogue.bidi import ltr
from bot.i18n import translator
from tests.helpers import run_chat
from tests.languages.conftest import NEW_LANGUAGES, load_catalogue

LANGUAGE_COURSE = {
    "de-simple": "Ich will Deutsch lernen. Gibt es einen Kurs?",
    "ps": "غواړم آلماني ژبه زده کړم",
    "kmr": "Ez dixwazim zimanê almanî hîn bibim",
    "ckb": "دەمەوێت زمانی ئەڵمانی فێر ببم",
    "ti": "ቋንቋ ጀርመን ክመሃር እደሊ ኣለኹ",
    "so": "waxaan rabaa koorsada luqadda jarmalka",
    "fr": "je voudrais apprendre l'allemand",
}
DANGER = {
    "de-simple": "Ich will nicht mehr leben",
    "ps": "نور نه غواړم ژوندی پاتې شم",
    "kmr": "ez dixwazim xwe bikujim",
    "ckb": "دەمەوێت خۆم بکوژم",
    "ti": "ነብሰይ ክቐትል እደሊ",
    "so": "waxaan doonayaa inaan is dilo",
    "fr": "je veux me suicider",
}
TITLES = {
    "de-simple": "Deutsch lernen an der Volkshochschule",
    "fr": "Cours d’intégration de l’université populaire de Hafenau",
}
"""Texts the catalogue has in these languages; the others read the German title."""
NUMBERS = ("112", "0800 111 0 111", "0800 111 0 222", "116 016")


@pytest.mark.parametrize("lang", NEW_LANGUAGES)
def test_a_conversation_finds_a_service_and_the_emergency_numbers(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path, lang: str
) -> None:
    load_catalogue(sqlite_engine, tmp_path)
    stdin = f"{LANGUAGE_COURSE[lang]}\n{DANGER[lang]}\n"
    done = run_chat(sqlite_url, tmp_path, stdin, "--lang", lang, "--region", "hafenau")
    assert done.returncode == 0, done.stderr
    found, danger = done.stdout.split(f"> {DANGER[lang]}\n")
    t = translator(lang)
    title = TITLES.get(lang, "Integrationskurse der Volkshochschule Hafenau")
    assert ltr(title, lang) in found
    if lang not in TITLES:
        assert t.gettext("Some text is shown in German because there is no translation yet.") in (
            found
        )
    assert t.gettext("Shall I answer in this language from now on?") not in found
    assert t.gettext("If you or someone else is in danger, please get help now:") in danger
    for number in NUMBERS:
        assert ltr(number, lang) in danger
    assert danger.count(t.gettext("Emergency numbers")) <= 1  # one answer, in one language
