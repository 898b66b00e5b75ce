"""An interpreter request on Matrix: a person asks in an encrypted direct chat, the pool's
coordination reads it in its own encrypted room and answers there with ``!accept``.

Hafenstadt's pool names no chat of its own, so the room set in the settings coordinates it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nio import (
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomInviteResponse,
    RoomPreset,
    RoomPutStateResponse,
)
from sqlalchemy import Engine

from bot.adapters.matrix import MatrixAdapter
from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.settings import Settings
from tests.helpers import load_catalogue
from tests.matrix.people import Person, Received, numbered, text_of
from tests.servers.synapse import SynapseServer

pytestmark = pytest.mark.synapse

CATALOGUE = Path(__file__).parents[1] / "interpreter" / "catalogue"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ENCRYPTED = [
    {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
]


def choice(message: Received, contains: str) -> str:
    return str(next(n for label, n in numbered(message.body).items() if contains in label))


async def coordination_room(coordinator: Person) -> str:
    """An encrypted group room, not a direct chat, as a pool's coordinators would make."""
    response = await coordinator.client.room_create(
        name="Sprachmittlung Hafenstadt",
        preset=RoomPreset.private_chat,
        initial_state=ENCRYPTED,
    )
    assert isinstance(response, RoomCreateResponse), response
    return response.room_id


async def request_interpreter(amal: Person, bot_id: str) -> tuple[str, str]:
    """A person asks Hafenstadt's pool for an Arabic interpreter; (chat, request reference)."""
    chat = await amal.open_direct_chat(bot_id)
    languages = await amal.ask(chat, "👋")
    regions = await amal.ask(chat, choice(languages[-1], "English"))
    await amal.ask(chat, choice(regions[-1], "Hafenstadt"))
    card = await amal.ask(chat, "I need an interpreter")
    assert "Hafenstadt community interpreter pool" in text_of(card)
    asked = await amal.ask(chat, choice(card[-1], "Request an interpreter"))
    kinds = await amal.ask(chat, choice(asked[-1], "Arabic"))
    when = await amal.ask(chat, choice(kinds[-1], "Doctor"))
    summary = await amal.ask(chat, choice(when[-1], "Next week"))
    assert "How the pool works: Die einladende Stelle bestellt und bezahlt." in text_of(summary)
    sent = await amal.ask(chat, choice(summary[-1], "Send the request"))
    assert "waiting to be delivered" in text_of(sent)
    reference = text_of(sent).split("Its reference is ")[1][:5]
    if "has reached the interpreter pool's coordination" not in text_of(sent):
        arrived = await amal.next_message()  # told once the coordination room has it
        assert f"Your request {reference} (" in arrived.body
        assert "has reached the interpreter pool's coordination" in arrived.body
    return chat, reference


@pytest.fixture
async def running(
    synapse: SynapseServer, bot_account: tuple[str, str], sqlite_engine: Engine, tmp_path: Path
) -> AsyncIterator[Callable]:
    adapters: list[MatrixAdapter] = []
    apps: list[Wegweiser] = []

    async def start(room_id: str, allowed: tuple[str, ...] = ()) -> MatrixAdapter:
        load_catalogue(sqlite_engine, CATALOGUE, NOW)
        user_id, password = bot_account
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,
            matrix_homeserver=synapse.url,
            matrix_user=user_id,
            matrix_password=password,
            matrix_allowed_homeservers=list(allowed),
            interpreter_coordination_chat=f"matrix:{room_id}",
        )
        app = build_app(settings, clock=FakeClock(NOW), engine=sqlite_engine)
        adapter = MatrixAdapter(app)
        app.outbox.register(adapter)
        await adapter.start()
        await app.start()
        adapters.append(adapter)
        apps.append(app)
        return adapter

    yield start
    for app in apps:
        await app.stop()
    for adapter in adapters:
        await adapter.stop()


async def test_request_and_answer_through_a_coordination_room(
    running: Callable, people: Callable
) -> None:
    coordinator: Person = await people("koordination")
    room = await coordination_room(coordinator)
    bot = await running(room)
    coordinator.bot_id = bot.user_id
    invited = await coordinator.client.room_invite(room, bot.user_id)
    assert isinstance(invited, RoomInviteResponse), invited
    await coordinator.wait_for_membership(room, bot.user_id, "join")

    amal: Person = await people("amal")
    chat, reference = await request_interpreter(amal, bot.user_id)

    arrived = await coordinator.next_message()
    assert arrived.event.decrypted and arrived.msgtype == "m.notice"
    assert f"Neue Anfrage nach Sprachmittlung {reference}" in arrived.body
    assert "Sprache: Arabisch" in arrived.body and "Termin: Arzt oder Krankenhaus" in arrived.body
    assert f"!accept {reference}" in arrived.body  # commands as Matrix clients let them be sent

    # the person cannot answer her own request from her chat
    refused = await amal.ask(chat, f"!accept {reference} ok")
    assert text_of(refused).startswith("Only the coordination of an interpreter pool")

    # the coordination's chatter gets no answer; its command does
    assert await coordinator.ask(room, "Wer hat nächste Woche Zeit für Arabisch?") == []
    ack = await coordinator.ask(room, f"!accept {reference} Herr K. kommt, Treffpunkt Eingang.")
    assert text_of(ack) == f"✅ {reference}: an die Person weitergegeben."
    relayed = await amal.next_message()
    assert f"the interpreter pool accepted your request {reference}" in relayed.body
    assert "«Herr K. kommt, Treffpunkt Eingang.»" in relayed.body


async def joined_coordination(running: Callable, coordinator: Person, **options) -> tuple:
    """The coordination room with the bot in it; (room, bot)."""
    room = await coordination_room(coordinator)
    bot = await running(room, **options)
    coordinator.bot_id = bot.user_id
    invited = await coordinator.client.room_invite(room, bot.user_id)
    assert isinstance(invited, RoomInviteResponse), invited
    await coordinator.wait_for_membership(room, bot.user_id, "join")
    return room, bot


async def test_only_members_with_the_coordinator_power_level_act_on_requests(
    running: Callable, people: Callable
) -> None:
    coordinator: Person = await people("koordination")  # created the room: power level 100
    intern: Person = await people("praktikum")  # invited later: power level 0
    room, bot = await joined_coordination(running, coordinator)
    intern.bot_id = bot.user_id
    assert isinstance(
        await coordinator.client.room_invite(room, intern.user_id), RoomInviteResponse
    )
    await intern.client.join(room)
    await coordinator.wait_for_membership(room, intern.user_id, "join")

    amal: Person = await people("amal")
    _, reference = await request_interpreter(amal, bot.user_id)
    await coordinator.next_message()  # the request arrived in the coordination room
    assert reference in (await intern.next_message()).body  # which the intern reads as well

    assert await intern.ask(room, f"!accept {reference} Ich komme, ruf mich an: 0170 1234567") == []
    assert await intern.ask(room, f"!decline {reference}") == []
    ack = await coordinator.ask(room, f"!accept {reference} Frau S. kommt.")
    assert text_of(ack) == f"✅ {reference}: an die Person weitergegeben."
    relayed = await amal.next_message()  # the first thing the person hears after her request
    assert "«Frau S. kommt.»" in relayed.body and "0170" not in relayed.body

    # the coordinator makes the intern a moderator (50, the configured level): now she may act
    levels = await coordinator.client.room_get_state_event(room, "m.room.power_levels")
    assert isinstance(levels, RoomGetStateEventResponse), levels
    users = {**levels.content.get("users", {}), intern.user_id: 50}
    promoted = await coordinator.client.room_put_state(
        room, "m.room.power_levels", {**levels.content, "users": users}
    )
    assert isinstance(promoted, RoomPutStateResponse), promoted
    await intern.wait_for_power_level(room, intern.user_id, 50)
    assert reference in text_of(await intern.ask(room, f"!decline {reference} zu spät"))


async def test_senders_from_servers_not_allowed_are_not_listened_to_in_any_room(
    running: Callable, people: Callable
) -> None:
    coordinator: Person = await people("koordination")
    room, bot = await joined_coordination(running, coordinator, allowed=("localhost",))
    amal: Person = await people("amal")
    chat = await amal.open_direct_chat(bot.user_id)
    assert await amal.ask(chat, "👋") != []
    assert "ZZZZZ" in text_of(await coordinator.ask(room, "!accept ZZZZZ ok"))
    await bot.stop()

    # The admin narrows the allow-list: the same people, now from a server not on it.
    await running(room, allowed=("stadt.de",))
    assert await amal.ask(chat, "👋") == []
    assert await amal.ask(chat, "!help") == []
    assert await coordinator.ask(room, "!accept ZZZZZ ok") == []
