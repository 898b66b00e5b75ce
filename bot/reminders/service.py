"""The reminder scheduler: sends what the database says is due, exactly once, within rate limits.

APScheduler (an ``AsyncIOScheduler`` with a single date job) only mirrors the next moment worth
waking up for, computed from the ``reminder`` table after every run; the table is the truth. On
start-up stale claims are returned, courses changed meanwhile are reconciled and plans topped up,
so a restarted bot picks up where the last one stopped. Deliveries written by other processes
(``wegweiser reminders announce``, catalogue edits) are found by polling at least every minute.
Once a day a run also deletes what the retention period no longer covers (``retention.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol
from uuid import uuid4

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import Engine
from sqlmodel import Session

from bot.clock import Clock, Pacer
from bot.core.dialogue.cards import course_name
from bot.core.events import Event, EventBus, ReminderSent, ReminderSubscribed
from bot.core.messages import Reply
from bot.core.ports import DeliveryError
from bot.i18n import translator
from bot.reminders import retention, store
from bot.reminders.changes import CatalogueWatch, listen
from bot.reminders.models import ReminderStatus
from bot.reminders.planner import top_up_all
from bot.reminders.queue import DeliveryQueue, RateLimit
from bot.reminders.retention import Purged
from bot.reminders.schedule import FLAG_OF, Kind
from bot.reminders.store import Due
from bot.reminders.texts import (
    announcement_reply,
    cancelled_reply,
    changed_reply,
    course_title,
    reminder_reply,
)
from bot.settings import Settings
from services_catalog.db import session_scope
from services_catalog.queries import course_view
from services_catalog.views import CourseView

log = logging.getLogger(__name__)

JOB_ID = "reminders"
TOP_UP_EVERY = timedelta(days=1)
PURGE_EVERY = timedelta(days=1)


class Sender(Protocol):
    async def send(self, platform: str, chat_id: str, reply: Reply) -> None: ...


class ReminderApp(Protocol):
    """What the service needs from ``bot.app.Wegweiser``."""

    settings: Settings
    engine: Engine
    clock: Clock
    events: EventBus
    outbox: Sender


@dataclass(frozen=True)
class RetryPolicy:
    """Failed sends wait 30 s, 2 min, 8 min, 32 min; the fifth failure is final."""

    first_delay: timedelta = timedelta(seconds=30)
    factor: int = 4
    max_attempts: int = 5

    def delay(self, attempt: int) -> timedelta:
        return self.first_delay * self.factor ** (attempt - 1)


@dataclass
class RunReport:
    """What one run did, for logs and tests."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    missed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.retried + self.missed


@dataclass(frozen=True)
class Prepared:
    reply: Reply | None  # None: nothing left to say (the course is gone)
    region: str | None


class ReminderService:
    def __init__(
        self,
        app: ReminderApp,
        *,
        limits: dict[str, RateLimit] | None = None,
        pacer: Pacer | None = None,
        retry: RetryPolicy | None = None,
        batch_size: int = 500,
        poll: timedelta = timedelta(minutes=1),
        lease: timedelta = timedelta(minutes=10),
        retention: timedelta | None = None,
    ) -> None:
        self._engine = app.engine
        self._clock = app.clock
        self._events = app.events
        self._outbox = app.outbox
        self._queue = DeliveryQueue(limits, pacer)
        self._retry = retry or RetryPolicy()
        self._batch_size = batch_size
        self._poll = poll
        self._lease = lease
        days = app.settings.reminder_retention_days
        self._retention = timedelta(days=days) if retention is None else retention
        self._purged_at: datetime | None = None
        self._watch = CatalogueWatch()
        self._topped_up: datetime | None = None
        self._lock = asyncio.Lock()
        self._scheduler: AsyncIOScheduler | None = None
        self._unlisten: Callable[[], None] | None = None

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Rebuild from the table, then let APScheduler wake us at the next due moment."""
        with session_scope(self._engine) as session:
            self._housekeeping(session, self._clock.now())
        self._unlisten = listen(self._engine, self._clock)
        self._events.subscribe(self._on_event)
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._scheduler.start()
        self._schedule_next()
        log.info("reminder scheduler running")

    async def stop(self) -> None:
        """Start no new sends, let those in flight finish and hand back the rest."""
        self._queue.close()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self._unlisten is not None:
            self._unlisten()
        async with self._lock:  # waits for a running batch to wind down
            pass

    @property
    def scheduled_at(self) -> datetime | None:
        """When APScheduler will next wake the service (None when not running)."""
        job = self._scheduler.get_job(JOB_ID) if self._scheduler else None
        return job.next_run_time if job else None

    def next_wakeup(self) -> datetime:
        """The next moment worth a run: a due row, a lease running out, the poll, the top-up."""
        now = self._clock.now()
        with session_scope(self._engine) as session:
            due = store.next_due(session, self._lease)
        moments = [now + self._poll]
        if due is not None:
            moments.append(due)
        if self._topped_up is not None:
            moments.append(self._topped_up + TOP_UP_EVERY)
        if self._purged_at is not None:
            moments.append(self._purged_at + PURGE_EVERY)
        return max(min(moments), now)

    def _schedule_next(self) -> None:
        self._wake_in(self.next_wakeup() - self._clock.now())

    def _wake_in(self, delay: timedelta) -> None:
        """Put the single job ``delay`` from now; APScheduler counts in real time, the delay
        comes from the service's clock (the same thing in production)."""
        if self._scheduler is None:
            return
        self._scheduler.add_job(
            self._tick,
            DateTrigger(run_date=datetime.now(UTC) + max(delay, timedelta(0))),
            id=JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )

    async def _tick(self) -> None:
        try:
            report = await self.run_due()
            if report.handled:
                log.info(
                    "reminders: %d sent, %d retried, %d failed, %d missed",
                    report.sent,
                    report.retried,
                    report.failed,
                    report.missed,
                )
        except Exception:
            log.exception("reminder run failed")
        finally:
            self._schedule_next()

    def _on_event(self, event: Event) -> None:
        """A new subscription may be due soon: look again shortly (after its commit)."""
        if not isinstance(event, ReminderSubscribed) or self._scheduler is None:
            return
        soon = timedelta(seconds=2)
        scheduled = self.scheduled_at
        if scheduled is None or scheduled > datetime.now(UTC) + soon:
            self._wake_in(soon)

    # --- one run ----------------------------------------------------------------------------

    def _housekeeping(self, session: Session, now: datetime) -> None:
        store.recover_stale(session, now, self._lease)
        self._watch.check(session, now)
        if self._topped_up is None or now - self._topped_up >= TOP_UP_EVERY:
            top_up_all(session, now)
            self._topped_up = now

    async def run_due(self, now: datetime | None = None) -> RunReport:
        """Send everything due at ``now`` (default: the clock's now), batch by batch."""
        report = RunReport()
        async with self._lock:
            while not self._queue.closing.is_set():
                cutoff = now or self._clock.now()
                token = uuid4().hex
                with session_scope(self._engine) as session:
                    self._housekeeping(session, cutoff)
                    report.missed += store.mark_missed(session, cutoff)
                    dues = store.claim(session, token, cutoff, self._batch_size)
                if not dues:
                    break
                before = report.handled
                try:
                    with session_scope(self._engine) as session:
                        prepared = self._prepare(session, dues)
                    await self._queue.deliver(
                        dues,
                        platform_of=lambda due: due.platform,
                        chat_of=lambda due: due.chat_id,
                        handle=partial(self._deliver, token, prepared, report),
                    )
                finally:
                    store.release(self._engine, token)
                if report.handled == before:
                    break  # nothing could be done with this batch; do not spin on it
            cutoff = now or self._clock.now()
            if self._purged_at is None or cutoff - self._purged_at >= PURGE_EVERY:
                self.purge(cutoff)
        return report

    def purge(self, now: datetime | None = None) -> Purged:
        """Delete settled reminders and ended courses' subscriptions past the retention period."""
        at = now or self._clock.now()
        purged = retention.purge(self._engine, at, self._retention, self._batch_size)
        self._purged_at = at
        if purged.total:
            log.info(
                "reminders: deleted %d settled, %d delivery records, %d ended subscriptions",
                purged.reminders,
                purged.deliveries,
                purged.subscriptions,
            )
        return purged

    def _prepare(self, session: Session, dues: list[Due]) -> dict[int, Prepared]:
        """Write each message in its reader's language, looking course texts up once each."""
        views: dict[tuple[str, str | None], CourseView | None] = {}

        def view(course_id: str, lang: str | None) -> CourseView | None:
            if (course_id, lang) not in views:
                views[course_id, lang] = course_view(session, course_id, lang)
            return views[course_id, lang]

        prepared = {}
        for due in dues:
            t = translator(due.lang)
            course = view(due.course_id, t.lang) if due.course_id else None
            region = course.region_slug if course else None
            reply: Reply | None = None
            if due.kind == Kind.ANNOUNCEMENT:
                title = course_name(course, t) if course else None
                reply = announcement_reply(t, title, due.message or "")
            elif due.kind == Kind.CANCELLED and due.course_id:
                title = course_title(session, due.course_id, t) or due.course_id
                reply = cancelled_reply(t, title)
            elif due.kind == Kind.CHANGED and course is not None:
                reply = changed_reply(t, course)
            elif due.kind in FLAG_OF and course is not None:
                reply = reminder_reply(t, due.kind, course, due.event_at)
            prepared[due.id] = Prepared(reply, region)
        return prepared

    async def _deliver(
        self, token: str, prepared: dict[int, Prepared], report: RunReport, due: Due
    ) -> None:
        now = self._clock.now()
        item = prepared[due.id]
        if item.reply is None or (due.event_at is not None and due.event_at <= now):
            if store.finish(self._engine, due, token, now, ReminderStatus.MISSED):
                report.missed += 1
            return
        if due.blocked:
            if store.finish(self._engine, due, token, now, ReminderStatus.FAILED, "blocked"):
                report.failed += 1
            return
        try:
            await self._outbox.send(due.platform, due.chat_id, item.reply)
        except DeliveryError as error:
            log.info("delivery %d on %s failed for good", due.id, due.platform)
            if store.finish(
                self._engine, due, token, now, ReminderStatus.FAILED, type(error).__name__
            ):
                report.failed += 1
        except Exception as error:
            self._after_failure(due, token, error, report)
        else:
            if store.finish(self._engine, due, token, self._clock.now(), ReminderStatus.SENT):
                report.sent += 1
                if due.kind in FLAG_OF and due.course_id:
                    self._events.publish(ReminderSent(due.course_id, item.region))
            else:
                log.warning("delivery %d was sent but its claim had been lost", due.id)

    def _after_failure(self, due: Due, token: str, error: Exception, report: RunReport) -> None:
        attempt = due.attempts + 1
        now = self._clock.now()
        log.warning(
            "delivery %d on %s failed (%s), attempt %d",
            due.id,
            due.platform,
            type(error).__name__,
            attempt,
        )
        if attempt >= self._retry.max_attempts:
            if store.finish(
                self._engine, due, token, now, ReminderStatus.FAILED, type(error).__name__
            ):
                report.failed += 1
        elif store.retry_later(self._engine, due, token, now + self._retry.delay(attempt)):
            report.retried += 1
