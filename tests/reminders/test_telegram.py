"""10,000 reminders due at once, sent by the real Telegram adapter to the Bot API test server
with its flood limits on: nothing refused, nothing lost, nothing twice.

The server's limits are scaled up from Telegram's 30 a second so the test takes seconds rather
than minutes; the per-chat limit is Telegram's own (one a second). Pacing here is real time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.adapters.telegram import TelegramAdapter
from bot.app import build_app
from bot.clock import FakeClock
from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus
from bot.reminders.queue import RateLimit
from bot.reminders.service import ReminderService
from bot.settings import Settings
from tests.reminders.conftest import DUE, FIRST_CHAT, add_due_reminders, load_catalogue
from tests.servers.fake_telegram import FakeTelegramServer

SERVER_PER_SECOND = 500
OUR_PER_SECOND = 400  # the queue stays below the server's limit, as below Telegram's 30


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


async def test_ten_thousand_reminders_through_the_telegram_test_server(
    fake: FakeTelegramServer, sqlite_engine: Engine, tmp_path: Path
) -> None:
    load_catalogue(sqlite_engine)
    settings = Settings(
        _env_file=None, data_dir=tmp_path, telegram_token="123:TEST", telegram_api_url=fake.base_url
    )
    app = build_app(settings, clock=FakeClock(DUE), engine=sqlite_engine)
    adapter = TelegramAdapter(app, overall_per_second=SERVER_PER_SECOND, per_chat_per_second=1)
    app.outbox.register(adapter)
    await adapter.start()
    try:
        assert add_due_reminders(sqlite_engine, "telegram", chats=9_000, doubles=1_000) == 10_000
        fake.rate_limit(overall_per_second=SERVER_PER_SECOND, per_chat_per_second=1)
        limits = {"telegram": RateLimit(OUR_PER_SECOND, chat_interval=1.0, concurrency=32)}
        report = await ReminderService(app, limits=limits).run_due()
    finally:
        await adapter.stop()

    assert fake.rate_limited == []
    assert report.sent == 10_000
    received = Counter(int(call.params["chat_id"]) for call in fake.calls_to("sendMessage"))
    assert len(received) == 9_000 and sum(received.values()) == 10_000
    assert {received[FIRST_CHAT], received[FIRST_CHAT + 8_999]} == {2, 1}
    first = fake.messages_to(FIRST_CHAT)[0]  # a German speaker's, with its button
    assert first.text.startswith("Erinnerung: „Integrationskurs A1 Frühling“ findet am Montag")
    assert first.buttons == [[("Diese Erinnerungen beenden", "rem:del:rostock-a1-fruehling")]]
    with Session(sqlite_engine) as session:
        statuses = session.exec(select(Reminder.status, func.count()).group_by(Reminder.status))
        assert dict(statuses.all()) == {ReminderStatus.SENT: 10_000}
        assert session.exec(select(func.count()).select_from(ReminderDelivery)).one() == 10_000
