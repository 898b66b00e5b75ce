"""The bot with a small course catalogue, a fake clock, recording transports and a chat helper.

The clock starts on Monday 1 March 2027, three weeks before the spring course and four weeks
before the daylight-saving change (Sunday 28 March 2027, 02:00 → 03:00 in Europe/Berlin).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.core.events import Event
from bot.core.ports import DeliveryError
from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus
from bot.reminders.queue import RateLimit
from bot.reminders.schedule import Kind as ReminderKind
from bot.reminders.schedule import What
from bot.reminders.service import ReminderService
from bot.settings import Settings
from bot.storage.models import User
from services_catalog.views import CourseView
from tests import helpers
from tests.helpers import RecordingTransport, VirtualPacer

DATA = Path(__file__).with_name("data")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DEADLINE_DUE = datetime(2027, 3, 13, 9, 0, tzinfo=UTC)  # A1's deadline reminder: Saturday 10:00
A1 = "rostock-a1-fruehling"
CAFE = "rostock-sprachcafe"
KOBLENZ = "koblenz-a2"
SERVICE = "rostock-vhs-sprachkurse"
TEST_LIMIT = RateLimit(per_second=30, chat_interval=1.0)


def load_catalogue(engine: Engine) -> None:
    helpers.load_catalogue(engine, DATA, NOW)


class Blocked(DeliveryError):
    """What an adapter raises when the user blocked the bot."""


class Chat(helpers.Chat):
    """One user talking to the bot; options are named by their labels."""

    @property
    def options(self) -> dict[str, str]:
        """Label → value of the last reply's options."""
        return {option.label: option.value for option in self.replies[-1].options}

    def option(self, label_start: str) -> str:
        return next(v for label, v in self.options.items() if label.startswith(label_start))


@dataclass
class Bot:
    app: Wegweiser
    clock: FakeClock
    transport: RecordingTransport
    events: list[Event]

    def service(self, **options: object) -> ReminderService:
        """A scheduler on this bot's database; rate pacing runs in virtual time."""
        options.setdefault("pacer", VirtualPacer())
        options.setdefault("limits", {"test": TEST_LIMIT})
        return ReminderService(self.app, **options)  # type: ignore[arg-type]

    def chat(self, user_id: str = "u1", language_code: str = "en") -> Chat:
        return Chat(self.app, user_id, language_code)

    @property
    def engine(self) -> Engine:
        return self.app.engine

    def rows(self) -> list[Reminder]:
        with Session(self.engine) as session:
            return list(session.exec(select(Reminder).order_by(Reminder.due_at, Reminder.id)))

    def deliveries(self) -> list[ReminderDelivery]:
        with Session(self.engine) as session:
            return list(session.exec(select(ReminderDelivery)))

    def user(self, user_id: str) -> User:
        with Session(self.engine) as session:
            return session.exec(select(User).where(User.platform_user_id == user_id)).one()


def _bot(engine: Engine, clock: FakeClock, tmp_path: Path) -> Bot:
    load_catalogue(engine)
    app = build_app(Settings(data_dir=tmp_path), clock=clock, engine=engine)
    transport = RecordingTransport("test")
    app.outbox.register(transport)
    events: list[Event] = []
    app.events.subscribe(events.append)
    return Bot(app, clock, transport, events)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def bot(sqlite_engine: Engine, clock: FakeClock, tmp_path: Path) -> Iterator[Bot]:
    """The bot on SQLite: for conversation tests."""
    yield _bot(sqlite_engine, clock, tmp_path)


@pytest.fixture
def bot_any_db(engine: Engine, clock: FakeClock, tmp_path: Path) -> Iterator[Bot]:
    """The bot on SQLite and on PostgreSQL: where the database's truth matters."""
    yield _bot(engine, clock, tmp_path)


async def subscribe(bot: Bot, user_id: str, what: What, lang: str = "en") -> Chat:
    """A user in Rostock saves a choice of reminders for the A1 course."""
    chat = bot.chat(user_id, lang)
    await chat.say("/start")
    await chat.press("core:region:rostock")
    await chat.press(f"rem:save:{int(what)}:{A1}")
    assert "rem:list" in chat.options.values(), chat.text  # saved, "My reminders" offered
    return chat


# A course as the catalogue shows it, for tests of dates alone.
COURSE = CourseView(
    id="c",
    service_id="s",
    region_slug="rostock",
    timezone="Europe/Berlin",
    kind="integration_course",
    level="A1",
    title="Integrationskurs",
    start_date=date(2027, 3, 22),
    end_date=date(2027, 4, 30),
    weekdays=("mon", "wed"),
    session_start=time(9, 0),
    session_end=time(12, 0),
    location=None,
    seats_total=None,
    seats_free=None,
    registration_deadline=date(2027, 3, 15),
    childcare=False,
    cost=None,
    instruction_language="de",
    example=False,
    source="test",
)

# Many reminders due at once, written straight into the tables.
DUE = datetime(2027, 3, 21, 17, 0, tzinfo=UTC)  # Sunday evening before the first session
SESSION = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
FIRST_CHAT = 100_000


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
        rows = [(user_id, ReminderKind.DAY_BEFORE) for user_id in ids]
        rows += [(user_id, ReminderKind.START) for user_id in ids[:doubles]]
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
