"""Subscribing from a course card, listing and cancelling — through the real conversation."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar
from sqlmodel import Session, select

from bot.core.events import ReminderSubscribed
from bot.reminders.models import ReminderSubscription
from bot.reminders.schedule import Kind
from tests.reminders.conftest import A1, CAFE, DEADLINE_DUE, SERVICE, Bot, Chat


async def open_course_dates(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("core:region:rostock")
    await chat.press(f"core:courses:{SERVICE}")


async def subscribe_a1(chat: Chat) -> str:
    """Remind me → untick nothing, tick "one hour before" → save; returns the confirmation."""
    await open_course_dates(chat)
    await chat.press(
        chat.option("Remind me (2)")
        if "Remind me (2)" in chat.options
        else chat.option("Remind me")
    )
    await chat.press(chat.option("⬜ One hour before"))
    return await chat.press(chat.option("Save"))


async def test_a_course_card_offers_reminders_and_a_calendar(bot: Bot) -> None:
    chat = bot.chat()
    await open_course_dates(chat)
    assert "Remind me (2)" in chat.options
    assert chat.options["Add to calendar (.ics) (2)"] == f"rem:ics:{A1}"

    await chat.press(chat.option("Remind me (2)"))
    assert "Which reminders would you like for “Integration course A1 spring”?" in chat.text
    labels = list(chat.options)
    assert labels[:4] == [
        "✅ Registration deadline (Mar 15, 2027)",
        "✅ Course start (Mar 22, 2027)",
        "✅ The evening before each session",
        "⬜ One hour before each session",
    ]

    await chat.press(chat.option("✅ Registration deadline"))
    assert "⬜ Registration deadline (Mar 15, 2027)" in chat.options


async def test_subscribing_plans_the_reminders_and_says_when_the_first_comes(bot: Bot) -> None:
    chat = bot.chat("u1", "de")
    await open_course_dates(chat)
    await chat.press(chat.option("Erinnerung einrichten (2)"))
    await chat.press(chat.option("⬜ Eine Stunde vor"))
    text = await chat.press(chat.option("Speichern"))

    assert "Integrationskurs A1 Frühling" in text
    assert "Nächste Erinnerung: Samstag, 13. März 2027, 10:00." in text
    kinds = [row.kind for row in bot.rows()]
    assert kinds[:2] == [Kind.DEADLINE, Kind.START]
    assert Kind.DAY_BEFORE in kinds and Kind.HOUR_BEFORE in kinds
    # 42 days ahead are planned: sessions up to 12 April (Mon/Wed from 22 March).
    assert max(row.event_at for row in bot.rows()) == datetime(2027, 4, 12, 7, 0, tzinfo=UTC)
    assert [e for e in bot.events if isinstance(e, ReminderSubscribed)] == [
        ReminderSubscribed(A1, "rostock")
    ]


async def test_changing_the_choice_replans_without_a_second_subscription(bot: Bot) -> None:
    chat = bot.chat()
    await subscribe_a1(chat)
    await open_course_dates(chat)
    await chat.press(chat.option("Remind me (2)"))
    assert "✅ One hour before each session" in chat.options  # the saved choice is shown
    await chat.press(chat.option("✅ The evening before"))
    await chat.press(chat.option("✅ One hour before"))
    await chat.press(chat.option("Save"))

    assert {row.kind for row in bot.rows()} == {Kind.DEADLINE, Kind.START}
    assert len([e for e in bot.events if isinstance(e, ReminderSubscribed)]) == 1


async def test_reminders_are_listed_and_cancelled_one_by_one(bot: Bot) -> None:
    chat = bot.chat()
    await subscribe_a1(chat)
    await open_course_dates(chat)
    await chat.press(chat.option("Remind me (1)"))
    await chat.press(chat.option("Save"))

    text = await chat.say("/reminders")
    assert "• “Thursday language café”: the course start and the evening before each session" in (
        text
    )
    assert "Next: Saturday, March 13, 2027, 10:00\u202fAM" in text
    assert "Cancel all" in chat.options

    text = await chat.press(chat.options["Cancel “Thursday language café”"])
    assert "Your reminders for “Thursday language café” are cancelled." in text
    assert {row.course_id for row in bot.rows()} == {A1}
    assert "Thursday" not in await chat.say("/reminders")


async def test_cancelling_all_asks_first(bot: Bot) -> None:
    chat = bot.chat()
    await subscribe_a1(chat)
    await chat.press("rem:sub:" + CAFE)
    await chat.press(chat.option("Save"))
    await chat.say("/reminders")

    text = await chat.press(chat.options["Cancel all"])
    assert text == "Do you really want to cancel all your reminders?"
    await chat.press(chat.options["No"])
    assert len({row.course_id for row in bot.rows()}) == 2

    await chat.say("/reminders")
    await chat.press(chat.options["Cancel all"])
    assert await chat.press(chat.options["Yes, cancel all"]) == "All your reminders are cancelled."
    assert bot.rows() == []
    assert "You have no reminders yet." in await chat.say("/reminders")


async def test_a_tampered_or_stale_button_gets_a_polite_answer(bot: Bot) -> None:
    chat = bot.chat()
    await chat.say("/start")
    assert "Sorry, that button no longer works." in await chat.press("rem:save:99:" + A1)
    assert "no longer offered" in await chat.press("rem:sub:no-such-course")
    assert bot.rows() == []


async def test_the_calendar_file_comes_from_the_card(bot: Bot) -> None:
    chat = bot.chat("u1", "uk")
    await open_course_dates(chat)
    await chat.press(chat.options["Додати до календаря (.ics) (2)"])
    attachment = chat.replies[-1].attachment
    assert attachment is not None and attachment.mime_type == "text/calendar"
    event = Calendar.from_ical(attachment.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Інтеграційний курс A1 весна"


async def test_delete_removes_every_reminder_of_the_user(bot: Bot) -> None:
    chat, other = bot.chat("u1"), bot.chat("u2")
    await subscribe_a1(chat)
    await subscribe_a1(other)
    bot.clock.set(DEADLINE_DUE)
    assert (await bot.service().run_due()).sent == 2  # each has a delivery record now
    await chat.say("/delete")
    await chat.press(chat.option("Yes, delete everything"))

    other_id = bot.user("u2").id
    assert bot.rows() and {row.user_id for row in bot.rows()} == {other_id}
    reminder_ids = {row.id for row in bot.rows()}
    assert len(bot.deliveries()) == 1 and bot.deliveries()[0].reminder_id in reminder_ids
    with Session(bot.engine) as session:
        subscribers = session.exec(select(ReminderSubscription.user_id)).all()
    assert subscribers == [other_id]
