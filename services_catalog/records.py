"""The catalogue's records as files hold them, validated with pydantic.

The same models check YAML, CSV and command-line input, so every error reads alike:
``file: record: field: message``.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from services_catalog.languages import LANGUAGES, SOURCE_LANGUAGE
from services_catalog.models import CourseKind
from services_catalog.topics import TOPIC_SLUGS
from services_catalog.translations import TextEntry

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_SLOT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")


@dataclass(frozen=True)
class CatalogueError:
    """One problem in the input, located precisely enough to fix it without searching."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.record, self.field, self.message]
        return ": ".join(part for part in parts if part)


class InvalidCatalogue(Exception):
    """Input with errors; nothing was written."""

    def __init__(self, errors: list[CatalogueError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"'{value}' is not an id: use a-z, 0-9 and '-' only")
    return value


def _lang(value: str) -> str:
    if not isinstance(value, str) or not _LANG.match(value):
        raise ValueError(f"'{value}' is not an ISO 639 language code (two or three small letters)")
    return value


def _interface_languages(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ValueError("write a list of language codes, like [de, ar, ps]")
    for position, code in enumerate(value):
        if code not in LANGUAGES:
            raise ValueError(f"[{position}] '{code}' is not one of {', '.join(LANGUAGES)}")
    if len(set(value)) != len(value):
        raise ValueError("a language is listed twice")
    return value


def _topic(value: str) -> str:
    if value not in TOPIC_SLUGS:
        raise ValueError(f"unknown topic '{value}'")
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{value}'") from None
    return value


def _degrees(limit: int) -> Any:
    def check(value: float) -> float:
        if not -limit <= value <= limit:
            raise ValueError(
                f"{value} is not a coordinate: WGS84 degrees between -{limit} and {limit}"
            )
        return value

    return check


def _quoted_time(value: Any) -> Any:
    if isinstance(value, int):
        raise ValueError('write times in quotes, like "08:30"')
    return value


def _day(value: Any) -> Any:
    """A weekday's hours: "closed" or a list of slots like "09:00-12:00"."""
    if value is None or value == "closed":
        return value
    if not isinstance(value, list):
        raise ValueError('write "closed" or a list of times like ["09:00-12:00"]')
    for slot in value:
        if not isinstance(slot, str) or not _SLOT.match(slot):
            raise ValueError(f"'{slot}' is not a time slot like \"09:00-12:00\"")
        start, end = slot.split("-")
        if start >= end:
            raise ValueError(f"'{slot}' ends before it starts")
    return value


def _aliases(value: Any) -> Any:
    """Other names of a region as people type them; one list, each name once."""
    if not isinstance(value, list):
        raise ValueError("write a list of names, like [Росток, Rostok]")
    seen: set[str] = set()
    for position, name in enumerate(value):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"[{position}] is not a name: write the name as text")
        if name.strip().casefold() in seen:
            raise ValueError(f"'{name}' is listed twice")
        seen.add(name.strip().casefold())
    return [name.strip() for name in value]


def _translated(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("needs a text per language, like {de: ..., en: ...}")
    for lang in value:
        if lang not in LANGUAGES:
            raise ValueError(f"'{lang}' is not one of the languages {', '.join(LANGUAGES)}")
    if not value.get(SOURCE_LANGUAGE):
        raise ValueError("the German text (de) is missing")
    return {lang: {"text": e} if isinstance(e, str) else e for lang, e in value.items()}


Slug = Annotated[str, AfterValidator(_slug)]
Lang = Annotated[str, AfterValidator(_lang)]
TopicSlug = Annotated[str, AfterValidator(_topic)]
Translated = Annotated[dict[str, TextEntry], BeforeValidator(_translated)]
Clock = Annotated[time, BeforeValidator(_quoted_time)]
Day = Annotated[list[str] | str | None, BeforeValidator(_day)]
Aliases = Annotated[list[str], BeforeValidator(_aliases)]
InterfaceLanguages = Annotated[list[str] | None, BeforeValidator(_interface_languages)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegionRecord(Record):
    slug: Slug
    name: NonEmpty
    timezone: Annotated[str, AfterValidator(_timezone)] = "Europe/Berlin"
    postcodes: list[str] = []
    aliases: Aliases = []
    languages: InterfaceLanguages = None
    source: str | None = None


class ProviderRecord(Record):
    id: Slug
    name: NonEmpty
    website: str | None = None
    source: str | None = None


class TargetGroup(Record):
    min_age: Annotated[int, Field(ge=0, le=130)] | None = None
    max_age: Annotated[int, Field(ge=0, le=130)] | None = None
    women_only: bool = False
    notes: Translated | None = None

    @model_validator(mode="after")
    def _ages_in_order(self) -> TargetGroup:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self


class Contact(Record):
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    online_counselling: str | None = None


class AddressRecord(Record):
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    district: str | None = None
    latitude: Annotated[float, AfterValidator(_degrees(90))] | None = None
    longitude: Annotated[float, AfterValidator(_degrees(180))] | None = None

    @model_validator(mode="after")
    def _both_coordinates(self) -> AddressRecord:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class OpeningHours(Record):
    by_appointment: bool = False
    mon: Day = None
    tue: Day = None
    wed: Day = None
    thu: Day = None
    fri: Day = None
    sat: Day = None
    sun: Day = None
    note: Translated | None = None


class PoolMember(Record):
    languages: list[Lang]
    qualification: Literal["volunteer", "professional"]


class PoolRecord(Record):
    rules: Translated | None = None
    coordination_chat: str | None = None
    languages: list[Lang] = []
    members: list[PoolMember] = []


class ServiceRecord(Record):
    id: Slug
    region: Slug | None = None  # from the file name in YAML, a column in CSV
    provider: Slug | None = None
    topics: Annotated[list[TopicSlug], Field(min_length=1)]
    title: Translated
    description: Translated | None = None
    target_group: TargetGroup = TargetGroup()
    languages: list[Lang] = []
    cost: Translated | None = None
    contact: Contact = Contact()
    address: AddressRecord = AddressRecord()
    opening_hours: OpeningHours | None = None
    appointment_needed: bool | None = None
    barrier_free: bool | None = None
    interpreter_pool: PoolRecord | None = None
    source: NonEmpty
    verified: date | None = None
    valid_until: date | None = None

    @field_validator("topics")
    @classmethod
    def _topics_once_in_menu_order(cls, topics: list[str]) -> list[str]:
        if len(set(topics)) != len(topics):
            raise ValueError("a topic is listed twice")
        return sorted(topics, key=TOPIC_SLUGS.index)


class Sessions(Record):
    weekdays: list[Literal[WEEKDAYS]] = []  # type: ignore[valid-type]
    start: Clock | None = None
    end: Clock | None = None


class CourseRecord(Record):
    id: Slug
    service: Slug
    kind: CourseKind
    level: str | None = None
    title: Translated
    start_date: date | None = None
    end_date: date | None = None
    sessions: Sessions | None = None
    location: AddressRecord | None = None
    seats_total: Annotated[int, Field(ge=0)] | None = None
    seats_free: Annotated[int, Field(ge=0)] | None = None
    registration_deadline: date | None = None
    childcare: bool = False
    cost: Translated | None = None
    instruction_language: Lang | None = None
    example: bool = False
    source: NonEmpty
    verified: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CourseRecord:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if (
            self.seats_total is not None
            and self.seats_free is not None
            and self.seats_free > self.seats_total
        ):
            raise ValueError("seats_free is above seats_total")
        return self


# The text fields inside a record, for comparing everything else separately.
SERVICE_TEXT_PATHS: dict[str, Any] = {
    "title": True,
    "description": True,
    "cost": True,
    "target_group": {"notes"},
    "opening_hours": {"note"},
    "interpreter_pool": {"rules"},
}
COURSE_TEXT_PATHS: dict[str, Any] = {"title": True, "cost": True}


def service_texts(record: ServiceRecord) -> dict[str, dict[str, TextEntry] | None]:
    """A service's text fields under the names the text table uses."""
    return {
        "title": record.title,
        "description": record.description,
        "cost": record.cost,
        "target_notes": record.target_group.notes,
        "opening_hours_note": record.opening_hours.note if record.opening_hours else None,
    }


def course_texts(record: CourseRecord) -> dict[str, dict[str, TextEntry] | None]:
    return {"title": record.title, "cost": record.cost}


def pool_texts(record: ServiceRecord) -> dict[str, dict[str, TextEntry] | None]:
    pool = record.interpreter_pool
    return {"rules": pool.rules if pool else None}


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def validation_errors(file: str, record: str, error: ValidationError) -> list[CatalogueError]:
    """pydantic's errors, one per field, in the catalogue's words."""
    found: dict[str, CatalogueError] = {}
    for detail in error.errors():
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "missing"
        elif detail["type"] == "extra_forbidden":
            message = "unknown field"
        field = _location(detail["loc"])
        found.setdefault(field, CatalogueError(file, record, field, message))
    return list(found.values())


def record_label(kind: str, data: Any, position: int) -> str:
    """'service rostock-mbe-awo', or 'service #3' when the id is missing."""
    if isinstance(data, dict) and isinstance(data.get("id" if kind != "region" else "slug"), str):
        return f"{kind} {data['id' if kind != 'region' else 'slug']}"
    return f"{kind} #{position}"
