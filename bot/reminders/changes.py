"""Keeping reminders in step with the catalogue when an admin changes or retires a course.

Each subscription remembers a fingerprint of the dates it was planned from. Reconciling compares
it with the course as it is now: new dates → the reminders still to come are planned afresh and the
subscriber gets a notice; a retired course → its reminders go and the subscriber is told. The
conditional update on the fingerprint (or the delete) decides which worker sends the one notice,
so a change heard both in-process and through the catalogue revision is announced only once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select, update

from bot.clock import Clock
from bot.reminders.models import ReminderSubscription
from bot.reminders.planner import drop_pending, queue_message, top_up
from bot.reminders.schedule import Kind, fingerprint
from services_catalog import changes
from services_catalog.db import session_scope
from services_catalog.queries import catalogue_revision, course_view

log = logging.getLogger(__name__)


def reconcile_course(session: Session, course_id: str, now: datetime) -> int:
    """Bring one course's subscriptions in line with the catalogue; returns notices queued."""
    subscriptions = session.exec(
        select(ReminderSubscription).where(ReminderSubscription.course_id == course_id)
    ).all()
    if not subscriptions:
        return 0
    course = course_view(session, course_id, None)
    notices = 0
    for subscription in subscriptions:
        assert subscription.id is not None
        if course is None:
            drop_pending(session, subscription.id)
            gone = session.exec(
                delete(ReminderSubscription).where(col(ReminderSubscription.id) == subscription.id)
            )
            if gone.rowcount == 1:
                queue_message(session, subscription.user_id, Kind.CANCELLED, now, course_id)
                notices += 1
            continue
        new = fingerprint(course)
        if subscription.schedule == new:
            continue
        moved = session.exec(
            update(ReminderSubscription)
            .where(
                col(ReminderSubscription.id) == subscription.id,
                col(ReminderSubscription.schedule) == subscription.schedule,
            )
            .values(schedule=new, planned_until=now)
        )
        if moved.rowcount != 1:
            continue
        drop_pending(session, subscription.id)
        subscription.schedule, subscription.planned_until = new, now
        top_up(session, subscription, course, now)
        queue_message(session, subscription.user_id, Kind.CHANGED, now, course_id)
        notices += 1
    if notices:
        log.info("course %s changed: %d subscribers will be told", course_id, notices)
    return notices


def reconcile_all(session: Session, now: datetime) -> int:
    """Check every course someone subscribed to, e.g. after changes made while the bot was down."""
    course_ids = session.exec(select(ReminderSubscription.course_id).distinct()).all()
    return sum(reconcile_course(session, course_id, now) for course_id in course_ids)


class CatalogueWatch:
    """Notices catalogue changes made by another process (the admin CLI) via the revision."""

    def __init__(self) -> None:
        self._seen: int | None = None

    def check(self, session: Session, now: datetime) -> int:
        revision = catalogue_revision(session)
        if revision == self._seen:
            return 0
        notices = reconcile_all(session, now)
        self._seen = revision
        return notices


def listen(engine: Engine, clock: Clock) -> Callable[[], None]:
    """Reconcile at once when a course change is published in this process; returns unsubscribe."""

    def on_change(change: changes.CourseChanged) -> None:
        with session_scope(engine) as session:
            reconcile_course(session, change.course_id, clock.now())

    return changes.subscribe(on_change)
