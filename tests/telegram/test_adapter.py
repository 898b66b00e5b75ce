"""The adapter alone: real python-telegram-bot polling the fake Bot API, a scripted conversation.

Each test is something a user would notice: the right message reaches the core, and every reply
reaches the chat exactly once, readable, with working buttons.
"""

from __future__ import annotations

import asyncio
import socket

import pytest
from sqlalchemy import Engine
from sqlmodel import select
from telegram.error import NetworkError

from bot.adapters.registry import configured_adapters
from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.menus import published_codes
from bot.app import Wegweiser
from bot.core.messages import Attachment, GeoPoint, Kind, Option, Reply, Span, Style, Venue
from bot.core.ports import DeliveryError
from bot.storage.models import User
from services_catalog.db import session_scope
from tests.servers.fake_telegram import FakeTelegramServer
from tests.telegram.conftest import NOW, ScriptedConversation

ANNA = 4242


async def test_a_deep_link_hands_its_payload_to_the_core(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    fake.set_language(ANNA, "ar")
    fake.send_start(ANNA, "LarGrostock")
    await fake.next_message(ANNA)
    first = scripted.received[-1]
    assert (first.kind, first.payload, first.language_code) == (Kind.START, "LarGrostock", "ar")
    assert (first.chat_id, first.user_id, first.platform) == (str(ANNA), str(ANNA), "telegram")


@pytest.mark.parametrize("payload", ["x" * 65, "de rostock", "ölkurs", "<b>"])
async def test_a_payload_telegram_would_not_make_starts_normally(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter, payload: str
) -> None:
    fake.send_start(ANNA, payload)
    await fake.next_message(ANNA)
    assert (scripted.received[-1].kind, scripted.received[-1].payload) == (Kind.START, None)


async def test_text_and_commands_reach_the_core(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    fake.send_text(ANNA, "Ich suche einen Deutschkurs")
    fake.send_text(ANNA, "/delete@wegweiser_test_bot")
    fake.send_text(ANNA, "/menu@some_other_bot")
    fake.send_text(ANNA, "Дякую")
    replies = await fake.next_messages(ANNA, 3)
    assert [reply.text for reply in replies] == ["got text"] * 3
    assert [message.text for message in scripted.received] == [
        "Ich suche einen Deutschkurs",
        "/delete",
        "Дякую",
    ]


async def test_a_pressed_button_is_answered_and_its_value_reaches_the_core(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    scripted.answer = lambda message: [
        Reply.text("Welche Sprache?", options=[Option("Deutsch", "core:lang:de")])
    ]
    fake.send_start(ANNA)
    question = await fake.next_message(ANNA)
    assert question.buttons == [[("Deutsch", "core:lang:de")]]
    query_id = fake.press_option(ANNA, "Deutsch")
    await fake.next_message(ANNA)
    assert query_id in fake.answered_callbacks  # the spinner on the button stopped
    pressed = scripted.received[-1]
    assert (pressed.kind, pressed.button, pressed.chat_id) == (Kind.BUTTON, "core:lang:de", "4242")


async def test_a_shared_location_reaches_the_core(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    fake.send_location(ANNA, 54.0887, 12.1404)
    await fake.next_message(ANNA)
    message = scripted.received[-1]
    assert (message.kind, message.location) == (Kind.LOCATION, GeoPoint(54.0887, 12.1404))


async def test_voice_photo_sticker_and_document_get_a_request_for_text(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    fake.send_voice(ANNA)
    fake.send_photo(ANNA, caption="mein Brief")
    fake.send_sticker(ANNA)
    fake.send_document(ANNA)
    await fake.next_messages(ANNA, 4)
    assert [message.kind for message in scripted.received] == [Kind.UNSUPPORTED] * 4
    assert all(message.text == "" for message in scripted.received)  # no caption, no file


async def test_an_edited_message_is_ignored(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    first = fake.send_text(ANNA, "Wohnung")
    fake.edit_message(ANNA, first, "Wohnung in Rostock")
    fake.send_text(ANNA, "Arbeit")
    await fake.next_messages(ANNA, 2)
    await fake.wait_until(lambda: not fake.updates)  # everything was fetched and confirmed
    assert [message.text for message in scripted.received] == ["Wohnung", "Arbeit"]
    assert fake.unread(ANNA) == []


async def test_menus_and_descriptions_are_set_in_every_language(
    fake: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    assert set(fake.commands) == {"", *published_codes().values()}
    names = [command["command"] for command in fake.commands["de"]]
    assert names[:2] == ["menu", "language"] and "delete" in names
    german = {c["command"]: c["description"] for c in fake.commands["de"]}
    assert german["language"] == "Sprache ändern"
    assert {c["command"]: c["description"] for c in fake.commands["uk"]}["language"] == (
        "Змінити мову"
    )
    assert fake.commands[""] == fake.commands["en"]
    assert "Deutschkurse" in fake.descriptions["de"]
    assert "/delete" in fake.descriptions["ar"]
    assert all(fake.short_descriptions[code] for code in published_codes().values())
    assert "ckb" not in fake.commands and "de-simple" not in fake.commands  # not ISO 639-1


async def test_a_reply_arrives_as_html_buttons_a_venue_and_a_calendar_file(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    calendar = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    scripted.answer = lambda message: [
        Reply(
            spans=[
                Span("Deutschkurse <A1> & <B1>", Style.BOLD),
                Span("\nStufe > A2 & mehr"),
            ],
            options=[Option("📅 Termine", "core:courses:rostock-deutschkurse")],
            venue=Venue(54.0887, 12.1404, "VHS <Rostock>", "Am Kanonsberg 1, 18055 Rostock"),
            attachment=Attachment("integrationskurs.ics", "text/calendar", calendar),
        )
    ]
    fake.send_text(ANNA, "Deutschkurs")
    card, venue, document = await fake.next_messages(ANNA, 3)
    assert card.html == "<b>Deutschkurse &lt;A1&gt; &amp; &lt;B1&gt;</b>\nStufe &gt; A2 &amp; mehr"
    assert card.text == "Deutschkurse <A1> & <B1>\nStufe > A2 & mehr"
    assert card.buttons == [[("📅 Termine", "core:courses:rostock-deutschkurse")]]
    assert venue.method == "sendVenue"
    assert venue.venue == {
        "location": {"latitude": 54.0887, "longitude": 12.1404},
        "title": "VHS <Rostock>",
        "address": "Am Kanonsberg 1, 18055 Rostock",
    }
    assert document.document is not None
    assert (document.document.filename, document.document.data) == (
        "integrationskurs.ics",
        calendar,
    )
    assert document.document.content_type == "text/calendar"


async def test_a_place_without_address_becomes_a_map_pin(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    scripted.answer = lambda message: [Reply(venue=Venue(54.09, 12.13, "Beratung"))]
    fake.send_text(ANNA, "wo")
    pin = await fake.next_message(ANNA)
    assert (pin.method, pin.location) == ("sendLocation", (54.09, 12.13))


async def test_options_without_text_still_show_their_buttons(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    scripted.answer = lambda message: [Reply(options=[Option("Menü", "core:menu")], lang="de")]
    fake.send_text(ANNA, "?")
    choice = await fake.next_message(ANNA)
    assert (choice.text, choice.button_labels) == ("Bitte wählen Sie:", ["Menü"])


async def test_a_long_reply_is_split_and_the_buttons_come_last(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    paragraphs = [f"Absatz {n}: " + "Beratung & Hilfe <hier>. " * 40 for n in range(1, 11)]
    scripted.answer = lambda message: [
        Reply(spans=[Span("\n\n".join(paragraphs))], options=[Option("Menü", "core:menu")])
    ]
    fake.send_text(ANNA, "alles")
    first, second, third = await fake.next_messages(ANNA, 3)
    assert [m.buttons for m in (first, second)] == [[], []]
    assert third.button_labels == ["Menü"]
    assert [m.text.split(":")[0] for m in (first, second, third)] == [
        "Absatz 1",
        "Absatz 5",
        "Absatz 9",
    ]
    assert "\n\n".join(m.text for m in (first, second, third)) == "\n\n".join(paragraphs)


async def test_after_retry_after_the_message_arrives_exactly_once(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    fake.fail_next("retry_after", method="sendMessage", chat_id=ANNA, retry_after=1)
    fake.send_text(ANNA, "Hallo")
    reply = await fake.next_message(ANNA, timeout=10)
    assert reply.text == "got text"
    attempts = [call for call in fake.calls if call.method == "sendMessage"]
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0  # waited as long as Telegram asked
    assert len(fake.messages_to(ANNA)) == 1


async def test_after_a_network_error_the_message_arrives_exactly_once(
    fake: FakeTelegramServer, wegweiser: Wegweiser, adapter: TelegramAdapter
) -> None:
    fake.fail_next("network", method="sendMessage", chat_id=ANNA, times=2)
    await adapter.send(str(ANNA), Reply.text("Ihr Kurs beginnt morgen."))
    assert [m.text for m in fake.messages_to(ANNA)] == ["Ihr Kurs beginnt morgen."]
    statuses = [call.status for call in fake.calls if call.method == "sendMessage"]
    assert statuses == [502, 502, 200]


async def test_a_message_that_may_have_arrived_is_not_sent_twice(
    fake: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    fake.fail_next("disconnect", method="sendMessage", chat_id=ANNA)  # no answer: arrived or not?
    with pytest.raises(NetworkError):
        await adapter.send(str(ANNA), Reply.text("Ihr Termin ist morgen."))
    assert len([call for call in fake.calls if call.method == "sendMessage"]) == 1


def _add_user(engine: Engine, chat_id: int) -> None:
    with session_scope(engine) as session:
        session.add(
            User(
                platform="telegram",
                platform_user_id=str(chat_id),
                chat_id=str(chat_id),
                language="de",
                created_at=NOW,
                last_seen_at=NOW,
            )
        )


def _blocked(engine: Engine, chat_id: int) -> bool:
    with session_scope(engine) as session:
        user = session.exec(select(User).where(User.chat_id == str(chat_id))).one()
        return user.blocked


async def test_a_user_who_blocked_the_bot_is_recorded_and_not_retried(
    fake: FakeTelegramServer, wegweiser: Wegweiser, adapter: TelegramAdapter
) -> None:
    _add_user(wegweiser.engine, ANNA)
    fake.fail_next("blocked", chat_id=ANNA, times=100)
    with pytest.raises(DeliveryError):
        await adapter.send(str(ANNA), Reply.text("Erinnerung: Ihr Kurs beginnt morgen."))
    assert _blocked(wegweiser.engine, ANNA)
    assert len([call for call in fake.calls if call.method == "sendMessage"]) == 1
    assert fake.messages_to(ANNA) == []


async def test_blocking_and_unblocking_the_bot_is_noticed(
    fake: FakeTelegramServer, wegweiser: Wegweiser, adapter: TelegramAdapter
) -> None:
    _add_user(wegweiser.engine, ANNA)
    fake.stop_bot(ANNA)
    await fake.wait_until(lambda: _blocked(wegweiser.engine, ANNA))
    fake.restart_bot(ANNA)
    await fake.wait_until(lambda: not _blocked(wegweiser.engine, ANNA))


async def test_chats_are_paced_so_telegram_never_refuses(
    fake: FakeTelegramServer, wegweiser: Wegweiser, scripted: ScriptedConversation
) -> None:
    # Half a second of slack for requests the loaded test machine delays on the way: the pace is
    # checked below on the arrival times themselves.
    fake.rate_limit(overall_per_second=30, per_chat_per_second=1, tolerance=0.5)
    adapter = TelegramAdapter(wegweiser)  # production pace: 30 a second, one a second a chat
    await adapter.start()
    try:
        notices = [Reply.text(f"Hinweis {n}") for n in range(3)]
        await asyncio.gather(
            *(adapter.send(str(ANNA), notice) for notice in notices),
            *(adapter.send(str(1000 + n), Reply.text("Erinnerung")) for n in range(40)),
        )
    finally:
        await adapter.stop()
    assert fake.rate_limited == []
    assert [m.text for m in fake.messages_to(ANNA)] == ["Hinweis 0", "Hinweis 1", "Hinweis 2"]
    assert all(len(fake.messages_to(1000 + n)) == 1 for n in range(40))
    to_anna = [call.at for call in fake.calls_to("sendMessage") if call.params["chat_id"] == ANNA]
    # Three messages to one chat take two seconds, less the slack a delayed first arrival eats.
    assert to_anna[2] - to_anna[0] >= 1.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_receives_updates_from_telegram(
    fake: FakeTelegramServer, wegweiser: Wegweiser, scripted: ScriptedConversation
) -> None:
    port = _free_port()
    wegweiser.settings.telegram_webhook_url = f"http://127.0.0.1:{port}/telegram/hook"
    wegweiser.settings.telegram_webhook_port = port
    adapter = TelegramAdapter(wegweiser, per_chat_per_second=1000)
    await adapter.start()
    try:
        assert fake.webhook_url == f"http://127.0.0.1:{port}/telegram/hook"
        assert fake.webhook_secret
        fake.send_text(ANNA, "Hallo")
        reply = await fake.next_message(ANNA, timeout=10)
    finally:
        await adapter.stop()
    assert reply.text == "got text"
    assert fake.calls_to("getUpdates") == []


def test_wegweiser_run_starts_telegram_when_the_token_is_set(wegweiser: Wegweiser) -> None:
    [telegram] = [a for a in configured_adapters(wegweiser) if a.platform == "telegram"]
    assert isinstance(telegram, TelegramAdapter)
    wegweiser.settings.telegram_token = None
    assert [a for a in configured_adapters(wegweiser) if a.platform == "telegram"] == []


async def test_where_a_location_helps_telegram_offers_its_share_location_button(
    fake: FakeTelegramServer, scripted: ScriptedConversation, adapter: TelegramAdapter
) -> None:
    question = Reply.text("Wo wohnen Sie?", options=[Option("Rostock", "core:region:rostock")])
    question.location_hint = True
    scripted.answer = lambda message: [question]
    fake.send_start(ANNA)
    asked, offer = await fake.next_messages(ANNA, 2)
    assert asked.buttons == [[("Rostock", "core:region:rostock")]]  # the choices stay inline
    assert offer.text == "Oder teilen Sie Ihren Standort mit dem Knopf unten."
    keyboard = (offer.reply_markup or {})["keyboard"]
    assert keyboard == [[{"text": "📍 Meinen Standort teilen", "request_location": True}]]
    assert offer.reply_markup["one_time_keyboard"] is True
    fake.send_location(ANNA, 54.0887, 12.1404)  # what pressing it sends
    await fake.next_message(ANNA)
    assert scripted.received[-1].kind == Kind.LOCATION
