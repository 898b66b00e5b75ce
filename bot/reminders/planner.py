"""Subscriptions become reminder rows, planned a few weeks ahead and topped up daily.

A subscription remembers ``planned_until``: every reminder due up to that instant exists as a row.
Topping up plans the next stretch; a conditional update on ``planned_until`` lets only one worker
do it, so two processes never plan the same reminders twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select, update

from bot.reminders.models import Reminder, ReminderDelivery, ReminderStatus, ReminderSubscription
from bot.reminders.schedule import Kind, What, fingerprint, plan
from bot.storage.models import User
from services_catalog.queries import course_view
from services_catalog.views import CourseView

HORIZON = timedelta(days=42)


def what_of(subscription: ReminderSubscription) -> What:
    what = What(0)
    for flag, chosen in (
        (What.DEADLINE, subscription.deadline),
        (What.START, subscription.course_start),
        (What.DAY_BEFORE, subscription.day_before),
        (What.HOUR_BEFORE, subscription.hour_before),
    ):
        if chosen:
            what |= flag
    return what


def _set_what(subscription: ReminderSubscription, what: What) -> None:
    subscription.deadline = What.DEADLINE in what
    subscription.course_start = What.START in what
    subscription.day_before = What.DAY_BEFORE in what
    subscription.hour_before = What.HOUR_BEFORE in what


def subscription_for(session: Session, user_id: int, course_id: str) -> ReminderSubscription | None:
    return session.exec(
        select(ReminderSubscription).where(
            ReminderSubscription.user_id == user_id, ReminderSubscription.course_id == course_id
        )
    ).first()


def subscriptions_of(session: Session, user_id: int) -> list[ReminderSubscription]:
    return list(
        session.exec(
            select(ReminderSubscription)
            .where(ReminderSubscription.user_id == user_id)
            .order_by(col(ReminderSubscription.created_at), col(ReminderSubscription.id))
        )
    )


def drop_pending(session: Session, subscription_id: int) -> None:
    session.exec(
        delete(Reminder).where(
            col(Reminder.subscription_id) == subscription_id,
            col(Reminder.status) == ReminderStatus.PENDING,
        )
    )


def subscribe(
    session: Session, user: User, course: CourseView, what: What, now: datetime
) -> ReminderSubscription:
    """Create or change a subscription and plan its reminders from ``now`` on."""
    assert user.id is not None
    subscription = subscription_for(session, user.id, course.id)
    if subscription is None:
        subscription = ReminderSubscription(
            user_id=user.id,
            course_id=course.id,
            schedule=fingerprint(course),
            planned_until=now,
            created_at=now,
        )
    else:
        assert subscription.id is not None
        drop_pending(session, subscription.id)
        subscription.schedule = fingerprint(course)
        subscription.planned_until = now
    _set_what(subscription, what)
    session.add(subscription)
    session.flush()
    top_up(session, subscription, course, now)
    return subscription


def unsubscribe(session: Session, subscription: ReminderSubscription) -> None:
    """Forget the wish and its reminders still to come; what was sent stays for the statistics."""
    assert subscription.id is not None
    drop_pending(session, subscription.id)
    session.exec(
        delete(ReminderSubscription).where(col(ReminderSubscription.id) == subscription.id)
    )


def top_up(
    session: Session, subscription: ReminderSubscription, course: CourseView, now: datetime
) -> int:
    """Plan reminders due up to ``now + HORIZON``; returns how many rows were added.

    Reminders due between the old ``planned_until`` and now (the bot was down) are still planned
    when their event lies ahead, so that they are sent late rather than never.
    """
    until = now + HORIZON
    planned = subscription.planned_until
    if planned >= until:
        return 0
    claimed = session.exec(
        update(ReminderSubscription)
        .where(
            col(ReminderSubscription.id) == subscription.id,
            col(ReminderSubscription.planned_until) == subscription.planned_until,
        )
        .values(planned_until=until)
    )
    if claimed.rowcount != 1:
        return 0
    subscription.planned_until = until
    occurrences = [
        o for o in plan(course, what_of(subscription), planned, until) if o.event_at > now
    ]
    session.add_all(
        Reminder(
            user_id=subscription.user_id,
            subscription_id=subscription.id,
            course_id=subscription.course_id,
            kind=occurrence.kind,
            event_at=occurrence.event_at,
            due_at=occurrence.due_at,
            not_before=occurrence.due_at,
        )
        for occurrence in occurrences
    )
    return len(occurrences)


def top_up_all(session: Session, now: datetime) -> int:
    """The daily top-up for every subscription whose plan ends within the horizon."""
    subscriptions = session.exec(
        select(ReminderSubscription).where(col(ReminderSubscription.planned_until) < now + HORIZON)
    ).all()
    courses: dict[str, CourseView | None] = {}
    added = 0
    for subscription in subscriptions:
        if subscription.course_id not in courses:
            courses[subscription.course_id] = course_view(session, subscription.course_id, None)
        course = courses[subscription.course_id]
        if course is not None:  # a retired course is handled by ``changes.reconcile_course``
            added += top_up(session, subscription, course, now)
    return added


def queue_message(
    session: Session,
    user_id: int,
    kind: Kind,
    now: datetime,
    course_id: str | None = None,
    message: str | None = None,
) -> Reminder:
    """A notice or announcement, due at once; the running bot's scheduler sends it."""
    row = Reminder(
        user_id=user_id,
        course_id=course_id,
        kind=kind,
        due_at=now,
        not_before=now,
        message=message,
    )
    session.add(row)
    return row


def next_reminder(session: Session, subscription_id: int) -> datetime | None:
    """When the subscription's next reminder is due, for the list a user sees."""
    due = session.exec(
        select(Reminder.due_at)
        .where(
            col(Reminder.subscription_id) == subscription_id,
            col(Reminder.status).in_([ReminderStatus.PENDING, ReminderStatus.SENDING]),
        )
        .order_by(col(Reminder.due_at))
        .limit(1)
    ).first()
    return due if due else None


def forget_user(session: Session, user_id: int) -> None:
    """Remove every reminder row about a user (deliveries go with their reminders)."""
    reminder_ids = select(Reminder.id).where(Reminder.user_id == user_id)
    session.exec(
        delete(ReminderDelivery).where(col(ReminderDelivery.reminder_id).in_(reminder_ids))
    )
    session.exec(delete(Reminder).where(col(Reminder.user_id) == user_id))
    session.exec(delete(ReminderSubscription).where(col(ReminderSubscription.user_id) == user_id))
