"""Tables of interpreter requests: what a person chose to send to a pool, and the pool's answers.

A request holds only the user's choices (language, kind of appointment, when), never a name or a
free text. The coordination's answers are kept until they reached the person, and both go
``interpreter_retention_days`` after the request was closed (an accepted one with a known day not
before that day has passed: see ``store.kept_from``), or at once on ``/delete``.
Times are aware UTC datetimes.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Status(StrEnum):
    OPEN = "open"  # waiting for the coordination
    QUESTION = "question"  # the coordination asked something; waiting for the person
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


ACTIVE = (Status.OPEN, Status.QUESTION, Status.ACCEPTED)
"""Requests a person sees under /requests and can withdraw (accepted ones until their day)."""

AWAITING_COORDINATION = (Status.OPEN, Status.QUESTION)
"""Requests the coordination can still accept, decline or ask about."""


class Kind(StrEnum):
    DOCTOR = "doctor"
    AUTHORITY = "authority"
    SCHOOL_KITA = "school_kita"
    COUNSELLING = "counselling"
    OTHER = "other"


class When(StrEnum):
    """Short choices for a time not fixed to one day; a day itself is stored as a date."""

    THIS_WEEK = "this_week"
    NEXT_WEEK = "next_week"
    OPEN = "open"  # not fixed yet


class InterpreterRequest(SQLModel, table=True):
    __tablename__ = "interpreter_request"
    __table_args__ = (Index("ix_interpreter_request_status_closed", "status", "closed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(unique=True)  # short code the coordination answers with
    user_id: int = Field(foreign_key="bot_user.id", ondelete="CASCADE", index=True)
    pool_service_id: str = Field(index=True)
    language: str
    kind: str
    when_date: date | None = None
    when_choice: str | None = None
    status: str = Status.OPEN
    created_at: datetime
    announced_at: datetime | None = None  # when it reached the coordination chat
    last_raised_at: datetime | None = None  # last time it was put before the coordination
    times_raised: int = 0
    delivery_attempts: int = 0  # failed tries to put it before the coordination chat
    next_attempt_at: datetime | None = None  # the next try, after a back-off
    closed_at: datetime | None = None


class ReplyKind(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    QUESTION = "question"
    CLOSED = "closed"
    EXPIRED = "expired"  # the date passed without an answer
    ARRIVED = "arrived"  # the request reached the coordination chat
    UNDELIVERED = "undelivered"  # the coordination chat could not be reached, it was given up


class Delivery(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # the person cannot be reached any more


class CoordinatorReply(SQLModel, table=True):
    """One answer to pass on to the person; kept so a failed send can be tried again."""

    __tablename__ = "interpreter_reply"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="interpreter_request.id", ondelete="CASCADE", index=True)
    kind: str
    text: str = ""
    created_at: datetime
    delivery: str = Field(default=Delivery.PENDING, index=True)
