"""Counters filled by real conversations typed into the terminal adapter."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import select

from bot.adapters.terminal import TerminalAdapter
from bot.clock import FakeClock
from bot.lotsen.payload import build_payload
from bot.monitoring.models import DailyCount
from services_catalog.db import session_scope
from tests.monitoring.conversations import NOW, bot_with_catalogue, referral_code


def totals(engine: Engine) -> dict[tuple[str, str, str, str, str, str], int]:
    with session_scope(engine) as session:
        found: dict[tuple[str, str, str, str, str, str], int] = {}
        for row in session.exec(select(DailyCount)):
            assert row.day == date(2026, 12, 1)
            key = (row.metric, row.topic, row.lang, row.region, row.service_id, row.referral_code)
            found[key] = found.get(key, 0) + row.count
        return found


async def test_terminal_conversations_are_counted(engine: Engine, tmp_path: Path) -> None:
    app = bot_with_catalogue(engine, FakeClock(NOW), tmp_path)
    code = referral_code(engine, "Café International", lang="de", region="rostock")
    payload = build_payload(referral_code=code)

    transcripts = []
    for user, lines in (
        ("amira", [f"/start {payload}", "Migrationsberatung", "Ich suche eine Wohnung"]),
        ("olek", [f"/start {payload}", "Wohnung"]),
    ):
        output = io.StringIO()
        adapter = TerminalAdapter(app.conversation, output=output, user_id=user)
        await adapter.run(lines)
        transcripts.append(output.getvalue())

    # What the people saw: the service card, and the honest answer that nothing is known.
    assert "Migrationsberatung Rostock" in transcripts[0]
    assert "0381 000 00 00" in transcripts[0]
    assert "Ich habe anonym notiert, dass es gebraucht wird." in transcripts[1]

    counted = totals(engine)
    assert counted[("start", "", "", "", "", "")] == 2  # the terminal's own greeting, no link
    assert counted[("start", "", "de", "rostock", "", code)] == 2
    assert counted[("question", "migration_counselling", "de", "rostock", "", "")] == 1
    assert counted[("question", "housing", "de", "rostock", "", "")] == 2
    assert counted[("unmet_need", "housing", "", "rostock", "", "")] == 2
    assert counted[("card_shown", "", "de", "rostock", "rostock-migrationsberatung", "")] == 1

    # Nothing personal: no user id and no message text anywhere in the counters table.
    with engine.connect() as connection:
        dump = " ".join(
            str(value)
            for row in connection.execute(text("SELECT * FROM monitoring_daily_count"))
            for value in row
        )
    for personal in ("amira", "olek", "Wohnung", "Ich suche", "Migrationsberatung Rostock"):
        assert personal not in dump
