"""The catalogue's tables.

Translatable text lives in one table, ``CatalogueText``, keyed by owner and field, with one row per
language and a status each (as Integreat tracks translation status per translation). The German
row is the source; a translation remembers the hash of the source it was made from, so an edited
source marks it outdated without anyone having to remember.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class TextStatus(StrEnum):
    SOURCE = "source"  # the German original
    CURRENT = "current"  # a person's translation of the current source
    MACHINE = "machine"  # machine-made, not yet checked by a person
    OUTDATED = "outdated"  # its source changed after it was translated


class OwnerKind(StrEnum):
    TOPIC = "topic"
    SERVICE = "service"
    COURSE = "course"
    POOL = "pool"


class CourseKind(StrEnum):
    INTEGRATION_COURSE = "integration_course"
    JOB_LANGUAGE_COURSE = "job_language_course"
    WOMEN_PARENTS_COURSE = "women_parents_course"
    LITERACY_COURSE = "literacy_course"
    YOUTH_COURSE = "youth_course"
    LANGUAGE_CAFE = "language_cafe"


def json_column() -> Any:
    return Field(default=None, sa_column=Column(JSON))


class Region(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    name: str
    timezone: str = "Europe/Berlin"
    state: str | None = None  # the Land (ISO 3166-2:DE code without "DE-"): its public holidays
    postcodes: list[str] | None = json_column()
    aliases: list[str] | None = json_column()  # names people type: other scripts, spellings
    languages: list[str] | None = json_column()  # interface languages it offers, shown first
    source: str | None = None
    nationwide: bool = False  # the layer of offers reachable from anywhere, not a place
    nationwide_off: list[str] | None = json_column()  # nationwide services not shown here


class Topic(SQLModel, table=True):
    """One of the fixed topics; names live in ``CatalogueText`` (owner kind ``topic``)."""

    slug: str = Field(primary_key=True)
    position: int


class Provider(SQLModel, table=True):
    """A Träger: the organisation behind services."""

    id: str = Field(primary_key=True)
    name: str
    website: str | None = None
    source: str | None = None


class Service(SQLModel, table=True):
    """A counselling service or offer in one region. Texts: title, description, cost, notes."""

    id: str = Field(primary_key=True)
    region_id: int = Field(foreign_key="region.id", index=True)
    provider_id: str | None = Field(default=None, foreign_key="provider.id")
    min_age: int | None = None
    max_age: int | None = None
    women_only: bool = False
    languages: list[str] | None = json_column()
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    online_counselling: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    district: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    opening_hours: dict[str, Any] | None = json_column()
    appointment_needed: bool | None = None
    appointment_url: str | None = None
    temporarily_closed: bool | None = None
    closed_until: date | None = None
    barrier_free: bool | None = None
    source: str
    external_id: str | None = Field(default=None, unique=True)  # e.g. "integreat:augsburg/1234"
    verified: date | None = None
    valid_until: date | None = None
    retired_at: datetime | None = None


class ServiceTopic(SQLModel, table=True):
    service_id: str = Field(foreign_key="service.id", primary_key=True)
    topic_slug: str = Field(foreign_key="topic.slug", primary_key=True, index=True)


class Course(SQLModel, table=True):
    """A language course with its dates. Texts: title, cost."""

    id: str = Field(primary_key=True)
    service_id: str = Field(foreign_key="service.id", index=True)
    kind: str
    level: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    weekdays: list[str] | None = json_column()
    session_start: time | None = None
    session_end: time | None = None
    location: dict[str, Any] | None = json_column()
    seats_total: int | None = None
    seats_free: int | None = None
    registration_deadline: date | None = None
    childcare: bool = False
    instruction_language: str | None = None
    example: bool = False
    source: str
    external_id: str | None = Field(default=None, unique=True)
    verified: date | None = None
    retired_at: datetime | None = None


class InterpreterPool(SQLModel, table=True):
    """A Sprachmittler pool. ``members`` is internal data the chat never shows. Texts: rules."""

    service_id: str = Field(foreign_key="service.id", primary_key=True)
    coordination_chat: str | None = None
    languages: list[str] | None = json_column()
    members: list[dict[str, Any]] | None = json_column()


class CatalogueText(SQLModel, table=True):
    """One user-facing text in one language."""

    __table_args__ = (UniqueConstraint("owner_kind", "owner_id", "field", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_kind: str = Field(index=True)
    owner_id: str = Field(index=True)
    field: str
    lang: str
    text: str
    status: str
    source_hash: str
    updated_at: datetime


class CatalogueRevision(SQLModel, table=True):
    """A counter bumped on every catalogue change, so indexes know when to rebuild."""

    id: int = Field(default=1, primary_key=True)
    revision: int = 0
    changed_at: datetime | None = None
