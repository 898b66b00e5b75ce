"""Truth about sending: a request the coordination chat cannot get yet is kept and tried again
with back-off; the person is told it is waiting, then that it arrived or could not be delivered."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.cli import app as cli
from bot.core.outbox import NoTransport
from bot.interpreter.models import Status
from bot.interpreter.service import DELIVERY_ATTEMPTS, FIRST_RETRY
from tests.interpreter.conftest import LINDENAU_GROUP, POOL, Bot

WAITING = (
    "Your request is saved and waiting to be delivered to the interpreter pool's coordination."
)


def _unreachable(bot: Bot, times: int) -> None:
    """The coordination's platform is not running (a terminal with a Telegram chat set up)."""
    bot.telegram.failures.extend(NoTransport("no adapter") for _ in range(times))


async def test_a_request_that_cannot_be_delivered_now_waits_and_arrives_later(bot: Bot) -> None:
    _unreachable(bot, 2)
    person = bot.person()
    reference = await bot.request(person)
    assert person.text.startswith(WAITING)
    assert "was sent" not in person.text
    assert f"Its reference is {reference}." in person.text
    [request] = bot.requests()
    assert request.announced_at is None and request.delivery_attempts == 1
    assert bot.people.texts("chat-p1") == []  # nothing claimed yet

    assert (await bot.service.run_once()).announced == 0  # too early for the next try
    assert bot.requests()[0].delivery_attempts == 1
    bot.clock.advance(FIRST_RETRY)
    assert (await bot.service.run_once()).announced == 0  # still unreachable
    assert bot.requests()[0].delivery_attempts == 2
    bot.clock.advance(FIRST_RETRY)  # the wait has doubled: not yet
    assert (await bot.service.run_once()).announced == 0
    bot.clock.advance(FIRST_RETRY)
    assert (await bot.service.run_once()).announced == 1
    assert bot.telegram.texts(LINDENAU_GROUP)[-1].count(reference) >= 1
    told = bot.people.texts("chat-p1")
    assert told == [
        f"Your request {reference} (Arabic, Doctor or hospital, Tuesday, March 3, 2026) has "
        "reached the interpreter pool's coordination. I will tell you here as soon as they answer."
    ]


async def test_a_request_that_never_arrives_is_closed_and_the_person_is_told(bot: Bot) -> None:
    _unreachable(bot, DELIVERY_ATTEMPTS)
    person = bot.person()
    reference = await bot.request(person)
    for attempt in range(1, DELIVERY_ATTEMPTS):
        bot.clock.advance(FIRST_RETRY * 2 ** (attempt - 1))
        await bot.service.run_once()
    [request] = bot.requests()
    assert request.status == Status.CLOSED and request.announced_at is None
    assert bot.telegram.texts(LINDENAU_GROUP) == []
    [(_, notice)] = bot.people.sent
    assert notice.plain_text.startswith(f"Sorry, your request {reference} (Arabic,")
    assert "could not be delivered" in notice.plain_text
    # the pool's card (with its contacts or the next reachable step) is one press away
    assert [option.value for option in notice.options][:2] == [
        f"core:svc:{POOL}",
        "core:topic:migration_counselling",
    ]
    await person.say("/requests")
    assert person.text == "You have no open interpreter requests."


async def test_admins_see_waiting_and_undelivered_requests(bot: Bot, sqlite_url: str) -> None:
    def listed() -> str:
        result = CliRunner().invoke(
            cli, ["interpreter", "undelivered"], env={"WEGWEISER_DATABASE_URL": sqlite_url}
        )
        assert result.exit_code == 0, result.output
        return result.output

    assert listed() == "Every interpreter request reached its coordination chat.\n"
    _unreachable(bot, DELIVERY_ATTEMPTS + 1)
    first = await bot.request(bot.person("p1"))
    for attempt in range(1, DELIVERY_ATTEMPTS):
        bot.clock.advance(FIRST_RETRY * 2 ** (attempt - 1))
        await bot.service.run_once()
    second = await bot.request(bot.person("p2"), "uk", "other", "open")
    lines = listed().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{first}  pool {POOL}  ") and "not delivered, closed" in lines[0]
    assert (
        lines[1].startswith(f"{second}  pool {POOL}  ") and "tries 1  waiting, next try" in lines[1]
    )
    assert "p1" not in listed() and "p2" not in listed()  # never who asked
