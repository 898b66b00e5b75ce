"""An invented example course stays marked as an example in every message and calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import Engine

from bot.app import build_app
from bot.clock import FakeClock
from bot.i18n import translator
from bot.reminders.ics import course_calendar
from bot.reminders.schedule import Kind
from bot.reminders.texts import changed_reply, reminder_reply
from bot.settings import Settings
from tests import helpers
from tests.reminders.conftest import COURSE, NOW, Chat

DEMO = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"
EXAMPLE = replace(COURSE, example=True)


def summaries(lang: str) -> list[str]:
    calendar = Calendar.from_ical(course_calendar(EXAMPLE, translator(lang), NOW))
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def test_an_example_course_is_marked_in_its_calendar_file() -> None:
    assert summaries("en") == [
        "Example: Integrationskurs",
        "Registration deadline: Example: Integrationskurs",
    ]
    assert summaries("de")[0] == "Beispiel: Integrationskurs"
    calendar = Calendar.from_ical(course_calendar(EXAMPLE, translator("en"), NOW))
    assert str(calendar["NAME"]) == "Example: Integrationskurs"


def test_an_example_course_is_marked_in_reminders_and_change_notices() -> None:
    t = translator("en")
    session_at = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    assert (
        "“Example: Integrationskurs”"
        in reminder_reply(t, Kind.START, EXAMPLE, session_at).plain_text
    )
    assert "“Example: Integrationskurs”" in changed_reply(t, EXAMPLE).plain_text
    real = reminder_reply(t, Kind.START, COURSE, session_at).plain_text
    assert "Example" not in real


async def test_subscribing_to_a_demo_example_course_keeps_the_mark(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 12, 5, 9, 0, tzinfo=UTC))
    helpers.load_catalogue(sqlite_engine, DEMO, clock.now())
    app = build_app(Settings(data_dir=tmp_path), clock=clock, engine=sqlite_engine)
    chat = Chat(app, "u1", "en")
    await chat.say("/start")
    await chat.press("core:region:rostock")
    await chat.press("core:courses:rostock-vhs-integrationskurse")
    assert "1) Example: Integration course A1" in chat.text
    await chat.press(chat.option("Remind me"))
    assert "for “Example: Integration course A1" in chat.text
    confirmation = await chat.press(chat.option("Save"))
    assert "I will remind you about “Example: Integration course A1" in confirmation
    await chat.press("rem:list")
    assert "“Example: Integration course A1" in chat.text
