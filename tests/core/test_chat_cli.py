"""`wegweiser chat` with piped stdin, as `make demo` and admins use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from tests.core.conftest import load_catalogue

WEGWEISER = str(Path(sys.executable).with_name("wegweiser"))


def _chat(url: str, tmp_path: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WEGWEISER_DATABASE_URL": url, "WEGWEISER_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [WEGWEISER, "chat", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_piped_question_prints_the_language_courses(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine)
    done = _chat(sqlite_url, tmp_path, "Deutschkurs\n", "--lang", "de", "--region", "rostock")
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
    done = _chat(sqlite_url, tmp_path, "5\n1\n")
    assert done.returncode == 0, done.stderr
    assert "Будь ласка, виберіть свою мову." in done.stdout
    assert "> 5\nВітаю! Я Wegweiser." in done.stdout
    assert "Ваше місто: Koblenz." in done.stdout
    # Each run is a fresh conversation: the language is asked again.
    again = _chat(sqlite_url, tmp_path, "")
    assert "Please choose your language." in again.stdout


def test_unknown_region_is_a_clear_error(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine)
    done = _chat(sqlite_url, tmp_path, "", "--region", "atlantis")
    assert done.returncode != 0
    assert "Unknown region 'atlantis'" in done.stderr
    assert "koblenz, rostock" in done.stderr


def test_unmigrated_database_says_what_to_run(tmp_path: Path) -> None:
    done = _chat(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path, "")
    assert done.returncode == 1
    assert "Run `wegweiser db upgrade` first." in done.stderr
