"""`wegweiser run` as an admin starts it: a real process answering on Telegram, stopping cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from services_catalog.importer import import_path
from tests.servers.fake_telegram import FakeTelegramServer

DEMO = Path(__file__).resolve().parent.parent / "services_catalog" / "demo"
WEGWEISER = [sys.executable, "-m", "bot.cli"]


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEGWEISER_")}
    env |= {
        "WEGWEISER_DATA_DIR": str(tmp_path / "data"),
        "WEGWEISER_DATABASE_URL": database_url,
        "WEGWEISER_LOG_LEVEL": "INFO",
        **extra,
    }
    return env


async def test_run_answers_on_telegram_and_stops_cleanly_on_sigterm(
    sqlite_engine: Engine, sqlite_url: str, tmp_path: Path
) -> None:
    import_path(sqlite_engine, DEMO)
    async with FakeTelegramServer() as server:
        env = _env(
            tmp_path,
            sqlite_url,
            WEGWEISER_TELEGRAM_TOKEN="123456:TEST",
            WEGWEISER_TELEGRAM_API_URL=server.base_url,
        )
        process = await asyncio.create_subprocess_exec(
            *WEGWEISER, "run", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            server.set_language(501, "de")
            server.send_start(501, "LdeGrostock")
            await server.next_messages(501, count=1, timeout=60)
            server.send_text(501, "Ich suche einen Deutschkurs")
            courses = await server.next_message_where(
                501, lambda message: "Volkshochschule" in message.text, timeout=30
            )
            assert "Rostock" in courses.text
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    log = stdout.decode() + stderr.decode()
    assert "telegram adapter running" in log
    assert "Deutschkurs" not in log, "message text must never reach the log at INFO"


def test_run_without_a_platform_says_what_to_set(sqlite_url: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [*WEGWEISER, "run"],
        env=_env(tmp_path, sqlite_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "WEGWEISER_TELEGRAM_TOKEN" in result.stderr


def test_run_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = subprocess.run(
        [*WEGWEISER, "run"],
        env=_env(tmp_path, url, WEGWEISER_TELEGRAM_TOKEN="123456:TEST"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "wegweiser db upgrade" in result.stderr
