"""The Matrix adapter against a real Synapse and real encrypted clients.

The conversation here is a small stand-in that shows what the adapter handed over, so that these
tests pin the Matrix side: encryption, rendering, commands, restarts, invites, rate limits and
lost connections. The real dialogue runs end to end in test_flows.py.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from nio import Api, RoomCreateResponse, RoomPreset
from sqlalchemy import Engine

from bot.adapters.matrix import MatrixAdapter
from bot.clock import FakeClock
from bot.core.messages import Attachment, Incoming, Kind, Option, Reply, Span, Style, Venue
from bot.settings import Settings
from tests.matrix.people import Person, unique
from tests.servers.synapse import SynapseServer

pytestmark = pytest.mark.synapse

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


class StandIn:
    """Answers with what it was given, and on request with options, a place or a file."""

    def __init__(self) -> None:
        self.seen: list[Incoming] = []
        self.release = asyncio.Event()  # "slow" waits for it, as a long answer would

    async def handle(self, message: Incoming) -> list[Reply]:
        self.seen.append(message)
        if message.kind is Kind.START:
            return [Reply.text(f"start {message.payload}")]
        if message.kind is Kind.LOCATION and message.location:
            return [Reply.text(f"at {message.location.latitude},{message.location.longitude}")]
        if message.kind is not Kind.TEXT:
            return [Reply.text(message.kind.value)]
        if message.text == "options":
            options = [Option("Beratung <MBE>", "a"), Option("Sprachkurs", "b")]
            spans = [Span("Bitte "), Span("wählen", Style.BOLD), Span(":")]
            return [Reply(spans=spans, options=options)]
        if message.text == "place":
            venue = Venue(54.0887, 12.1405, "Caritas Rostock", "Wismarsche Str. 32")
            return [Reply(spans=[Span("Hier:")], venue=venue)]
        if message.text == "course":
            return [Reply(attachment=Attachment("kurs.ics", "text/calendar", ICS))]
        if message.text == "slow":
            await self.release.wait()
            return [Reply.text("done")]
        if message.text == "three":
            return [Reply.text(f"part {number}") for number in (1, 2, 3)]
        return [Reply.text(f"heard {message.text}")]


@dataclass
class StandInApp:
    settings: Settings
    engine: Engine
    clock: FakeClock = field(default_factory=lambda: FakeClock(datetime(2026, 12, 1, tzinfo=UTC)))
    conversation: StandIn = field(default_factory=StandIn)


@pytest.fixture
async def bots(sqlite_engine: Engine) -> AsyncIterator[Callable]:
    """Start adapters on demand (with the stand-in unless given an app); all stop afterwards."""
    running: list[MatrixAdapter] = []

    async def start(settings: Settings, app: StandInApp | None = None) -> MatrixAdapter:
        adapter = MatrixAdapter(app or StandInApp(settings, sqlite_engine))
        await adapter.start()
        running.append(adapter)
        return adapter

    yield start
    for adapter in running:
        await adapter.stop()


async def test_encrypted_direct_chat_gets_html_notices_with_numbered_options(
    settings: Settings, bots: Callable, people: Callable, sqlite_engine: Engine
) -> None:
    app = StandInApp(settings, sqlite_engine)
    bot = await bots(app.settings, app)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    assert amal.client.rooms[room].encrypted

    await amal.say(room, "Hallo")
    hello = await amal.next_message()
    assert hello.event.decrypted  # the answer came end-to-end encrypted
    assert (hello.msgtype, hello.body) == ("m.notice", "heard Hallo")
    assert app.conversation.seen[0].user_id == amal.user_id
    assert app.conversation.seen[0].chat_id == room
    assert app.conversation.seen[0].language_code is None

    await amal.say(room, "options")
    choice = await amal.next_message()
    assert choice.body == "Bitte wählen:\n1. Beratung <MBE>\n2. Sprachkurs"
    assert choice.content["format"] == "org.matrix.custom.html"
    assert (
        choice.html
        == "Bitte <b>wählen</b>:<ol><li>Beratung &lt;MBE&gt;</li><li>Sprachkurs</li></ol>"
    )


async def test_places_files_locations_and_commands(
    settings: Settings, bots: Callable, people: Callable, sqlite_engine: Engine
) -> None:
    app = StandInApp(settings, sqlite_engine)
    bot = await bots(app.settings, app)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)

    await amal.say(room, "!start de-rostock-mbe")
    assert (await amal.next_message()).body == "start de-rostock-mbe"

    await amal.say(room, "!Reminders off")
    assert (await amal.next_message()).body == "heard !reminders off"  # shown as typed on Matrix
    assert app.conversation.seen[-1].text == "/reminders off"  # the core's command

    await amal.say(room, "place")
    text, place = await amal.messages(2)
    assert text.body == "Hier:"
    assert place.msgtype == "m.location"
    assert place.content["geo_uri"] == "geo:54.088700,12.140500"
    assert "Caritas Rostock, Wismarsche Str. 32" in place.body

    await amal.say(room, "course")
    calendar = await amal.next_message()
    assert calendar.msgtype == "m.file"
    assert calendar.body == "kurs.ics"
    assert "url" not in calendar.content  # only the encrypted file reference is sent
    assert calendar.content["info"]["mimetype"] == "text/calendar"
    assert await amal.download(calendar) == ICS

    await amal.send_content(
        room, {"msgtype": "m.location", "body": "me", "geo_uri": "geo:54.09,12.14;u=20"}
    )
    assert (await amal.next_message()).body == "at 54.09,12.14"

    voice_note = {
        "msgtype": "m.audio",
        "body": "voice.ogg",
        "file": {
            "url": "mxc://localhost/voice",
            "key": {"alg": "A256CTR", "k": "a2V5", "kty": "oct", "ext": True},
            "iv": "aXY",
            "hashes": {"sha256": "aGFzaA"},
            "v": "v2",
        },
    }
    await amal.send_content(room, voice_note)
    assert (await amal.next_message()).body == "unsupported"
    await amal.send_content(room, {"msgtype": "m.image", "body": "x.png", "url": "mxc://x/y"})
    assert (await amal.next_message()).body == "unsupported"


async def test_restart_keeps_the_device_answers_what_came_meanwhile_once(
    settings: Settings, bots: Callable, people: Callable, sqlite_engine: Engine
) -> None:
    first = await bots(settings)
    device = first.device_id
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(first.user_id)
    await amal.say(room, "before")
    assert (await amal.next_message()).body == "heard before"

    await first.stop()
    # More than one sync timeline holds (50), so the bot must page back for the rest.
    away = [f"while away {number}" for number in range(60)]
    for text in away:
        await amal.say(room, text)

    app = StandInApp(settings, sqlite_engine)
    second = await bots(app.settings, app)
    assert second.device_id == device
    assert [m.body for m in await amal.messages(len(away))] == [f"heard {t}" for t in away]
    await amal.say(room, "after")
    assert (await amal.next_message()).body == "heard after"
    assert [m.text for m in app.conversation.seen] == [*away, "after"]


async def test_history_from_before_the_first_start_is_not_answered(
    synapse: SynapseServer,
    settings: Settings,
    bots: Callable,
    people: Callable,
    sqlite_engine: Engine,
) -> None:
    first = await bots(settings)
    amal: Person = await people("amal")
    # Unencrypted: a new bot device cannot read what was encrypted for the old one, and this
    # test is about which messages count as history.
    room = await amal.open_direct_chat(first.user_id, encrypted=False)
    await amal.say(room, "old question")
    assert (await amal.next_message()).body == "heard old question"
    await first.stop()

    # The store is lost: the bot comes back as a new device and must not answer old history.
    fresh = settings.model_copy(update={"matrix_store": settings.data_dir / "new-store"})
    app = StandInApp(fresh, sqlite_engine)
    second = await bots(app.settings, app)
    assert second.device_id != first.device_id
    await amal.say(room, "new question")
    assert (await amal.next_message()).body == "heard new question"
    assert [m.text for m in app.conversation.seen] == ["new question"]


async def test_invites_direct_only_from_allowed_servers_and_leaves_when_alone(
    synapse: SynapseServer, settings: Settings, bots: Callable, people: Callable
) -> None:
    admin_token = synapse.register(unique("admin"), "admin-secret", admin=True)["access_token"]
    guarded = settings.model_copy(update={"matrix_allowed_homeservers": ["example.org"]})
    bot = await bots(guarded)
    amal: Person = await people("amal")
    refused = await amal.client.room_create(is_direct=True, invite=[bot.user_id])
    assert isinstance(refused, RoomCreateResponse)
    group = await amal.client.room_create(
        invite=[bot.user_id], preset=RoomPreset.private_chat, name="Team"
    )
    assert isinstance(group, RoomCreateResponse)
    await amal.wait_for_membership(refused.room_id, bot.user_id, "leave")
    await amal.wait_for_membership(group.room_id, bot.user_id, "leave")
    await bot.stop()

    bot = await bots(settings)  # no allow-list: direct chats from anywhere
    room = await amal.open_direct_chat(bot.user_id)
    await amal.client.room_leave(room)

    def bot_is_member() -> bool:
        members = synapse.admin_request(
            admin_token, "GET", f"/_synapse/admin/v1/rooms/{room}/members"
        )
        return bot.user_id in members["members"]

    async def bot_has_left() -> None:
        while bot_is_member():
            await bot.synced.wait()

    await asyncio.wait_for(bot_has_left(), 60)


async def test_rate_limits_are_waited_out_and_nothing_is_dropped(
    synapse: SynapseServer, settings: Settings, bots: Callable, people: Callable
) -> None:
    admin_token = synapse.register(unique("admin"), "admin-secret", admin=True)["access_token"]
    synapse.admin_request(
        admin_token,
        "POST",
        f"/_synapse/admin/v1/users/{settings.matrix_user}/override_ratelimit",
        {"messages_per_second": 1, "burst_count": 1},
    )
    bot = await bots(settings)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    await amal.say(room, "three")
    assert [m.body for m in await amal.messages(3)] == ["part 1", "part 2", "part 3"]


async def test_a_lost_homeserver_connection_is_resumed(
    synapse: SynapseServer, settings: Settings, bots: Callable, people: Callable
) -> None:
    bot = await bots(settings)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    await asyncio.to_thread(synapse.halt)
    await asyncio.to_thread(synapse.resume)
    await amal.say(room, "still there?")
    assert (await amal.next_message()).body == "heard still there?"


async def test_a_message_whose_key_never_comes_gets_a_request_to_send_it_again(
    settings: Settings, bots: Callable, people: Callable, sqlite_engine: Engine
) -> None:
    app = StandInApp(settings, sqlite_engine)
    bot = await bots(settings, app)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    # A message encrypted with a session the bot never received (as from a device that did not
    # share its key), sent raw so that the client does not encrypt it again.
    undecryptable = {
        "algorithm": "m.megolm.v1.aes-sha2",
        "sender_key": amal.client.olm.account.identity_keys["curve25519"],
        "device_id": amal.client.device_id,
        "session_id": "a-session-the-bot-never-got",
        "ciphertext": "AwgAEhD2jA",
    }
    method, path, data = Api.room_send(
        amal.client.access_token, room, "m.room.encrypted", undecryptable, uuid.uuid4()
    )
    response = await amal.client.send(method, path, data)
    assert response.status == 200
    assert (await amal.ask(room, "first"))[0].body == "heard first"  # held, not answered yet

    app.clock.advance(timedelta(minutes=2))
    answers = await amal.ask(room, "second")
    assert [m.body for m in answers] == [
        "Sorry, I could not read your last message. Please send it again.",
        "heard second",
    ]
    assert [m.text for m in app.conversation.seen] == ["first", "second"]


async def test_answers_stay_in_the_thread_and_reply_where_the_question_is_not_plain(
    settings: Settings, bots: Callable, people: Callable
) -> None:
    bot = await bots(settings)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    root = await amal.say(room, "Hallo")
    plain = await amal.next_message()
    assert "m.relates_to" not in plain.content  # the answer to the latest message: no quote

    threaded = {
        "msgtype": "m.text",
        "body": "three",
        "m.relates_to": {"rel_type": "m.thread", "event_id": root, "is_falling_back": True},
    }
    asked = await amal.send_content(room, threaded)
    parts = await amal.messages(3)
    assert [m.content["m.relates_to"]["rel_type"] for m in parts] == ["m.thread"] * 3
    assert {m.content["m.relates_to"]["event_id"] for m in parts} == {root}
    assert parts[0].content["m.relates_to"]["m.in_reply_to"] == {"event_id": asked}
    assert parts[0].content["m.relates_to"]["is_falling_back"] is False

    await bot.stop()  # two questions wait while the bot is away
    first = await amal.say(room, "eins")
    await amal.say(room, "zwei")
    await bots(settings)
    one, two = await amal.messages(2)
    assert (one.body, two.body) == ("heard eins", "heard zwei")
    assert one.content["m.relates_to"] == {"m.in_reply_to": {"event_id": first}}
    assert "m.relates_to" not in two.content  # the latest question: plain again


async def test_typing_is_shown_while_an_answer_is_prepared(
    settings: Settings, bots: Callable, people: Callable, sqlite_engine: Engine
) -> None:
    app = StandInApp(settings, sqlite_engine)
    bot = await bots(app.settings, app)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    await amal.say(room, "slow")
    await asyncio.wait_for(amal.bot_typing.wait(), 60)  # "Wegweiser is typing …"
    app.conversation.release.set()
    assert (await amal.next_message()).body == "done"
    while amal.bot_typing.is_set():
        await amal.client.synced.wait()  # and no longer once the answer is there


async def test_the_bot_follows_a_room_upgrade_and_pushes_go_to_the_new_room(
    synapse: SynapseServer, settings: Settings, bots: Callable, people: Callable
) -> None:
    bot = await bots(settings)
    amal: Person = await people("amal")
    room = await amal.open_direct_chat(bot.user_id)
    assert (await amal.ask(room, "Hallo"))[0].body == "heard Hallo"

    upgraded = synapse.client_request(
        amal.client.access_token,
        "POST",
        f"/_matrix/client/v3/rooms/{room}/upgrade",
        {"new_version": "12"},
    )
    new_room = upgraded["replacement_room"]
    await amal.client.room_invite(new_room, bot.user_id)  # as Element does for a direct chat
    await amal.wait_for_membership(new_room, bot.user_id, "join")
    assert (await amal.ask(new_room, "weiter"))[0].body == "heard weiter"

    await bot.send(room, Reply.text("Erinnerung"))  # a reminder addressed to the old room
    reminder = await amal.next_message()
    assert reminder.body == "Erinnerung" and reminder.room_id == new_room
