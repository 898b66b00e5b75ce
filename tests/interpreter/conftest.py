"""The bot with three towns, a fake clock and recording transports for people and coordinators.

Lindenau's pool (Arabic, Persian, Ukrainian, Tigrinya) is coordinated in the Telegram group
``-100777``; Hafenstadt's pool names no languages and no chat, so the settings' Matrix room serves
it; Dorfheim has no pool at all. The clock starts on Monday 2 March 2026, 09:00 UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.core.messages import Kind
from bot.interpreter.models import CoordinatorReply, InterpreterRequest
from bot.interpreter.service import InterpreterService
from bot.settings import Settings
from tests import helpers
from tests.helpers import RecordingTransport

CATALOGUE = Path(__file__).with_name("catalogue")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POOL = "lindenau-sprachmittler"
LINDENAU_GROUP = "-100777"
FALLBACK_ROOM = "!coordination:example.org"


def load_catalogue(engine: Engine) -> None:
    helpers.load_catalogue(engine, CATALOGUE, NOW)


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path,
        "interpreter_coordination_chat": f"matrix:{FALLBACK_ROOM}",
        "interpreter_remind_hours": 24,
        "interpreter_retention_days": 30,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[arg-type, call-arg]


class Chat(helpers.Chat):
    """Someone writing to the bot; options are named by the start of their labels."""

    @property
    def options(self) -> dict[str, str]:
        """Label → value of the last reply's options."""
        return {option.label: option.value for option in self.replies[-1].options}

    def option(self, label_start: str) -> str:
        found = [v for label, v in self.options.items() if label.startswith(label_start)]
        assert found, f"no option starting with {label_start!r} in {list(self.options)}"
        return found[0]


@dataclass
class Bot:
    app: Wegweiser
    clock: FakeClock
    people: RecordingTransport  # platform "test"
    telegram: RecordingTransport
    matrix: RecordingTransport

    @property
    def service(self) -> InterpreterService:
        return next(s for s in self.app.background if isinstance(s, InterpreterService))

    def person(self, user_id: str = "p1", language_code: str = "en") -> Chat:
        return Chat(self.app, user_id, language_code)

    def coordinator(self, user_id: str = "501", chat_id: str = LINDENAU_GROUP) -> Chat:
        return Chat(self.app, user_id, "de", platform="telegram", chat_id=chat_id)

    def requests(self) -> list[InterpreterRequest]:
        with Session(self.app.engine) as session:
            return list(session.exec(select(InterpreterRequest).order_by(InterpreterRequest.id)))

    def replies(self) -> list[CoordinatorReply]:
        with Session(self.app.engine) as session:
            return list(session.exec(select(CoordinatorReply)))

    async def request(
        self, person: Chat, language: str = "ar", kind: str = "doctor", when: str = "2026-03-03"
    ) -> str:
        """Lindenau, then the whole flow by buttons; returns the new request's reference."""
        await person.send(Kind.START)
        await person.press("core:region:lindenau")
        await person.press("itp:new")
        await person.press(f"itp:lang:{language}")
        await person.press(f"itp:kind:{language}:{kind}")
        await person.press(f"itp:when:{language}:{kind}:{when}")
        await person.press(person.option("✅"))
        await self.service.settle()
        return self.requests()[-1].reference


def make_bot(engine: Engine, tmp_path: Path, **overrides: object) -> Bot:
    load_catalogue(engine)
    clock = FakeClock(NOW)
    app = build_app(settings_for(tmp_path, **overrides), clock=clock, engine=engine)
    transports = [RecordingTransport(name) for name in ("test", "telegram", "matrix")]
    for transport in transports:
        app.outbox.register(transport)
    return Bot(app, clock, *transports)


@pytest.fixture
async def bot(sqlite_engine: Engine, tmp_path: Path) -> Iterator[Bot]:
    """On SQLite, with the interpreter service running as in production; tests move the clock
    and call ``run_once`` instead of waiting for its scheduler."""
    made = make_bot(sqlite_engine, tmp_path)
    await made.service.start()
    yield made
    await made.service.stop()


@pytest.fixture
async def bot_any_db(engine: Engine, tmp_path: Path) -> Iterator[Bot]:
    """On SQLite and on PostgreSQL."""
    made = make_bot(engine, tmp_path)
    await made.service.start()
    yield made
    await made.service.stop()
