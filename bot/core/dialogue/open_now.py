"""Whether a service is open right now, and when it closes or opens next.

Computed from the catalogue's weekly hours in the region's time zone, so the answer is right on
both sides of a daylight-saving change, and with the public holidays of the region's Land (they
differ between Länder: Reformation Day in Mecklenburg-Vorpommern, All Saints' Day in
Rhineland-Palatinate). A day the catalogue gives no hours for is unknown, never taken as closed:
then nothing is said rather than something wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from bot.core.dialogue.hours import DAYS
from bot.i18n import Translator

LOOK_AHEAD_DAYS = 14
"""How far ahead the next opening is looked for (two weeks cover a holiday-heavy week)."""


@dataclass(frozen=True)
class Slot:
    start: time
    end: time


@lru_cache(maxsize=64)
def _holidays(state: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=state, years=year)


def is_holiday(day: date, state: str | None) -> bool:
    """A public holiday in the Land ``state`` (nationwide holidays when no Land is known)."""
    return day in _holidays(state, day.year)


def _slots(hours: dict[str, Any], day: date) -> list[Slot] | None:
    """The day's opening slots; ``[]`` for a closed day, None when the catalogue does not say."""
    spans = hours.get(DAYS[day.weekday()])
    if spans == "closed":
        return []
    if not isinstance(spans, list):
        return None
    slots = []
    for span in spans:
        start, _, end = str(span).partition("-")
        try:
            slots.append(Slot(time.fromisoformat(start.strip()), time.fromisoformat(end.strip())))
        except ValueError:
            return None
    return sorted(slots, key=lambda slot: slot.start)


def _next_opening(
    hours: dict[str, Any], today: date, state: str | None
) -> tuple[date, time] | None:
    """The first slot start after today, as long as every day on the way is known."""
    for ahead in range(1, LOOK_AHEAD_DAYS + 1):
        day = today + timedelta(days=ahead)
        slots = _slots(hours, day)
        if slots is None:
            return None
        if slots and not is_holiday(day, state):
            return day, slots[0].start
    return None


def _opens(t: Translator, today: date, found: tuple[date, time] | None) -> str | None:
    if found is None:
        return None
    day, start = found
    at = t.time(start)
    if day == today + timedelta(days=1):
        return t.gettext("opens tomorrow at {time}").format(time=at)
    if day - today < timedelta(days=7):
        weekday = t.locale.days["format"]["wide"][day.weekday()]
        return t.gettext("opens {day} at {time}").format(day=weekday, time=at)
    return t.gettext("opens on {date} at {time}").format(date=t.date(day, "medium"), time=at)


def status(
    hours: dict[str, Any] | None,
    now: datetime,
    timezone: str,
    state: str | None,
    t: Translator,
) -> str | None:
    """ "Open now, closes at 16:00", "Closed now, opens Monday at 09:00", or None when the
    catalogue's hours do not allow a true answer."""
    if not hours:
        return None
    local = now.astimezone(ZoneInfo(timezone))
    today, clock = local.date(), local.time().replace(tzinfo=None)
    slots = _slots(hours, today)
    if slots is None:
        return None
    if is_holiday(today, state):
        opens = _opens(t, today, _next_opening(hours, today, state))
        if opens is None:
            return t.gettext("Closed today (public holiday).")
        return t.gettext("Closed today (public holiday), {opens}.").format(opens=opens)
    for slot in slots:
        if slot.start <= clock < slot.end:
            return t.gettext("Open now, closes at {time}.").format(time=t.time(slot.end))
        if clock < slot.start:
            return t.gettext("Closed now, opens today at {time}.").format(time=t.time(slot.start))
    opens = _opens(t, today, _next_opening(hours, today, state))
    if opens is None:
        return t.gettext("Closed now.")
    return t.gettext("Closed now, {opens}.").format(opens=opens)
