"""What reminders, notices and announcements say, in the reader's language.

Times are shown in the course region's time zone and formatted by Babel for the reader's locale.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from sqlmodel import Session

from bot.core.dialogue.cards import course_name, marked_example
from bot.core.messages import Option, Reply, Span, Style
from bot.i18n import Translator
from bot.reminders.schedule import WEEKDAYS, Kind, What
from services_catalog.models import Course, OwnerKind
from services_catalog.texts import Localizer, load_texts
from services_catalog.views import Address, CourseView

BUTTON_PREFIX = "rem"
MAX_VALUE_BYTES = 64
LIST = f"{BUTTON_PREFIX}:list"


def button(*parts: str) -> str | None:
    """A button value for this feature, or None when it would not fit the 64-byte limit."""
    value = ":".join((BUTTON_PREFIX, *parts))
    return value if len(value.encode()) <= MAX_VALUE_BYTES else None


def course_title(session: Session, course_id: str, t: Translator) -> str | None:
    """The course's title, also for a retired course (whose view is gone), marked when it is an
    invented example."""
    titles = load_texts(session, OwnerKind.COURSE, [course_id])[course_id]["title"]
    title = Localizer(t.lang).pick(titles, "title")
    course = session.get(Course, course_id)
    return marked_example(title, course.example, t) if title and course else title


def when(t: Translator, moment: datetime, zone: str) -> str:
    """A day and time as the region's clocks show it, e.g. "Monday, 11 January 2027, 08:30"."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{t.date(local.date(), 'full')}, {t.time(local.time())}"


def address_line(address: Address | None) -> str | None:
    if address is None:
        return None
    place = " ".join(part for part in (address.postcode, address.city) if part)
    line = ", ".join(part for part in (address.street, place) if part)
    return line or None


def what_items(t: Translator, what: What) -> str:
    """The chosen kinds of reminder as a list in running text."""
    names = {
        What.DEADLINE: t.gettext("the registration deadline"),
        What.START: t.gettext("the course start"),
        What.DAY_BEFORE: t.gettext("the evening before each session"),
        What.HOUR_BEFORE: t.gettext("one hour before each session"),
    }
    return t.list([name for flag, name in names.items() if flag in what])


def describe_dates(t: Translator, course: CourseView) -> str:
    """The course's dates in a few short lines."""
    lines = []
    if course.registration_deadline:
        lines.append(
            t.gettext("Registration until: {date}").format(
                date=t.date(course.registration_deadline, "full")
            )
        )
    if course.start_date:
        lines.append(t.gettext("Starts: {date}").format(date=t.date(course.start_date, "full")))
    if course.end_date:
        lines.append(t.gettext("Ends: {date}").format(date=t.date(course.end_date, "full")))
    if course.weekdays and course.session_start:
        names = get_day_names("wide", locale=t.locale)
        days = t.list([names[WEEKDAYS.index(day)] for day in course.weekdays if day in WEEKDAYS])
        hours = t.time(course.session_start)
        if course.session_end:
            hours = f"{hours}–{t.time(course.session_end)}"
        lines.append(t.gettext("Sessions: {days}, {hours}").format(days=days, hours=hours))
    return "\n".join(lines)


def stop_option(t: Translator, course_id: str) -> list[Option]:
    value = button("del", course_id)
    return [Option(t.gettext("Stop these reminders"), value)] if value else []


def reminder_reply(
    t: Translator, kind: Kind, course: CourseView, event_at: datetime | None
) -> Reply:
    """A reminder about a deadline, a course start or a session."""
    title = course_name(course, t)
    if kind == Kind.DEADLINE and course.registration_deadline:
        text = t.gettext("Reminder: you can register for “{title}” until {date}.").format(
            title=title, date=t.date(course.registration_deadline, "full")
        )
    elif kind == Kind.START and event_at is not None:
        text = t.gettext("Reminder: “{title}” starts on {when}.").format(
            title=title, when=when(t, event_at, course.timezone)
        )
    elif event_at is not None:
        text = t.gettext("Reminder: “{title}” takes place on {when}.").format(
            title=title, when=when(t, event_at, course.timezone)
        )
    else:
        text = t.gettext("Reminder: “{title}”").format(title=title)
    spans = [Span(text)]
    place = address_line(course.location)
    if place:
        spans.append(Span("\n" + t.gettext("Place: {place}").format(place=place)))
    return Reply(spans=spans, options=stop_option(t, course.id), lang=t.lang)


def changed_reply(t: Translator, course: CourseView) -> Reply:
    """The notice that a course's dates changed and the reminders moved with them."""
    text = t.gettext(
        "The dates of “{title}” have changed. Your reminders now follow the new dates."
    ).format(title=course_name(course, t))
    spans = [Span(text)]
    dates = describe_dates(t, course)
    if dates:
        spans.append(Span("\n\n" + dates))
    options = [Option(t.gettext("My reminders"), LIST)]
    ics = button("ics", course.id)
    if ics:
        options.append(Option(t.gettext("Add to calendar (.ics)"), ics))
    return Reply(spans=spans, options=options, lang=t.lang)


def cancelled_reply(t: Translator, title: str) -> Reply:
    """The notice that a course no longer takes place."""
    text = t.gettext(
        "“{title}” has been cancelled. Your reminders for it have been removed."
    ).format(title=title)
    return Reply.text(text, lang=t.lang)


def announcement_reply(t: Translator, title: str | None, message: str) -> Reply:
    """An admin's message to subscribers, under a heading in the reader's language."""
    if title:
        heading = t.gettext("A message about your course “{title}”:").format(title=title)
    else:
        heading = t.gettext("A message about your courses:")
    return Reply(spans=[Span(heading, Style.BOLD), Span("\n" + message)], lang=t.lang)
