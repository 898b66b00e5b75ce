"""Honest quality: the interface's translation status per language and domain comes from the
``.po`` headers, and a translator exports and imports just the strings that need review."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot import ui_translations
from bot.cli import app
from bot.i18n import LOCALES_DIR
from tests.languages.conftest import load_catalogue

runner = CliRunner()


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ``locales/`` for commands that write translations back."""
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy)
    monkeypatch.setattr(ui_translations, "LOCALES_DIR", copy)
    return copy


@pytest.mark.parametrize("lang", ["fr", "ps", "ckb"])
def test_new_languages_say_they_are_machine_made(lang: str) -> None:
    rows = [row for row in ui_translations.statuses((lang,))]
    assert {row.domain for row in rows} == {
        "core", "telegram", "matrix", "reminders", "interpreter", "lotsen", "feedback"
    }  # fmt: skip
    assert all(row.status == ui_translations.MACHINE_MADE for row in rows)
    assert all(row.total > 0 and row.missing == 0 and row.fuzzy == 0 for row in rows)


def test_status_shows_interface_strings_and_catalogue_texts(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine, tmp_path)
    env = {"WEGWEISER_DATABASE_URL": sqlite_url, "COLUMNS": "200"}
    result = runner.invoke(app, ["translations", "status"], env=env)
    assert result.exit_code == 0, result.output
    interface, catalogue = result.output.split("Catalogue translations")
    fr_core = next(line for line in interface.splitlines() if "│ fr " in line and " core " in line)
    assert "machine-made, awaiting review" in fr_core
    assert "not stated" in next(line for line in interface.splitlines() if "│ ar " in line)
    assert next(line for line in catalogue.splitlines() if "│ de-simple " in line)

    out = tmp_path / "fr.csv"
    export = ["translations", "export", "fr", "--format", "csv", "--needs-review"]
    result = runner.invoke(app, [*export, "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert "service/hafenau-sprachkurse/description" in "\n".join(rows)  # missing in French
    assert not [row for row in rows if row.startswith("service/hafenau-sprachkurse/title")]
    assert all(row.endswith((",missing", ",machine", ",outdated")) for row in rows[1:])


def test_export_and_import_of_the_strings_that_need_review(locales: Path, tmp_path: Path) -> None:
    exported = tmp_path / "fr.po"
    result = runner.invoke(
        app, ["translations", "export", "fr", "--interface", "--out", str(exported)]
    )
    assert result.exit_code == 0, result.output
    review = polib.pofile(str(exported))
    matrix = [entry for entry in review if entry.msgctxt == "interface/matrix"]
    assert matrix and all("fuzzy" in entry.flags for entry in matrix)  # machine-made: to check
    assert len(review) == sum(row.total for row in ui_translations.statuses(("fr",)))
    # The reviewer corrects one Matrix string, confirms the others; the rest stays fuzzy.
    unreadable = next(entry for entry in matrix if entry.msgid.startswith("Sorry"))
    unreadable.msgstr = "Désolé, je n’ai pas pu lire votre dernier message. Renvoyez-le, svp."
    for entry in matrix:
        entry.flags.remove("fuzzy")
    review.save(str(exported))

    result = runner.invoke(app, ["translations", "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "fr: 1 interface strings stored as reviewed" in result.output  # one changed
    assert "still marked fuzzy" in result.output
    stored = polib.pofile(str(locales / "fr" / "LC_MESSAGES" / "matrix.po"))
    assert stored.metadata[ui_translations.STATUS_HEADER] == ui_translations.REVIEWED
    assert stored.find(unreadable.msgid).msgstr.endswith("Renvoyez-le, svp.")
    core = polib.pofile(str(locales / "fr" / "LC_MESSAGES" / "core.po"))
    assert core.metadata[ui_translations.STATUS_HEADER] == ui_translations.MACHINE_MADE
    again = ui_translations.needing_review("fr")
    assert not [item for item in again if item.domain == "matrix"]  # reviewed: nothing to do


def test_csv_export_and_a_wrong_line_changes_nothing(locales: Path, tmp_path: Path) -> None:
    exported = tmp_path / "ps.csv"
    result = runner.invoke(
        app,
        ["translations", "export", "ps", "--interface", "--format", "csv", "--out", str(exported)],
    )
    assert result.exit_code == 0, result.output
    text = exported.read_text(encoding="utf-8")
    assert text.startswith("context,source_en,translation_ps,status\n")
    assert "interface/telegram" in text and ",machine\n" in text
    before = (locales / "ps" / "LC_MESSAGES" / "telegram.po").read_bytes()
    broken = tmp_path / "broken.csv"
    broken.write_text(text.replace("interface/telegram", "interface/nowhere", 1), "utf-8")
    result = runner.invoke(app, ["translations", "import", str(broken)])
    assert result.exit_code == 1 and "nowhere: no such string" in result.output
    assert (locales / "ps" / "LC_MESSAGES" / "telegram.po").read_bytes() == before
