"""The catalogue in the database as records (to export and to compare), and records written back.

Import, export and the editing commands all go through these two directions, so a record means
the same thing whichever way it travels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, select

from services_catalog.languages import LANGUAGES
from services_catalog.models import (
    Course,
    InterpreterPool,
    OwnerKind,
    Provider,
    Region,
    Service,
    ServiceTopic,
)
from services_catalog.records import (
    STORED,
    CourseRecord,
    ProviderRecord,
    RegionRecord,
    ServiceRecord,
    course_texts,
    pool_texts,
    service_texts,
)
from services_catalog.translations import (
    FieldRows,
    TextEntry,
    load_rows,
    stored_entries,
    write_field,
)

TextRows = dict[tuple[str, str], FieldRows]


@dataclass
class Catalogue:
    """Records by id; ``origins`` says which file (and record) each came from, for messages."""

    regions: dict[str, RegionRecord] = field(default_factory=dict)
    providers: dict[str, ProviderRecord] = field(default_factory=dict)
    services: dict[str, ServiceRecord] = field(default_factory=dict)
    courses: dict[str, CourseRecord] = field(default_factory=dict)
    origins: dict[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class Stored:
    """The database's catalogue: active records plus the ids of retired entries."""

    catalogue: Catalogue
    retired_services: set[str]
    retired_courses: set[str]
    texts: dict[str, TextRows]  # owner kind -> rows


def utcnow() -> datetime:
    return datetime.now(UTC)


def _lang_order(lang: str) -> tuple[int, str]:
    return (
        LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES),
        lang,
    )


def _texts(rows: TextRows, owner_id: str, name: str) -> dict[str, Any] | None:
    field_rows = rows.get((owner_id, name))
    if not field_rows:
        return None
    entries = stored_entries(field_rows)
    return {lang: entries[lang].model_dump() for lang in sorted(entries, key=_lang_order)}


def _address(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return dict(data) if data else None


def read_stored(session: Session) -> Stored:
    """Everything in the catalogue tables as records."""
    texts = {kind: load_rows(session, kind) for kind in OwnerKind}
    service_rows, course_rows = texts[OwnerKind.SERVICE], texts[OwnerKind.COURSE]
    catalogue = Catalogue()
    region_slugs = {}
    for region in session.exec(select(Region)):
        region_slugs[region.id] = region.slug
        catalogue.regions[region.slug] = RegionRecord.model_validate(
            {
                "slug": region.slug,
                "name": region.name,
                "timezone": region.timezone,
                "state": region.state,
                "postcodes": region.postcodes or [],
                "aliases": region.aliases or [],
                "languages": region.languages or None,
                "source": region.source,
                "nationwide": region.nationwide,
                "nationwide_off": region.nationwide_off or [],
            },
            context=STORED,
        )
    for provider in session.exec(select(Provider)):
        catalogue.providers[provider.id] = ProviderRecord.model_validate(
            provider.model_dump(include={"id", "name", "website", "source"}), context=STORED
        )
    topics: dict[str, list[str]] = {}
    for link in session.exec(select(ServiceTopic)):
        topics.setdefault(link.service_id, []).append(link.topic_slug)
    pools = {pool.service_id: pool for pool in session.exec(select(InterpreterPool))}
    pool_rows = texts[OwnerKind.POOL]
    retired_services = set()
    for service in session.exec(select(Service)):
        if service.retired_at is not None:
            retired_services.add(service.id)
            continue
        hours = dict(service.opening_hours) if service.opening_hours is not None else None
        if hours is not None:
            hours["note"] = _texts(service_rows, service.id, "opening_hours_note")
        pool = pools.get(service.id)
        catalogue.services[service.id] = ServiceRecord.model_validate(
            {
                "id": service.id,
                "region": region_slugs[service.region_id],
                "provider": service.provider_id,
                "topics": topics.get(service.id, []),
                "title": _texts(service_rows, service.id, "title"),
                "description": _texts(service_rows, service.id, "description"),
                "target_group": {
                    "min_age": service.min_age,
                    "max_age": service.max_age,
                    "women_only": service.women_only,
                    "notes": _texts(service_rows, service.id, "target_notes"),
                },
                "languages": service.languages or [],
                "cost": _texts(service_rows, service.id, "cost"),
                "contact": {
                    "phone": service.phone,
                    "email": service.email,
                    "website": service.website,
                    "online_counselling": service.online_counselling,
                },
                "address": {
                    "street": service.street,
                    "postcode": service.postcode,
                    "city": service.city,
                    "district": service.district,
                    "latitude": service.latitude,
                    "longitude": service.longitude,
                },
                "opening_hours": hours,
                "appointment_needed": service.appointment_needed,
                "appointment_url": service.appointment_url,
                "temporarily_closed": service.temporarily_closed,
                "closed_until": service.closed_until,
                "barrier_free": service.barrier_free,
                "interpreter_pool": None
                if pool is None
                else {
                    "rules": _texts(pool_rows, service.id, "rules"),
                    "coordination_chat": pool.coordination_chat,
                    "languages": pool.languages or [],
                    "members": pool.members or [],
                },
                "source": service.source,
                "external_id": service.external_id,
                "verified": service.verified,
                "valid_until": service.valid_until,
            },
            context=STORED,
        )
    retired_courses = set()
    for course in session.exec(select(Course)):
        if course.retired_at is not None:
            retired_courses.add(course.id)
            continue
        sessions = None
        if course.weekdays or course.session_start or course.session_end:
            sessions = {
                "weekdays": course.weekdays or [],
                "start": course.session_start,
                "end": course.session_end,
            }
        catalogue.courses[course.id] = CourseRecord.model_validate(
            {
                **course.model_dump(
                    include={
                        "id",
                        "kind",
                        "level",
                        "start_date",
                        "end_date",
                        "seats_total",
                        "seats_free",
                        "registration_deadline",
                        "childcare",
                        "instruction_language",
                        "example",
                        "source",
                        "external_id",
                        "verified",
                    }
                ),
                "service": course.service_id,
                "title": _texts(course_rows, course.id, "title"),
                "cost": _texts(course_rows, course.id, "cost"),
                "sessions": sessions,
                "location": _address(course.location),
            },
            context=STORED,
        )
    return Stored(catalogue, retired_services, retired_courses, texts)


def _write_texts(
    session: Session,
    kind: str,
    owner_id: str,
    fields: dict[str, dict[str, TextEntry] | None],
    rows: TextRows,
    now: datetime,
) -> None:
    for name, value in fields.items():
        write_field(session, kind, owner_id, name, value, rows.get((owner_id, name), {}), now)


def store_region(session: Session, record: RegionRecord) -> None:
    region = session.exec(select(Region).where(Region.slug == record.slug)).first() or Region(
        slug=record.slug, name=record.name
    )
    region.name, region.timezone, region.state = record.name, record.timezone, record.state
    region.postcodes, region.source = list(record.postcodes), record.source
    region.aliases = list(record.aliases)
    region.languages = list(record.languages) if record.languages else None
    region.nationwide, region.nationwide_off = record.nationwide, list(record.nationwide_off)
    session.add(region)


def store_provider(session: Session, record: ProviderRecord) -> None:
    provider = session.get(Provider, record.id) or Provider(id=record.id, name=record.name)
    provider.name, provider.website, provider.source = record.name, record.website, record.source
    session.add(provider)


def store_service(session: Session, record: ServiceRecord, stored: Stored, now: datetime) -> None:
    """Insert or update a service with its topics, pool and texts; brings back a retired one."""
    region = session.exec(select(Region).where(Region.slug == record.region)).one()
    service = session.get(Service, record.id) or Service(
        id=record.id, region_id=region.id or 0, source=record.source
    )
    target, contact, address = record.target_group, record.contact, record.address
    hours = None
    if record.opening_hours is not None:
        hours = record.opening_hours.model_dump(mode="json", exclude={"note"}, exclude_none=True)
    values = {
        "region_id": region.id,
        "provider_id": record.provider,
        "min_age": target.min_age,
        "max_age": target.max_age,
        "women_only": target.women_only,
        "languages": list(record.languages),
        **contact.model_dump(),
        **address.model_dump(),
        "opening_hours": hours,
        "appointment_needed": record.appointment_needed,
        "appointment_url": record.appointment_url,
        "temporarily_closed": record.temporarily_closed,
        "closed_until": record.closed_until,
        "barrier_free": record.barrier_free,
        "source": record.source,
        "external_id": record.external_id,
        "verified": record.verified,
        "valid_until": record.valid_until,
        "retired_at": None,
    }
    for name, value in values.items():
        setattr(service, name, value)
    session.add(service)
    session.flush()

    wanted_topics = set(record.topics)
    for link in session.exec(select(ServiceTopic).where(ServiceTopic.service_id == record.id)):
        if link.topic_slug not in wanted_topics:
            session.delete(link)
        wanted_topics.discard(link.topic_slug)
    for slug in wanted_topics:
        session.add(ServiceTopic(service_id=record.id, topic_slug=slug))

    pool = session.get(InterpreterPool, record.id)
    spec = record.interpreter_pool
    if spec is None and pool is not None:
        session.delete(pool)
    elif spec is not None:
        pool = pool or InterpreterPool(service_id=record.id)
        pool.coordination_chat = spec.coordination_chat
        pool.languages = list(spec.languages)
        pool.members = [member.model_dump() for member in spec.members]
        session.add(pool)
    _write_texts(
        session,
        OwnerKind.SERVICE,
        record.id,
        service_texts(record),
        stored.texts[OwnerKind.SERVICE],
        now,
    )
    _write_texts(
        session, OwnerKind.POOL, record.id, pool_texts(record), stored.texts[OwnerKind.POOL], now
    )


def store_course(session: Session, record: CourseRecord, stored: Stored, now: datetime) -> None:
    course = session.get(Course, record.id) or Course(
        id=record.id, service_id=record.service, kind=record.kind, source=record.source
    )
    sessions = record.sessions
    values = {
        "service_id": record.service,
        "kind": record.kind.value,
        "level": record.level,
        "start_date": record.start_date,
        "end_date": record.end_date,
        "weekdays": list(sessions.weekdays) if sessions else None,
        "session_start": sessions.start if sessions else None,
        "session_end": sessions.end if sessions else None,
        "location": record.location.model_dump(exclude_none=True) if record.location else None,
        "seats_total": record.seats_total,
        "seats_free": record.seats_free,
        "registration_deadline": record.registration_deadline,
        "childcare": record.childcare,
        "instruction_language": record.instruction_language,
        "example": record.example,
        "source": record.source,
        "external_id": record.external_id,
        "verified": record.verified,
        "retired_at": None,
    }
    for name, value in values.items():
        setattr(course, name, value)
    session.add(course)
    _write_texts(
        session,
        OwnerKind.COURSE,
        record.id,
        course_texts(record),
        stored.texts[OwnerKind.COURSE],
        now,
    )


def retire(
    session: Session, model: type[Service] | type[Course], entry_id: str, now: datetime
) -> None:
    """Retired entries keep their rows (ids are never reused) but leave every list and card."""
    entry = session.get(model, entry_id)
    if entry is not None and entry.retired_at is None:
        entry.retired_at = now
        session.add(entry)
