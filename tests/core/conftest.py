"""A small catalogue (two regions) imported through the real importer, and a chat helper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.core.messages import Kind
from bot.settings import Settings
from tests import helpers

CATALOGUE = Path(__file__).with_name("data")
DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def load_catalogue(engine: Engine) -> None:
    helpers.load_catalogue(engine, CATALOGUE, NOW)


class Chat(helpers.Chat):
    """One user talking to the bot; options are named by their values."""

    async def start(self, payload: str | None = None) -> str:
        await self.send(Kind.START, payload=payload)
        return self.text

    @property
    def options(self) -> list[str]:
        return [option.value for option in self.replies[-1].options] if self.replies else []

    def option(self, prefix: str) -> str:
        """The value of the last reply's first option starting with ``prefix``."""
        return next(value for value in self.options if value.startswith(prefix))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


def _app(engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    load_catalogue(engine)
    return build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)


@pytest.fixture
def app(sqlite_engine: Engine, clock: FakeClock, tmp_path: Path) -> Iterator[Wegweiser]:
    """The bot on SQLite with the test catalogue: for dialogue tests."""
    yield _app(sqlite_engine, clock, tmp_path)


@pytest.fixture
def app_any_db(engine: Engine, clock: FakeClock, tmp_path: Path) -> Iterator[Wegweiser]:
    """The bot on SQLite and on PostgreSQL: where what is stored matters."""
    yield _app(engine, clock, tmp_path)


def _demo_app(engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    helpers.load_catalogue(engine, DEMO_CATALOGUE, NOW)
    return build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)


@pytest.fixture
def demo_app(sqlite_engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    """The bot on SQLite with the demo catalogue: real services from the source documents."""
    return _demo_app(sqlite_engine, clock, tmp_path)


@pytest.fixture
def demo_app_any_db(engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    """The demo catalogue on SQLite and on PostgreSQL."""
    return _demo_app(engine, clock, tmp_path)


@pytest.fixture
def chat(app: Wegweiser) -> Chat:
    return Chat(app, language_code="de")
