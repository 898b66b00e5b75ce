"""`wegweiser chat` with piped stdin, as `make demo` and admins use it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.core.conftest import load_catalogue
from tests.helpers import run_chat


def test_piped_question_prints_the_language_courses(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine)
    done = run_chat(sqlite_url, tmp_path, "Deutschkurs\n", "--lang", "de", "--region", "rostock")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Hallo! Ich bin Wegweiser.")
    assert "> Deutschkurs\nHier bekommen Sie Hilfe in Rostock:" in out
    assert "Integrationskurse der Volkshochschule" in out
    assert "Beispiel: Integrationskurs A1, 11.01.2027 bis 30.06.2027" in out
    assert "Sprachcafé am Mittwoch" in out


def test_without_options_chat_asks_language_and_region(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine)
    done = run_chat(sqlite_url, tmp_path, "5\n1\n")
    assert done.returncode == 0, done.stderr
    assert "Будь ласка, виберіть свою мову." in done.stdout
    assert "> 5\nВітаю! Я Wegweiser." in done.stdout
    assert "Ваше місто: Koblenz." in done.stdout
    # Each run is a fresh conversation: the language is asked again.
    again = run_chat(sqlite_url, tmp_path, "")
    assert "Please choose your language." in again.stdout


def test_unknown_region_is_a_clear_error(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine)
    done = run_chat(sqlite_url, tmp_path, "", "--region", "atlantis")
    assert done.returncode != 0
    assert "Unknown region 'atlantis'" in done.stderr
    assert "koblenz, rostock" in done.stderr


def test_unmigrated_database_says_what_to_run(tmp_path: Path) -> None:
    done = run_chat(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path, "")
    assert done.returncode == 1
    assert "Run `wegweiser db upgrade` first." in done.stderr
