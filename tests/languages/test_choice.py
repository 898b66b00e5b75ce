"""The language choice: every language named in its own script, a region's languages first, and
Einfache Sprache read as German without offers to switch between the two."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine
from sqlmodel import Session

from bot.app import Wegweiser
from bot.core.dialogue.languages import from_client_code, native_name
from bot.i18n import translator
from services_catalog.exporter import region_documents
from services_catalog.importer import import_path
from services_catalog.records import InvalidCatalogue
from services_catalog.snapshot import read_stored
from tests.core.conftest import Chat
from tests.languages.conftest import DATA

OWN_SCRIPT = {
    "de-simple": "Einfache Sprache",
    "ps": "پښتو",
    "kmr": "Kurmancî",
    "ckb": "کوردی",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "fr": "Français",
}


@pytest.mark.parametrize(("code", "name"), OWN_SCRIPT.items())
def test_each_language_is_named_in_its_own_script(code: str, name: str) -> None:
    assert native_name(code) == name


async def test_a_regions_languages_come_first_and_the_others_still_work(app: Wegweiser) -> None:
    chat = Chat(app, language_code="it")
    await chat.start()
    assert chat.labels[:2] == ["Deutsch", "English"]  # no region yet: the usual order
    assert chat.labels[8:] == list(OWN_SCRIPT.values())
    await chat.press("core:lang:fr")
    await chat.press("core:region:hafenau")
    await chat.say("/language")
    assert chat.labels[:4] == ["پښتو", "کوردی", "Einfache Sprache", "العربية"]
    assert len(chat.labels) == len(set(chat.labels)) == 15
    text = await chat.press("core:lang:so")  # outside Hafenau's list
    assert chat.replies[-1].lang == "so"
    assert "Soomaali" in text


def test_region_languages_are_validated_and_exported(sqlite_engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    document = yaml.safe_load((DATA / "hafenau.yaml").read_text(encoding="utf-8"))
    document["region"]["languages"] = ["ps", "klingon"]
    (bad / "hafenau.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    with pytest.raises(InvalidCatalogue) as error:
        import_path(sqlite_engine, bad)
    assert "hafenau.yaml" in str(error.value) and "languages" in str(error.value)
    assert "'klingon' is not one of" in str(error.value)

    import_path(sqlite_engine, DATA)
    with Session(sqlite_engine) as session:
        exported = yaml.safe_load(region_documents(read_stored(session).catalogue)["hafenau"])
    assert exported["region"]["languages"] == ["ps", "ckb", "de-simple", "ar"]
    service = next(s for s in exported["services"] if s["id"] == "hafenau-sprachkurse")
    title = service["title"]
    assert title["de-simple"] == "Deutsch lernen an der Volkshochschule"


@pytest.mark.parametrize(
    ("client", "lang"),
    [("ku", "kmr"), ("ckb-IQ", "ckb"), ("ku-Arab", "ckb"), ("fr-CM", "fr"), ("ps_AF", "ps"),
     ("de-simple", "de-simple"), ("de-AT", "de"), ("it", None)],
)  # fmt: skip
def test_client_language_codes(client: str, lang: str | None) -> None:
    assert from_client_code(client) == lang


async def test_einfache_sprache_is_read_as_german(app: Wegweiser) -> None:
    chat = Chat(app, language_code="de-simple")
    await chat.start()
    await chat.press("core:region:hafenau")
    text = await chat.say("Ich suche einen Deutschkurs für mich und meine Frau")
    assert chat.replies[-1].lang == "de-simple"
    assert "Deutsch lernen an der Volkshochschule" in text  # its catalogue text, not German
    assert not any(option.value.startswith("core:switch") for option in chat.replies[-1].options)
    await chat.say("Ich will nicht mehr leben")
    assert [reply.lang for reply in chat.replies] == ["de-simple"]  # one emergency answer
    t = translator("de-simple")
    assert t.gettext("If you or someone else is in danger, please get help now:") in chat.text
