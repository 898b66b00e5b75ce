"""Bringing an Integreat conversion into the catalogue: update in place, keep local edits.

Each imported entry is found again by its external id. What the last import brought is kept
(``ImportedEntry``), so a field is taken from Integreat only where nobody changed it here since;
where both sides changed it, the local value stays and the field is reported as a conflict.
Entries that disappeared from Integreat are retired only when asked, as with file imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from services_catalog import changes
from services_catalog.importer import Change, Plan, apply_plan, make_plan
from services_catalog.integreat.convert import Conversion
from services_catalog.integreat.models import ImportedEntry
from services_catalog.models import Course, Service
from services_catalog.records import (
    CatalogueError,
    CourseRecord,
    InvalidCatalogue,
    RegionRecord,
    ServiceRecord,
)
from services_catalog.snapshot import Catalogue, read_stored, utcnow

# The fields Integreat fills; all others (verified, valid_until, languages, …) stay local.
SERVICE_FIELDS = (
    "provider",
    "topics",
    "title",
    "description",
    "contact",
    "address",
    "opening_hours",
    "appointment_needed",
    "appointment_url",
    "temporarily_closed",
    "barrier_free",
    "source",
    "external_id",
)
COURSE_FIELDS = (
    "service",
    "kind",
    "title",
    "start_date",
    "end_date",
    "sessions",
    "source",
    "external_id",
)


@dataclass(frozen=True)
class Conflict:
    """A field changed here and in Integreat since the last import; the local value was kept."""

    kind: str
    id: str
    field: str
    local: Any
    integreat: Any


@dataclass
class IntegreatPlan:
    region: str
    plan: Plan
    conversion: Conversion
    conflicts: list[Conflict] = field(default_factory=list)
    missing: list[Change] = field(default_factory=list)  # gone from Integreat, not retired
    retired_here: list[Change] = field(default_factory=list)  # retired by a person: stay so


def _take(
    kind: str,
    incoming: dict[str, Any],
    current: dict[str, Any],
    retired: set[str],
    known: tuple[dict[str, Any], tuple[str, ...], Any],
    conflicts: list[Conflict],
    retired_here: list[Change],
    belongs: Any = lambda record: True,
) -> dict[str, Any]:
    """The records of one kind to write: Integreat's, merged with local edits; one a person
    retired here (or whose service is not imported) stays out and is listed."""
    last, fields, model = known
    taken = {}
    for key, record in incoming.items():
        if not belongs(record) or (key in retired and record.external_id in last):
            retired_here.append(Change(kind, key))
            continue
        if key in current:
            before = last.get(record.external_id or "")
            record = model.model_validate(
                _merge(kind, current[key], record, before, fields, conflicts)
            )
        taken[key] = record
    return taken


def _merge(
    kind: str,
    current: Any,
    incoming: Any,
    last: dict[str, Any] | None,
    fields: tuple[str, ...],
    conflicts: list[Conflict],
) -> dict[str, Any]:
    """The record to write: Integreat's values where the local ones are as last imported."""
    merged = current.model_dump(mode="json")
    new = incoming.model_dump(mode="json")
    before = last if last is not None else merged
    for name in fields:
        local, theirs, imported = merged.get(name), new.get(name), before.get(name)
        if local in (imported, theirs):
            merged[name] = theirs
        elif theirs != imported:
            conflicts.append(Conflict(kind, current.id, name, local, theirs))
        # else: changed here only, so the local value stays
    return merged


def _foreign_ids(session: Session, catalogue: Catalogue) -> list[CatalogueError]:
    """Ids the import would take over although the entries there came from elsewhere."""
    errors = []
    for model, records in ((Service, catalogue.services), (Course, catalogue.courses)):
        rows = session.exec(select(model).where(col(model.id).in_(list(records))))
        for row in rows:
            if row.external_id != records[row.id].external_id:
                errors.append(
                    CatalogueError(
                        catalogue.origins.get((model.__name__.lower(), row.id), ""),
                        f"{model.__name__.lower()} {row.id}",
                        "id",
                        "already used by an entry that was not imported from there",
                    )
                )
    return errors


def _region(incoming: RegionRecord, stored: RegionRecord | None) -> RegionRecord:
    """Integreat's name; time zone, aliases and postcodes as kept here (Integreat has none)."""
    if stored is None:
        return incoming
    return incoming.model_copy(
        update={
            "timezone": stored.timezone,
            "aliases": stored.aliases,
            "postcodes": stored.postcodes or incoming.postcodes,
        }
    )


def _gone(current: Catalogue, incoming: Catalogue, prefix: str) -> list[Change]:
    """Imported entries Integreat no longer lists, with the courses of such services."""
    gone = [
        Change("service", key)
        for key, service in sorted(current.services.items())
        if (service.external_id or "").startswith(prefix) and key not in incoming.services
    ]
    gone_ids = {change.id for change in gone}
    return gone + [
        Change("course", key)
        for key, course in sorted(current.courses.items())
        if key not in incoming.courses
        and ((course.external_id or "").startswith(prefix) or course.service in gone_ids)
    ]


def plan_import(
    session: Session, conversion: Conversion, *, retire_missing: bool = False
) -> IntegreatPlan:
    """Compare the conversion with the database; nothing is written."""
    incoming = conversion.catalogue
    (region,) = incoming.regions
    errors = _foreign_ids(session, incoming)
    if errors:
        raise InvalidCatalogue(errors)
    stored = read_stored(session)
    current = stored.catalogue
    last = {entry.external_id: entry.imported for entry in session.exec(select(ImportedEntry))}
    conflicts: list[Conflict] = []
    merged = Catalogue(providers=dict(incoming.providers), origins=dict(incoming.origins))
    merged.regions[region] = _region(incoming.regions[region], current.regions.get(region))
    retired_here: list[Change] = []
    merged.services = _take(
        "service", incoming.services, current.services, stored.retired_services,
        (last, SERVICE_FIELDS, ServiceRecord), conflicts, retired_here,
    )  # fmt: skip
    merged.courses = _take(
        "course", incoming.courses, current.courses, stored.retired_courses,
        (last, COURSE_FIELDS, CourseRecord), conflicts, retired_here,
        belongs=lambda course: course.service in merged.services,
    )  # fmt: skip
    plan = make_plan(session, merged, retire_missing=False)
    result = IntegreatPlan(region, plan, conversion, conflicts, retired_here=retired_here)
    gone = _gone(current, incoming, f"integreat:{region}/")
    if retire_missing:
        plan.retired.extend(gone)
    else:
        result.missing = gone
    return result


def _track(session: Session, conversion: Conversion, now: datetime) -> None:
    """Remember what Integreat said this time, for the next import's comparison."""
    records: list[tuple[str, Any]] = [
        *(("service", record) for record in conversion.catalogue.services.values()),
        *(("course", record) for record in conversion.catalogue.courses.values()),
    ]
    for kind, record in records:
        imported = record.model_dump(mode="json")
        entry = session.get(ImportedEntry, record.external_id)
        if entry is not None and (entry.entry_id, entry.imported) == (record.id, imported):
            continue  # unchanged: imported_at keeps saying when Integreat last changed it
        entry = entry or ImportedEntry(
            external_id=record.external_id, kind=kind, entry_id=record.id
        )
        entry.entry_id, entry.imported, entry.imported_at = record.id, imported, now
        session.add(entry)


def _forget(session: Session, retired: list[Change]) -> None:
    """Entries retired because Integreat dropped them come back as new if it lists them again."""
    ids = [change.id for change in retired]
    for entry in session.exec(select(ImportedEntry).where(col(ImportedEntry.entry_id).in_(ids))):
        session.delete(entry)


def commit_import(session: Session, planned: IntegreatPlan, now: datetime | None = None) -> None:
    """Write the plan and what was imported in one transaction, then tell about course changes."""
    now = now or utcnow()
    published = apply_plan(session, planned.plan, now)
    _track(session, planned.conversion, now)
    _forget(session, planned.plan.retired)
    session.commit()
    for change in published:
        changes.publish(change)
