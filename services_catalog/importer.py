"""Importing catalogue files: plan what changes, then write all of it in one transaction or nothing.

The plan compares the incoming records with the database record by record (texts with the status
they would get), so an admin sees exactly what will be added, changed and retired before anything
is written, and an export imported again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from services_catalog import changes
from services_catalog.models import CatalogueRevision, Course, OwnerKind, Service
from services_catalog.readers import read_csv, read_yaml
from services_catalog.records import (
    COURSE_TEXT_PATHS,
    SERVICE_TEXT_PATHS,
    CatalogueError,
    InvalidCatalogue,
    course_texts,
    pool_texts,
    service_texts,
)
from services_catalog.snapshot import (
    Catalogue,
    Stored,
    read_stored,
    retire,
    store_course,
    store_provider,
    store_region,
    store_service,
    utcnow,
)
from services_catalog.suggest import quoted, valid_choices
from services_catalog.topics import sync_topics
from services_catalog.translations import TextEntry, resolved_entries

Kind = Literal["region", "provider", "service", "course"]
KINDS: tuple[Kind, ...] = ("region", "provider", "service", "course")


@dataclass(frozen=True)
class Change:
    kind: Kind
    id: str
    fields: tuple[str, ...] = ()  # for changes: the top-level fields that differ


@dataclass
class Plan:
    incoming: Catalogue
    stored: Stored
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    retired: list[Change] = field(default_factory=list)
    # Active entries of the incoming regions that the input leaves out, kept because retiring
    # them was not asked for: a one-row CSV must not retire a region's other services.
    left_out: list[Change] = field(default_factory=list)
    restored: list[Change] = field(default_factory=list)  # retired ids the input brings back

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)


def bump_revision(session: Session, now: datetime) -> None:
    """Tell every cache (router index, menus) that the catalogue changed."""
    revision = session.get(CatalogueRevision, 1) or CatalogueRevision(id=1, revision=0)
    revision.revision += 1
    revision.changed_at = now
    session.add(revision)


def _resolved(
    record: Any,
    texts: Callable[[Any], dict[str, dict[str, TextEntry] | None]],
    kind: str,
    stored: Stored,
) -> dict[str, Any]:
    """Each text field as the database would hold it after the write (with its status)."""
    rows = stored.texts[kind]
    resolved: dict[str, Any] = {}
    for name, value in texts(record).items():
        entries = resolved_entries(rows.get((record.id, name), {}), value) if value else {}
        resolved[name] = {lang: entry.model_dump(mode="json") for lang, entry in entries.items()}
    return resolved


def _comparable(kind: Kind, record: Any, stored: Stored) -> dict[str, Any]:
    """The record as flat fields, texts as they would be stored, so a comparison is exact."""
    if kind == "service":
        data = record.model_dump(mode="json", exclude=SERVICE_TEXT_PATHS)
        data |= _resolved(record, service_texts, OwnerKind.SERVICE, stored)
        pool = _resolved(record, pool_texts, OwnerKind.POOL, stored)
        return data | {f"interpreter_pool.{name}": value for name, value in pool.items()}
    if kind == "course":
        data = record.model_dump(mode="json", exclude=COURSE_TEXT_PATHS)
        return data | _resolved(record, course_texts, OwnerKind.COURSE, stored)
    return record.model_dump(mode="json")


def _differing_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in new if old.get(name) != new[name])


def _reference_errors(
    incoming: Catalogue, stored: Stored, retiring: set[str]
) -> list[CatalogueError]:
    errors = []
    regions = set(incoming.regions) | set(stored.catalogue.regions)
    providers = set(incoming.providers) | set(stored.catalogue.providers)
    services = (set(incoming.services) | set(stored.catalogue.services)) - retiring
    for service in incoming.services.values():
        where = incoming.origins.get(("service", service.id), "")
        if service.region not in regions:
            errors.append(
                CatalogueError(
                    where,
                    f"service {service.id}",
                    "region",
                    f"unknown region {quoted(service.region)}; "
                    f"{valid_choices(service.region, regions)}",
                )
            )
        if service.provider and service.provider not in providers:
            errors.append(
                CatalogueError(
                    where,
                    f"service {service.id}",
                    "provider",
                    f"unknown provider {quoted(service.provider)}; "
                    f"{valid_choices(service.provider, providers)}",
                )
            )
        if service.id in stored.retired_courses or service.id in stored.catalogue.courses:
            errors.append(
                CatalogueError(where, f"service {service.id}", "id", "already used by a course")
            )
    errors += _nationwide_off_errors(incoming, stored)
    for course in incoming.courses.values():
        where = incoming.origins.get(("course", course.id), "")
        if course.service not in services:
            errors.append(
                CatalogueError(
                    where,
                    f"course {course.id}",
                    "service",
                    f"unknown service {quoted(course.service)}; "
                    f"{valid_choices(course.service, services)}",
                )
            )
        if course.id in stored.retired_services or course.id in stored.catalogue.services:
            errors.append(
                CatalogueError(where, f"course {course.id}", "id", "already used by a service")
            )
    return errors


def _nationwide_off_errors(incoming: Catalogue, stored: Stored) -> list[CatalogueError]:
    """A region may switch off only services of the nationwide layer."""
    regions = stored.catalogue.regions | incoming.regions
    services = stored.catalogue.services | incoming.services
    nationwide = sorted(
        service.id
        for service in services.values()
        if service.region in regions and regions[service.region].nationwide
    )
    errors = []
    for region in incoming.regions.values():
        where = incoming.origins.get(("region", region.slug), "")
        for position, service_id in enumerate(region.nationwide_off):
            if service_id not in nationwide:
                errors.append(
                    CatalogueError(
                        where,
                        f"region {region.slug}",
                        f"nationwide_off[{position}]",
                        f"not a nationwide service {quoted(service_id)}; "
                        f"{valid_choices(service_id, nationwide)}",
                    )
                )
    return errors


def make_plan(
    session: Session,
    incoming: Catalogue,
    *,
    retire_missing: bool = False,
    courses_complete: bool = True,
) -> Plan:
    """Compare ``incoming`` with the database; raises ``InvalidCatalogue`` on broken references.

    Services (and, when ``courses_complete``, courses) of the incoming regions that the input no
    longer lists are retired with ``retire_missing`` (a region file is then the whole truth for its
    region); without it they are listed in ``left_out`` and stay.
    """
    stored = read_stored(session)
    plan = Plan(incoming, stored)
    current = stored.catalogue
    tables = {
        "region": (incoming.regions, current.regions),
        "provider": (incoming.providers, current.providers),
        "service": (incoming.services, current.services),
        "course": (incoming.courses, current.courses),
    }
    for kind in KINDS:
        new_records, old_records = tables[kind]
        for key in sorted(new_records):
            new, old = new_records[key], old_records.get(key)
            if old is None:
                plan.added.append(Change(kind, key))
                if key in _retired_ids(stored, kind):
                    plan.restored.append(Change(kind, key))
                continue
            before, after = _comparable(kind, old, stored), _comparable(kind, new, stored)
            if before != after:
                plan.changed.append(Change(kind, key, _differing_fields(before, after)))
    missing = plan.retired if retire_missing else plan.left_out
    leaving: set[str] = set()
    scope = set(incoming.regions)
    for key, service in sorted(current.services.items()):
        if service.region in scope and key not in incoming.services:
            leaving.add(key)
            missing.append(Change("service", key))
    for key, course in sorted(current.courses.items()):
        if key in incoming.courses:
            continue
        owner = current.services.get(course.service)
        in_scope = courses_complete and owner is not None and owner.region in scope
        if course.service in leaving or in_scope:
            missing.append(Change("course", key))
    errors = _reference_errors(incoming, stored, leaving if retire_missing else set())
    if errors:
        raise InvalidCatalogue(errors)
    return plan


def _retired_ids(stored: Stored, kind: Kind) -> set[str]:
    if kind == "service":
        return stored.retired_services
    return stored.retired_courses if kind == "course" else set()


def _refused(change: Change, origin: str, error: Exception) -> InvalidCatalogue:
    """A write the database refused, as an input error naming the record instead of a crash."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return InvalidCatalogue(
        [
            CatalogueError(
                origin,
                f"{change.kind} {change.id}",
                "",
                f"the database refused it: {reason[0] if reason else type(error).__name__}",
            )
        ]
    )


def apply_plan(
    session: Session, plan: Plan, now: datetime | None = None
) -> list[changes.CourseChanged]:
    """Write the plan; returns the course changes to publish once the transaction has committed."""
    if plan.empty:
        return []
    now = now or utcnow()
    sync_topics(session, now)
    records = plan.incoming
    writers: dict[Kind, Callable[[str], None]] = {
        "region": lambda key: store_region(session, records.regions[key]),
        "provider": lambda key: store_provider(session, records.providers[key]),
        "service": lambda key: store_service(session, records.services[key], plan.stored, now),
        "course": lambda key: store_course(session, records.courses[key], plan.stored, now),
    }
    for kind in KINDS:
        for change in plan.added + plan.changed:
            if change.kind == kind:
                try:
                    writers[kind](change.id)
                    session.flush()
                except (SQLAlchemyError, ValueError, OverflowError) as error:
                    origin = records.origins.get((kind, change.id), "")
                    raise _refused(change, origin, error) from error
    published = [
        changes.CourseChanged(change.id, "changed")
        for change in plan.changed
        if change.kind == "course"
    ]
    for change in plan.retired:
        retire(session, Course if change.kind == "course" else Service, change.id, now)
        if change.kind == "course":
            published.append(changes.CourseChanged(change.id, "retired"))
    bump_revision(session, now)
    session.flush()
    return published


def read_input(session: Session, path: Path) -> tuple[Catalogue, bool]:
    """The records in ``path`` and whether they are complete for courses (YAML) or not (CSV)."""
    if not path.exists():
        raise InvalidCatalogue([CatalogueError(str(path), "", "", "no such file or directory")])
    if path.is_file() and path.suffix.lower() == ".csv":
        return read_csv(path, read_stored(session).catalogue), False
    return read_yaml(path), True


def import_path(
    engine: Engine, path: Path, *, dry_run: bool = False, retire_missing: bool = False
) -> Plan:
    """Check and import ``path`` in one transaction.

    With ``dry_run`` the plan is written and rolled back, so a dry run (and ``validate``) meets
    every limit the database sets, exactly as the real import would.
    """
    with Session(engine, expire_on_commit=False) as session:
        try:
            incoming, complete = read_input(session, path)
            plan = make_plan(
                session, incoming, retire_missing=retire_missing, courses_complete=complete
            )
            if dry_run:
                apply_plan(session, plan)
                session.rollback()
                return plan
            commit_plan(session, plan)
        except BaseException:
            session.rollback()
            raise
    return plan


def commit_plan(session: Session, plan: Plan) -> None:
    """Write the plan, commit, then tell listeners about course changes (now readable)."""
    published = apply_plan(session, plan)
    session.commit()
    for change in published:
        changes.publish(change)
