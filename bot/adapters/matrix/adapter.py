"""Wegweiser on Matrix: a sync loop that answers users in (encrypted) rooms through the core.

Exactly-once answering across restarts rests on two things kept in the store: the sync token,
saved only after a batch has been answered, and the ids of answered events per room, which catch
a batch repeated after a crash. When the server says a room's timeline was cut short (the bot was
away long), the missed part is paged back until what was already answered.

Device trust (see docs/matrix.md): the bot's own device is cross-signed before the first sync, so
clients that exclude insecure devices talk to it; the bot itself verifies no one and encrypts for
every device of the people in a room, so a newcomer's new phone works at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from nio import (
    AsyncClient,
    BadEvent,
    Event,
    InviteMemberEvent,
    JoinResponse,
    LocalProtocolError,
    MegolmEvent,
    MessageDirection,
    RoomCreateEvent,
    RoomMessage,
    RoomMessagesResponse,
    RoomSendError,
    RoomSendResponse,
    RoomUpgradeEvent,
    SyncError,
    SyncResponse,
    UploadResponse,
)
from nio.exceptions import EncryptionError

from bot.adapters.matrix.cross_signing import (
    NETWORK_ERRORS,
    CrossSigningError,
    KeysApi,
    ensure_cross_signed,
)
from bot.adapters.matrix.incoming import PLATFORM, to_incoming
from bot.adapters.matrix.notices import known_language, unreadable
from bot.adapters.matrix.outgoing import (
    Relation,
    file_content,
    location_content,
    text_content,
)
from bot.adapters.matrix.senders import creators_of, listens_to, server_allowed
from bot.adapters.matrix.session import log_in, new_client, password_login, store_directory
from bot.adapters.matrix.state import AdapterState
from bot.core.messages import Incoming, Reply
from bot.core.ports import DeliveryError
from bot.interpreter.coordination import is_coordination_chat

if TYPE_CHECKING:
    from bot.app import Wegweiser

log = logging.getLogger(__name__)

SYNC_TIMEOUT_MS = 30_000
SYNC_FILTER = {
    "room": {"timeline": {"limit": 50}},
    "presence": {"types": []},
}
BACKFILL_PAGES = 10
RETRY_FIRST_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0
KEY_GRACE = timedelta(minutes=1)
STOP_GRACE_SECONDS = 20.0
TYPING_MS = 30_000
GONE = {"M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN"}


@dataclass
class _Undecrypted:
    room_id: str
    event: MegolmEvent
    since: datetime


class MatrixAdapter:
    """Connects the core to one Matrix account; ``chat_id`` is the room id."""

    platform = PLATFORM

    def __init__(self, app: Wegweiser) -> None:
        self._app = app
        self._settings = app.settings
        self._store = store_directory(app.settings)
        self._state: AdapterState | None = None
        self._client: AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._processing = False
        self._undecrypted: dict[str, _Undecrypted] = {}
        self._key_requests: set[asyncio.Task[None]] = set()
        self._creators: dict[str, frozenset[str]] = {}  # room → creators (room version 12+)
        self._sign_later = False
        self.synced = asyncio.Event()  # set after each completed sync; for the runner and tests
        self.user_id: str | None = None
        self.device_id: str | None = None

    async def start(self) -> None:
        self._state = AdapterState.load(self._store)
        self._client = new_client(self._settings, self._store)
        await log_in(self._client, self._settings, self._state)
        self.user_id, self.device_id = self._client.user_id, self._client.device_id
        if self._client.should_upload_keys:
            await self._client.keys_upload()
        await self._cross_sign()  # before the first sync: no invite is accepted unsigned
        self._stopping = False
        self._task = asyncio.create_task(self._sync_forever(), name="matrix-sync")

    async def _cross_sign(self) -> None:
        """Sign this device with the bot's identity; without it current clients stay silent."""
        assert self._client is not None and self._client.access_token
        api = KeysApi(self._client.homeserver, self._client.access_token)
        try:
            await ensure_cross_signed(
                api,
                self._store,
                self.user_id or "",
                self.device_id or "",
                self._settings.matrix_password,
            )
        except CrossSigningError as error:
            log.error("the bot's device is not cross-signed: %s", error)
        except NETWORK_ERRORS as error:
            self._sign_later = True  # tried again after the next sync
            log.warning("the homeserver could not be reached to cross-sign (%s)", error)
        else:
            self._sign_later = False

    async def stop(self) -> None:
        """Let a batch being answered finish (so nothing is answered twice), then disconnect."""
        self._stopping = True
        if self._task is not None:
            if not self._processing:
                self._task.cancel()
            done, _ = await asyncio.wait({self._task}, timeout=STOP_GRACE_SECONDS)
            if not done:
                self._task.cancel()
                await asyncio.wait({self._task})
            self._task = None
        for request in self._key_requests:
            request.cancel()
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver a push (reminder, relayed answer); a room the bot left is gone for good."""
        if self._client is None:
            raise RuntimeError("the Matrix adapter is not running")
        assert self._state is not None
        chat_id = self._state.current_room(chat_id)  # a room upgraded since: its replacement
        if chat_id not in self._client.rooms:
            raise DeliveryError("the bot is not in this Matrix room")
        try:
            await self._deliver(chat_id, reply)
        except _Refused as refused:
            raise DeliveryError(str(refused)) from refused

    # -- the sync loop -----------------------------------------------------------------------

    async def _sync_forever(self) -> None:
        assert self._client is not None and self._state is not None
        delay = RETRY_FIRST_SECONDS
        first = True
        while not self._stopping:
            try:
                response = await self._client.sync(
                    timeout=0 if first else SYNC_TIMEOUT_MS,
                    since=self._state.since,
                    sync_filter=SYNC_FILTER,
                    # nio keeps rooms in memory only: after a restart, fetch their full state.
                    full_state=first,
                )
                if isinstance(response, SyncError):
                    await self._sync_failed(response)
                    raise ConnectionError(f"sync refused: {response.status_code}")
                self._processing = True
                try:
                    await self._process(response, first)
                finally:
                    self._processing = False
                first = False
                delay = RETRY_FIRST_SECONDS
                self.synced.set()
                self.synced.clear()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning(
                    "Matrix sync failed (%s); retrying in %.0f s", type(error).__name__, delay
                )
                log.debug("sync failure", exc_info=True)
                # nio skips a sync response it has seen; the retried batch must be processed.
                self._client.next_batch = self._state.since
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_SECONDS)

    async def _sync_failed(self, error: SyncError) -> None:
        if error.status_code == "M_UNKNOWN_TOKEN":
            assert self._client is not None and self._state is not None
            log.warning("Matrix access token no longer valid; logging in again")
            await password_login(self._client, self._settings, self._state)
            self._state.save()

    async def _process(self, response: SyncResponse, first: bool) -> None:
        assert self._state is not None
        await self._keep_keys_current()
        if self._sign_later:
            await self._cross_sign()
        self._note_creators(response)
        await self._follow_upgrades(response)
        await self._answer_invites(response)
        batches = {
            room_id: await self._missed_messages(room_id, info.timeline)
            for room_id, info in response.rooms.join.items()
        }
        await self._retry_undecrypted()  # older than this batch: their keys may have just come
        await asyncio.gather(
            *(self._answer_room(room_id, events) for room_id, events in batches.items() if events)
        )
        rooms = self._client.rooms.keys() if first else response.rooms.join.keys()
        for room_id in list(rooms):
            await self._leave_if_alone(room_id)
        for room_id in response.rooms.leave:
            self._state.forget_room(room_id)
        self._state.since = response.next_batch
        self._state.save()

    def _note_creators(self, response: SyncResponse) -> None:
        """nio keeps no room creators; the joined rooms' state (full after a restart) has them."""
        for room_id, info in response.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                if isinstance(event, RoomCreateEvent):
                    self._creators[room_id] = creators_of(event)

    async def _follow_upgrades(self, response: SyncResponse) -> None:
        """A room upgraded to a new version (``m.room.tombstone``): join its replacement, where
        the person continues; later pushes for the old room go there."""
        assert self._client is not None and self._state is not None
        for room_id, info in response.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                if not isinstance(event, RoomUpgradeEvent) or not server_allowed(
                    self._settings, event.sender
                ):
                    continue
                new_room = event.replacement_room
                if not new_room.startswith("!") or self._state.moved.get(room_id) == new_room:
                    continue
                self._state.moved[room_id] = new_room
                joined = await self._client.join(new_room)
                log.info(
                    "followed a room upgrade"
                    if isinstance(joined, JoinResponse)
                    else "a room was upgraded; waiting for the invite to its replacement"
                )

    async def _keep_keys_current(self) -> None:
        """What nio's own sync loop does between syncs: to-device messages and key bookkeeping."""
        client = self._client
        assert client is not None
        await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    # -- invites and rooms -------------------------------------------------------------------

    async def _answer_invites(self, response: SyncResponse) -> None:
        assert self._client is not None
        for room_id, info in response.rooms.invite.items():
            invite = next(
                (
                    event
                    for event in info.invite_state
                    if isinstance(event, InviteMemberEvent)
                    and event.state_key == self._client.user_id
                    and event.membership == "invite"
                ),
                None,
            )
            if invite is not None and self._accepts(invite, room_id):
                joined = isinstance(await self._client.join(room_id), JoinResponse)
                log.info("joined a direct chat" if joined else "could not join a direct chat")
            else:
                await self._client.room_leave(room_id)
                log.info("declined an invite (not a direct chat or homeserver not allowed)")

    def _accepts(self, invite: InviteMemberEvent, room_id: str) -> bool:
        """Direct chats (the bot answers every message), the rooms configured as an interpreter
        pool's coordination (it answers only commands there) and the replacements of upgraded
        rooms, from allowed homeservers."""
        replacement = room_id in self._state.moved.values() if self._state else False
        if (
            not invite.content.get("is_direct")
            and not replacement
            and not self._coordination(room_id)
        ):
            return False
        return server_allowed(self._settings, invite.sender)

    def _coordination(self, room_id: str) -> bool:
        """A pool's coordination room, or the replacement of one after a room upgrade."""
        assert self._state is not None
        return any(
            is_coordination_chat(self._app.engine, self._settings, PLATFORM, room)
            for room in [room_id, *self._state.earlier_rooms(room_id)]
        )

    async def _leave_if_alone(self, room_id: str) -> None:
        assert self._client is not None and self._state is not None
        room = self._client.rooms.get(room_id)
        if room is None or room.joined_count > 1 or room.invited_count > 0:
            return
        await self._client.room_leave(room_id)
        await self._client.room_forget(room_id)
        self._state.forget_room(room_id)
        self._creators.pop(room_id, None)
        self._undecrypted = {k: v for k, v in self._undecrypted.items() if v.room_id != room_id}
        log.info("left a room where the bot was alone")

    # -- incoming messages -------------------------------------------------------------------

    async def _missed_messages(self, room_id: str, timeline: Any) -> list[Event | BadEvent]:
        """The timeline, plus what the server left out of it while the bot was away."""
        events: list[Event | BadEvent] = list(timeline.events)
        if not timeline.limited or not timeline.prev_batch:
            return events
        assert self._client is not None and self._state is not None
        earlier: list[Event | BadEvent] = []
        token = timeline.prev_batch
        for _ in range(BACKFILL_PAGES):
            page = await self._client.room_messages(
                room_id, start=token, direction=MessageDirection.back, limit=50
            )
            if not isinstance(page, RoomMessagesResponse) or not page.chunk:
                break
            covered = False
            for event in page.chunk:  # newest first
                if not isinstance(event, Event | BadEvent):
                    continue
                if self._state.is_covered(room_id, event.event_id, event.server_timestamp):
                    covered = True
                    break
                earlier.append(event)
            if covered or not page.end:
                break
            token = page.end
        return list(reversed(earlier)) + events

    async def _answer_room(self, room_id: str, events: Iterable[Event | BadEvent]) -> None:
        """Answer one room's new messages in order (rooms run side by side)."""
        assert self._client is not None and self._state is not None
        coordination = self._coordination(room_id)
        messages = [
            event.event_id
            for event in events
            if isinstance(event, RoomMessage | MegolmEvent) and event.sender != self._client.user_id
        ]
        for event in events:
            if not isinstance(event, Event | BadEvent) or event.sender == self._client.user_id:
                continue
            if not self._state.is_new(room_id, event.event_id, event.server_timestamp):
                continue
            room = self._client.rooms.get(room_id)
            creators = self._creators.get(room_id, frozenset())
            if not listens_to(self._settings, room, event.sender, coordination, creators):
                await self._ignore(room_id, event)
                continue
            if isinstance(event, MegolmEvent):
                self._await_key(room_id, event)
                continue
            # A reply shows which question an answer belongs to where that is not plain.
            later = bool(messages) and messages[-1] != event.event_id
            await self._answer(room_id, event, reply=coordination or later, chatter=coordination)

    async def _ignore(self, room_id: str, event: Event | BadEvent) -> None:
        """Read, but not for the conversation: a foreign server, or not a coordinator."""
        assert self._client is not None and self._state is not None
        if to_incoming(room_id, event) is not None or isinstance(event, MegolmEvent):
            log.debug("ignored a message from a sender the bot does not listen to here")
            await self._client.room_read_markers(room_id, event.event_id, event.event_id)
        self._state.mark_handled(room_id, event.event_id, event.server_timestamp)

    def _await_key(self, room_id: str, event: MegolmEvent) -> None:
        """Hold a message whose key has not arrived yet, and ask the sender's devices for it."""
        if event.event_id in self._undecrypted:
            return
        self._undecrypted[event.event_id] = _Undecrypted(room_id, event, self._app.clock.now())
        log.info("waiting for the key of an encrypted message")
        request = asyncio.create_task(self._request_key(event))
        self._key_requests.add(request)
        request.add_done_callback(self._key_requests.discard)

    async def _request_key(self, event: MegolmEvent) -> None:
        assert self._client is not None
        with contextlib.suppress(LocalProtocolError):  # a request for it is already out
            await self._client.request_room_key(event)

    async def _retry_undecrypted(self) -> None:
        """Answer held messages whose key has come; say so for those whose key never will."""
        assert self._client is not None and self._state is not None
        for event_id, waiting in list(self._undecrypted.items()):
            try:
                event: Event = self._client.decrypt_event(waiting.event)
            except EncryptionError:
                if self._app.clock.now() - waiting.since < KEY_GRACE:
                    continue
                del self._undecrypted[event_id]
                await self._tell_unreadable(waiting)
                continue
            del self._undecrypted[event_id]
            chatter = self._coordination(waiting.room_id)
            await self._answer(waiting.room_id, event, reply=True, chatter=chatter)  # came late

    async def _tell_unreadable(self, waiting: _Undecrypted) -> None:
        log.info("an encrypted message stayed unreadable; asking for it again")
        event = waiting.event
        lang = known_language(self._app.engine, PLATFORM, event.sender)
        try:
            relation = Relation(event.source, reply=True)
            await self._deliver(waiting.room_id, unreadable(lang), relation)
        except _Refused as refused:
            log.warning("a notice was refused by the homeserver: %s", refused)
        assert self._state is not None
        self._state.mark_handled(waiting.room_id, event.event_id, event.server_timestamp)

    async def _answer(
        self, room_id: str, event: Event | BadEvent, reply: bool = False, chatter: bool = False
    ) -> None:
        """``chatter``: a room where only commands get answers, so only they show typing."""
        assert self._client is not None and self._state is not None
        incoming = to_incoming(room_id, event)
        if incoming is not None:
            typing = not chatter or (incoming.text or "").startswith("/")
            if typing:
                await self._client.room_typing(room_id, True, timeout=TYPING_MS)
            replies = await self._converse(incoming)
            relation = Relation(event.source, reply)
            for answer in replies:
                try:
                    await self._deliver(room_id, answer, relation)
                except _Refused as refused:
                    log.warning("a reply was refused by the homeserver: %s", refused)
                    break
            if typing:
                await self._client.room_typing(room_id, False)
            await self._client.room_read_markers(room_id, event.event_id, event.event_id)
        self._state.mark_handled(room_id, event.event_id, event.server_timestamp)

    async def _converse(self, incoming: Incoming) -> list[Reply]:
        try:
            return await self._app.conversation.handle(incoming)
        except Exception:
            log.exception("the conversation failed on a Matrix message (kind %s)", incoming.kind)
            return []

    # -- outgoing messages -------------------------------------------------------------------

    async def _deliver(self, room_id: str, reply: Reply, relation: Relation | None = None) -> None:
        """Send the reply's text, place and file; ``relation`` ties them to the question."""
        relate = relation.apply if relation is not None else (lambda content: content)
        content = text_content(reply)
        if content is not None:
            await self._room_send(room_id, relate(content))
        if reply.venue is not None:
            await self._room_send(room_id, relate(location_content(reply.venue)))
        if reply.attachment is not None:
            await self._send_file(room_id, reply, relate)

    async def _send_file(
        self, room_id: str, reply: Reply, relate: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> None:
        assert self._client is not None and reply.attachment is not None
        attachment = reply.attachment
        room = self._client.rooms.get(room_id)
        encrypt = bool(room and room.encrypted)
        uploaded, keys = await self._client.upload(
            lambda _limited, _timeouts: attachment.data,
            content_type=attachment.mime_type,
            filename=attachment.filename,
            encrypt=encrypt,
            filesize=len(attachment.data),
        )
        if not isinstance(uploaded, UploadResponse):
            raise _Refused(f"upload refused: {getattr(uploaded, 'status_code', uploaded)}")
        await self._room_send(room_id, relate(file_content(attachment, uploaded.content_uri, keys)))

    async def _room_send(self, room_id: str, content: dict[str, Any]) -> None:
        assert self._client is not None
        try:
            response = await self._client.room_send(
                room_id, "m.room.message", content, ignore_unverified_devices=True
            )
        except LocalProtocolError as error:
            raise _Refused(str(error)) from error
        if isinstance(response, RoomSendResponse):
            return
        status = response.status_code if isinstance(response, RoomSendError) else None
        if status in GONE:
            raise _Refused(f"room send refused: {status}")
        raise ConnectionError(f"room send failed: {status}")


class _Refused(Exception):
    """The homeserver will never take this message (left room, forbidden)."""
