"""A fake Telegram Bot API server on loopback, for tests that run the real python-telegram-bot.

The real ``telegram.ext.Application`` talks to it over HTTP through ``base_url`` (the setting
``WEGWEISER_TELEGRAM_API_URL``), so requests, rate limiting, retries and parsing are exercised
exactly as in production; only Telegram itself is replaced. It checks what Telegram checks where
tests care (HTML that does not parse, messages over 4,096 characters, ``callback_data`` over 64
bytes, unanswered or unknown callback queries) and answers with Telegram's error shapes.

Starting and stopping::

    async with FakeTelegramServer() as server:     # or: server = await FakeTelegramServer.start()
        settings = Settings(telegram_token="123:abc", telegram_api_url=server.base_url)
        ...                                         # await server.stop() when started by hand

``base_url`` is ``http://127.0.0.1:<free port>/bot``; any token is accepted. ``bot`` is the bot's
own user (``bot_username`` defaults to ``wegweiser_test_bot``).

Users write (each helper queues one update and returns what a test needs next)::

    server.set_language(user_id, "ar")             # language_code on that user's later updates
    server.send_text(user_id, "Deutschkurs")       # -> message_id; "/cmd …" gets a command entity
    server.send_start(user_id, "de_rostock")       # "/start de_rostock" as a deep link sends it
    server.press_button(user_id, "menu:topics")    # -> callback_query_id (last keyboard message)
    server.press_option(user_id, "English")       # press a button by its label
    server.send_location(user_id, 54.09, 12.13)
    server.send_voice(user_id) / send_photo / send_sticker / send_document
    server.edit_message(user_id, message_id, "new text")   # an edited_message update
    server.stop_bot(user_id) / server.restart_bot(user_id)  # my_chat_member: blocked, unblocked
    server.inline_query(user_id, "deutschkurs rostock")    # -> inline_query_id
    server.enqueue({...})                          # any raw update dict (update_id is added)

Updates are served by ``getUpdates`` (long polling with ``timeout``, ``offset`` confirms) or, after
``setWebhook``, POSTed to the webhook URL with its secret token, in order.

What the bot did (nothing here sleeps a fixed time; every wait has a timeout)::

    server.calls                                   # every request: Call(method, params, status)
    server.calls_to("sendMessage")                 # successful calls of one method
    await server.next_messages(chat_id, count=2)   # the next messages delivered to a chat
    await server.next_message_where(chat_id, lambda m: "Rostock" in m.text)  # skips others
    server.messages_to(chat_id)                    # every message delivered to a chat so far
    await server.inline_answer(inline_query_id)    # the answerInlineQuery call for a query
    await server.wait_until(lambda: ..., timeout=5)  # any condition over the recorded state
    server.commands["de"], server.descriptions["ar"], server.short_descriptions["en"]
    server.answered_callbacks                      # ids of callback queries answered
    server.webhook_url

Messages (``SentMessage``) carry ``method``, ``text`` (what the user sees, entities decoded),
``html`` (the raw text sent), ``buttons`` (rows of ``(label, callback_data or url)``), ``venue``,
``location`` and ``document`` (``UploadedFile`` with ``filename``, ``content_type``, ``data``).
Edits change the stored message (``edits`` lists them).

Trouble on demand::

    server.rate_limit(overall_per_second=30, per_chat_per_second=1, retry_after=1)
    server.rate_limit(None)                        # off again (default)
    server.rate_limited                            # calls refused with 429 by the rate limit
    server.fail_next("retry_after", method="sendMessage", chat_id=7, times=1, retry_after=1)
    server.fail_next("blocked", chat_id=7)         # 403 Forbidden: bot was blocked by the user
    server.fail_next("network")                    # 502 Bad Gateway, request not carried out
    server.fail_next("disconnect")                 # connection closed without an answer
    server.block(chat_id) / server.unblock(chat_id)  # 403 on every send to that chat

Rate limits apply to requests with a ``chat_id`` (sending), as Telegram's do, as token buckets
(``overall_per_second`` and ``per_chat_per_second`` tokens a second, bursts of ``burst`` times that)
with ``tolerance`` seconds of slack for the time a request spends on the way.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any, Literal, Self

from aiohttp import ClientSession, ClientTimeout, web

FailureKind = Literal["retry_after", "blocked", "network", "disconnect"]

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
SEND_METHODS = frozenset(
    {"sendMessage", "sendVenue", "sendLocation", "sendDocument", "sendPhoto", "sendChatAction"}
)
# Parameters PTB sends as raw strings; everything else arrives JSON-encoded.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "title",
        "address",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "description",
        "short_description",
        "language_code",
        "url",
        "secret_token",
        "inline_message_id",
        "next_offset",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "ip_address",
    }
)
_ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_HTML_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>[^<>]*)>"
    r"|&(?P<entity>#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot);"
    r"|(?P<bad>[<>&])"
)


class BotApiError(Exception):
    """An error answer in Telegram's shape."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class UploadedFile:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One request the bot made, with the HTTP status it got (200 when carried out)."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    status: int = 200
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class SentMessage:
    """A message the bot delivered to a chat, as the user would see it."""

    message_id: int
    chat_id: int
    method: str
    text: str = ""
    html: str = ""
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    venue: dict[str, Any] | None = None
    location: tuple[float, float] | None = None
    document: UploadedFile | None = None
    params: dict[str, Any] = field(default_factory=dict)
    edits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            [
                (button["text"], button.get("callback_data") or button.get("url", ""))
                for button in row
            ]
            for row in rows
        ]

    @property
    def button_labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


@dataclass
class _Failure:
    kind: FailureKind
    method: str | None
    chat_id: int | None
    times: int
    retry_after: int


class _Bucket:
    """A token bucket: ``rate`` tokens a second, at most ``capacity`` saved up."""

    def __init__(self, rate: float, capacity: float, tolerance: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tolerance = tolerance
        self.tokens = capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1 - self.rate * self.tolerance:
            self.tokens -= 1
            return True
        return False


@dataclass
class _RateLimit:
    overall_per_second: float | None
    per_chat_per_second: float | None
    retry_after: int
    burst: float
    tolerance: float
    overall: _Bucket | None = None
    chats: dict[int, _Bucket] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.overall_per_second:
            rate = self.overall_per_second
            self.overall = _Bucket(rate, rate * self.burst, self.tolerance)

    def admit(self, chat_id: int) -> bool:
        if self.per_chat_per_second:
            rate = self.per_chat_per_second
            bucket = self.chats.setdefault(
                chat_id, _Bucket(rate, rate * self.burst, self.tolerance)
            )
            if not bucket.take():
                return False
        return self.overall is None or self.overall.take()


def visible_text(html: str) -> str:
    """The text Telegram shows for an HTML-formatted message; raises like Telegram on bad HTML."""
    parts: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _HTML_TOKEN.finditer(html):
        parts.append(html[position : match.start()])
        position = match.end()
        if match["bad"]:
            raise BotApiError(
                400,
                f"Bad Request: can't parse entities: unexpected {match['bad']!r} "
                f"at byte offset {match.start()}",
            )
        if match["entity"]:
            parts.append(unescape(match.group(0)))
            continue
        tag = match["tag"].lower()
        if tag not in _ALLOWED_TAGS:
            raise BotApiError(400, f"Bad Request: can't parse entities: unsupported tag {tag!r}")
        if match["close"]:
            if not open_tags or open_tags.pop() != tag:
                raise BotApiError(
                    400, f"Bad Request: can't parse entities: unmatched end tag {tag!r}"
                )
        else:
            open_tags.append(tag)
    parts.append(html[position:])
    if open_tags:
        raise BotApiError(400, "Bad Request: can't parse entities: unclosed start tag")
    return "".join(parts)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class FakeTelegramServer:
    """An aiohttp Bot API server on 127.0.0.1 with a free port; see the module docstring."""

    def __init__(self, bot_username: str = "wegweiser_test_bot", bot_id: int = 7000001) -> None:
        self.bot = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Wegweiser",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        self.updates: deque[dict[str, Any]] = deque()
        self.messages: dict[int, list[SentMessage]] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.callback_queries: dict[str, int] = {}
        self.answered_callbacks: list[str] = []
        self.rate_limited: list[Call] = []
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.blocked: set[int] = set()
        self._languages: dict[int, str | None] = {}
        self._failures: list[_Failure] = []
        self._limit: _RateLimit | None = None
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._cursors: dict[Any, int] = {}
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.port = 0

    # -- life cycle ---------------------------------------------------------------------------

    @classmethod
    async def start(cls, **kwargs: Any) -> Self:
        server = cls(**kwargs)
        await server.serve()
        return server

    async def serve(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing = True
        self._bump()
        if self._webhook_task:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.serve()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- users write --------------------------------------------------------------------------

    def set_language(self, user_id: int, language_code: str | None) -> None:
        self._languages[user_id] = language_code

    def user(self, user_id: int) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if self._languages.get(user_id):
            user["language_code"] = self._languages[user_id]
        return user

    def enqueue(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        self._bump()
        self._ensure_webhook_delivery()
        return update_id

    def _user_message(self, user_id: int, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
            "from": self.user(user_id),
            **content,
        }

    def send_text(self, user_id: int, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if command:
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_length(command.group(0))}
            ]
        message = self._user_message(user_id, **content)
        self.enqueue({"message": message})
        return int(message["message_id"])

    def send_start(self, user_id: int, payload: str | None = None) -> int:
        return self.send_text(user_id, f"/start {payload}" if payload else "/start")

    def send_location(self, user_id: int, latitude: float, longitude: float) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        message = self._user_message(user_id, location=location)
        self.enqueue({"message": message})
        return int(message["message_id"])

    def send_voice(self, user_id: int) -> int:
        voice = {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3}
        return self._send_media(user_id, voice=voice)

    def send_photo(self, user_id: int, caption: str | None = None) -> int:
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        extra = {"caption": caption} if caption else {}
        return self._send_media(user_id, photo=photo, **extra)

    def send_sticker(self, user_id: int) -> int:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._send_media(user_id, sticker=sticker)

    def send_document(self, user_id: int, file_name: str = "letter.pdf") -> int:
        document = {"file_id": "doc-1", "file_unique_id": "d1", "file_name": file_name}
        return self._send_media(user_id, document=document)

    def _send_media(self, user_id: int, **content: Any) -> int:
        message = self._user_message(user_id, **content)
        self.enqueue({"message": message})
        return int(message["message_id"])

    def edit_message(self, user_id: int, message_id: int, text: str) -> None:
        message = self._user_message(user_id, text=text)
        message["message_id"] = message_id
        message["edit_date"] = int(time.time())
        self.enqueue({"edited_message": message})

    def stop_bot(self, user_id: int) -> None:
        """The user blocks the bot: a ``my_chat_member`` update, and sends to them fail (403)."""
        self.block(user_id)
        self._membership(user_id, "member", "kicked")

    def restart_bot(self, user_id: int) -> None:
        """The user unblocks the bot again."""
        self.unblock(user_id)
        self._membership(user_id, "kicked", "member")

    def _membership(self, user_id: int, old: str, new: str) -> None:
        self.enqueue(
            {
                "my_chat_member": {
                    "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
                    "from": self.user(user_id),
                    "date": int(time.time()),
                    "old_chat_member": _member(self.bot, old),
                    "new_chat_member": _member(self.bot, new),
                }
            }
        )

    def press_button(self, user_id: int, data: str, message_id: int | None = None) -> str:
        """Press a button with ``data`` on ``message_id`` (default: the last message with it)."""
        if message_id is None:
            message = self._message_with(user_id, lambda m: data in _values(m))
        else:
            message = next(m for m in self.messages.get(user_id, []) if m.message_id == message_id)
        query_id = f"cq{next(self._query_ids)}"
        self.callback_queries[query_id] = user_id
        self.enqueue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "chat_instance": f"ci{user_id}",
                    "data": data,
                    "message": self._as_update_message(message),
                }
            }
        )
        return query_id

    def press_option(self, user_id: int, label: str) -> str:
        """Press the button labelled ``label`` on the last message that shows it."""
        message = self._message_with(user_id, lambda m: label in m.button_labels)
        data = next(value for row in message.buttons for text, value in row if text == label)
        return self.press_button(user_id, data, message.message_id)

    def inline_query(self, user_id: int, query: str, offset: str = "") -> str:
        query_id = f"iq{next(self._query_ids)}"
        self.enqueue(
            {
                "inline_query": {
                    "id": query_id,
                    "from": self.user(user_id),
                    "query": query,
                    "offset": offset,
                    "chat_type": "private",
                }
            }
        )
        return query_id

    def _message_with(self, chat_id: int, wanted: Callable[[SentMessage], bool]) -> SentMessage:
        for message in reversed(self.messages.get(chat_id, [])):
            if wanted(message):
                return message
        raise LookupError(f"no message to chat {chat_id} has that button")

    def _as_update_message(self, message: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": self.bot,
            "text": message.text,
        }
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            # Telegram returns only inline keyboards with a message; a reply keyboard (such as a
            # "share my location" button) belongs to the chat, not to the message.
            data["reply_markup"] = message.reply_markup
        return data

    # -- trouble on demand --------------------------------------------------------------------

    def rate_limit(
        self,
        overall_per_second: float | None = 30,
        per_chat_per_second: float | None = 1,
        *,
        retry_after: int = 1,
        burst: float = 1.0,
        tolerance: float = 0.1,
    ) -> None:
        """Answer 429 with ``retry_after`` beyond these rates; ``rate_limit(None, None)`` is off."""
        if overall_per_second is None and per_chat_per_second is None:
            self._limit = None
            return
        self._limit = _RateLimit(
            overall_per_second, per_chat_per_second, retry_after, burst, tolerance
        )

    def fail_next(
        self,
        kind: FailureKind,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int = 1,
        retry_after: int = 1,
    ) -> None:
        """Make the next ``times`` matching requests fail; the request is not carried out."""
        self._failures.append(_Failure(kind, method, chat_id, times, retry_after))

    def block(self, chat_id: int) -> None:
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    # -- what the bot did ---------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method and call.ok]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return list(self.messages.get(chat_id, []))

    async def wait_until(
        self, condition: Callable[[], bool], timeout: float = 5.0, recheck: float = 0.05
    ) -> None:
        """Return once ``condition()`` holds; TimeoutError if it does not within ``timeout``.

        Checked after every request and update, and every ``recheck`` seconds for conditions on
        state outside the server (a database row the bot writes).
        """
        async with asyncio.timeout(timeout):
            while not condition():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), recheck)

    async def next_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """The next ``count`` messages to ``chat_id`` that no earlier call returned."""
        key = ("messages", chat_id)
        start = self._cursors.get(key, 0)
        try:
            await self.wait_until(
                lambda: len(self.messages.get(chat_id, [])) >= start + count, timeout
            )
        except TimeoutError:
            got = [m.text[:80] for m in self.messages.get(chat_id, [])[start:]]
            raise AssertionError(
                f"expected {count} new message(s) to chat {chat_id} within {timeout}s, got {got}"
            ) from None
        self._cursors[key] = start + count
        return self.messages[chat_id][start : start + count]

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> SentMessage:
        return (await self.next_messages(chat_id, 1, timeout))[0]

    async def next_message_where(
        self, chat_id: int, wanted: Callable[[SentMessage], bool], timeout: float = 5.0
    ) -> SentMessage:
        """The first unread message to ``chat_id`` that is ``wanted``; those before it count
        as read too."""
        key = ("messages", chat_id)
        start = self._cursors.get(key, 0)

        def position() -> int | None:
            for index, message in enumerate(self.messages.get(chat_id, [])[start:], start):
                if wanted(message):
                    return index
            return None

        try:
            await self.wait_until(lambda: position() is not None, timeout)
        except TimeoutError:
            got = [m.text[:80] for m in self.messages.get(chat_id, [])[start:]]
            raise AssertionError(f"no wanted message to chat {chat_id}, got {got}") from None
        index = position()
        assert index is not None
        self._cursors[key] = index + 1
        return self.messages[chat_id][index]

    def unread(self, chat_id: int) -> list[SentMessage]:
        """Messages to ``chat_id`` that no ``next_messages`` call has returned yet."""
        return self.messages.get(chat_id, [])[self._cursors.get(("messages", chat_id), 0) :]

    async def inline_answer(self, inline_query_id: str, timeout: float = 5.0) -> Call:
        def answer() -> Call | None:
            for call in self.calls_to("answerInlineQuery"):
                if call.params.get("inline_query_id") == inline_query_id:
                    return call
            return None

        await self.wait_until(lambda: answer() is not None, timeout)
        found = answer()
        assert found is not None
        return found

    def _bump(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    # -- HTTP ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method, params, files)
        self.calls.append(call)
        try:
            failure = self._take_failure(method, params)
            if failure == "disconnect":
                call.status = 0
                if request.transport:
                    request.transport.close()
                raise web.HTTPServiceUnavailable()  # the client already saw the connection drop
            result = await self._dispatch(method, params, files)
        except BotApiError as error:
            call.status = error.code
            self._bump()
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.code,
                "description": error.description,
            }
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.code)
        self._bump()
        return web.json_response({"ok": True, "result": result})

    def _take_failure(self, method: str, params: dict[str, Any]) -> FailureKind | None:
        chat_id = _chat_id(params)
        for failure in self._failures:
            if failure.method not in (None, method) or failure.chat_id not in (None, chat_id):
                continue
            if failure.method is None and method in ("getUpdates", "getMe"):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            match failure.kind:
                case "retry_after":
                    raise BotApiError(
                        429,
                        f"Too Many Requests: retry after {failure.retry_after}",
                        {"retry_after": failure.retry_after},
                    )
                case "blocked":
                    raise BotApiError(403, "Forbidden: bot was blocked by the user")
                case "network":
                    raise BotApiError(502, "Bad Gateway")
                case "disconnect":
                    return "disconnect"
        if chat_id is not None and method in SEND_METHODS:
            if chat_id in self.blocked:
                raise BotApiError(403, "Forbidden: bot was blocked by the user")
            if self._limit and not self._limit.admit(chat_id):
                self.rate_limited.append(self.calls[-1])
                retry_after = self._limit.retry_after
                raise BotApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
        return None

    async def _dispatch(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise BotApiError(404, "Not Found")
        if method == "getUpdates":
            return await handler(params)
        return handler(params, files) if method == "sendDocument" else handler(params)

    # -- Bot API methods ----------------------------------------------------------------------

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.bot

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise BotApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()
        timeout = float(params.get("timeout") or 0)
        with contextlib.suppress(TimeoutError):
            await self.wait_until(lambda: bool(self.updates) or self._closing, timeout)
        limit = int(params.get("limit") or 100)
        return list(itertools.islice(self.updates, limit))

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = params["url"] or None
        self.webhook_secret = params.get("secret_token")
        if params.get("drop_pending_updates"):
            self.updates.clear()
        self._ensure_webhook_delivery()
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = None
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    def _api_logOut(self, params: dict[str, Any]) -> bool:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params["commands"]
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise BotApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise BotApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[params.get("language_code") or ""] = commands
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return self.commands.get(params.get("language_code") or "", [])

    def _api_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(params.get("language_code") or "", None)
        return True

    def _api_setMyDescription(self, params: dict[str, Any]) -> bool:
        description = params.get("description") or ""
        if len(description) > 512:
            raise BotApiError(400, "Bad Request: BOT_DESCRIPTION_INVALID")
        self.descriptions[params.get("language_code") or ""] = description
        return True

    def _api_setMyShortDescription(self, params: dict[str, Any]) -> bool:
        description = params.get("short_description") or ""
        if len(description) > 120:
            raise BotApiError(400, "Bad Request: BOT_SHORT_DESCRIPTION_INVALID")
        self.short_descriptions[params.get("language_code") or ""] = description
        return True

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        html = params.get("text") or ""
        text = self._checked_text(html, params.get("parse_mode"))
        message = self._deliver("sendMessage", params, text=text, html=html)
        return self._message_json(message)

    def _api_sendVenue(self, params: dict[str, Any]) -> dict[str, Any]:
        for name in ("latitude", "longitude", "title", "address"):
            if params.get(name) in (None, ""):
                raise BotApiError(400, f"Bad Request: {name} is empty")
        venue = {
            "location": {"latitude": params["latitude"], "longitude": params["longitude"]},
            "title": params["title"],
            "address": params["address"],
        }
        message = self._deliver("sendVenue", params, venue=venue)
        return self._message_json(message, venue=venue, location=venue["location"])

    def _api_sendLocation(self, params: dict[str, Any]) -> dict[str, Any]:
        point = (float(params["latitude"]), float(params["longitude"]))
        message = self._deliver("sendLocation", params, location=point)
        location = {"latitude": point[0], "longitude": point[1]}
        return self._message_json(message, location=location)

    def _api_sendDocument(
        self, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> dict[str, Any]:
        document = files.get("document")
        if document is None:
            raise BotApiError(400, "Bad Request: there is no document in the request")
        caption = params.get("caption") or ""
        text = self._checked_text(caption, params.get("parse_mode"), limit=1024) if caption else ""
        message = self._deliver("sendDocument", params, document=document, text=text)
        document_json = {
            "file_id": f"doc{message.message_id}",
            "file_unique_id": f"d{message.message_id}",
            "file_name": document.filename,
            "mime_type": document.content_type,
        }
        return self._message_json(message, document=document_json)

    def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        html = params.get("text") or ""
        text = self._checked_text(html, params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        chat_id = _chat_id(params)
        message_id = int(params["message_id"])
        for message in self.messages.get(chat_id or 0, []):
            if message.message_id == message_id:
                if message.html == html and message.reply_markup == params.get("reply_markup"):
                    raise BotApiError(400, "Bad Request: message is not modified")
                message.edits.append(params)
                message.text, message.html = text, html
                message.reply_markup = params.get("reply_markup")
                return self._message_json(message)
        raise BotApiError(400, "Bad Request: message to edit not found")

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self.callback_queries or query_id in self.answered_callbacks:
            raise BotApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered_callbacks.append(query_id)
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any]) -> bool:
        results = params.get("results") or []
        if len(results) > 50:
            raise BotApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise BotApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                self._checked_text(content["message_text"], content.get("parse_mode"))
            _check_markup(result.get("reply_markup"))
        return True

    # -- helpers ------------------------------------------------------------------------------

    def _checked_text(self, raw: str, parse_mode: str | None, limit: int = MAX_TEXT) -> str:
        text = visible_text(raw) if (parse_mode or "").upper() == "HTML" else raw
        if not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if utf16_length(text) > limit:
            raise BotApiError(400, "Bad Request: message is too long")
        return text

    def _deliver(self, method: str, params: dict[str, Any], **fields: Any) -> SentMessage:
        chat_id = _chat_id(params)
        if chat_id is None:
            raise BotApiError(400, "Bad Request: chat_id is empty")
        _check_markup(params.get("reply_markup"))
        message = SentMessage(
            message_id=next(self._message_ids),
            chat_id=chat_id,
            method=method,
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            params=params,
            **fields,
        )
        self.messages.setdefault(chat_id, []).append(message)
        return message

    def _message_json(self, message: SentMessage, **content: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": message.chat_id, "type": "private"},
            "from": self.bot,
            **content,
        }
        if message.text and message.method == "sendMessage":
            data["text"] = message.text
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            # Telegram returns only inline keyboards with a message; a reply keyboard (such as a
            # "share my location" button) belongs to the chat, not to the message.
            data["reply_markup"] = message.reply_markup
        return data

    # -- webhook delivery ---------------------------------------------------------------------

    def _ensure_webhook_delivery(self) -> None:
        if self.webhook_url and (self._webhook_task is None or self._webhook_task.done()):
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_webhook())

    async def _deliver_webhook(self) -> None:
        """POST queued updates one by one, in order, retrying until the bot answers 200."""
        headers = {}
        if self.webhook_secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
        async with ClientSession(timeout=ClientTimeout(total=10)) as client:
            while self.webhook_url and not self._closing:
                if not self.updates:
                    await self._changed.wait()
                    continue
                update = self.updates[0]
                try:
                    async with client.post(
                        self.webhook_url, json=update, headers=headers
                    ) as answer:
                        delivered = answer.status == 200
                except OSError:
                    delivered = False
                if delivered:
                    if self.updates and self.updates[0] is update:
                        self.updates.popleft()
                    self._bump()
                else:
                    await asyncio.sleep(0.05)  # the bot's webhook server is not up yet


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member


def _values(message: SentMessage) -> list[str]:
    return [value for row in message.buttons for _, value in row]


def _chat_id(params: dict[str, Any]) -> int | None:
    value = params.get("chat_id")
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_markup(markup: dict[str, Any] | None) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise BotApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise BotApiError(400, "Bad Request: BUTTON_DATA_INVALID")


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters as PTB sends them: form fields (JSON-encoded unless plain strings) or JSON."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                params[name] = value
    for name, value in list(params.items()):
        if isinstance(value, str) and name not in _STRING_PARAMS:
            with contextlib.suppress(ValueError):
                params[name] = json.loads(value)
    return params, files
