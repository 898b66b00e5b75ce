"""A small catalogue (two regions) imported through the real importer, and a chat helper."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.core.messages import Incoming, Kind, Reply
from bot.settings import Settings
from services_catalog.db import session_scope
from services_catalog.importer import import_path
from services_catalog.topics import sync_topics

CATALOGUE = Path(__file__).with_name("data")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def load_catalogue(engine: Engine) -> None:
    with session_scope(engine) as session:
        sync_topics(session, NOW)
    import_path(engine, CATALOGUE)


class Chat:
    """One user talking to the bot; ``say`` returns the replies' plain texts."""

    def __init__(self, app: Wegweiser, user_id: str = "u1", language_code: str | None = None):
        self.app = app
        self.user_id = user_id
        self.language_code = language_code
        self.replies: list[Reply] = []

    async def send(self, kind: Kind = Kind.TEXT, **fields: object) -> list[Reply]:
        message = Incoming(
            platform="test",
            chat_id=f"chat-{self.user_id}",
            user_id=self.user_id,
            kind=kind,
            language_code=self.language_code,
            **fields,  # type: ignore[arg-type]
        )
        self.replies = await self.app.conversation.handle(message)
        return self.replies

    async def say(self, text: str) -> str:
        await self.send(text=text)
        return self.text

    async def press(self, value: str) -> str:
        await self.send(Kind.BUTTON, button=value)
        return self.text

    async def start(self, payload: str | None = None) -> str:
        await self.send(Kind.START, payload=payload)
        return self.text

    @property
    def text(self) -> str:
        return "\n\n".join(reply.plain_text for reply in self.replies)

    @property
    def options(self) -> list[str]:
        return [option.value for option in self.replies[-1].options] if self.replies else []

    @property
    def labels(self) -> list[str]:
        return [option.label for option in self.replies[-1].options] if self.replies else []

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


@pytest.fixture
def chat(app: Wegweiser) -> Chat:
    return Chat(app, language_code="de")
