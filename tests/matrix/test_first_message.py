"""The first message of a new chat is answered, however quickly the person writes it.

A person who opens a chat and writes at once must not get "please send it again": the bot's
device keys are on the server before it accepts any invite, so the person's client can encrypt
for it from the first message on, even for a message written while the bot is only invited.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nio import RoomCreateResponse, RoomMemberEvent, RoomPreset

from tests.matrix.people import Person, text_of

pytestmark = pytest.mark.synapse

ENCRYPTED = [
    {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
]
UNREADABLE = "could not read your last message"


async def direct_chat(person: Person, bot_id: str) -> str:
    person.bot_id = bot_id
    response = await person.client.room_create(
        is_direct=True,
        invite=[bot_id],
        preset=RoomPreset.trusted_private_chat,
        initial_state=ENCRYPTED,
    )
    assert isinstance(response, RoomCreateResponse), response
    return response.room_id


async def test_a_message_sent_the_instant_the_bot_joins_is_answered(
    wegweiser: Callable, people: Callable
) -> None:
    bot = await wegweiser()
    amal: Person = await people("amal", careful=True)
    sent: list[str] = []

    async def on_join(room, event: RoomMemberEvent) -> None:
        if event.state_key == bot.user_id and event.membership == "join" and not sent:
            sent.append(await amal.say(room.room_id, "Deutschkurs"))  # inside the sync callback

    amal.client.add_event_callback(on_join, RoomMemberEvent)
    room = await direct_chat(amal, bot.user_id)
    await amal.wait_for_membership(room, bot.user_id, "join")
    while not sent:
        await amal.client.synced.wait()
    answer = await amal.answered(sent[0])
    assert UNREADABLE not in text_of(answer)
    assert "Wo wohnen Sie?" in text_of(answer)  # understood: German, and the region comes next


async def test_a_message_sent_before_the_bot_has_joined_is_answered(
    wegweiser: Callable, people: Callable
) -> None:
    bot = await wegweiser()
    amal: Person = await people("amal")
    room = await direct_chat(amal, bot.user_id)
    while bot.user_id not in getattr(amal.client.rooms.get(room), "invited_users", {}):
        await amal.client.synced.wait()  # the chat as a client shows it: the bot is invited
    early = await amal.say(room, "Deutschkurs")  # the bot is only invited yet
    answer = await amal.answered(early)
    assert UNREADABLE not in text_of(answer)
    assert "Wo wohnen Sie?" in text_of(answer)  # understood: German, and the region comes next
