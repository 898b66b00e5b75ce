"""Integreat's opening hours, recurrence rules and texts as Wegweiser holds them."""

from __future__ import annotations

import pytest

from services_catalog.integreat.convert import (
    appointment_needed,
    opening_hours,
    plain_text,
    weekly_rule,
)
from services_catalog.integreat.schema import Day


def _days(*days: dict) -> list[Day]:
    return [Day.model_validate(day) for day in days]


CLOSED = {"closed": True}
BY_APPOINTMENT = {"appointmentOnly": True}


def test_a_week_openappointment_needed_needs_an_appointment() -> None:
    days = _days(*[BY_APPOINTMENT] * 5, CLOSED, CLOSED)

    hours = opening_hours(days)

    assert hours == {"by_appointment": True, "sat": "closed", "sun": "closed"}
    assert appointment_needed(days) is True


def test_a_week_with_one_appointment_day_says_so_but_does_not_demand_one() -> None:
    slot = {"timeSlots": [{"start": "08:30:00", "end": "12:00:00"}]}
    days = _days(slot, slot, {**slot, **BY_APPOINTMENT}, {"allDay": True}, slot, CLOSED, CLOSED)

    hours = opening_hours(days)

    assert hours is not None and hours["mon"] == ["08:30-12:00"]
    assert hours["thu"] == ["00:00-23:59"] and hours["by_appointment"] is True
    assert appointment_needed(days) is None


def test_hours_past_midnight_continue_the_next_morning() -> None:
    night = {"timeSlots": [{"start": "18:00", "end": "08:00"}]}
    evening = {"timeSlots": [{"start": "20:00", "end": "00:00"}]}
    days = _days(night, CLOSED, CLOSED, CLOSED, CLOSED, evening, night)

    hours = opening_hours(days)

    assert hours == {
        "by_appointment": False,
        "mon": ["00:00-08:00", "18:00-23:59"],
        "tue": ["00:00-08:00"],
        "wed": "closed",
        "thu": "closed",
        "fri": "closed",
        "sat": ["20:00-23:59"],
        "sun": ["18:00-23:59"],
    }


def test_no_opening_hours_stay_unknown() -> None:
    assert opening_hours(None) is None
    assert appointment_needed(None) is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", (["mon", "wed"], None)),
        ("DTSTART:20270105T150000Z\nRRULE:FREQ=WEEKLY", ([], None)),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "it does not repeat every week"),
        ("FREQ=MONTHLY;BYDAY=1MO", "it does not repeat every week"),
    ],
)
def test_only_weekly_rules_become_course_sessions(rule: str, expected: object) -> None:
    assert weekly_rule(rule) == expected


def test_excerpts_lose_entities_and_blank_lines() -> None:
    assert (
        plain_text("Termine &amp; Infos\n\n   nach   Absprache \n")
        == "Termine & Infos\nnach Absprache"
    )
    assert plain_text(" \n ") is None
