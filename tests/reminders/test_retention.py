"""Storing the least: settled reminders and ended courses' subscriptions go after 30 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from bot.reminders import store
from bot.reminders.models import Reminder, ReminderStatus, ReminderSubscription
from bot.reminders.schedule import Kind, What
from bot.storage.models import User
from services_catalog.db import session_scope
from tests.reminders.conftest import A1, CAFE, DEADLINE_DUE, Blocked, Bot, subscribe

WEDNESDAY_EVENING = datetime(2027, 3, 17, 17, 0, tzinfo=UTC)  # before the café's 18 March
START_DUE = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)  # A1's start reminder: Saturday 10:00
A1_OVER = datetime(2027, 4, 30, 22, 0, tzinfo=UTC)  # midnight after its last day, 30 April
KEEP = timedelta(days=30)


def subscriptions(bot: Bot) -> list[tuple[str, str]]:
    """(user, course) of every subscription."""
    with Session(bot.engine) as session:
        rows = session.exec(
            select(User.platform_user_id, ReminderSubscription.course_id).join(
                User, col(User.id) == col(ReminderSubscription.user_id)
            )
        ).all()
    return sorted((user, course) for user, course in rows)


def settled(bot: Bot) -> set[tuple[str | None, str, str]]:
    return {(r.course_id, r.kind, r.status) for r in bot.rows() if r.status != "pending"}


async def subscribe_to_cafe(bot: Bot, user_id: str) -> None:
    chat = bot.chat(user_id)
    await chat.say("/start")
    await chat.press(f"rem:save:{int(What.DAY_BEFORE)}:{CAFE}")  # the evening before Thursdays


async def test_settled_reminders_go_after_the_period_with_their_delivery_records(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    await subscribe(bot, "u1", What.DEADLINE | What.START)
    await subscribe_to_cafe(bot, "u2")
    service = bot.service(retention=KEEP)

    bot.clock.set(DEADLINE_DUE)  # down since 1 March: two café evenings passed unsent
    report = await service.run_due()
    assert (report.sent, report.missed) == (1, 2)
    bot.clock.set(WEDNESDAY_EVENING)
    bot.transport.failures = [Blocked("blocked")]  # u2 has blocked the bot
    assert (await service.run_due()).failed == 1
    bot.clock.set(START_DUE)
    assert (await service.run_due()).sent == 1
    assert settled(bot) == {
        (A1, Kind.DEADLINE, ReminderStatus.SENT),
        (A1, Kind.START, ReminderStatus.SENT),
        (CAFE, Kind.DAY_BEFORE, ReminderStatus.MISSED),
        (CAFE, Kind.DAY_BEFORE, ReminderStatus.FAILED),
    }
    assert len(bot.deliveries()) == 3
    pending = {row.id for row in bot.rows() if row.status == ReminderStatus.PENDING}

    bot.clock.set(DEADLINE_DUE + KEEP - timedelta(minutes=1))
    assert service.purge().total == 0

    bot.clock.set(DEADLINE_DUE + KEEP)
    purged = service.purge()
    # What settled on 13 March (a sent reminder, two missed ones) is gone, later ones stay.
    assert (purged.reminders, purged.deliveries, purged.subscriptions) == (3, 1, 0)
    assert settled(bot) == {
        (A1, Kind.START, ReminderStatus.SENT),
        (CAFE, Kind.DAY_BEFORE, ReminderStatus.FAILED),
    }
    kept = {row.id for row in bot.rows() if row.status != ReminderStatus.PENDING}
    assert {delivery.reminder_id for delivery in bot.deliveries()} == kept
    assert pending <= {row.id for row in bot.rows()}
    assert subscriptions(bot) == [("u1", A1), ("u2", CAFE)]


async def test_an_ended_courses_subscriptions_go_after_the_period(bot_any_db: Bot) -> None:
    bot = bot_any_db
    await subscribe(bot, "u1", What.START | What.DAY_BEFORE)
    await subscribe_to_cafe(bot, "u1")
    service = bot.service(retention=KEEP)

    bot.clock.set(A1_OVER + KEEP - timedelta(minutes=1))
    await service.run_due()  # the bot was down: everything of A1 is settled (missed) now
    assert subscriptions(bot) == [("u1", A1), ("u1", CAFE)]
    assert any(row.course_id == A1 for row in bot.rows())

    bot.clock.set(A1_OVER + KEEP)
    purged = service.purge()
    assert purged.subscriptions == 1
    assert subscriptions(bot) == [("u1", CAFE)]
    assert not any(row.course_id == A1 for row in bot.rows())
    # The café runs on without an end date: its subscription and reminders to come stay.
    assert any(row.course_id == CAFE and row.status == "pending" for row in bot.rows())


async def test_reminders_still_to_send_are_never_deleted(bot_any_db: Bot) -> None:
    bot = bot_any_db
    await subscribe(bot, "u1", What.DEADLINE | What.START | What.DAY_BEFORE)
    service = bot.service(retention=timedelta(0))  # even when nothing settled is kept
    bot.clock.set(DEADLINE_DUE)
    await service.run_due()
    assert settled(bot) == set()  # the sent deadline reminder went at once

    bot.clock.set(START_DUE)
    with session_scope(bot.engine) as session:  # another worker is sending the start reminder
        [claimed] = store.claim(session, "other-worker", START_DUE, 10)
    # A session moved to the autumn: pending long after the course's catalogue end date.
    autumn = datetime(2027, 9, 6, 7, 0, tzinfo=UTC)
    with session_scope(bot.engine) as session:
        subscription = session.exec(select(ReminderSubscription)).one()
        session.add(
            Reminder(
                user_id=subscription.user_id,
                subscription_id=subscription.id,
                course_id=A1,
                kind=Kind.DAY_BEFORE,
                event_at=autumn,
                due_at=autumn - timedelta(hours=14),
                not_before=autumn - timedelta(hours=14),
            )
        )
    pending = {row.id for row in bot.rows() if row.status == ReminderStatus.PENDING}

    service.purge()
    rows = {row.id: row for row in bot.rows()}
    assert pending | {claimed.id} == rows.keys()
    assert (rows[claimed.id].status, rows[claimed.id].claim_token) == ("sending", "other-worker")

    bot.clock.set(A1_OVER + timedelta(days=60))
    await service.run_due()  # all of spring missed (the other worker died), then cleaned up
    [left] = bot.rows()
    assert (left.event_at, left.status) == (autumn, ReminderStatus.PENDING)
    assert subscriptions(bot) == [("u1", A1)]


async def test_a_second_clean_up_changes_nothing(bot_any_db: Bot) -> None:
    bot = bot_any_db
    await subscribe(bot, "u1", What.DEADLINE | What.START | What.DAY_BEFORE)
    await subscribe_to_cafe(bot, "u2")
    service = bot.service(retention=KEEP, batch_size=1)  # one row per transaction
    bot.clock.set(START_DUE)
    await service.run_due()
    bot.clock.set(A1_OVER + KEEP - timedelta(days=1))
    await service.run_due()
    bot.clock.set(A1_OVER + KEEP)

    first = service.purge()
    assert first.subscriptions == 1
    rows, deliveries = bot.rows(), bot.deliveries()
    assert rows  # the café's reminders, settled recently or still to come

    assert service.purge().total == 0
    assert (bot.rows(), bot.deliveries()) == (rows, deliveries)
    assert subscriptions(bot) == [("u2", CAFE)]
