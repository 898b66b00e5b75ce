"""Real conversations for the monitoring tests: the bot as built for production, a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.lotsen.codes import add_code
from bot.settings import Settings
from services_catalog.db import session_scope
from tests.helpers import load_catalogue

CATALOGUE = Path(__file__).with_name("data")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday


def bot_with_catalogue(engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    load_catalogue(engine, CATALOGUE, clock.now())
    return build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)


def referral_code(engine: Engine, label: str, **presets: str) -> str:
    with session_scope(engine) as session:
        return add_code(session, label, NOW, **presets).code
