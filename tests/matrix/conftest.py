"""One real Synapse per test session, a bot account per test, and people who write to the bot.

If Synapse cannot be installed or started the fixture raises, so the tests fail instead of
being skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.adapters.matrix import MatrixAdapter
from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.settings import Settings
from tests.helpers import load_catalogue
from tests.matrix.people import Person, unique
from tests.matrix.trust import CarefulPerson
from tests.servers.synapse import SynapseServer

CATALOGUE = Path(__file__).with_name("catalogue")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def synapse() -> Iterator[SynapseServer]:
    server = SynapseServer.start()
    yield server
    server.stop()


@pytest.fixture
def bot_account(synapse: SynapseServer) -> tuple[str, str]:
    """A fresh bot user (id, password) for each test."""
    password = "bot-secret"
    user_id = synapse.register(unique("wegweiser"), password)["user_id"]
    return user_id, password


@pytest.fixture
def settings(synapse: SynapseServer, bot_account: tuple[str, str], tmp_path: Path) -> Settings:
    """The bot's Matrix account on the test server, with its data in the test's own folder."""
    user_id, password = bot_account
    return Settings(
        data_dir=tmp_path,
        matrix_homeserver=synapse.url,
        matrix_user=user_id,
        matrix_password=password,
        matrix_store=tmp_path / "matrix-store",
    )


@pytest.fixture
async def people(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[Callable]:
    """Make logged-in people with their own encrypted device; all are logged out afterwards."""
    made: list[Person] = []

    async def make(name: str = "amal", careful: bool = False) -> Person:
        """``careful``: a client that talks only to cross-signed devices (as Element does)."""
        kind = CarefulPerson if careful else Person
        person = kind(synapse, unique(name), tmp_path / f"person-{len(made)}")
        made.append(person)
        await person.connect()
        return person

    yield make
    for person in made:
        await person.close()


@pytest.fixture
def catalogue_engine(sqlite_engine: Engine) -> Engine:
    load_catalogue(sqlite_engine, CATALOGUE, NOW)
    return sqlite_engine


@pytest.fixture
async def wegweiser(settings: Settings, catalogue_engine: Engine) -> AsyncIterator[Callable]:
    """Start the bot as ``wegweiser run`` does (each call is a new process, same data)."""
    running: list[MatrixAdapter] = []

    async def start() -> MatrixAdapter:
        app: Wegweiser = build_app(settings, clock=FakeClock(NOW), engine=catalogue_engine)
        adapter = MatrixAdapter(app)
        app.outbox.register(adapter)
        await adapter.start()
        running.append(adapter)
        return adapter

    yield start
    for adapter in running:
        await adapter.stop()
