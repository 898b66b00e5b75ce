"""When reminders fall due: right UTC instants on both sides of daylight-saving changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.reminders.schedule import (
    EVERYTHING,
    Kind,
    What,
    available,
    course_end,
    fingerprint,
    plan,
)
from services_catalog.views import CourseView
from tests.reminders.conftest import COURSE

BERLIN = ZoneInfo("Europe/Berlin")
EARLY = datetime(2027, 3, 1, tzinfo=UTC)
LATE = datetime(2027, 6, 1, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def due(kind: Kind, event: datetime, course: CourseView = COURSE) -> datetime:
    return next(
        o.due_at
        for o in plan(course, EVERYTHING, EARLY, LATE)
        if o.kind == kind and o.event_at == event
    )


def test_a_session_the_day_after_the_spring_change_is_reminded_at_the_right_instants() -> None:
    # Monday 29 March 2027, 09:00 summer time (UTC+2) — the clocks went forward on Sunday.
    session = utc(2027, 3, 29, 7, 0)
    assert session.astimezone(BERLIN).time() == time(9, 0)
    assert due(Kind.HOUR_BEFORE, session) == utc(2027, 3, 29, 6, 0)
    # The evening before is Sunday 18:00 summer time, after the change.
    assert due(Kind.DAY_BEFORE, session) == utc(2027, 3, 28, 16, 0)
    # The Wednesday before the change still runs on winter time (UTC+1).
    before = utc(2027, 3, 24, 8, 0)
    assert due(Kind.HOUR_BEFORE, before) == utc(2027, 3, 24, 7, 0)
    assert due(Kind.DAY_BEFORE, before) == utc(2027, 3, 23, 17, 0)


def test_one_hour_before_across_the_missing_hour_is_one_real_hour() -> None:
    night = replace(COURSE, weekdays=("sun",), session_start=time(3, 30), session_end=time(5, 0))
    session = utc(2027, 3, 28, 1, 30)  # 03:30 summer time, just after 02:00 became 03:00
    reminder = due(Kind.HOUR_BEFORE, session, night)
    assert session - reminder == timedelta(hours=1)
    assert reminder.astimezone(BERLIN).strftime("%H:%M %Z") == "01:30 CET"


def test_the_autumn_change_keeps_wall_clock_times() -> None:
    autumn = replace(
        COURSE,
        start_date=date(2026, 10, 19),
        end_date=date(2026, 10, 31),
        registration_deadline=None,
    )
    occurrences = plan(autumn, EVERYTHING, utc(2026, 10, 1), utc(2026, 11, 1))
    monday = utc(2026, 10, 26, 8, 0)  # 09:00 winter time, the day after the change
    evening = next(o for o in occurrences if o.kind == Kind.DAY_BEFORE and o.event_at == monday)
    assert evening.due_at == utc(2026, 10, 25, 17, 0)  # Sunday 18:00 winter time
    first = next(o for o in occurrences if o.kind == Kind.HOUR_BEFORE)
    assert first.event_at == utc(2026, 10, 19, 7, 0)  # 09:00 summer time


def test_deadline_and_start_are_announced_two_days_ahead_in_the_morning() -> None:
    occurrences = plan(COURSE, What.DEADLINE | What.START, EARLY, LATE)
    assert [(o.kind, o.due_at) for o in occurrences] == [
        (Kind.DEADLINE, utc(2027, 3, 13, 9, 0)),  # Saturday 10:00 winter time
        (Kind.START, utc(2027, 3, 20, 9, 0)),
    ]
    assert occurrences[1].event_at == utc(2027, 3, 22, 8, 0)


def test_only_what_can_still_fire_is_offered() -> None:
    assert available(COURSE, EARLY) == EVERYTHING
    after_deadline = utc(2027, 3, 18)
    assert available(COURSE, after_deadline) == What.START | What.DAY_BEFORE | What.HOUR_BEFORE
    assert available(COURSE, utc(2027, 5, 1)) == What(0)


def test_fingerprint_changes_with_the_dates_only() -> None:
    assert fingerprint(COURSE) == fingerprint(replace(COURSE, title="Other title"))
    assert fingerprint(COURSE) != fingerprint(replace(COURSE, session_start=time(10, 0)))


def test_a_course_is_over_at_midnight_after_its_last_day_or_runs_on_without_one() -> None:
    assert course_end(COURSE) == utc(2027, 4, 30, 22, 0)  # 1 May, 00:00 summer time
    assert course_end(replace(COURSE, end_date=None)) is None  # weekly sessions, no end
    one_day = replace(COURSE, end_date=None, weekdays=(), session_start=None)
    assert course_end(one_day) == utc(2027, 3, 22, 23, 0)  # after its start day (winter time)
