"""Adding, editing and retiring single services and courses, for admins without a text editor.

Edits go through the same validation and plan as an import, so a command-line edit marks
translations outdated, bumps the catalogue revision and tells listeners about course changes
exactly as an edited file would. Apply a plan with ``importer.commit_plan``, which publishes the
``CourseChanged`` notices once the change is committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlmodel import Session

from services_catalog.importer import Change, Plan, bump_revision, make_plan
from services_catalog.models import Course, Service
from services_catalog.records import (
    CatalogueError,
    CourseRecord,
    InvalidCatalogue,
    ServiceRecord,
    validation_errors,
)
from services_catalog.snapshot import Catalogue, Stored, read_stored

EntryKind = Literal["service", "course"]
MODELS: dict[str, type[ServiceRecord] | type[CourseRecord]] = {
    "service": ServiceRecord,
    "course": CourseRecord,
}


def deep_merge(base: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """``updates`` over ``base``, mapping by mapping, so ``title.en`` leaves ``title.de`` alone."""
    merged = dict(base)
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted field (``contact.phone``) in nested mappings, creating them as needed."""
    *parents, last = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
        if not isinstance(data, dict):
            raise InvalidCatalogue([CatalogueError("command line", "", path, "not a mapping")])
    data[last] = value


def _retired(stored: Stored, kind: EntryKind) -> set[str]:
    return stored.retired_services if kind == "service" else stored.retired_courses


def _validate(kind: EntryKind, data: dict[str, Any], origin: str) -> Any:
    label = f"{kind} {data.get('id', '')}".strip()
    try:
        return MODELS[kind].model_validate(data)
    except ValidationError as error:
        raise InvalidCatalogue(validation_errors(origin, label, error, MODELS[kind])) from None


def _plan_one(session: Session, kind: EntryKind, record: Any) -> Plan:
    incoming = Catalogue()
    _records_of(incoming, kind)[record.id] = record
    incoming.origins[(kind, record.id)] = "command line"
    return make_plan(session, incoming, retire_missing=False)


def _records_of(catalogue: Catalogue, kind: EntryKind) -> dict[str, Any]:
    return catalogue.services if kind == "service" else catalogue.courses


def plan_add(session: Session, kind: EntryKind, data: dict[str, Any], origin: str) -> Plan:
    """A new service or course; its id must never have been used (ids are never reused)."""
    stored = read_stored(session)
    entry_id = data.get("id")
    retired = stored.retired_services | stored.retired_courses
    if entry_id in retired:
        was = "service" if entry_id in stored.retired_services else "course"
        raise InvalidCatalogue(
            [
                CatalogueError(
                    origin,
                    f"{kind} {entry_id}",
                    "id",
                    f"this id belongs to a retired {was} (ids are never reused); bring it back "
                    f"with `wegweiser catalogue restore {was} {entry_id}`, or choose a new id",
                )
            ]
        )
    if entry_id in set(stored.catalogue.services) | set(stored.catalogue.courses):
        raise InvalidCatalogue(
            [CatalogueError(origin, f"{kind} {entry_id}", "id", "this id is already used")]
        )
    return _plan_one(session, kind, _validate(kind, data, origin))


def restore(session: Session, kind: EntryKind, entry_id: str, now: datetime) -> None:
    """Bring back a retired entry as it was when it was retired (its courses stay retired)."""
    model = Service if kind == "service" else Course
    entry = session.get(model, entry_id)
    label = f"{kind} {entry_id}"
    if entry is None:
        raise InvalidCatalogue([CatalogueError("", label, "", "does not exist")])
    if entry.retired_at is None:
        raise InvalidCatalogue([CatalogueError("", label, "", "is not retired")])
    if isinstance(entry, Course):
        owner = session.get(Service, entry.service_id)
        if owner is None or owner.retired_at is not None:
            raise InvalidCatalogue(
                [
                    CatalogueError(
                        "",
                        label,
                        "service",
                        f"its service {entry.service_id} is retired; restore that first",
                    )
                ]
            )
    entry.retired_at = None
    session.add(entry)
    bump_revision(session, now)


def current_record(session: Session, kind: EntryKind, entry_id: str) -> Any:
    """The active record, or ``InvalidCatalogue`` saying why there is none."""
    stored = read_stored(session)
    record = _records_of(stored.catalogue, kind).get(entry_id)
    if record is None:
        if entry_id in _retired(stored, kind):
            reason = (
                f"is retired; bring it back with `wegweiser catalogue restore {kind} {entry_id}`"
            )
        else:
            reason = "does not exist"
        raise InvalidCatalogue([CatalogueError("", f"{kind} {entry_id}", "", reason)])
    return record


def plan_edit(
    session: Session, kind: EntryKind, entry_id: str, updates: dict[str, Any], origin: str
) -> Plan:
    """The entry with ``updates`` merged in; untouched translations of changed German texts
    become outdated when the plan is applied."""
    record = current_record(session, kind, entry_id)
    if updates.get("id", entry_id) != entry_id:
        raise InvalidCatalogue(
            [CatalogueError(origin, f"{kind} {entry_id}", "id", "ids cannot be changed")]
        )
    merged = deep_merge(record.model_dump(mode="json"), updates)
    return _plan_one(session, kind, _validate(kind, merged, origin))


def plan_retire(session: Session, kind: EntryKind, entry_id: str) -> Plan:
    """Retire an entry; a retired service takes its courses with it."""
    current_record(session, kind, entry_id)
    stored = read_stored(session)
    plan = Plan(Catalogue(), stored)
    plan.retired.append(Change(kind, entry_id))
    if kind == "service":
        for course in sorted(stored.catalogue.courses.values(), key=lambda c: c.id):
            if course.service == entry_id:
                plan.retired.append(Change("course", course.id))
    return plan
