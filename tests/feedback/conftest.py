"""The bot with a two-service catalogue and a fake clock, for the "Something is wrong" reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.settings import Settings
from tests import helpers

DATA = Path(__file__).with_name("data")
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
SERVICE = "rostock-migrationsberatung"
OTHER = "rostock-sprachcafe"


class Chat(helpers.Chat):
    @property
    def options(self) -> dict[str, str]:
        """Label → value of the last reply's options."""
        return {option.label: option.value for option in self.replies[-1].options}

    def option(self, label_part: str) -> str:
        return next(v for label, v in self.options.items() if label_part in label)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


def _app(engine: Engine, clock: FakeClock, tmp_path: Path) -> Wegweiser:
    helpers.load_catalogue(engine, DATA, NOW)
    return build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)


@pytest.fixture
def app(engine: Engine, clock: FakeClock, tmp_path: Path) -> Iterator[Wegweiser]:
    """The bot on SQLite and on PostgreSQL."""
    yield _app(engine, clock, tmp_path)


async def at_card(app: Wegweiser, user_id: str = "u1", lang: str = "en") -> Chat:
    """A person in Rostock looking at the migration counselling card."""
    chat = Chat(app, user_id, lang)
    await chat.say("/start")
    await chat.press("core:region:rostock")
    await chat.press(f"core:svc:{SERVICE}")
    return chat
