"""The interpreter requests' clockwork: put new requests before the coordination, raise unanswered
ones again, pass on answers that could not be delivered, close what has passed, delete the old.

A new request is announced right after the turn that stored it committed (the service listens
for ``InterpreterRequested``); everything else happens in ``run_once``, which APScheduler calls
every few minutes and tests call after moving a ``FakeClock``. Its database work runs in short
transactions off the event loop. The database is the truth, so a restarted bot carries on where
the last one stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.core.events import Event, EventBus, InterpreterRequested
from bot.core.messages import Reply
from bot.core.outbox import Outbox
from bot.i18n import Translator, translator
from bot.interpreter import notices, store
from bot.interpreter.coordination import ChatAddress, chat_of_pool
from bot.interpreter.dates import last_day, local_day
from bot.interpreter.models import Delivery, InterpreterRequest, ReplyKind, Status
from bot.interpreter.relay import Relay
from bot.settings import Settings
from services_catalog.db import session_scope

log = logging.getLogger(__name__)

JOB_ID = "interpreter"
MAX_RAISES = 3
"""After the first announcement, how often an unanswered request is put before the coordination."""
DELIVERY_ATTEMPTS = 6
"""How often a new request is tried on its coordination chat before the person is told it could
not be delivered."""
FIRST_RETRY = timedelta(minutes=5)
"""The wait after the first failed try; it doubles with every further one (5 minutes to
about 2.5 hours, so an outage of some hours is bridged)."""
OPEN_ENDED = timedelta(days=28)
"""How long a request without a fixed day waits for an answer before it is closed."""


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class InterpreterApp(Protocol):
    """What the service needs from ``bot.app.Wegweiser``."""

    settings: Settings
    engine: Engine
    clock: Clock
    events: EventBus
    outbox: Outbox


@dataclass
class RunReport:
    announced: int = 0
    raised: int = 0
    relayed: int = 0
    expired: int = 0
    deleted: int = 0


@dataclass(frozen=True)
class _Notice:
    request_id: int
    chat: ChatAddress
    message: Reply


class InterpreterService:
    def __init__(
        self,
        app: InterpreterApp,
        relay: Relay,
        poll: timedelta = timedelta(minutes=5),
    ):
        self._settings = app.settings
        self._engine = app.engine
        self._clock = app.clock
        self._outbox = app.outbox
        self._relay = relay
        self._poll = poll
        self._lock = asyncio.Lock()
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        app.events.subscribe(self._on_event)

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self._poll.total_seconds(), timezone=UTC),
            id=JOB_ID,
            next_run_time=datetime.now(UTC),
            coalesce=True,
            max_instances=1,
        )
        self._scheduler.start()
        log.info("interpreter request service running")

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        await self.settle()
        async with self._lock:  # lets a running pass finish
            pass

    async def settle(self) -> None:
        """Wait until the announcements under way have been sent (or failed)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def _on_event(self, event: Event) -> None:
        """A request was stored and committed: put it before the coordination now.

        Turns publish from their worker thread, so the announcement is handed to the loop.
        """
        if not isinstance(event, InterpreterRequested) or not self.running or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._spawn_announcement)

    def _spawn_announcement(self) -> None:
        task = asyncio.get_running_loop().create_task(self._announce_soon())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _announce_soon(self) -> None:
        try:
            async with self._lock:
                report = RunReport()
                await self._announce(self._clock.now(), report)
                await self._relay_pending(report)
        except Exception:
            log.exception("announcing an interpreter request failed")

    async def _tick(self) -> None:
        try:
            await self.run_once()
        except Exception:
            log.exception("the interpreter request run failed")

    # --- one run ------------------------------------------------------------------------------

    async def run_once(self) -> RunReport:
        report = RunReport()
        async with self._lock:
            now = self._clock.now()
            await self._announce(now, report)
            await asyncio.to_thread(self._expire, now, report)
            await self._relay_pending(report)
            await self._raise_again(now, report)
            report.deleted = await asyncio.to_thread(self._delete_expired, now)
        if report.deleted:
            log.info("deleted %d closed interpreter requests", report.deleted)
        return report

    def _delete_expired(self, now: datetime) -> int:
        with session_scope(self._engine) as session:
            retention = timedelta(days=self._settings.interpreter_retention_days)
            return store.delete_expired(session, now, retention)

    def _notice(
        self,
        session: Session,
        request: InterpreterRequest,
        build: Callable[[InterpreterRequest, Translator], Reply],
    ) -> _Notice | None:
        """The message for the request's coordination chat, or None when the pool has none."""
        chat = chat_of_pool(session, self._settings, request.pool_service_id)
        if chat is None or request.id is None:
            return None
        t = translator(self._settings.interpreter_coordination_language)
        return _Notice(request.id, chat, build(request, t))

    async def _send(self, notice: _Notice) -> bool:
        try:
            await self._outbox.send(notice.chat.platform, notice.chat.chat_id, notice.message)
        except Exception as error:
            log.warning("a coordination chat could not be reached: %s", type(error).__name__)
            return False
        return True

    async def _announce(self, now: datetime, report: RunReport) -> None:
        """Put new requests before their coordination; the person learns that it arrived, or,
        after the last try, that it could not be delivered. Database work runs off the loop."""
        found = await asyncio.to_thread(self._unannounced, now)
        for notice in filter(None, found):
            arrived = await self._send(notice)
            report.announced += await asyncio.to_thread(
                self._record_delivery, notice.request_id, arrived, now
            )

    def _unannounced(self, now: datetime) -> list[_Notice | None]:
        with session_scope(self._engine) as session:
            return [
                self._notice(session, request, notices.announcement)
                for request in store.unannounced(session)
                if request.next_attempt_at is None or _aware(request.next_attempt_at) <= now
            ]

    def _record_delivery(self, request_id: int, arrived: bool, now: datetime) -> int:
        """Mark a request announced (1) or count a failed try and plan the next (0)."""
        with session_scope(self._engine) as session:
            request = session.get(InterpreterRequest, request_id)
            if request is None or request.status != Status.OPEN:
                return 0
            if arrived:
                request.announced_at = request.last_raised_at = now
                store.add_reply(session, request, ReplyKind.ARRIVED, "", now)
                return 1
            request.delivery_attempts += 1
            if request.delivery_attempts >= DELIVERY_ATTEMPTS:
                log.warning("an interpreter request could not be delivered and was closed")
                store.close(request, Status.CLOSED, now)
                store.add_reply(session, request, ReplyKind.UNDELIVERED, "", now)
            else:
                request.next_attempt_at = now + FIRST_RETRY * 2 ** (request.delivery_attempts - 1)
            return 0

    def _due_again(self, request: InterpreterRequest, now: datetime) -> bool:
        since = request.last_raised_at or request.announced_at
        wait = timedelta(hours=self._settings.interpreter_remind_hours)
        return (
            request.status == Status.OPEN
            and since is not None
            and since + wait <= now
            and request.times_raised < MAX_RAISES
        )

    async def _raise_again(self, now: datetime, report: RunReport) -> None:
        found = await asyncio.to_thread(self._unanswered_due, now)

        def raised(request: InterpreterRequest) -> None:
            request.last_raised_at = now
            request.times_raised += 1

        report.raised += await self._send_and_mark(found, raised)

    def _unanswered_due(self, now: datetime) -> list[_Notice | None]:
        with session_scope(self._engine) as session:
            return [
                self._notice(session, request, notices.raised_again)
                for request in store.unanswered(session)
                if self._due_again(request, now)
            ]

    async def _send_and_mark(
        self, found: list[_Notice | None], mark: Callable[[InterpreterRequest], None]
    ) -> int:
        """Send each notice to its coordination chat; record on its request only what arrived."""
        sent = 0
        for notice in filter(None, found):
            if not await self._send(notice):
                continue
            await asyncio.to_thread(self._mark, notice.request_id, mark)
            sent += 1
        return sent

    def _mark(self, request_id: int, mark: Callable[[InterpreterRequest], None]) -> None:
        with session_scope(self._engine) as session:
            request = session.get(InterpreterRequest, request_id)
            if request is not None:
                mark(request)

    def _expire(self, now: datetime, report: RunReport) -> None:
        """Close what waited past its day, and tell the person (through the pending replies)."""
        today = local_day(now)
        with session_scope(self._engine) as session:
            for request in store.unanswered(session):
                deadline = last_day(request) or local_day(request.created_at + OPEN_ENDED)
                if deadline < today:
                    store.close(request, Status.CLOSED, now)
                    store.add_reply(session, request, ReplyKind.EXPIRED, "", now)
                    report.expired += 1

    async def _relay_pending(self, report: RunReport) -> None:
        for reply_id in await asyncio.to_thread(self._pending_reply_ids):
            if await self._relay.deliver(reply_id) == Delivery.SENT:
                report.relayed += 1

    def _pending_reply_ids(self) -> list[int]:
        with session_scope(self._engine) as session:
            return [reply.id for reply in store.pending_replies(session) if reply.id is not None]
