"""A course's .ics file, read back the way a calendar app reads it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from bot.i18n import translator
from bot.reminders.ics import course_calendar
from services_catalog.views import Address
from tests.reminders.conftest import COURSE

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def read(course=COURSE, lang: str = "en") -> Calendar:  # type: ignore[no-untyped-def]
    return Calendar.from_ical(course_calendar(course, translator(lang), NOW))


def test_weekly_sessions_are_one_recurring_event_in_the_regions_time_zone() -> None:
    course = replace(
        COURSE, location=Address(street="Am Kabutzenhof 20a", postcode="18057", city="Rostock")
    )
    calendar = read(course)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    sessions, deadline = calendar.walk("VEVENT")

    start = sessions.decoded("DTSTART")
    assert start == datetime(2027, 3, 22, 9, 0, tzinfo=BERLIN)
    assert sessions["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert sessions.decoded("DTEND").time() == time(12, 0)
    assert str(sessions["LOCATION"]) == "Am Kabutzenhof 20a, 18057 Rostock"
    rule = sessions["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE"]

    occurrences = list(rrulestr(rule.to_ical().decode(), dtstart=start))
    assert len(occurrences) == 12  # Mondays and Wednesdays, 22 March to 28 April
    utc = [o.astimezone(UTC).time() for o in occurrences]
    assert utc[:2] == [time(8, 0), time(8, 0)]  # 09:00 winter time
    assert utc[2:] == [time(7, 0)] * 10  # 09:00 summer time, from Monday 29 March
    assert {o.astimezone(BERLIN).time() for o in occurrences} == {time(9, 0)}

    assert deadline.decoded("DTSTART") == date(2027, 3, 15)
    assert str(deadline["SUMMARY"]) == "Registration deadline: Integrationskurs"


def test_an_open_ended_course_repeats_without_an_end_and_titles_follow_the_language() -> None:
    cafe = replace(COURSE, end_date=None, registration_deadline=None, title="Sprachcafé")
    [sessions] = read(cafe, "ar").walk("VEVENT")
    assert "UNTIL" not in sessions["RRULE"]
    assert str(sessions["SUMMARY"]) == "Sprachcafé"


def test_a_course_without_session_times_gets_its_start_as_a_whole_day() -> None:
    plain = replace(COURSE, weekdays=(), session_start=None, session_end=None)
    start, deadline = read(plain, "de").walk("VEVENT")
    assert start.decoded("DTSTART") == date(2027, 3, 22)
    assert str(start["SUMMARY"]) == "Kursbeginn: Integrationskurs"
    assert str(deadline["SUMMARY"]) == "Anmeldeschluss: Integrationskurs"
