"""What admins ask of the reminders: statistics per course, and who an announcement reaches.

Announcements are written as deliveries into the database, the same queue reminders use; the
running bot's scheduler finds them on its next poll and sends them within the platforms' limits.
That is how a command in another process reaches the adapters without talking to them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.i18n import translator
from bot.reminders.models import Reminder, ReminderStatus, ReminderSubscription
from bot.reminders.planner import queue_message
from bot.reminders.schedule import Kind
from bot.reminders.texts import course_title
from services_catalog.models import Course, Region, Service, ServiceTopic
from services_catalog.queries import UnknownSlug, require_known

MAX_MESSAGE = 2000  # well below every platform's limit, with room for the heading


@dataclass(frozen=True)
class CourseStats:
    course_id: str | None  # None: announcements to a topic
    title: str | None
    pending: int = 0
    sent: int = 0
    failed: int = 0
    missed: int = 0


def stats(session: Session) -> list[CourseStats]:
    """Deliveries per course and status; claimed-but-unsent ones count as pending.

    Settled ones older than the retention period are deleted (``retention.py``), so they are
    not counted.
    """
    counts: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for course_id, status, count in session.exec(
        select(Reminder.course_id, Reminder.status, func.count()).group_by(
            col(Reminder.course_id), col(Reminder.status)
        )
    ):
        key = ReminderStatus.PENDING if status == ReminderStatus.SENDING else status
        counts[course_id][key] += count
    return [
        CourseStats(
            course_id=course_id,
            title=course_title(session, course_id, translator("de")) if course_id else None,
            pending=by_status[ReminderStatus.PENDING],
            sent=by_status[ReminderStatus.SENT],
            failed=by_status[ReminderStatus.FAILED],
            missed=by_status[ReminderStatus.MISSED],
        )
        for course_id, by_status in sorted(counts.items(), key=lambda item: item[0] or "")
    ]


class AudienceError(ValueError):
    """The course, topic or region of an announcement does not exist."""


def course_audience(session: Session, course_id: str) -> list[int]:
    """Users with reminders for one course."""
    if session.get(Course, course_id) is None:
        raise AudienceError(f"There is no course with the id {course_id!r}.")
    return list(
        session.exec(
            select(ReminderSubscription.user_id)
            .where(ReminderSubscription.course_id == course_id)
            .distinct()
        )
    )


def topic_audience(session: Session, topic: str, region_slug: str) -> list[int]:
    """Users with reminders for any course of a topic in a region, each once."""
    try:
        require_known(session, region=region_slug, topic=topic)
    except UnknownSlug as error:
        raise AudienceError(str(error)) from None
    return list(
        session.exec(
            select(ReminderSubscription.user_id)
            .join(Course, col(Course.id) == col(ReminderSubscription.course_id))
            .join(Service, col(Service.id) == col(Course.service_id))
            .join(ServiceTopic, col(ServiceTopic.service_id) == col(Service.id))
            .join(Region, col(Region.id) == col(Service.region_id))
            .where(ServiceTopic.topic_slug == topic, Region.slug == region_slug)
            .distinct()
        )
    )


def queue_announcement(
    session: Session, user_ids: list[int], course_id: str | None, message: str, now: datetime
) -> int:
    """One delivery per user, due now; the scheduler adds a heading in each reader's language."""
    for user_id in user_ids:
        queue_message(session, user_id, Kind.ANNOUNCEMENT, now, course_id, message)
    return len(user_ids)
