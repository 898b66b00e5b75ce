"""The catalogue's records as files hold them, validated with pydantic.

The same models check YAML, CSV and command-line input, so every error reads alike:
``file: record: field: message``.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import holidays
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import shortnumberinfo
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from services_catalog import languages
from services_catalog.languages import LANGUAGES, SOURCE_LANGUAGE
from services_catalog.models import CourseKind
from services_catalog.suggest import quoted, valid_choices
from services_catalog.topics import TOPIC_SLUGS
from services_catalog.translations import TextEntry

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_SLOT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_COORDINATION_CHAT = re.compile(
    r"^(?:telegram:-?[1-9]\d{0,19}|matrix:![^\s:]+:[A-Za-z0-9.-]+(?::\d+)?)$"
)
# Characters no catalogue text needs and some databases refuse (PostgreSQL refuses NUL).
_FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# Longest texts (in characters) a record may hold, so one card stays within a few chat messages
# (Telegram allows 4,096 characters in one).
MAX_PLAIN_TEXT = 500  # names, streets, sources, addresses and any field without its own limit
MAX_TITLE = 200
MAX_DESCRIPTION = 6000
MAX_NOTE = 1000
MAX_URL = 500
TEXT_LIMITS = {"title": MAX_TITLE, "description": MAX_DESCRIPTION, "rules": MAX_DESCRIPTION}
# Whole numbers beyond this fit no database column (PostgreSQL INTEGER).
MAX_INTEGER = 2**31 - 1
MAX_SEATS = 10_000


@dataclass(frozen=True)
class CatalogueError:
    """One problem in the input, located precisely enough to fix it without searching."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file, self.record, self.field, self.message]
        return ": ".join(_cut(part) for part in parts if part)


def _cut(text: str, limit: int = 400) -> str:
    """One part of an error line, short and printable, so a hostile value cannot flood or break
    the terminal."""
    text = _FORBIDDEN_CHARACTERS.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class InvalidCatalogue(Exception):
    """Input with errors; nothing was written."""

    def __init__(self, errors: list[CatalogueError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def _slug(value: str) -> str:
    if len(value) > 100 or not _SLUG.match(value):
        raise ValueError(f"{quoted(value)} is not an id: use a-z, 0-9 and '-' only (at most 100)")
    return value


def _lang(value: str) -> str:
    if not isinstance(value, str) or not _LANG.match(value):
        raise ValueError(
            f"{quoted(value)} is not an ISO 639 language code (two or three small letters)"
        )
    return value


def text_language(value: Any) -> str:
    """A language a catalogue text may be written in: only those the bot can show."""
    if value not in languages.LANGUAGES:
        choices = ", ".join(languages.LANGUAGES)
        raise ValueError(f"{quoted(value)} is not a catalogue language; use one of {choices}")
    return value


def _interface_languages(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise ValueError("write a list of language codes, like [de, ar, ps]")
    for position, code in enumerate(value):
        if code not in LANGUAGES:
            raise ValueError(f"[{position}] {quoted(code)} is not one of {', '.join(LANGUAGES)}")
    if len(set(value)) != len(value):
        raise ValueError("a language is listed twice")
    return value


def _topic(value: str) -> str:
    if value not in TOPIC_SLUGS:
        raise ValueError(f"unknown topic {quoted(value)}; {valid_choices(value, TOPIC_SLUGS)}")
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {quoted(value)}") from None
    return value


def _date(value: Any) -> Any:
    """ISO dates as files hold them, and the German day.month.year an admin types."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        iso, german = _ISO_DATE.match(text), _GERMAN_DATE.match(text)
        try:
            if iso:
                return date(int(iso[1]), int(iso[2]), int(iso[3]))
            if german:
                return date(int(german[3]), int(german[2]), int(german[1]))
        except ValueError:
            raise ValueError(f"{quoted(value)} is not a day of the calendar") from None
    raise ValueError(f"{quoted(value)} is not a date: write 2027-12-31 or 31.12.2027")


# Records read back from the database were checked when they came in; reading them again must not
# fail because a rule was tightened since. Readers pass this context to skip the input checks.
STORED = {"stored": True}


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _web_url(value: str, info: ValidationInfo) -> str:
    """Only web addresses: a ``javascript:`` or ``file:`` link must never reach a card."""
    if _stored(info):
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in value:
        raise ValueError(f"{quoted(value)} is not a web address: write it like https://example.org")
    return value


_EUROPEAN_HELPLINE = re.compile(r"116 ?\d{3}")


def _phone(value: str, info: ValidationInfo) -> str:
    """A number that can be dialled in Germany, including short numbers like 116 117 and the
    European 116 range of helplines (116 016), which the phone number data does not all list."""
    if _stored(info) or _EUROPEAN_HELPLINE.fullmatch(value):
        return value
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not (
        phonenumbers.is_valid_number(number) or shortnumberinfo.is_valid_short_number(number)
    ):
        raise ValueError(
            f"{quoted(value)} is not a phone number: write it like 0381 1234567 or +49 381 1234567"
        )
    return value


def _email(value: str, info: ValidationInfo) -> str:
    if _stored(info):
        return value
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"{quoted(value)} is not an e-mail address: {error}") from None
    return value


def _coordination_chat(value: str, info: ValidationInfo) -> str:
    """Where requests go; a typo would silently send them to the default chat instead."""
    if not _stored(info) and not _COORDINATION_CHAT.match(value):
        raise ValueError(
            f"{quoted(value)} is not a chat address: write telegram:-100… (the group's id) "
            "or matrix:!room:server"
        )
    return value


def _plain_values(value: Any) -> None:
    """Checks every text and number, however nested, against what a database column holds."""
    if isinstance(value, str):
        if _FORBIDDEN_CHARACTERS.search(value):
            raise ValueError("contains a control character (such as NUL); remove it")
        if len(value) > MAX_PLAIN_TEXT:
            raise ValueError(f"is {len(value)} characters long; at most {MAX_PLAIN_TEXT} fit")
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            raise ValueError(f"{quoted(str(value), 30)} is too large a number")
    elif isinstance(value, list | tuple):
        for item in value:
            _plain_values(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _plain_values(key)
            _plain_values(item)


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
        text_language(lang)
    if not value.get(SOURCE_LANGUAGE):
        raise ValueError("the German text (de) is missing")
    return {lang: {"text": e} if isinstance(e, str) else e for lang, e in value.items()}


def text_problem(text: str, limit: int) -> str | None:
    """Why a text cannot be stored (a control character, too long), or None."""
    if _FORBIDDEN_CHARACTERS.search(text):
        return "contains a control character (such as NUL); remove it"
    if len(text) > limit:
        return f"is {len(text)} characters long; at most {limit} are allowed"
    return None


def _text_limit(limit: int) -> Any:
    def check(value: dict[str, TextEntry], info: ValidationInfo) -> dict[str, TextEntry]:
        if _stored(info):
            return value
        for lang, entry in value.items():
            problem = text_problem(entry.text, limit)
            if problem:
                raise ValueError(f"{lang}: {problem}")
        return value

    return check


def text_limit(field: str) -> int:
    """The longest text a field of the text table (``title``, ``target_notes``, …) may hold."""
    return TEXT_LIMITS.get(field, MAX_NOTE)


def translated(limit: int) -> Any:
    """A text per catalogue language, each at most ``limit`` characters."""
    return Annotated[
        dict[str, TextEntry], BeforeValidator(_translated), AfterValidator(_text_limit(limit))
    ]


Slug = Annotated[str, AfterValidator(_slug)]
Lang = Annotated[str, AfterValidator(_lang)]
TopicSlug = Annotated[str, AfterValidator(_topic)]
Title = translated(MAX_TITLE)
Description = translated(MAX_DESCRIPTION)
Note = translated(MAX_NOTE)
CatalogueDate = Annotated[date, BeforeValidator(_date)]
Clock = Annotated[time, BeforeValidator(_quoted_time)]
Day = Annotated[list[str] | str | None, BeforeValidator(_day)]
Aliases = Annotated[list[str], BeforeValidator(_aliases)]
InterfaceLanguages = Annotated[list[str] | None, BeforeValidator(_interface_languages)]
NonEmpty = Annotated[str, Field(min_length=1)]
WebUrl = Annotated[str, Field(max_length=MAX_URL), AfterValidator(_web_url)]
Phone = Annotated[str, Field(max_length=50), AfterValidator(_phone)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
CoordinationChat = Annotated[str, AfterValidator(_coordination_chat)]


class Record(BaseModel):
    """Every record refuses unknown fields, and texts or numbers no database column can hold."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _fits_the_database(cls, value: Any, info: ValidationInfo) -> Any:
        if not _stored(info):
            _plain_values(value)
        return value


def _state(value: str) -> str:
    """A German Land by its ISO 3166-2 code, as its public holidays are known by."""
    lands = [code for code in holidays.Germany.subdivisions if len(code) == 2]
    if value not in lands:
        raise ValueError(f"'{value}' is not a German Land; use one of {', '.join(lands)}")
    return value


class RegionRecord(Record):
    slug: Slug
    name: NonEmpty
    timezone: Annotated[str, AfterValidator(_timezone)] = "Europe/Berlin"
    state: Annotated[str, AfterValidator(_state)] | None = None
    postcodes: list[str] = []
    aliases: Aliases = []
    languages: InterfaceLanguages = None
    source: str | None = None
    nationwide: bool = False  # the region-independent layer: offers reachable from anywhere
    nationwide_off: list[Slug] = []  # nationwide services this region does not show

    @model_validator(mode="after")
    def _nationwide_has_no_place(self) -> RegionRecord:
        if self.nationwide and (self.postcodes or self.state):
            raise ValueError("a nationwide region has no postcodes and no state")
        if self.nationwide and self.nationwide_off:
            raise ValueError("nationwide_off belongs in a local region's file")
        if len(set(self.nationwide_off)) != len(self.nationwide_off):
            raise ValueError("nationwide_off lists a service twice")
        return self


class ProviderRecord(Record):
    id: Slug
    name: NonEmpty
    website: WebUrl | None = None
    source: str | None = None


class TargetGroup(Record):
    min_age: Annotated[int, Field(ge=0, le=130)] | None = None
    max_age: Annotated[int, Field(ge=0, le=130)] | None = None
    women_only: bool = False
    notes: Note | None = None

    @model_validator(mode="after")
    def _ages_in_order(self) -> TargetGroup:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age is above max_age")
        return self


class Contact(Record):
    phone: Phone | None = None
    email: Email | None = None
    website: WebUrl | None = None
    online_counselling: WebUrl | None = None


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
    note: Note | None = None


class PoolMember(Record):
    languages: list[Lang]
    qualification: Literal["volunteer", "professional"]


class PoolRecord(Record):
    rules: Description | None = None
    coordination_chat: CoordinationChat | None = None
    languages: list[Lang] = []
    members: list[PoolMember] = []


class ServiceRecord(Record):
    id: Slug
    region: Slug | None = None  # from the file name in YAML, a column in CSV
    provider: Slug | None = None
    topics: Annotated[list[TopicSlug], Field(min_length=1)]
    title: Title
    description: Description | None = None
    target_group: TargetGroup = TargetGroup()
    languages: list[Lang] = []
    cost: Note | None = None
    contact: Contact = Contact()
    address: AddressRecord = AddressRecord()
    opening_hours: OpeningHours | None = None
    appointment_needed: bool | None = None
    appointment_url: str | None = None
    temporarily_closed: bool | None = None
    closed_until: date | None = None
    barrier_free: bool | None = None
    interpreter_pool: PoolRecord | None = None
    source: NonEmpty
    external_id: str | None = None  # the entry's id in the system it is imported from
    verified: CatalogueDate | None = None
    valid_until: CatalogueDate | None = None

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
    title: Title
    start_date: CatalogueDate | None = None
    end_date: CatalogueDate | None = None
    sessions: Sessions | None = None
    location: AddressRecord | None = None
    seats_total: Annotated[int, Field(ge=0, le=MAX_SEATS)] | None = None
    seats_free: Annotated[int, Field(ge=0, le=MAX_SEATS)] | None = None
    registration_deadline: CatalogueDate | None = None
    childcare: bool = False
    cost: Note | None = None
    instruction_language: Lang | None = None
    example: bool = False
    source: NonEmpty
    external_id: str | None = None
    verified: CatalogueDate | None = None

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


def _record_type(annotation: Any) -> type[BaseModel] | None:
    """The record class inside an annotation such as ``Contact | None`` or ``list[PoolMember]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _record_type(argument)
        if found is not None:
            return found
    return None


def _known_fields(model: type[BaseModel] | None, path: tuple[int | str, ...]) -> list[str]:
    """The field names a record (or the record nested at ``path``) accepts."""
    for part in path:
        if model is None:
            return []
        if isinstance(part, str):
            field = model.model_fields.get(part)
            model = _record_type(field.annotation) if field else None
    return list(model.model_fields) if model is not None else []


def validation_errors(
    file: str, record: str, error: ValidationError, model: type[BaseModel] | None = None
) -> list[CatalogueError]:
    """pydantic's errors, one per field, in the catalogue's words (with the valid fields of
    ``model`` after an unknown one)."""
    found: dict[str, CatalogueError] = {}
    for detail in error.errors():
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "missing":
            message = "missing"
        elif detail["type"] == "extra_forbidden":
            name = detail["loc"][-1]
            known = _known_fields(model, detail["loc"][:-1])
            message = "unknown field" + (f"; {valid_choices(name, known)}" if known else "")
        field = _location(detail["loc"])
        found.setdefault(field, CatalogueError(file, record, field, message))
    return list(found.values())


def record_label(kind: str, data: Any, position: int) -> str:
    """'service rostock-mbe-awo', or 'service #3' when the id is missing."""
    if isinstance(data, dict) and isinstance(data.get("id" if kind != "region" else "slug"), str):
        return f"{kind} {data['id' if kind != 'region' else 'slug']}"
    return f"{kind} #{position}"
