"""Read-only views of catalogue entries in one language, as the bot and the CLI show them.

``fallback_fields`` names the texts shown in German because their translation is missing, so a
reader can tell (and say) that it fell back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from services_catalog.places import Point


@dataclass(frozen=True)
class Address:
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    district: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    approximate: Point | None = None  # the postcode's centroid, when there are no coordinates

    @property
    def has_coordinates(self) -> bool:
        """Exact coordinates, good enough for a map."""
        return self.latitude is not None and self.longitude is not None

    @property
    def point(self) -> Point | None:
        """Where the place is for measuring distances: exact, else approximately."""
        if self.latitude is not None and self.longitude is not None:
            return Point(self.latitude, self.longitude)
        return self.approximate


@dataclass(frozen=True)
class ServiceView:
    id: str
    region_slug: str
    topics: tuple[str, ...]
    title: str
    description: str | None
    provider_name: str | None
    cost: str | None
    target_notes: str | None
    min_age: int | None
    max_age: int | None
    women_only: bool
    languages: tuple[str, ...]
    phone: str | None
    email: str | None
    website: str | None
    online_counselling: str | None
    address: Address
    opening_hours: dict[str, Any] | None
    opening_hours_note: str | None
    appointment_needed: bool | None
    barrier_free: bool | None
    source: str
    verified: date | None
    valid_until: date | None
    is_interpreter_pool: bool = False
    fallback_fields: frozenset[str] = field(default_factory=frozenset)
    timezone: str = "Europe/Berlin"  # the region's: opening hours are local times
    state: str | None = None  # the region's Land: its public holidays
    appointment_url: str | None = None
    temporarily_closed: bool = False
    closed_until: date | None = None
    provider_website: str | None = None
    nationwide: bool = False  # from the region-independent layer, reachable from anywhere

    def closed_on(self, today: date) -> bool:
        """Temporarily closed on ``today``; the closure ends the day ``closed_until`` names."""
        return self.temporarily_closed and (self.closed_until is None or today < self.closed_until)


@dataclass(frozen=True)
class CourseView:
    id: str
    service_id: str
    region_slug: str
    timezone: str
    kind: str
    level: str | None
    title: str
    start_date: date | None
    end_date: date | None
    weekdays: tuple[str, ...]
    session_start: time | None
    session_end: time | None
    location: Address | None
    seats_total: int | None
    seats_free: int | None
    registration_deadline: date | None
    childcare: bool
    cost: str | None
    instruction_language: str | None
    example: bool
    source: str
    fallback_fields: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PoolView:
    """What the chat may say about an interpreter pool; its members stay internal."""

    service_id: str
    region_slug: str
    languages: tuple[str, ...]
    rules: str | None
    coordination_chat: str | None
    fallback_fields: frozenset[str] = field(default_factory=frozenset)
