"""What several test packages share: a test catalogue loaded through the real importer, someone
writing to the bot through the real conversation, and a platform that records what it was given."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from bot.app import Wegweiser
from bot.core.messages import Incoming, Kind, Reply
from services_catalog.db import session_scope
from services_catalog.importer import import_path
from services_catalog.topics import sync_topics


def load_catalogue(engine: Engine, directory: Path, now: datetime) -> None:
    """The fixed topics, then the region files in ``directory``, as an admin would load them."""
    with session_scope(engine) as session:
        sync_topics(session, now)
    import_path(engine, directory)


class Chat:
    """One person writing to the bot through ``app.conversation``; answers come back as text."""

    def __init__(
        self,
        app: Wegweiser,
        user_id: str = "u1",
        language_code: str | None = None,
        *,
        platform: str = "test",
        chat_id: str | None = None,
    ) -> None:
        self.app = app
        self.user_id = user_id
        self.language_code = language_code
        self.platform = platform
        self.chat_id = chat_id or f"chat-{user_id}"
        self.replies: list[Reply] = []

    async def send(self, kind: Kind = Kind.TEXT, **fields: object) -> list[Reply]:
        message = Incoming(
            platform=self.platform,
            chat_id=self.chat_id,
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

    @property
    def text(self) -> str:
        """The plain texts of the last replies, as the person reads them."""
        return "\n\n".join(reply.plain_text for reply in self.replies)

    @property
    def labels(self) -> list[str]:
        """The labels of the last reply's options, in order."""
        return [option.label for option in self.replies[-1].options] if self.replies else []


@dataclass
class RecordingTransport:
    """A platform that keeps what it was given; ``failures`` lists errors to raise first."""

    platform: str
    sent: list[tuple[str, Reply]] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def send(self, chat_id: str, reply: Reply) -> None:
        await asyncio.sleep(0)
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat_id, reply))

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [reply.plain_text for chat, reply in self.sent if chat_id in (None, chat)]


class VirtualPacer:
    """Pacing in virtual seconds: waiting advances the time instead of sleeping."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


WEGWEISER = str(Path(sys.executable).with_name("wegweiser"))


def run_chat(url: str, data_dir: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`wegweiser chat` as a real process with piped input, as `make demo` and admins use it."""
    env = {**os.environ, "WEGWEISER_DATABASE_URL": url, "WEGWEISER_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [WEGWEISER, "chat", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir,
        timeout=120,
        check=False,
    )
