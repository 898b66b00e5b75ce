"""When a course's reminders fall due: pure date arithmetic in the region's time zone.

Wall-clock times ("10:00 two days before", "18:00 the evening before") are built in the region's
zone and only then turned into UTC, so they stay right across daylight-saving changes; "one hour
before" is an hour of real time before the session's UTC instant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import IntFlag, StrEnum
from zoneinfo import ZoneInfo

from services_catalog.views import CourseView

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# A deadline or a course start is announced two days ahead, in the morning, so there is time to act.
AHEAD_DAYS = 2
AHEAD_AT = time(10, 0)
# The day-before reminder comes in the evening, when people plan the next day.
EVENING_AT = time(18, 0)
HOUR = timedelta(hours=1)


class What(IntFlag):
    """What a subscriber asked to be reminded of; stored as four booleans."""

    DEADLINE = 1
    START = 2
    DAY_BEFORE = 4
    HOUR_BEFORE = 8


class Kind(StrEnum):
    """Why a delivery exists: one of the four reminders, a notice, or an admin's announcement."""

    DEADLINE = "deadline"
    START = "start"
    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    ANNOUNCEMENT = "announcement"


EVERYTHING = What.DEADLINE | What.START | What.DAY_BEFORE | What.HOUR_BEFORE
FLAG_OF = {
    Kind.DEADLINE: What.DEADLINE,
    Kind.START: What.START,
    Kind.DAY_BEFORE: What.DAY_BEFORE,
    Kind.HOUR_BEFORE: What.HOUR_BEFORE,
}


@dataclass(frozen=True, order=True)
class Occurrence:
    """One reminder to plan: sent at ``due_at`` about the event at ``event_at`` (both UTC)."""

    due_at: datetime
    event_at: datetime
    kind: Kind


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def sessions(course: CourseView, first: date, last: date) -> Iterator[datetime]:
    """Session starts (UTC) on the course's weekdays between ``first`` and ``last``, inclusive."""
    if not course.weekdays or course.session_start is None:
        return
    zone = ZoneInfo(course.timezone)
    weekdays = {WEEKDAYS.index(day) for day in course.weekdays if day in WEEKDAYS}
    day = max(first, course.start_date) if course.start_date else first
    end = min(last, course.end_date) if course.end_date else last
    while day <= end:
        if day.weekday() in weekdays:
            yield _local(day, course.session_start, zone)
        day += timedelta(days=1)


def course_start(course: CourseView) -> datetime | None:
    """The first session's start, or the start day's beginning when there is no session time."""
    if course.start_date is None:
        return None
    first = next(sessions(course, course.start_date, course.start_date + timedelta(days=7)), None)
    return first or _local(course.start_date, time(0, 0), ZoneInfo(course.timezone))


def course_end(course: CourseView) -> datetime | None:
    """When a course is over: the end of its last day, or of its one-off start or deadline.

    A course with weekly sessions and no end date runs on, so it has no end (None).
    """
    zone = ZoneInfo(course.timezone)
    if course.end_date is not None:
        return _local(course.end_date + timedelta(days=1), time(0, 0), zone)
    if course.weekdays and course.session_start is not None:
        return None
    days = [day for day in (course.start_date, course.registration_deadline) if day is not None]
    return _local(max(days) + timedelta(days=1), time(0, 0), zone) if days else None


def plan(course: CourseView, what: What, after: datetime, until: datetime) -> list[Occurrence]:
    """Reminders due in ``(after, until]`` whose events still lie ahead of ``after``."""
    zone = ZoneInfo(course.timezone)
    found: list[Occurrence] = []
    if What.DEADLINE in what and course.registration_deadline:
        deadline = course.registration_deadline
        event = _local(deadline + timedelta(days=1), time(0, 0), zone)  # the whole day counts
        found.append(
            Occurrence(
                _local(deadline - timedelta(days=AHEAD_DAYS), AHEAD_AT, zone), event, Kind.DEADLINE
            )
        )
    start = course_start(course)
    if What.START in what and start is not None and course.start_date is not None:
        due = _local(course.start_date - timedelta(days=AHEAD_DAYS), AHEAD_AT, zone)
        found.append(Occurrence(due, start, Kind.START))
    if what & (What.DAY_BEFORE | What.HOUR_BEFORE):
        first = after.astimezone(zone).date()
        last = until.astimezone(zone).date() + timedelta(days=1)
        for session in sessions(course, first, last):
            if What.DAY_BEFORE in what:
                evening = session.astimezone(zone).date() - timedelta(days=1)
                found.append(
                    Occurrence(_local(evening, EVENING_AT, zone), session, Kind.DAY_BEFORE)
                )
            if What.HOUR_BEFORE in what:
                found.append(Occurrence(session - HOUR, session, Kind.HOUR_BEFORE))
    return sorted(o for o in found if after < o.due_at <= until and o.event_at > after)


def available(course: CourseView, now: datetime) -> What:
    """The kinds of reminder that would still fire for this course from ``now`` on."""
    horizon = now + timedelta(days=400)
    offered = What(0)
    for occurrence in plan(course, EVERYTHING, now, horizon):
        offered |= FLAG_OF[occurrence.kind]
    return offered


def fingerprint(course: CourseView) -> str:
    """A short digest of everything the reminders are planned from; it changes when dates do."""
    facts = (
        course.timezone,
        course.start_date,
        course.end_date,
        tuple(course.weekdays),
        course.session_start,
        course.session_end,
        course.registration_deadline,
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:16]
