"""Counters filled by conversations through the real Telegram adapter and a fake Bot API server."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import select

from bot.adapters.telegram import TelegramAdapter
from bot.clock import FakeClock
from bot.lotsen.payload import build_payload
from bot.monitoring.models import DailyCount
from bot.settings import Settings
from services_catalog.db import session_scope
from tests.monitoring.conversations import NOW, bot_with_catalogue, referral_code
from tests.servers.fake_telegram import FakeTelegramServer


def count(engine: Engine, metric: str, **dimensions: str) -> int:
    query = select(func.coalesce(func.sum(DailyCount.count), 0)).where(DailyCount.metric == metric)
    for name, value in dimensions.items():
        query = query.where(getattr(DailyCount, name) == value)
    with session_scope(engine) as session:
        return int(session.exec(query).one())


async def test_telegram_deep_link_and_questions_are_counted(engine: Engine, tmp_path: Path) -> None:
    async with FakeTelegramServer() as server:
        wegweiser = bot_with_catalogue(engine, FakeClock(NOW), tmp_path)
        code = referral_code(engine, "Café International", lang="de", region="rostock")
        wegweiser.settings = Settings(
            _env_file=None, telegram_token="123456:TEST", telegram_api_url=server.base_url
        )
        adapter = TelegramAdapter(wegweiser, per_chat_per_second=1000)
        wegweiser.outbox.register(adapter)
        await adapter.start()
        try:
            server.send_start(501, build_payload(referral_code=code))
            greeting = await server.next_messages(501, count=2)
            assert "Wegweiser" in greeting[0].text  # greeted in German, region already set
            server.send_text(501, "Migrationsberatung")
            [card] = await server.next_messages(501)
            assert "Migrationsberatung Rostock" in card.text
            server.send_start(502, build_payload(referral_code=code, topic="housing"))
            replies = await server.next_messages(502, count=2)
            assert "anonym" in replies[-1].text
            await server.wait_until(lambda: count(engine, "unmet_need") == 1)
        finally:
            await adapter.stop()

    assert count(engine, "start", referral_code=code, region="rostock", lang="de") == 2
    assert count(engine, "question", topic="migration_counselling", lang="de") == 1
    assert count(engine, "card_shown", service_id="rostock-migrationsberatung") == 1
    assert count(engine, "question", topic="housing", region="rostock") == 1
    assert count(engine, "unmet_need", topic="housing", region="rostock") == 1
