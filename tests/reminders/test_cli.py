"""`wegweiser reminders stats` and `announce`, as an admin uses them beside the running bot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner, Result

import bot.cli.reminders as reminders_cli
from bot.cli import app as cli
from bot.reminders.schedule import What
from tests.reminders.conftest import (
    A1,
    CAFE,
    DEADLINE_DUE,
    KOBLENZ,
    Blocked,
    Bot,
    Chat,
    subscribe,
)


def run(
    bot: Bot, *args: str, answer: str | None = None, env: dict[str, str] | None = None
) -> Result:
    url = bot.engine.url.render_as_string(hide_password=False)
    return CliRunner().invoke(
        cli,
        ["reminders", *args],
        input=answer,
        env={"WEGWEISER_DATABASE_URL": url, "COLUMNS": "200", **(env or {})},
    )


@pytest.fixture(autouse=True)
def cli_clock(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reminders_cli, "CLOCK", bot.clock)


def row_of(output: str, course_id: str) -> list[str]:
    line = next(line for line in output.splitlines() if course_id in line)
    return [cell.strip() for cell in line.strip("│ ").split("│")]


async def test_stats_count_pending_sent_failed_and_missed_per_course(bot: Bot) -> None:
    assert "No reminders pending or settled in the last 30 days." in run(bot, "stats").output
    await subscribe(bot, "u1", What.DEADLINE)
    await subscribe(bot, "u2", What.DEADLINE | What.START)
    await subscribe(bot, "u3", What.DEADLINE)
    cafe = bot.chat("u4")
    await cafe.say("/start")
    await cafe.press(f"rem:save:4:{CAFE}")  # the evening before each Thursday
    bot.transport.failures = [Blocked("blocked")]  # u1 blocked the bot
    bot.clock.set(DEADLINE_DUE)  # the bot was down for the café's first two Thursdays
    await bot.service().run_due()

    result = run(bot, "stats")
    assert result.exit_code == 0
    assert row_of(result.output, A1) == [A1, "Integrationskurs A1 Frühling", "1", "2", "1", "0"]
    # Six Thursdays planned ahead (six weeks from today), two passed unsent while down.
    assert row_of(result.output, CAFE) == [CAFE, "Sprachcafé am Donnerstag", "6", "0", "0", "2"]
    assert "settled in the last 30 days" in result.output


async def test_stats_say_how_many_days_they_cover_and_leave_out_deleted_reminders(
    bot: Bot,
) -> None:
    await subscribe(bot, "u1", What.DEADLINE | What.START)
    service = bot.service(retention=timedelta(days=7))
    bot.clock.set(DEADLINE_DUE)
    await service.run_due()  # the deadline reminder is sent on 13 March
    bot.clock.set(DEADLINE_DUE + timedelta(days=8))
    await service.run_due()  # the start reminder is sent on 20 March, the deadline's is deleted

    result = run(bot, "stats", env={"WEGWEISER_REMINDER_RETENTION_DAYS": "7"})
    assert "settled in the last 7 days" in result.output
    assert row_of(result.output, A1) == [A1, "Integrationskurs A1 Frühling", "0", "1", "0", "0"]


async def announce_setup(bot: Bot) -> tuple[Chat, Chat, Chat]:
    german = await subscribe(bot, "u1", What.START, "de")
    arabic = await subscribe(bot, "u2", What.START | What.DAY_BEFORE, "ar")
    elsewhere = bot.chat("u3")
    await elsewhere.say("/start")
    await elsewhere.press("core:region:koblenz")
    await elsewhere.press(f"rem:save:2:{KOBLENZ}")
    return german, arabic, elsewhere


async def test_an_announcement_asks_first_and_reaches_each_subscriber_once(bot: Bot) -> None:
    german, arabic, _ = await announce_setup(bot)
    message = "Raum 2.14 statt 1.03 / Room 2.14 instead of 1.03"
    before = bot.rows()
    announce = ("announce", "--topic", "language_course", "--region", "rostock", "--message")

    refused = run(bot, *announce, message, answer="n\n")
    assert refused.exit_code == 1
    assert "To 2 subscriber(s) of topic language_course in rostock" in refused.output
    assert message in refused.output
    assert "Nothing was sent." in refused.output
    assert bot.rows() == before

    sent = run(bot, *announce, message, answer="y\n")
    assert sent.exit_code == 0, sent.output
    assert "2 message(s) queued" in sent.output
    assert len(bot.rows()) == len(before) + 2

    report = await bot.service().run_due()  # the running bot picks them up
    assert report.sent == 2
    texts = {chat_id: reply.plain_text for chat_id, reply in bot.transport.sent}
    assert texts == {
        german.chat_id: f"Eine Nachricht zu Ihren Kursen:\n{message}",
        arabic.chat_id: f"رسالة بخصوص دوراتك:\n{message}",
    }


async def test_an_announcement_to_one_course_with_yes_skips_the_question(bot: Bot) -> None:
    _, _, elsewhere = await announce_setup(bot)
    result = run(bot, "announce", "--course", KOBLENZ, "--message", "Heute fällt aus.", "--yes")
    assert result.exit_code == 0, result.output
    await bot.service().run_due()
    [(chat_id, reply)] = bot.transport.sent
    assert chat_id == elsewhere.chat_id
    assert reply.plain_text == (
        "A message about your course “Integration course A2 Koblenz”:\nHeute fällt aus."
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--message", "Hallo"], "Name either --course ID, or --topic and --region."),
        (["--course", A1, "--topic", "work", "--message", "Hallo"], "Name either"),
        (["--topic", "work", "--message", "Hallo"], "needs both --topic and --region"),
        (["--course", "no-such-course", "--message", "Hallo"], "There is no course"),
        (["--topic", "wrok", "--region", "rostock", "--message", "Hallo"], "Unknown topic"),
        (["--topic", "work", "--region", "atlantis", "--message", "Hallo"], "Unknown region"),
        (["--course", A1, "--message", "   "], "The message is empty."),
    ],
)
def test_a_wrong_announcement_is_refused_with_a_reason(
    bot: Bot, args: list[str], error: str
) -> None:
    result = run(bot, "announce", *args, "--yes")
    assert result.exit_code == 1
    assert error in result.output
    assert bot.rows() == []
