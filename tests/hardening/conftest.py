"""The bot with the core tests' small catalogue (Rostock and one more town), on a fake clock."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.settings import Settings
from tests.core.conftest import NOW, Chat, load_catalogue


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


def make_app(engine: Engine, clock: FakeClock, tmp_path) -> Wegweiser:  # type: ignore[no-untyped-def]
    load_catalogue(engine)
    return build_app(Settings(_env_file=None, data_dir=tmp_path), clock=clock, engine=engine)  # type: ignore[call-arg]


@pytest.fixture
def app(sqlite_engine: Engine, clock: FakeClock, tmp_path) -> Wegweiser:  # type: ignore[no-untyped-def]
    return make_app(sqlite_engine, clock, tmp_path)


@pytest.fixture
def chat(app: Wegweiser) -> Chat:
    return Chat(app, language_code="de")
