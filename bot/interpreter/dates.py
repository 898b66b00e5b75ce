"""The days of a request: a typed appointment day, the pools' "today", when a request ends.

A typed day is "12.3.", "12/03/2026", "2026-03-12", in any script's digits: day before month, as
people in Germany and most launch languages write it. A day without a year is its next
occurrence; a day in the past or more than a year ahead is not accepted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.interpreter.models import InterpreterRequest, When

LOCAL_ZONE = ZoneInfo("Europe/Berlin")
"""The pools are German; "today" and "next week" are their days."""

_DAY_FIRST = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\s*[./-]\s*(\d{2}|\d{4}))?\.?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
HORIZON = timedelta(days=366)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_day(text: str, today: date) -> date | None:
    """The day the text names, when it is today or within a year; else None."""
    text = text.strip()
    iso = _ISO.fullmatch(text)
    if iso:
        found = _day(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    else:
        match = _DAY_FIRST.fullmatch(text)
        if match is None:
            return None
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if year is None:
            found = _day(today.year, month, day)
            if found is not None and found < today:
                found = _day(today.year + 1, month, day)
        else:
            found = _day(int(year) + (2000 if len(year) == 2 else 0), month, day)
    if found is None or found < today or found > today + HORIZON:
        return None
    return found


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_ZONE).date()


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week ``day`` is in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def last_day(request: InterpreterRequest) -> date | None:
    """The last day the appointment can be on; None when it is not fixed yet."""
    if request.when_date is not None:
        return request.when_date
    asked = local_day(request.created_at)
    if request.when_choice == When.THIS_WEEK:
        return week_of(asked)[1]
    if request.when_choice == When.NEXT_WEEK:
        return week_of(asked + timedelta(days=7))[1]
    return None


def day_passed(day: date) -> datetime:
    """The moment ``day`` is over in the pools' time zone (midnight after it)."""
    return datetime.combine(day + timedelta(days=1), time(), LOCAL_ZONE)
