"""Tables of reminders: what people asked for, each planned delivery, and how each delivery went.

The ``reminder`` table is the truth the scheduler works from; APScheduler only mirrors its next
due time. Times are aware UTC datetimes.
Nothing here holds a name or a message a user wrote; ``message`` is an admin's announcement.
Settled rows and ended courses' subscriptions are deleted after a while (``retention.py``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReminderSubscription(SQLModel, table=True):
    """One user's wish to be reminded about one course, and how far ahead it has been planned."""

    __tablename__ = "reminder_subscription"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="bot_user.id", ondelete="CASCADE", index=True)
    course_id: str = Field(index=True)
    deadline: bool = False
    course_start: bool = False
    day_before: bool = False
    hour_before: bool = False
    schedule: str  # fingerprint of the course dates the reminders were planned from
    planned_until: datetime  # reminders due up to here exist as rows
    created_at: datetime


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one worker; back to pending if its lease runs out
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"  # fell due while the bot was down and its event has passed


class Reminder(SQLModel, table=True):
    """One planned delivery: a reminder, a notice about a course change, or an announcement."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("subscription_id", "kind", "event_at"),
        Index("ix_reminder_status_not_before", "status", "not_before"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="bot_user.id", ondelete="CASCADE", index=True)
    subscription_id: int | None = Field(
        default=None, foreign_key="reminder_subscription.id", ondelete="SET NULL"
    )
    course_id: str | None = Field(default=None, index=True)
    kind: str
    event_at: datetime | None = None  # what the reminder is about; once passed, it is missed
    due_at: datetime
    not_before: datetime  # due_at at first, later after a failed attempt
    status: str = ReminderStatus.PENDING
    attempts: int = 0
    claim_token: str | None = None
    claimed_at: datetime | None = None
    settled_at: datetime | None = Field(default=None, index=True)  # sent, failed or missed at
    message: str | None = None  # an admin's announcement text


class ReminderDelivery(SQLModel, table=True):
    """How a delivery ended; written in the same transaction that marks the reminder done."""

    __tablename__ = "reminder_delivery"

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", ondelete="CASCADE", unique=True)
    platform: str
    outcome: str  # sent | failed
    attempts: int
    finished_at: datetime
    error: str | None = None  # the error's type, never a message text
