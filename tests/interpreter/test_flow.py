"""The person's side of the flow and who may act on requests, through the real conversation."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.core.messages import Incoming, Kind
from bot.interpreter.dates import parse_day
from bot.interpreter.models import Status
from tests.interpreter.conftest import FALLBACK_ROOM, LINDENAU_GROUP, POOL, Bot, Chat, make_bot


async def in_lindenau(person: Chat) -> None:
    await person.send(Kind.START)
    await person.press("core:region:lindenau")


async def test_the_interpreter_topic_leads_into_the_flow(bot: Bot) -> None:
    person = bot.person()
    await in_lindenau(person)
    card = await person.say("I need an interpreter for the doctor")
    assert card.startswith("Lindenau community interpreter pool")
    assert "☎️ +49 341 222333" in card
    await person.press(person.option("🗣️ Request an interpreter"))
    assert person.text == (
        "For which language do you need an interpreter? The interpreter pool in Lindenau has "
        "interpreters for: Arabic (العربية), Persian (فارسی), Ukrainian (Українська), "
        "and Tigrinya (ትግርኛ)."
    )
    assert list(person.options)[-2:] == ["Another language", "🏠 Menu"]


async def test_the_persons_own_language_comes_first(bot: Bot) -> None:
    person = bot.person("p9", "ar")
    await in_lindenau(person)
    await person.press("itp:new")
    assert next(iter(person.options)) == "العربية"


async def test_a_language_the_pool_does_not_cover_is_said_plainly(bot: Bot) -> None:
    person = bot.person()
    await in_lindenau(person)
    await person.press("itp:new")
    await person.press("itp:other")
    text = await person.say("Kurdish")
    assert text.startswith(
        "Sorry, the interpreter pool in Lindenau has no interpreters for Kurdish."
    )
    assert person.options["📞 Contact the pool"] == f"core:svc:{POOL}"
    assert person.options["Migration counselling (MBE)"] == "core:topic:migration_counselling"
    assert "✅ Send the request" not in person.options
    # and a typed language it covers goes on to the next step
    await person.press(person.option("Choose another language"))
    await person.press("itp:other")
    assert await person.say("ትግርኛ") == "What kind of appointment is it?"


async def test_an_unknown_language_name_is_asked_once_more_then_handed_back(bot: Bot) -> None:
    person = bot.person()
    await in_lindenau(person)
    await person.press("itp:new")
    await person.press("itp:other")
    assert (await person.say("Xyzzyish")).startswith("Sorry, I do not know a language")
    answer = await person.say("Qwertzian")
    assert answer.startswith("Sorry, I did not understand that.")  # the dialogue's own answer


async def test_a_typed_day_and_an_old_today_button(bot: Bot) -> None:
    person = bot.person()
    await in_lindenau(person)
    await person.press("itp:kind:uk:authority")
    assert list(person.options)[:2] == ["Today", "Tomorrow"]
    await person.press(person.option("Another day"))
    assert (await person.say("31.02.")).startswith("Sorry, I could not read this day.")
    summary = await person.say("12.03.")
    assert "When: Thursday, March 12, 2026" in summary
    assert "How the pool works: The office that invites you usually orders and pays" in summary

    await person.press("itp:kind:uk:authority")
    today = person.options["Today"]
    bot.clock.advance(timedelta(days=1))
    assert (await person.press(today)).startswith("This day has passed. Please choose again.")


async def test_pressing_send_twice_sends_one_request(bot: Bot) -> None:
    person = bot.person()
    await bot.request(person, "fa", "doctor", "next_week")
    await person.press("itp:send:fa:doctor:next_week")
    await bot.service.settle()
    assert len(bot.requests()) == 1 and len(bot.telegram.sent) == 1


async def test_nobody_floods_a_pool(bot: Bot) -> None:
    person = bot.person()
    for day in range(3, 8):
        await bot.request(person, "ar", "other", f"2026-03-0{day}")
    await person.press("itp:send:ar:other:2026-03-09")
    assert person.text.startswith("You already have 5 open requests.")
    assert len(bot.requests()) == 5


async def test_a_town_without_a_pool(bot: Bot) -> None:
    person = bot.person()
    await person.send(Kind.START)
    await person.press("core:region:dorfheim")
    card = await person.say("I need help finding a flat")
    assert card.startswith("Housing help Dorfheim")
    assert not any(value.startswith("itp:") for value in person.options.values())
    text = await person.press("itp:new")
    assert text.startswith("Sorry, I do not know an interpreter pool in Dorfheim.")
    assert person.options["Migration counselling (MBE)"] == "core:topic:migration_counselling"


async def test_cards_show_the_way_to_a_person(bot: Bot) -> None:
    person = bot.person("p5", "de")
    await in_lindenau(person)
    mbe = await person.press("core:svc:lindenau-mbe")
    # a local office without any contact says so plainly instead of ending there
    assert "Für dieses Angebot kennen wir leider keine Kontaktdaten." in mbe
    assert "💬 Online-Beratung:" not in mbe
    assert person.options["🗣️ Brauchen Sie Sprachmittlung?"] == "itp:new"
    housing = await person.press("core:svc:lindenau-wohnen")
    assert "☎️ +49 341 444555" in housing and "🌐 https://wohnen.lindenau.example" in housing
    assert "💬 Online-Beratung: https://wohnen.lindenau.example/chat" in housing  # its own


async def test_someone_outside_the_coordination_cannot_act(bot: Bot) -> None:
    person = bot.person()
    reference = await bot.request(person, "ar", "doctor", "2026-03-03")

    # the person (or anyone) in a private chat
    stranger = bot.person("p7")
    refused = await stranger.say(f"/accept {reference} I will come")
    assert refused.startswith("Only the coordination of an interpreter pool can answer requests")
    # another pool's coordination room
    eve = Incoming(
        platform="matrix",
        chat_id=FALLBACK_ROOM,
        user_id="@eve:example.org",
        text=f"/decline {reference} no",
    )
    other = await bot.app.conversation.handle(eve)
    # the same answer as for a reference that does not exist: nothing to learn there
    # another pool's chat learns nothing, not even that the reference exists
    assert other[0].plain_text == (
        f"Eine Anfrage {reference} kenne ich nicht. Vielleicht wurde sie gelöscht."
    )
    assert bot.requests()[0].status == Status.OPEN
    arrived, *after = bot.people.texts("chat-p1")
    assert "has reached the interpreter pool's coordination" in arrived
    assert after == []  # nothing from the refused commands


async def test_the_coordination_chat_lists_requests_and_ignores_chatter(bot: Bot) -> None:
    reference = await bot.request(bot.person(), "uk", "counselling", "open")
    coordinator = bot.coordinator()
    assert await coordinator.say("Wer kann morgen?") == ""
    assert coordinator.replies == []
    listed = await coordinator.say("/requests")
    assert listed.splitlines() == [
        "Offene Anfragen nach Sprachmittlung:",
        f"• {reference}: Ukrainisch, Beratung, noch nicht fest",
    ]
    assert (await coordinator.say("/ask")).startswith("Bitte geben Sie die Nummer an")
    assert await coordinator.say(f"/ask {reference}") == (
        "Bitte schreiben Sie die Frage hinter die Nummer."
    )
    # the coordinator's own private chat with the bot is an ordinary conversation
    private = bot.coordinator("501", "501")
    assert await private.say("/requests") == (
        "Sie haben keine offenen Anfragen nach Sprachmittlung."
    )
    assert [chat for chat, _ in bot.telegram.sent] == [LINDENAU_GROUP]


async def test_delete_removes_the_requests(bot: Bot) -> None:
    person = bot.person()
    reference = await bot.request(person, "ar", "doctor", "2026-03-03")
    await bot.coordinator().say(f"/ask {reference} Wann genau?")
    await person.say("/delete")
    await person.press("core:delete")
    assert bot.requests() == [] and bot.replies() == []


async def test_without_a_coordination_chat_the_pool_is_contacted_directly(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    bot = make_bot(sqlite_engine, tmp_path, interpreter_coordination_chat=None)
    person = bot.person("p4", "de")
    await person.send(Kind.START)
    await person.press("core:region:hafenstadt")
    summary = await person.press("itp:when:ar:doctor:open")
    assert "Der Pool nimmt Anfragen direkt an." in summary
    assert list(person.options) == ["📞 Pool kontaktieren", "🏠 Menü"]
    await person.press("itp:send:ar:doctor:open")
    assert bot.requests() == []


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("12.03.", "2026-03-12"),
        ("12.3", "2026-03-12"),
        ("١٢/٣", "2026-03-12"),
        ("1.3.", "2027-03-01"),
        ("02.03.2026", "2026-03-02"),
        ("2026-04-01", "2026-04-01"),
        ("5.4.26", "2026-04-05"),
    ],
)
def test_typed_days(typed: str, day: str) -> None:
    assert parse_day(typed, date(2026, 3, 2)) == date.fromisoformat(day)


@pytest.mark.parametrize("typed", ["31.02.", "1.3.2026", "2028-01-01", "tomorrow", "12.13."])
def test_days_that_are_not_accepted(typed: str) -> None:
    assert parse_day(typed, date(2026, 3, 2)) is None
