"""A course's dates as an iCalendar file, so people can keep them in their phone's calendar.

Sessions are one weekly recurring event (RRULE) in the region's time zone, with the zone's
VTIMEZONE included, so calendars show the right local time on both sides of a daylight-saving
change. The deadline and, when there are no session times, the start are all-day events.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from bot.core.dialogue.cards import course_name
from bot.core.messages import Attachment
from bot.i18n import Translator
from bot.reminders.schedule import course_start, sessions
from bot.reminders.texts import address_line
from services_catalog.views import CourseView

PRODID = "-//Wegweiser//Course dates//EN"
DEFAULT_LENGTH = timedelta(hours=1)  # when the source names no end time
WEEK = timedelta(days=7)


def has_dates(course: CourseView) -> bool:
    weekly = bool(course.weekdays and course.session_start)
    return bool(course.start_date or course.registration_deadline or weekly)


def _all_day(uid: str, day: date, summary: str, stamp: datetime) -> Event:
    return Event.new(uid=uid, start=day, end=day + timedelta(days=1), summary=summary, stamp=stamp)


def course_calendar(course: CourseView, t: Translator, now: datetime) -> bytes:
    """The .ics bytes for one course, titled in the reader's language."""
    zone = ZoneInfo(course.timezone)
    stamp = now.astimezone(UTC)
    place = address_line(course.location)
    name = course_name(course, t)
    calendar = Calendar.new(prodid=PRODID, name=name, language=t.lang)
    first = course_start(course) or next(sessions(course, now.date(), now.date() + WEEK), None)
    if first is not None and course.weekdays and course.session_start:
        start = first.astimezone(zone)
        if course.session_end:
            end = datetime.combine(start.date(), course.session_end, tzinfo=zone)
        else:
            end = start + DEFAULT_LENGTH
        weekly = Event.new(
            uid=f"{course.id}.sessions@wegweiser",
            start=start,
            end=end,
            summary=name,
            location=place,
            stamp=stamp,
        )
        rule = {"FREQ": "WEEKLY", "BYDAY": [day[:2].upper() for day in course.weekdays]}
        if course.end_date:
            last = datetime.combine(course.end_date, time(23, 59, 59), tzinfo=zone)
            rule["UNTIL"] = last.astimezone(UTC)
        weekly.add("rrule", vRecur(rule))
        calendar.add_component(weekly)
    elif course.start_date:
        summary = t.gettext("Course starts: {title}").format(title=name)
        calendar.add_component(
            _all_day(f"{course.id}.start@wegweiser", course.start_date, summary, stamp)
        )
    if course.registration_deadline:
        summary = t.gettext("Registration deadline: {title}").format(title=name)
        calendar.add_component(
            _all_day(
                f"{course.id}.deadline@wegweiser", course.registration_deadline, summary, stamp
            )
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_attachment(course: CourseView, t: Translator, now: datetime) -> Attachment:
    """The course's dates as a file to send, e.g. from a course card."""
    return Attachment(
        filename=f"{course.id}.ics",
        mime_type="text/calendar",
        data=course_calendar(course, t, now),
    )
