"""Telegram's flood limits, kept on our side: about 30 messages a second overall and one a second
per chat, plus retries that neither lose nor double a message.

python-telegram-bot's ``AIORateLimiter`` only limits groups per chat; private chats — all of
ours — need their own pace, and one chat's messages must arrive in the order they were sent, so
each chat has a lock held through the request and any retries.

Retried: ``RetryAfter`` (after the time Telegram asks for) and network errors where the request
surely never took effect (no connection, or Telegram answered 5xx). A request that may have
reached Telegram before the connection failed is not repeated, since that could double it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_UNLIMITED = frozenset({"getUpdates", "getMe", "deleteWebhook", "setWebhook", "close", "logOut"})


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def never_took_effect(error: NetworkError) -> bool:
    """True when Telegram surely did not carry out the request, so sending again is safe."""
    if isinstance(error, BadRequest):
        return False
    if error.__cause__ is None:
        return not isinstance(error, TimedOut)  # Telegram answered with a 5xx status
    return isinstance(error.__cause__, _NOT_SENT)


class _ChatPace:
    """Keeps one chat's requests in order and at most ``rate`` a second."""

    __slots__ = ("lock", "next_at")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.next_at = 0.0


class ChatRateLimiter(BaseRateLimiter[int]):
    """Per-chat pacing and ordering, an overall limit, and safe retries (see the module)."""

    def __init__(
        self,
        overall_per_second: float = 30.0,
        per_chat_per_second: float = 1.0,
        max_retries: int = 5,
        network_retries: int = 3,
        network_backoff: float = 0.5,
    ) -> None:
        self._overall = AsyncLimiter(overall_per_second, 1) if overall_per_second else None
        self._interval = 1 / per_chat_per_second if per_chat_per_second else 0.0
        self._chats: dict[str, _ChatPace] = {}
        self._max_retries = max_retries
        self._network_retries = network_retries
        self._network_backoff = network_backoff

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in _UNLIMITED:
            return await callback(*args, **kwargs)  # the Updater retries polling itself
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await self._with_retries(callback, args, kwargs, endpoint, pace=None)
        pace = self._pace(str(chat_id))
        async with pace.lock:
            return await self._with_retries(callback, args, kwargs, endpoint, pace=pace)

    def _pace(self, chat_id: str) -> _ChatPace:
        if len(self._chats) > 4096:
            now = time.monotonic()
            for key, pace in list(self._chats.items()):
                if pace.next_at < now and not pace.lock.locked():
                    del self._chats[key]
        return self._chats.setdefault(chat_id, _ChatPace())

    async def _with_retries(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        pace: _ChatPace | None,
    ) -> Any:
        flood_retries = 0
        network_retries = 0
        while True:
            if pace is not None:
                await self._wait_turn(pace)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if flood_retries >= self._max_retries:
                    raise
                flood_retries += 1
                delay = retry_seconds(error) + 0.1
                log.info("%s: flood limit, retrying in %.1f s", endpoint, delay)
                await asyncio.sleep(delay)
            except NetworkError as error:
                if network_retries >= self._network_retries or not never_took_effect(error):
                    raise
                delay = self._network_backoff * 2**network_retries
                network_retries += 1
                log.info("%s: network error, retrying in %.1f s", endpoint, delay)
                await asyncio.sleep(delay)

    async def _wait_turn(self, pace: _ChatPace) -> None:
        now = time.monotonic()
        if pace.next_at > now:
            await asyncio.sleep(pace.next_at - now)
        pace.next_at = max(now, pace.next_at) + self._interval
        if self._overall is not None:
            await self._overall.acquire()
