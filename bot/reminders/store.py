"""The delivery bookkeeping: claim due rows, then mark each one done with its delivery record.

Every step is one short transaction with no await inside, so the database stays the one truth
that any number of workers share:

1. ``claim`` moves due rows from *pending* to *sending* under a fresh token (``FOR UPDATE SKIP
   LOCKED`` on PostgreSQL; SQLite has a single writer). A row another worker claimed is skipped.
2. After the platform accepted the message, ``finish`` marks the row *sent* and writes its
   ``ReminderDelivery`` in one transaction — only if the row still carries our token.
3. ``release`` hands rows we claimed but did not try back (graceful stop); ``recover_stale``
   returns rows whose worker died (lease ran out) to *pending*. See README.md for the window
   that leaves after a hard crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select, update

from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus
from bot.reminders.schedule import Kind
from bot.storage.models import User
from services_catalog.db import session_scope


@dataclass(frozen=True)
class Due:
    """A claimed delivery with everything needed to write and send it."""

    id: int
    kind: Kind
    course_id: str | None
    event_at: datetime | None
    attempts: int
    platform: str
    chat_id: str
    lang: str | None
    region: str | None
    blocked: bool
    message: str | None


def mark_missed(session: Session, now: datetime) -> int:
    """Reminders whose event has passed before they could go out are dropped as missed."""
    result = session.exec(
        update(Reminder)
        .where(
            col(Reminder.status) == ReminderStatus.PENDING,
            col(Reminder.event_at).is_not(None),
            col(Reminder.event_at) <= now,
        )
        .values(status=ReminderStatus.MISSED, settled_at=now)
    )
    return result.rowcount


def claim(session: Session, token: str, now: datetime, limit: int) -> list[Due]:
    """Take up to ``limit`` due rows for this worker, earliest first."""
    ids = session.exec(
        select(Reminder.id)
        .where(
            col(Reminder.status) == ReminderStatus.PENDING,
            col(Reminder.not_before) <= now,
        )
        .order_by(col(Reminder.not_before), col(Reminder.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    session.exec(
        update(Reminder)
        .where(col(Reminder.id).in_(ids), col(Reminder.status) == ReminderStatus.PENDING)
        .values(status=ReminderStatus.SENDING, claim_token=token, claimed_at=now)
    )
    rows = session.exec(
        select(Reminder, User)
        .join(User, col(User.id) == col(Reminder.user_id))
        .where(col(Reminder.claim_token) == token, col(Reminder.status) == ReminderStatus.SENDING)
        .order_by(col(Reminder.not_before), col(Reminder.id))
    ).all()
    return [
        Due(
            id=reminder.id,
            kind=Kind(reminder.kind),
            course_id=reminder.course_id,
            event_at=reminder.event_at if reminder.event_at else None,
            attempts=reminder.attempts,
            platform=user.platform,
            chat_id=user.chat_id,
            lang=user.language,
            region=user.region_slug,
            blocked=user.blocked,
            message=reminder.message,
        )
        for reminder, user in rows
        if reminder.id is not None
    ]


def _ours(due: Due, token: str) -> tuple[object, ...]:
    return (
        col(Reminder.id) == due.id,
        col(Reminder.claim_token) == token,
        col(Reminder.status) == ReminderStatus.SENDING,
    )


def finish(
    engine: Engine,
    due: Due,
    token: str,
    now: datetime,
    status: ReminderStatus,
    error: str | None = None,
) -> bool:
    """Close a claimed row as sent, failed or missed; False if our claim was lost meanwhile."""
    attempts = due.attempts + (status != ReminderStatus.MISSED)
    with session_scope(engine) as session:
        result = session.exec(
            update(Reminder)
            .where(*_ours(due, token))
            .values(status=status, attempts=attempts, claim_token=None, settled_at=now)
        )
        if result.rowcount != 1:
            return False
        if status in (ReminderStatus.SENT, ReminderStatus.FAILED):
            session.add(
                ReminderDelivery(
                    reminder_id=due.id,
                    platform=due.platform,
                    outcome=status,
                    attempts=attempts,
                    finished_at=now,
                    error=error,
                )
            )
    return True


def retry_later(engine: Engine, due: Due, token: str, at: datetime) -> bool:
    """Put a row back to pending after a failed attempt, not to be tried before ``at``."""
    with session_scope(engine) as session:
        result = session.exec(
            update(Reminder)
            .where(*_ours(due, token))
            .values(
                status=ReminderStatus.PENDING,
                attempts=due.attempts + 1,
                not_before=at,
                claim_token=None,
                claimed_at=None,
            )
        )
        return result.rowcount == 1


def release(engine: Engine, token: str) -> int:
    """Hand back rows claimed under ``token`` that were never tried (a graceful stop)."""
    with session_scope(engine) as session:
        result = session.exec(
            update(Reminder)
            .where(
                col(Reminder.claim_token) == token,
                col(Reminder.status) == ReminderStatus.SENDING,
            )
            .values(status=ReminderStatus.PENDING, claim_token=None, claimed_at=None)
        )
        return result.rowcount


def recover_stale(session: Session, now: datetime, lease: timedelta) -> int:
    """Rows claimed longer ago than the lease belong to a worker that died: pending again."""
    result = session.exec(
        update(Reminder)
        .where(
            col(Reminder.status) == ReminderStatus.SENDING,
            col(Reminder.claimed_at) <= now - lease,
        )
        .values(status=ReminderStatus.PENDING, claim_token=None, claimed_at=None)
    )
    return result.rowcount


def next_due(session: Session, lease: timedelta) -> datetime | None:
    """The earliest moment a row becomes sendable: a pending one, or a stale claim's lease end."""
    pending = session.exec(
        select(func.min(Reminder.not_before)).where(col(Reminder.status) == ReminderStatus.PENDING)
    ).one()
    claimed = session.exec(
        select(func.min(Reminder.claimed_at)).where(col(Reminder.status) == ReminderStatus.SENDING)
    ).one()
    moments = [pending] if pending else []
    if claimed:
        moments.append(claimed + lease)
    return min(moments, default=None)
