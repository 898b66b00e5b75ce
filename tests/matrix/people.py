"""A person on Matrix for the tests: a real matrix-nio client with encryption, as Element would be.

It opens an encrypted direct chat with the bot, writes, and collects what the bot sends back
(notices, locations, files), decrypting files the way a client does.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    Api,
    AsyncClient,
    AsyncClientConfig,
    Event,
    KeysQueryResponse,
    LoginResponse,
    MatrixRoom,
    MemoryDownloadResponse,
    ReceiptEvent,
    RoomCreateResponse,
    RoomEncryptedFile,
    RoomMessage,
    RoomPreset,
    RoomSendResponse,
    TypingNoticeEvent,
)
from nio.crypto import decrypt_attachment

from tests.servers.synapse import SynapseServer

WAIT_SECONDS = 60
_counter = itertools.count()


def unique(name: str) -> str:
    """A user name not taken yet on the session's homeserver."""
    return f"{name}{next(_counter)}"


def text_of(messages: list[Received]) -> str:
    return "\n".join(message.body for message in messages)


def numbered(body: str) -> dict[str, int]:
    """The numbered choices of a message, label → number, as a person reads them."""
    choices = {}
    for line in body.splitlines():
        number, dot, label = line.partition(". ")
        if dot and number.isdigit():
            choices[label.strip()] = int(number)
    return choices


@dataclass
class Received:
    """One message from the bot as a client shows it."""

    msgtype: str
    body: str
    content: dict[str, Any]
    event: Event
    room_id: str = ""

    @property
    def html(self) -> str:
        return str(self.content.get("formatted_body", ""))


class Person:
    def __init__(self, server: SynapseServer, localpart: str, store: Path) -> None:
        self.server = server
        self.password = f"{localpart}-secret"
        self.user_id = server.register(localpart, self.password)["user_id"]
        store.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            server.url,
            self.user_id,
            store_path=str(store),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
        )
        self.inbox: asyncio.Queue[Received] = asyncio.Queue()
        self.bot_id: str | None = None
        self.read_by_bot: set[str] = set()
        self.bot_typing = asyncio.Event()  # set while the client shows "the bot is typing"
        self._task: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        response = await self.client.login(self.password, device_name="phone")
        assert isinstance(response, LoginResponse), response
        self.client.add_event_callback(self._on_message, RoomMessage)
        self.client.add_ephemeral_callback(self._on_receipt, ReceiptEvent)
        self.client.add_ephemeral_callback(self._on_typing, TypingNoticeEvent)
        await self.client.sync(timeout=0, full_state=True)
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        self._task = asyncio.create_task(self.client.sync_forever(timeout=10_000))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.client.close()

    async def _on_message(self, room: MatrixRoom, event: Event) -> None:
        if event.sender != self.bot_id:
            return
        content = event.source.get("content", {})
        if isinstance(event, RoomEncryptedFile):
            content = {**event.source.get("content", {}), "msgtype": "m.file"}
        await self.inbox.put(
            Received(
                msgtype=str(content.get("msgtype", "")),
                body=str(content.get("body", "")),
                content=content,
                event=event,
                room_id=room.room_id,
            )
        )

    async def _on_receipt(self, room: MatrixRoom, event: ReceiptEvent) -> None:
        for receipt in event.receipts:
            if receipt.user_id == self.bot_id and receipt.receipt_type == "m.read":
                self.read_by_bot.add(receipt.event_id)

    async def _on_typing(self, room: MatrixRoom, event: TypingNoticeEvent) -> None:
        if self.bot_id in event.users:
            self.bot_typing.set()
        else:
            self.bot_typing.clear()

    async def open_direct_chat(self, bot_id: str, encrypted: bool = True) -> str:
        """Create a direct chat with the bot (as Element does) and wait until it has joined."""
        self.bot_id = bot_id
        initial_state = (
            [
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            ]
            if encrypted
            else []
        )
        response = await self.client.room_create(
            is_direct=True,
            invite=[bot_id],
            preset=RoomPreset.trusted_private_chat,
            initial_state=initial_state,
        )
        assert isinstance(response, RoomCreateResponse), response
        await self.wait_for_membership(response.room_id, bot_id, "join")
        return response.room_id

    async def wait_for_membership(self, room_id: str, user_id: str, membership: str) -> None:
        async def until() -> None:
            while True:
                room = self.client.rooms.get(room_id)
                member = room.users.get(user_id) if room else None
                joined = member is not None and not member.invited
                if (membership == "join" and joined) or (
                    membership == "leave" and room is not None and member is None
                ):
                    return
                await self.client.synced.wait()

        await asyncio.wait_for(until(), WAIT_SECONDS)

    async def wait_for_power_level(self, room_id: str, user_id: str, level: int) -> None:
        async def until() -> None:
            while self.client.rooms[room_id].power_levels.get_user_level(user_id) != level:
                await self.client.synced.wait()

        await asyncio.wait_for(until(), WAIT_SECONDS)

    async def say(self, room_id: str, text: str) -> str:
        return await self.send_content(room_id, {"msgtype": "m.text", "body": text})

    async def send_content(self, room_id: str, content: dict[str, Any]) -> str:
        return await self._send(room_id, content, ignore_unverified_devices=True)

    async def _send(
        self, room_id: str, content: dict[str, Any], ignore_unverified_devices: bool
    ) -> str:
        await self._query_new_members(room_id)
        response = await self.client.room_send(
            room_id,
            "m.room.message",
            content,
            ignore_unverified_devices=ignore_unverified_devices,
        )
        assert isinstance(response, RoomSendResponse), response
        return response.event_id

    async def _query_new_members(self, room_id: str) -> None:
        """As Element does before encrypting: fetch the devices of members (joined or invited)
        it has not seen yet, so the room key reaches a member who has just come in or is
        invited."""
        room = self.client.rooms.get(room_id)
        if room is None or not room.encrypted:
            return
        unseen = {
            user_id
            for user_id in room.users
            if user_id != self.user_id
            and not any(True for _ in self.client.device_store.active_user_devices(user_id))
        }
        if unseen:  # asked directly: nio's own query may be in flight and would be skipped
            method, path, data = Api.keys_query(self.client.access_token, unseen)
            await self.client._send(KeysQueryResponse, method, path, data)
        # nio would refetch only the joined members and leave invited ones without the key;
        # Element shares it with invited members too (the history is visible to them).
        room.members_synced = True

    async def answered(self, event_id: str) -> list[Received]:
        """All the bot sent until it marked ``event_id`` read, which it does after answering."""

        async def until_read() -> None:
            while event_id not in self.read_by_bot:
                await self.client.synced.wait()

        await asyncio.wait_for(until_read(), WAIT_SECONDS)
        received = []
        while not self.inbox.empty():
            received.append(self.inbox.get_nowait())
        return received

    async def ask(self, room_id: str, text: str) -> list[Received]:
        """Write and return all of the bot's answer (however many messages it has)."""
        return await self.answered(await self.say(room_id, text))

    async def next_message(self) -> Received:
        """The bot's next message; fails the test if none comes within a minute."""
        return await asyncio.wait_for(self.inbox.get(), WAIT_SECONDS)

    async def messages(self, count: int) -> list[Received]:
        return [await self.next_message() for _ in range(count)]

    async def download(self, received: Received) -> bytes:
        """The file's bytes, decrypted with the key that travelled inside the encrypted event."""
        file_info = received.content.get("file")
        url = file_info["url"] if file_info else received.content["url"]
        response = await self.client.download(mxc=url)
        assert isinstance(response, MemoryDownloadResponse), response
        if not file_info:
            return response.body
        return decrypt_attachment(
            response.body, file_info["key"]["k"], file_info["hashes"]["sha256"], file_info["iv"]
        )
