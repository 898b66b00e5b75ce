"""The parts of Integreat's API v3 responses the import reads, checked field by field.

Integreat's API is read-only public JSON (digitalfabrik/integreat-cms, ``api/v3``). Only the
fields used are declared; others are ignored, so additions on their side do not break imports,
while a changed type of a field we rely on is an error that names the item and field.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Item(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Language(Item):
    code: str


class RegionInfo(Item):
    name: str
    plz: str | None = None


class Category(Item):
    id: int
    name: str


class Place(Item):
    """The address part of a location (and the place of an event)."""

    id: int | None = None
    address: str | None = None
    town: str | None = None
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class TimeSlot(Item):
    start: str
    end: str


class Day(Item):
    """One weekday of a location's opening hours; Integreat lists seven, Monday first (the
    camel-case names are Integreat's)."""

    allDay: bool = False
    closed: bool = False
    appointmentOnly: bool = False
    timeSlots: list[TimeSlot] = []


class ContactPerson(Item):
    """An entry of ``contacts``: only the ways to reach the place are read, never names."""

    email: str | None = None
    phone_number: str | None = None
    website: str | None = None


class Organization(Item):
    id: int
    slug: str
    name: str
    website: str | None = None


class Translated(Item):
    """What every location and event carries in each of its languages."""

    id: int  # the translation's id
    url: str
    title: str
    last_updated: datetime
    excerpt: str = ""
    machine_translated: bool | None = None  # not every instance publishes it


class Location(Translated):
    """One location (POI) in one language."""

    website: str | None = None
    email: str | None = None
    phone_number: str | None = None
    contacts: list[ContactPerson] = []
    category: Category | None = None
    temporarily_closed: bool = False
    opening_hours: list[Day] | None = Field(default=None, min_length=7, max_length=7)
    appointment_url: str | None = None
    location: Place
    organization: Organization | None = None
    barrier_free: bool | None = None


class EventTimes(Item):
    id: int
    start: datetime
    end: datetime
    all_day: bool = False


class Event(Translated):
    """One event in one language (with ``combine_recurring``: a recurring event once)."""

    location: Place | None = None
    event: EventTimes
    recurrence_rule: str | None = None
