"""Storing the least: what is done with is deleted once the retention period is over.

A reminder that was sent, failed or missed stays for the retention period after it settled (so
``wegweiser reminders stats`` can show how the last weeks went), then goes with its delivery
record. A subscription whose course ended longer ago than that goes with all its reminders.
Pending and claimed rows are never touched, so the claim and its token, which keep a reminder
from being sent twice, stay intact. Each batch is one transaction; settled is a final state, so
two workers deleting at the same time cannot get in each other's way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus, ReminderSubscription
from bot.reminders.schedule import course_end
from services_catalog.db import session_scope
from services_catalog.queries import course_view

SETTLED = (ReminderStatus.SENT, ReminderStatus.FAILED, ReminderStatus.MISSED)
OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING)


@dataclass
class Purged:
    """How many rows one clean-up deleted, for the log and tests."""

    reminders: int = 0
    deliveries: int = 0
    subscriptions: int = 0

    @property
    def total(self) -> int:
        return self.reminders + self.deliveries + self.subscriptions


def purge(engine: Engine, now: datetime, keep: timedelta, batch_size: int) -> Purged:
    """Delete settled reminders and ended courses' subscriptions older than ``keep``."""
    cutoff = now - keep
    purged = Purged()
    _purge_settled(engine, cutoff, batch_size, purged)
    _purge_ended(engine, cutoff, batch_size, purged)
    return purged


def _delete_reminders(session: Session, ids: Sequence[int], purged: Purged) -> None:
    """Settled reminders with their delivery records (only settled rows have one)."""
    purged.deliveries += session.exec(
        delete(ReminderDelivery).where(col(ReminderDelivery.reminder_id).in_(ids))
    ).rowcount
    purged.reminders += session.exec(
        delete(Reminder).where(col(Reminder.id).in_(ids), col(Reminder.status).in_(SETTLED))
    ).rowcount


def _purge_settled(engine: Engine, cutoff: datetime, batch_size: int, purged: Purged) -> None:
    while True:
        with session_scope(engine) as session:
            ids = session.exec(
                select(Reminder.id)
                .where(col(Reminder.status).in_(SETTLED), col(Reminder.settled_at) <= cutoff)
                .order_by(col(Reminder.id))
                .limit(batch_size)
            ).all()
            _delete_reminders(session, [i for i in ids if i is not None], purged)
        if len(ids) < batch_size:
            return


def _ended_courses(session: Session, cutoff: datetime) -> list[str]:
    """Courses with subscribers that ended before ``cutoff`` (retired ones are reconciled away)."""
    ended = []
    for course_id in session.exec(select(ReminderSubscription.course_id).distinct()).all():
        course = course_view(session, course_id, None)
        end = course_end(course) if course is not None else None
        if end is not None and end <= cutoff:
            ended.append(course_id)
    return ended


def _purge_ended(engine: Engine, cutoff: datetime, batch_size: int, purged: Purged) -> None:
    with session_scope(engine) as session:
        courses = _ended_courses(session, cutoff)
        if not courses:
            return
        candidates = session.exec(
            select(ReminderSubscription.id)
            .where(col(ReminderSubscription.course_id).in_(courses))
            .order_by(col(ReminderSubscription.id))
        ).all()
    busy = select(Reminder.subscription_id).where(
        col(Reminder.subscription_id).is_not(None), col(Reminder.status).in_(OPEN)
    )
    for start in range(0, len(candidates), batch_size):
        with session_scope(engine) as session:
            ids = session.exec(
                select(ReminderSubscription.id).where(
                    col(ReminderSubscription.id).in_(candidates[start : start + batch_size]),
                    col(ReminderSubscription.id).not_in(busy),  # a reminder still to send stays
                )
            ).all()
            if not ids:
                continue
            reminders = session.exec(
                select(Reminder.id).where(col(Reminder.subscription_id).in_(ids))
            ).all()
            _delete_reminders(session, [i for i in reminders if i is not None], purged)
            purged.subscriptions += session.exec(
                delete(ReminderSubscription).where(col(ReminderSubscription.id).in_(ids))
            ).rowcount
