"""Firing reminders from the database: once each, late rather than never, never after the event."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.clock import FakeClock
from bot.core.events import EventBus, ReminderSent
from bot.core.outbox import Outbox
from bot.reminders import store
from bot.reminders.models import ReminderStatus
from bot.reminders.queue import RateLimit
from bot.reminders.schedule import Kind, What
from bot.reminders.service import ReminderService
from bot.settings import Settings
from services_catalog.db import make_engine, session_scope
from tests.reminders.conftest import (
    A1,
    DEADLINE_DUE,
    TEST_LIMIT,
    Blocked,
    Bot,
    RecordingTransport,
    VirtualPacer,
    subscribe,
)


async def test_a_due_reminder_is_sent_once_in_the_users_language(bot_any_db: Bot) -> None:
    bot = bot_any_db
    chat = await subscribe(bot, "u1", What.DEADLINE, "de")
    service = bot.service()
    assert (await service.run_due()).sent == 0

    bot.clock.set(DEADLINE_DUE)
    report = await service.run_due()
    assert report.sent == 1
    [(chat_id, reply)] = bot.transport.sent
    assert chat_id == chat.chat_id
    assert reply.plain_text == (
        "Erinnerung: Sie können sich bis Montag, 15. März 2027 für „Integrationskurs A1 Frühling“ "
        "anmelden.\nOrt: Am Kabutzenhof 20a, 18057 Rostock"
    )
    assert [(o.label, o.value) for o in reply.options] == [
        ("Diese Erinnerungen beenden", f"rem:del:{A1}")
    ]
    [row] = bot.rows()
    assert row.status == ReminderStatus.SENT
    [delivery] = bot.deliveries()
    assert (delivery.reminder_id, delivery.outcome, delivery.attempts) == (row.id, "sent", 1)
    assert ReminderSent(A1, "rostock") in bot.events

    bot.clock.advance(timedelta(hours=1))
    assert (await service.run_due()).sent == 0
    assert len(bot.transport.sent) == 1


async def test_a_session_after_the_clock_change_is_reminded_one_hour_before(bot: Bot) -> None:
    bot.clock.set(datetime(2027, 3, 27, 12, 0, tzinfo=UTC))
    await subscribe(bot, "u1", What.HOUR_BEFORE, "de")
    service = bot.service()

    bot.clock.set(datetime(2027, 3, 29, 5, 59, tzinfo=UTC))  # 07:59 summer time
    assert (await service.run_due()).sent == 0
    bot.clock.set(datetime(2027, 3, 29, 6, 0, tzinfo=UTC))  # 08:00 summer time
    assert (await service.run_due()).sent == 1
    assert bot.transport.texts()[0].startswith(
        "Erinnerung: „Integrationskurs A1 Frühling“ findet am Montag, 29. März 2027, 09:00 statt."
    )


async def test_reminders_due_while_the_bot_was_down_go_out_late_or_are_missed(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    await subscribe(bot, "u1", What.DEADLINE | What.START | What.DAY_BEFORE | What.HOUR_BEFORE)
    # Down from 1 March until Monday 22 March, 08:30 — half an hour before the first session.
    bot.clock.set(datetime(2027, 3, 22, 7, 30, tzinfo=UTC))
    report = await bot.service().run_due()

    assert (report.sent, report.missed) == (3, 1)
    statuses = {(row.kind, row.status) for row in bot.rows() if row.status != "pending"}
    assert statuses == {
        (Kind.DEADLINE, ReminderStatus.MISSED),  # the deadline passed: no use any more
        (Kind.START, ReminderStatus.SENT),
        (Kind.DAY_BEFORE, ReminderStatus.SENT),
        (Kind.HOUR_BEFORE, ReminderStatus.SENT),
    }
    assert not any("register" in text for text in bot.transport.texts())
    assert len([e for e in bot.events if isinstance(e, ReminderSent)]) == 3


async def test_a_failing_send_is_retried_with_back_off_then_given_up(bot: Bot) -> None:
    await subscribe(bot, "u1", What.DEADLINE)
    bot.transport.failures = [ConnectionError("timeout")] * 5
    service = bot.service()
    bot.clock.set(DEADLINE_DUE)

    waits = []
    for _ in range(4):
        assert (await service.run_due()).retried == 1
        [row] = bot.rows()
        assert row.status == ReminderStatus.PENDING
        waits.append(row.not_before - bot.clock.now())
        assert (await service.run_due()).handled == 0  # not before the back-off is over
        bot.clock.set(row.not_before)
    assert waits == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=8),
        timedelta(minutes=32),
    ]

    assert (await service.run_due()).failed == 1
    [row] = bot.rows()
    assert (row.status, row.attempts) == (ReminderStatus.FAILED, 5)
    [delivery] = bot.deliveries()
    assert (delivery.outcome, delivery.error) == ("failed", "ConnectionError")
    assert bot.transport.sent == []


async def test_a_send_that_works_on_the_second_try_is_sent_once(bot: Bot) -> None:
    await subscribe(bot, "u1", What.DEADLINE)
    bot.transport.failures = [ConnectionError("timeout")]
    service = bot.service()
    bot.clock.set(DEADLINE_DUE)
    await service.run_due()
    bot.clock.advance(timedelta(seconds=30))
    assert (await service.run_due()).sent == 1
    assert len(bot.transport.sent) == 1
    assert bot.rows()[0].attempts == 2


async def test_a_user_who_blocked_the_bot_fails_at_once(bot: Bot) -> None:
    await subscribe(bot, "u1", What.DEADLINE)
    bot.transport.failures = [Blocked("bot was blocked by the user")]
    bot.clock.set(DEADLINE_DUE)
    report = await bot.service().run_due()
    assert (report.failed, report.retried) == (1, 0)
    assert bot.rows()[0].status == ReminderStatus.FAILED
    assert bot.deliveries()[0].error == "Blocked"


@dataclass
class Gate:
    """A transport step that lets ``open_for`` sends through, then holds the next one."""

    open_for: int
    reached: asyncio.Event
    release: asyncio.Event


class GatedTransport(RecordingTransport):
    gate: Gate | None = None

    async def send(self, chat_id, reply) -> None:  # type: ignore[no-untyped-def]
        gate = self.gate
        if gate is not None and len(self.sent) >= gate.open_for:
            gate.reached.set()
            await gate.release.wait()
        await super().send(chat_id, reply)


async def test_stopping_with_reminders_pending_and_starting_again_sends_each_once(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    transport = GatedTransport("test")
    bot.app.outbox.register(transport)
    chats = [await subscribe(bot, f"u{n}", What.DEADLINE) for n in range(4)]

    one_at_a_time = {"test": RateLimit(per_second=30, chat_interval=1.0, concurrency=1)}
    first = bot.service(limits=one_at_a_time)
    await first.start()
    bot.clock.set(DEADLINE_DUE)
    transport.gate = Gate(open_for=2, reached=asyncio.Event(), release=asyncio.Event())
    running = asyncio.create_task(first.run_due())
    await transport.gate.reached.wait()  # two sent, the third in flight, the fourth waiting
    stopping = asyncio.create_task(first.stop())
    await asyncio.sleep(0)
    transport.gate.release.set()
    await asyncio.gather(running, stopping)
    assert len(transport.sent) == 3
    assert sorted(row.status for row in bot.rows()) == ["pending", "sent", "sent", "sent"]

    transport.gate = None
    second = bot.service()
    await second.start()  # rebuilt from the table
    await second.run_due()
    await second.stop()
    assert sorted(chat_id for chat_id, _ in transport.sent) == sorted(c.chat_id for c in chats)
    assert {row.status for row in bot.rows()} == {ReminderStatus.SENT}
    assert len(bot.deliveries()) == 4


@dataclass
class Worker:
    """Another bot process on the same database: own engine, own loop, own thread."""

    settings: Settings
    engine: Engine
    clock: FakeClock
    events: EventBus
    outbox: Outbox


async def test_two_workers_on_one_database_never_send_the_same_reminder(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    for n in range(40):
        await subscribe(bot, f"u{n}", What.DEADLINE)
    bot.clock.set(DEADLINE_DUE)
    url = bot.engine.url.render_as_string(hide_password=False)
    shared = RecordingTransport("test")

    def work() -> int:
        engine = make_engine(url)
        outbox = Outbox()
        outbox.register(shared)
        worker = Worker(bot.app.settings, engine, FakeClock(DEADLINE_DUE), EventBus(), outbox)
        service = ReminderService(
            worker, pacer=VirtualPacer(), limits={"test": TEST_LIMIT}, batch_size=3
        )
        try:
            return asyncio.run(service.run_due()).sent
        finally:
            engine.dispose()

    counts = await asyncio.gather(asyncio.to_thread(work), asyncio.to_thread(work))
    assert sum(counts) == 40
    chats = [chat_id for chat_id, _ in shared.sent]
    assert len(chats) == len(set(chats)) == 40
    assert len(bot.deliveries()) == 40


async def test_a_claim_left_by_a_crashed_worker_is_sent_after_its_lease(bot_any_db: Bot) -> None:
    bot = bot_any_db
    await subscribe(bot, "u1", What.DEADLINE)
    bot.clock.set(DEADLINE_DUE)
    with session_scope(bot.engine) as session:  # a worker claims, then dies before sending
        assert len(store.claim(session, "dead-worker", DEADLINE_DUE, 10)) == 1

    service = bot.service(lease=timedelta(minutes=10))
    assert (await service.run_due()).sent == 0
    bot.clock.advance(timedelta(minutes=10))
    assert (await service.run_due()).sent == 1
    assert len(bot.transport.sent) == 1


async def test_the_scheduler_wakes_at_the_next_due_reminder(bot: Bot) -> None:
    bot.clock.set(DEADLINE_DUE - timedelta(hours=2))
    await subscribe(bot, "u1", What.DEADLINE)
    service = bot.service(poll=timedelta(days=30))
    assert service.next_wakeup() == DEADLINE_DUE
    await service.start()
    try:
        expected = datetime.now(UTC) + (DEADLINE_DUE - bot.clock.now())
        assert service.scheduled_at is not None
        assert abs(service.scheduled_at - expected) < timedelta(seconds=5)
    finally:
        await service.stop()
    assert service.scheduled_at is None
    # Without a poll this long, work queued by another process is looked for every minute.
    assert bot.service().next_wakeup() == bot.clock.now() + timedelta(minutes=1)
