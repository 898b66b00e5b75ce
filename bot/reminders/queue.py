"""A delivery queue that keeps each platform's rate limits when many messages are due at once.

Each platform gets a lane that starts sends no faster than its overall rate and never two to the
same chat closer than the chat interval (Telegram: about 30 messages a second overall and one a
second per chat). A chat that must wait does not hold up the others. Pacing uses a ``Pacer`` —
the event loop's monotonic clock in production, a virtual one in tests — and lanes remember their
last slots across batches, so consecutive batches keep the limits too.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bot.clock import LoopPacer, Pacer

log = logging.getLogger(__name__)

Item = TypeVar("Item")


@dataclass(frozen=True)
class RateLimit:
    per_second: float  # sends started per second, over all chats of the platform
    chat_interval: float  # seconds between two sends to the same chat
    concurrency: int = 8  # sends in flight at once


DEFAULT_LIMITS: Mapping[str, RateLimit] = {
    "telegram": RateLimit(per_second=25, chat_interval=1.0),
    # Homeservers limit per sender; a bot account is usually exempted by the server admin.
    "matrix": RateLimit(per_second=5, chat_interval=1.0),
}
FALLBACK_LIMIT = RateLimit(per_second=10, chat_interval=1.0)


class Lane:
    """The sends of one platform, paced by its limits."""

    def __init__(self, limit: RateLimit, pacer: Pacer) -> None:
        self._limit = limit
        self._pacer = pacer
        self._next_slot = float("-inf")
        self._chat_free: dict[str, float] = {}

    async def run(
        self,
        items: Iterable[Item],
        chat_of: Callable[[Item], str],
        handle: Callable[[Item], Awaitable[None]],
        closing: asyncio.Event,
    ) -> None:
        """Start ``handle`` for each item within the limits; returns when all have finished.

        When ``closing`` is set, no further sends start; items not started are left to the caller.
        """
        interval = 1.0 / self._limit.per_second
        in_flight = asyncio.Semaphore(self._limit.concurrency)
        tasks: set[asyncio.Task[None]] = set()
        heap = [(float("-inf"), order, item) for order, item in enumerate(items)]
        heapq.heapify(heap)
        order = len(heap)
        try:
            while heap and not closing.is_set():
                ready, _, item = heapq.heappop(heap)
                chat = chat_of(item)
                now = self._pacer.monotonic()
                free = self._chat_free.get(chat, float("-inf"))
                if free > max(now, self._next_slot, ready):
                    heapq.heappush(heap, (free, order, item))  # let other chats go first
                    order += 1
                    continue
                wait = max(self._next_slot, free) - now
                if wait > 0:
                    await self._pacer.sleep(wait)
                await in_flight.acquire()
                if closing.is_set():
                    in_flight.release()
                    break
                started = self._pacer.monotonic()
                self._next_slot = started + interval
                self._chat_free[chat] = started + self._limit.chat_interval
                task = asyncio.create_task(self._guarded(handle, item, in_flight))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        finally:
            if tasks:
                await asyncio.gather(*tasks)
            self._forget_idle_chats()

    async def _guarded(
        self, handle: Callable[[Item], Awaitable[None]], item: Item, slot: asyncio.Semaphore
    ) -> None:
        try:
            await handle(item)
        except Exception:
            log.exception("a delivery handler failed")
        finally:
            slot.release()

    def _forget_idle_chats(self) -> None:
        now = self._pacer.monotonic()
        self._chat_free = {chat: t for chat, t in self._chat_free.items() if t > now}


class DeliveryQueue:
    """One lane per platform; lanes of different platforms run side by side."""

    def __init__(
        self, limits: Mapping[str, RateLimit] | None = None, pacer: Pacer | None = None
    ) -> None:
        self._limits = dict(DEFAULT_LIMITS if limits is None else limits)
        self._pacer = pacer or LoopPacer()
        self._lanes: dict[str, Lane] = {}
        self.closing = asyncio.Event()

    def lane(self, platform: str) -> Lane:
        if platform not in self._lanes:
            limit = self._limits.get(platform, FALLBACK_LIMIT)
            self._lanes[platform] = Lane(limit, self._pacer)
        return self._lanes[platform]

    async def deliver(
        self,
        items: Iterable[Item],
        platform_of: Callable[[Item], str],
        chat_of: Callable[[Item], str],
        handle: Callable[[Item], Awaitable[None]],
    ) -> None:
        by_platform: dict[str, list[Item]] = {}
        for item in items:
            by_platform.setdefault(platform_of(item), []).append(item)
        await asyncio.gather(
            *(
                self.lane(platform).run(batch, chat_of, handle, self.closing)
                for platform, batch in by_platform.items()
            )
        )

    def close(self) -> None:
        """Start no further sends; those in flight finish."""
        self.closing.set()
