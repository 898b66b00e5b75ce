"""A small catalogue with a nationwide layer, and the demo catalogue, for the way to a person."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.settings import Settings
from tests import helpers

CATALOGUE = Path(__file__).with_name("catalogue")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def app(engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    """The bot on SQLite and PostgreSQL with two towns and a nationwide layer."""
    helpers.load_catalogue(engine, CATALOGUE, NOW)
    return build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)
