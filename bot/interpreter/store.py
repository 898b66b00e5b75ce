"""Reading and writing interpreter requests: reference codes, status changes, what is due.

Every function takes the caller's session, so one turn or one run is one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.interpreter.dates import day_passed, last_day
from bot.interpreter.models import (
    ACTIVE,
    AWAITING_COORDINATION,
    CoordinatorReply,
    Delivery,
    InterpreterRequest,
    ReplyKind,
    Status,
)

ALPHABET = "ACEFHJKLMNPRTWXY34679"
"""Letters and digits nobody mixes up when reading them aloud or typing them (no O/0, I/1)."""
REFERENCE_LENGTH = 5


def normalise_reference(text: str) -> str:
    return text.strip().lstrip("#").upper()


def new_reference(session: Session) -> str:
    """A reference no stored request has."""
    while True:
        reference = "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_LENGTH))
        if by_reference(session, reference) is None:
            return reference


def by_reference(session: Session, reference: str) -> InterpreterRequest | None:
    query = select(InterpreterRequest).where(
        InterpreterRequest.reference == normalise_reference(reference)
    )
    return session.exec(query).first()


def active_of(session: Session, user_id: int, today: date) -> list[InterpreterRequest]:
    """The person's requests still ahead: open ones, and accepted ones until their day passed."""
    query = (
        select(InterpreterRequest)
        .where(InterpreterRequest.user_id == user_id, col(InterpreterRequest.status).in_(ACTIVE))
        .order_by(col(InterpreterRequest.created_at), col(InterpreterRequest.id))
    )
    return [request for request in session.exec(query) if not _day_is_over(request, today)]


def _day_is_over(request: InterpreterRequest, today: date) -> bool:
    day = last_day(request) if request.status == Status.ACCEPTED else None
    return day is not None and day < today


def same_open(
    session: Session,
    user_id: int,
    language: str,
    kind: str,
    when_date: date | None,
    when_choice: str | None,
) -> InterpreterRequest | None:
    """An open request with the same choices: a button pressed twice sends nothing twice."""
    query = select(InterpreterRequest).where(
        InterpreterRequest.user_id == user_id,
        InterpreterRequest.status == Status.OPEN,
        InterpreterRequest.language == language,
        InterpreterRequest.kind == kind,
        InterpreterRequest.when_date == when_date,
        InterpreterRequest.when_choice == when_choice,
    )
    return session.exec(query).first()


def close(request: InterpreterRequest, status: Status, now: datetime) -> None:
    request.status = status
    request.closed_at = now


def add_reply(
    session: Session, request: InterpreterRequest, kind: str, text: str, now: datetime
) -> CoordinatorReply:
    assert request.id is not None
    reply = CoordinatorReply(request_id=request.id, kind=kind, text=text, created_at=now)
    session.add(reply)
    session.flush()
    return reply


def last_reply(session: Session, request_id: int) -> CoordinatorReply | None:
    query = (
        select(CoordinatorReply)
        .where(CoordinatorReply.request_id == request_id)
        .order_by(col(CoordinatorReply.created_at).desc(), col(CoordinatorReply.id).desc())
    )
    return session.exec(query).first()


def unannounced(session: Session) -> Sequence[InterpreterRequest]:
    query = (
        select(InterpreterRequest)
        .where(
            col(InterpreterRequest.announced_at).is_(None),
            InterpreterRequest.status == Status.OPEN,
        )
        .order_by(col(InterpreterRequest.id))
    )
    return session.exec(query).all()


def pending_replies(session: Session) -> Sequence[CoordinatorReply]:
    query = (
        select(CoordinatorReply)
        .where(CoordinatorReply.delivery == Delivery.PENDING)
        .order_by(col(CoordinatorReply.id))
    )
    return session.exec(query).all()


def unanswered(session: Session) -> Sequence[InterpreterRequest]:
    """Requests still waiting for the coordination or the person."""
    query = (
        select(InterpreterRequest)
        .where(col(InterpreterRequest.status).in_(AWAITING_COORDINATION))
        .order_by(col(InterpreterRequest.id))
    )
    return session.exec(query).all()


def kept_from(request: InterpreterRequest) -> datetime | None:
    """When the retention time starts: at closing, but for an accepted request with a known day
    not before that day passed, so the person and the coordination keep it until the appointment.
    """
    if request.closed_at is None:
        return None
    day = last_day(request) if request.status == Status.ACCEPTED else None
    if day is None:
        return request.closed_at
    return max(request.closed_at, day_passed(day))


def delete_expired(session: Session, now: datetime, retention: timedelta) -> int:
    """Delete requests kept longer than ``retention`` (their replies go with them)."""
    closed_long_ago = select(InterpreterRequest).where(
        col(InterpreterRequest.closed_at).is_not(None),
        col(InterpreterRequest.closed_at) <= now - retention,
    )
    ids = [
        request.id
        for request in session.exec(closed_long_ago)
        if (start := kept_from(request)) is not None and start + retention <= now
    ]
    if not ids:
        return 0
    session.execute(delete(CoordinatorReply).where(col(CoordinatorReply.request_id).in_(ids)))
    session.execute(delete(InterpreterRequest).where(col(InterpreterRequest.id).in_(ids)))
    return len(ids)


def forget_user(session: Session, user_id: int) -> None:
    ids = list(
        session.exec(select(InterpreterRequest.id).where(InterpreterRequest.user_id == user_id))
    )
    if ids:
        session.execute(delete(CoordinatorReply).where(col(CoordinatorReply.request_id).in_(ids)))
        session.execute(delete(InterpreterRequest).where(col(InterpreterRequest.id).in_(ids)))


def undelivered(session: Session) -> list[tuple[InterpreterRequest, bool]]:
    """Requests that never reached their coordination chat: (request, given up), oldest first.

    Open ones are still being tried; given-up ones were closed and their person told.
    """
    given_up = set(
        session.exec(
            select(CoordinatorReply.request_id).where(
                CoordinatorReply.kind == ReplyKind.UNDELIVERED
            )
        )
    )
    query = (
        select(InterpreterRequest)
        .where(col(InterpreterRequest.announced_at).is_(None))
        .order_by(col(InterpreterRequest.created_at), col(InterpreterRequest.id))
    )
    found = []
    for request in session.exec(query):
        if request.status == Status.OPEN or request.id in given_up:
            found.append((request, request.id in given_up))
    return found
