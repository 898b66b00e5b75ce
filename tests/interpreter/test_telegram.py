"""The whole loop on Telegram: the real bot and python-telegram-bot Application polling the fake Bot
API server, with Lindenau's coordination in the supergroup ``-100777``.

A person asks by buttons, the request arrives in the group, a coordinator answers there with a
command, the answer reaches the person; an unanswered request is raised again, a withdrawal
reaches the group, and closed requests are gone after the retention time.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.menus import published_codes
from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.interpreter.service import InterpreterService
from tests.interpreter.conftest import NOW, load_catalogue, settings_for
from tests.servers.fake_telegram import FakeTelegramServer, SentMessage, utf16_length

ANNA, COORDINATOR, EVE = 1001, 501, 666
GROUP, OTHER_POOL_GROUP, STRANGERS_GROUP = -100777, -100888, -100999
_message_ids = itertools.count(900_000)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def wegweiser(
    fake: FakeTelegramServer, sqlite_engine: Engine, tmp_path: Path
) -> AsyncIterator[Wegweiser]:
    """The bot as in production; Hafenstadt's pool is coordinated in another group."""
    load_catalogue(sqlite_engine)
    settings = settings_for(
        tmp_path,
        telegram_token="123456:TEST-TOKEN",
        telegram_api_url=fake.base_url,
        interpreter_coordination_chat=f"telegram:{OTHER_POOL_GROUP}",
    )
    app = build_app(settings, clock=FakeClock(NOW), engine=sqlite_engine)
    adapter = TelegramAdapter(app, per_chat_per_second=1000)
    app.outbox.register(adapter)
    await adapter.start()
    await app.start()
    yield app
    await app.stop()
    await adapter.stop()


def service(app: Wegweiser) -> InterpreterService:
    return next(s for s in app.background if isinstance(s, InterpreterService))


def in_group(fake: FakeTelegramServer, chat_id: int, user_id: int, text: str) -> None:
    """A member writes a command in a group, addressed to the bot as privacy mode wants."""
    command = text.split()[0]
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "supergroup", "title": "Sprachmittlung"},
        "from": fake.user(user_id),
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": utf16_length(command)}],
    }
    fake.enqueue({"message": message})


def has_button(value: str) -> Callable[[SentMessage], bool]:
    return lambda message: value in [v for row in message.buttons for _, v in row]


def containing(text: str) -> Callable[[SentMessage], bool]:
    return lambda message: text in message.text


async def ask_for_interpreter(fake: FakeTelegramServer, when_label: str) -> str:
    """Anna asks by pressing buttons; returns the reference she is given."""
    fake.press_option(ANNA, "🗣️ Request an interpreter")
    await fake.next_message_where(ANNA, has_button("itp:lang:ar"))
    fake.press_option(ANNA, "Arabic (العربية)")
    await fake.next_message_where(ANNA, has_button("itp:kind:ar:doctor"))
    fake.press_option(ANNA, "🩺 Doctor or hospital")
    await fake.next_message_where(ANNA, containing("When is the appointment?"))
    fake.press_option(ANNA, when_label)
    summary = await fake.next_message_where(ANNA, containing("Your request:"))
    assert "How the pool works: The office that invites you usually orders" in summary.text
    fake.press_option(ANNA, "✅ Send the request")
    sent = await fake.next_message_where(ANNA, containing("Its reference is"))
    return sent.text.split("Its reference is ")[1][:5]


async def test_request_answer_reraise_withdrawal_and_deletion_on_telegram(
    fake: FakeTelegramServer, wegweiser: Wegweiser
) -> None:
    fake.set_language(ANNA, "en")
    fake.send_start(ANNA)
    await fake.next_message_where(ANNA, has_button("core:region:lindenau"))
    fake.press_button(ANNA, "core:region:lindenau")
    await fake.next_message_where(ANNA, has_button("core:topic:interpreter"))
    fake.send_text(ANNA, "I need an interpreter")
    await fake.next_message_where(ANNA, has_button("itp:new"))

    first = await ask_for_interpreter(fake, "Tomorrow")
    arrived = await fake.next_message(GROUP)
    assert arrived.text.splitlines()[:4] == [
        f"🆕 Neue Anfrage nach Sprachmittlung {first}",
        "Sprache: Arabisch (العربية)",
        "Termin: Arzt oder Krankenhaus",
        "Wann: Dienstag, 3. März 2026",
    ]
    assert "User1001" not in arrived.text and str(ANNA) not in arrived.text

    # nobody outside Lindenau's coordination can act on it
    in_group(fake, STRANGERS_GROUP, EVE, f"/decline {first} nope")
    in_group(fake, OTHER_POOL_GROUP, EVE, f"/decline@wegweiser_test_bot {first} nope")
    refused = await fake.next_message(OTHER_POOL_GROUP)
    # another pool's chat learns nothing, not even that the reference exists
    assert refused.text == f"Eine Anfrage {first} kenne ich nicht. Vielleicht wurde sie gelöscht."
    fake.send_text(EVE, f"/accept {first} hi")
    private = await fake.next_message(EVE)
    assert private.text.startswith("Only the coordination of an interpreter pool")

    # a coordinator answers in the group; Anna reads it in English
    in_group(fake, GROUP, COORDINATOR, f"/accept@wegweiser_test_bot {first} Frau A. kommt um 10.")
    ack = await fake.next_message(GROUP)
    assert ack.text == f"✅ {first}: an die Person weitergegeben."
    relayed = await fake.next_message_where(ANNA, containing("Good news"))
    assert f"the interpreter pool accepted your request {first}" in relayed.text
    assert "«Frau A. kommt um 10.»" in relayed.text
    assert fake.messages_to(STRANGERS_GROUP) == []

    # a second request nobody answers is raised again after 24 hours
    fake.send_text(ANNA, "Interpreter")
    await fake.next_message_where(ANNA, has_button("itp:new"))
    second = await ask_for_interpreter(fake, "Next week")
    await fake.next_message_where(GROUP, containing(second))
    wegweiser.clock.advance(timedelta(hours=24))  # type: ignore[attr-defined]
    assert (await service(wegweiser).run_once()).raised == 1
    raised = await fake.next_message(GROUP)
    assert raised.text.startswith(f"⏰ Noch ohne Antwort: Anfrage nach Sprachmittlung {second}")

    # Anna withdraws it; the group hears of it
    fake.send_text(ANNA, "/requests")
    listed = await fake.next_message_where(ANNA, has_button(f"itp:wd:{second}"))
    assert f"{first}: Arabic, Doctor or hospital, Tuesday, March 3, 2026" in listed.text
    fake.press_button(ANNA, f"itp:wd:{second}")
    await fake.next_message_where(ANNA, has_button(f"itp:wdy:{second}"))
    fake.press_option(ANNA, "Yes, withdraw it")
    done = await fake.next_message_where(ANNA, containing("is withdrawn"))
    assert "I told the pool's coordination." in done.text
    gone = await fake.next_message(GROUP)
    assert gone.text.startswith(f"↩️ Die Anfrage {second} wurde zurückgezogen.")

    # the withdrawn one goes 30 days after its withdrawal, the accepted one 30 days after its
    # appointment day; the group is told so if it asks
    wegweiser.clock.advance(timedelta(days=30))  # type: ignore[attr-defined]
    assert (await service(wegweiser).run_once()).deleted == 1
    wegweiser.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    assert (await service(wegweiser).run_once()).deleted == 1
    in_group(fake, GROUP, COORDINATOR, f"/accept {second} doch noch")
    unknown = await fake.next_message(GROUP)
    assert unknown.text == f"Eine Anfrage {second} kenne ich nicht. Vielleicht wurde sie gelöscht."


async def test_the_command_menu_offers_requests_in_every_language(
    fake: FakeTelegramServer, wegweiser: Wegweiser
) -> None:
    menus = {
        lang: {c["command"]: c["description"] for c in fake.commands[lang]}
        for lang in fake.commands
    }
    assert set(menus) == {"", *published_codes().values()}
    for lang, menu in menus.items():
        translated = lang not in ("", "en")
        assert (menu["requests"] != "Your interpreter requests") == translated, lang
        assert "accept" not in menu  # coordinators' commands stay out of everyone's menu
    assert menus["de"]["requests"] == "Ihre Anfragen nach Sprachmittlung"
    assert menus["uk"]["requests"] == "Ваші запити на перекладача"
