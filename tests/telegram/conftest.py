"""The real python-telegram-bot Application against the fake Bot API server, with the real app.

``scripted`` swaps the dialogue for a conversation that answers what each test tells it, for
tests about the adapter alone; ``telegram`` runs the whole bot on a small Rostock catalogue.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.adapters.telegram import TelegramAdapter
from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.core.messages import Incoming, Reply
from bot.settings import Settings
from services_catalog.importer import import_path
from tests.servers.fake_telegram import FakeTelegramServer

CATALOGUE = Path(__file__).parent / "catalogue" / "rostock.yaml"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TOKEN = "123456:TEST-TOKEN"
LONG_PARAGRAPHS = 12
"""Paragraphs of the housing service's description: together far over 4,096 characters."""


def long_description(lang: str) -> str:
    sentence = {
        "de": "Wir helfen bei der Suche nach einer Wohnung und beim Wohnberechtigungsschein. ",
        "en": "We help you look for a flat and apply for a housing entitlement certificate. ",
    }[lang]
    return "\n\n".join(f"{number}. " + sentence * 5 for number in range(1, LONG_PARAGRAPHS + 1))


@pytest.fixture
def catalogue_engine(sqlite_engine: Engine, tmp_path: Path) -> Engine:
    """A migrated database holding the test catalogue (with its long and its <&> texts)."""
    directory = tmp_path / "catalogue"
    directory.mkdir()
    text = CATALOGUE.read_text(encoding="utf-8")
    text = text.replace("{long_de}", long_description("de").replace("\n", "\\n"))
    text = text.replace("{long_en}", long_description("en").replace("\n", "\\n"))
    (directory / "rostock.yaml").write_text(text, encoding="utf-8")
    import_path(sqlite_engine, directory)
    return sqlite_engine


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def settings(fake: FakeTelegramServer, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        telegram_token=TOKEN,
        telegram_api_url=fake.base_url,
    )


@pytest.fixture
def wegweiser(settings: Settings, catalogue_engine: Engine) -> Wegweiser:
    return build_app(settings, clock=FakeClock(NOW), engine=catalogue_engine)


@pytest.fixture
async def telegram(wegweiser: Wegweiser) -> AsyncIterator[TelegramAdapter]:
    """The whole bot on Telegram, pacing chats fast so conversations need no waiting."""
    adapter = TelegramAdapter(wegweiser, per_chat_per_second=1000)
    wegweiser.outbox.register(adapter)
    await adapter.start()
    yield adapter
    await adapter.stop()


class ScriptedConversation:
    """Answers each message with what ``answer`` returns and keeps what came in."""

    def __init__(self) -> None:
        self.received: list[Incoming] = []
        self.answer: Callable[[Incoming], list[Reply]] = lambda message: [
            Reply.text(f"got {message.kind}", lang="en")
        ]

    async def handle(self, message: Incoming) -> list[Reply]:
        self.received.append(message)
        return self.answer(message)


@pytest.fixture
def scripted(wegweiser: Wegweiser) -> ScriptedConversation:
    conversation = ScriptedConversation()
    wegweiser.conversation = conversation  # type: ignore[assignment]
    return conversation


@pytest.fixture
async def adapter(
    wegweiser: Wegweiser, scripted: ScriptedConversation
) -> AsyncIterator[TelegramAdapter]:
    """The adapter alone: the real Application, with the scripted conversation behind it."""
    adapter = TelegramAdapter(wegweiser, per_chat_per_second=1000)
    await adapter.start()
    yield adapter
    await adapter.stop()
