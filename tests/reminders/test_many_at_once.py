"""10,000 reminders due at once: every one delivered, none twice, no platform limit broken.

The transports here enforce the platforms' published limits the way the platforms do (a send
over the limit is refused, like Telegram's 429) and time runs virtually, so the test takes
seconds while the queue paces minutes of sending.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, insert
from sqlmodel import Session, select

from bot.core.messages import Reply
from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus
from bot.reminders.queue import DEFAULT_LIMITS
from bot.reminders.schedule import Kind
from bot.storage.models import User
from tests.reminders.conftest import A1, Bot, VirtualPacer

DUE = datetime(2027, 3, 21, 17, 0, tzinfo=UTC)  # Sunday evening before the first session
SESSION = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
FIRST_CHAT = 100_000


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
        if len(self.recent) >= self.per_second or now - self.last_in_chat.get(
            chat_id, float("-inf")
        ) < 1.0 - 1e-9:
            self.refused += 1
            raise TooManyRequests(self.platform)
        self.recent.append(now)
        self.last_in_chat[chat_id] = now
        self.received[chat_id] += 1


def add_due_reminders(engine: Engine, platform: str, chats: int, doubles: int) -> int:
    """``chats`` users with one reminder each, ``doubles`` of them with a second one.

    Chat ids are numbers, as Telegram's are: ``FIRST_CHAT`` and up.
    """
    with Session(engine) as session:
        session.execute(
            insert(User),
            [
                {
                    "platform": platform,
                    "platform_user_id": f"{platform}-{n}",
                    "chat_id": str(FIRST_CHAT + n),
                    "language": ("de", "en", "ar", "uk")[n % 4],
                    "created_at": DUE,
                    "last_seen_at": DUE,
                }
                for n in range(chats)
            ],
        )
        ids = session.exec(select(User.id).where(User.platform == platform)).all()
        rows = [(user_id, Kind.DAY_BEFORE) for user_id in ids]
        rows += [(user_id, Kind.START) for user_id in ids[:doubles]]
        session.execute(
            insert(Reminder),
            [
                {
                    "user_id": user_id,
                    "course_id": A1,
                    "kind": kind,
                    "event_at": SESSION,
                    "due_at": DUE,
                    "not_before": DUE,
                    "status": ReminderStatus.PENDING,
                    "attempts": 0,
                }
                for user_id, kind in rows
            ],
        )
        session.commit()
    return len(rows)


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
