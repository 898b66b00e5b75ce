"""10,000 reminders due at once: every one delivered, none twice, no platform limit broken.

The transports here enforce the platforms' published limits the way the platforms do (a send
over the limit is refused, like Telegram's 429) and time runs virtually, so the test takes
seconds while the queue paces minutes of sending.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.core.messages import Reply
from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus
from bot.reminders.queue import DEFAULT_LIMITS
from tests.reminders.conftest import DUE, Bot, VirtualPacer, add_due_reminders


class TooManyRequests(Exception):
    """What a platform answers when a sender goes over its limit."""


@dataclass
class LimitedPlatform:
    """A platform allowing ``per_second`` messages in any second and one per chat a second."""

    platform: str
    per_second: int
    pacer: VirtualPacer
    recent: deque[float] = field(default_factory=deque)
    last_in_chat: dict[str, float] = field(default_factory=dict)
    received: Counter[str] = field(default_factory=Counter)
    refused: int = 0

    async def send(self, chat_id: str, reply: Reply) -> None:
        now = self.pacer.monotonic()
        while self.recent and self.recent[0] <= now - 1.0 + 1e-9:
            self.recent.popleft()
        if (
            len(self.recent) >= self.per_second
            or now - self.last_in_chat.get(chat_id, float("-inf")) < 1.0 - 1e-9
        ):
            self.refused += 1
            raise TooManyRequests(self.platform)
        self.recent.append(now)
        self.last_in_chat[chat_id] = now
        self.received[chat_id] += 1


async def test_ten_thousand_due_at_once_keep_the_limits_and_arrive_exactly_once(bot: Bot) -> None:
    pacer = VirtualPacer()
    telegram = LimitedPlatform("telegram", per_second=30, pacer=pacer)
    matrix = LimitedPlatform("matrix", per_second=10, pacer=pacer)
    bot.app.outbox.register(telegram)
    bot.app.outbox.register(matrix)
    total = add_due_reminders(bot.engine, "telegram", chats=7_500, doubles=500)
    total += add_due_reminders(bot.engine, "matrix", chats=1_800, doubles=200)
    assert total == 10_000

    bot.clock.set(DUE)
    service = bot.service(pacer=pacer, limits=dict(DEFAULT_LIMITS))
    report = await service.run_due()

    assert (telegram.refused, matrix.refused) == (0, 0)
    assert report.sent == 10_000 and report.handled == 10_000
    assert sum(telegram.received.values()) == 8_000 and len(telegram.received) == 7_500
    assert sum(matrix.received.values()) == 2_000 and len(matrix.received) == 1_800
    assert max(telegram.received.values()) == 2  # the two reminders of one person, a second apart
    with Session(bot.engine) as session:
        statuses = session.exec(select(Reminder.status, func.count()).group_by(Reminder.status))
        assert dict(statuses.all()) == {ReminderStatus.SENT: 10_000}
        deliveries = session.exec(select(func.count()).select_from(ReminderDelivery)).one()
        assert deliveries == 10_000
    # Paced, not dumped: 8,000 messages at Telegram's pace take minutes of (virtual) time.
    assert timedelta(seconds=pacer.now) >= timedelta(seconds=8_000 / 30)
