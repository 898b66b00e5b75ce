"""An admin changes or retires a course: reminders follow, and subscribers are told once."""

from __future__ import annotations

from datetime import UTC, datetime

from typer.testing import CliRunner

from bot.cli import app as cli
from bot.reminders.models import ReminderStatus
from bot.reminders.schedule import Kind, What
from services_catalog import changes
from tests.reminders.conftest import A1, Bot, subscribe


def admin(bot: Bot, *args: str) -> None:
    url = bot.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, list(args), env={"WEGWEISER_DATABASE_URL": url})
    assert result.exit_code == 0, result.output


async def test_new_dates_move_the_reminders_and_the_subscriber_is_told_once(
    bot_any_db: Bot,
) -> None:
    bot = bot_any_db
    chat = await subscribe(bot, "u1", What.START | What.DAY_BEFORE, "uk")
    service = bot.service()
    await service.run_due()  # the running bot has seen the catalogue as it was

    # The admin CLI runs in its own process: the bot learns of it from the catalogue revision.
    admin(bot, "catalogue", "edit", "course", A1, "--set", "start_date=2027-03-29", "--yes")
    report = await service.run_due()

    assert report.sent == 1
    [(chat_id, notice)] = bot.transport.sent
    assert chat_id == chat.chat_id
    assert notice.plain_text.startswith(
        "Дати «Інтеграційний курс A1 весна» змінилися. Ваші нагадування тепер відповідають "
        "новим датам.\n\n"
    )
    assert "Початок: понеділок, 29 березня 2027" in notice.plain_text
    assert [o.value for o in notice.options] == ["rem:list", f"rem:ics:{A1}"]

    pending = [row for row in bot.rows() if row.status == ReminderStatus.PENDING]
    start = next(row for row in pending if row.kind == Kind.START)
    assert start.due_at == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # Saturday 10:00, winter time
    first_evening = min(row.event_at for row in pending if row.kind == Kind.DAY_BEFORE)
    assert first_evening == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)  # Monday 09:00, summer time

    # Hearing of the same change again (in-process) tells nobody a second time.
    changes.publish(changes.CourseChanged(A1, "changed"))
    await service.start()
    changes.publish(changes.CourseChanged(A1, "changed"))
    await service.run_due()
    await service.stop()
    assert len(bot.transport.sent) == 1


async def test_a_retired_course_cancels_its_reminders_with_a_notice(bot_any_db: Bot) -> None:
    bot = bot_any_db
    chat = await subscribe(bot, "u1", What.START | What.DAY_BEFORE, "de")
    other = await subscribe(bot, "u2", What.START, "en")
    service = bot.service()
    await service.start()  # listens to course changes published in this process
    try:
        admin(bot, "catalogue", "retire", "course", A1, "--yes")
        pending = [row.kind for row in bot.rows() if row.status == ReminderStatus.PENDING]
        assert pending == [Kind.CANCELLED, Kind.CANCELLED]  # the notices, nothing else
        await service.run_due()
    finally:
        await service.stop()

    texts = dict((chat_id, reply.plain_text) for chat_id, reply in bot.transport.sent)
    assert texts == {
        chat.chat_id: "„Integrationskurs A1 Frühling“ findet nicht statt. Ihre Erinnerungen dafür "
        "wurden gelöscht.",
        other.chat_id: "“Integration course A1 spring” has been cancelled. Your reminders for it "
        "have been removed.",
    }
    assert "Sie haben noch keine Erinnerungen." in await chat.say("/reminders")
