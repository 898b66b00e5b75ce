"""Writing the catalogue back out in the shape the importer reads: export then import is a no-op."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from sqlmodel import Session

from services_catalog import yamlio
from services_catalog.languages import LANGUAGES
from services_catalog.readers import CSV_COLUMNS, CSV_TEXT_FIELDS
from services_catalog.records import ServiceRecord
from services_catalog.snapshot import Catalogue, read_stored


def _plain(value: Any) -> Any:
    """A record dump made readable: texts as plain strings when current, empty parts left out."""
    if isinstance(value, dict):
        if set(value) <= {"text", "status"} and "text" in value:
            status = value.get("status")
            if status in (None, "current"):
                return value["text"]
            return {"text": value["text"], "status": status}
        cleaned = {key: _plain(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, {})}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _dump(record: Any, **options: Any) -> dict[str, Any]:
    return _plain(record.model_dump(mode="json", exclude_none=True, **options))


def region_documents(catalogue: Catalogue) -> dict[str, str]:
    """Region slug -> the YAML text of its file."""
    slugs = sorted(catalogue.regions)
    providers: dict[str, list[str]] = {slug: [] for slug in slugs}
    placed: set[str] = set()
    for service in sorted(catalogue.services.values(), key=lambda s: (s.region or "", s.id)):
        if service.provider and service.provider not in placed and service.region in providers:
            providers[service.region].append(service.provider)
            placed.add(service.provider)
    if slugs:
        # Providers without services still belong somewhere, so that nothing is lost.
        providers[slugs[0]].extend(sorted(set(catalogue.providers) - placed))
    documents = {}
    for slug in slugs:
        services = sorted(
            (s for s in catalogue.services.values() if s.region == slug), key=lambda s: s.id
        )
        service_ids = {service.id for service in services}
        courses = sorted(
            (c for c in catalogue.courses.values() if c.service in service_ids),
            key=lambda c: c.id,
        )
        document: dict[str, Any] = {"region": _dump(catalogue.regions[slug])}
        if providers[slug]:
            document["providers"] = [
                _dump(catalogue.providers[key]) for key in sorted(providers[slug])
            ]
        if services:
            document["services"] = [_dump(s, exclude={"region"}) for s in services]
        if courses:
            document["courses"] = [_dump(c) for c in courses]
        documents[slug] = yamlio.dump(document)
    return documents


def export_yaml(session: Session, directory: Path) -> list[Path]:
    """One ``<region>.yaml`` per region in ``directory``; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for slug, text in region_documents(read_stored(session).catalogue).items():
        path = directory / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _csv_text(entries: dict[str, Any] | None, lang: str) -> str:
    entry = (entries or {}).get(lang)
    if entry is None:
        return ""
    if entry.status in (None, "current"):
        return entry.text
    return f"{entry.status}:{entry.text}"


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_row(service: ServiceRecord) -> dict[str, str]:
    row = {
        "id": service.id,
        "region": service.region or "",
        "provider": service.provider or "",
        "topics": ";".join(service.topics),
        "languages": ";".join(service.languages),
    }
    for name in CSV_TEXT_FIELDS:
        for lang in LANGUAGES:
            row[f"{name}_{lang}"] = _csv_text(getattr(service, name), lang)
    flat = {
        **service.contact.model_dump(),
        **service.address.model_dump(exclude={"district"}),
        "appointment_needed": service.appointment_needed,
        "barrier_free": service.barrier_free,
        "min_age": service.target_group.min_age,
        "max_age": service.target_group.max_age,
        "women_only": service.target_group.women_only,
        "source": service.source,
        "verified": service.verified,
        "valid_until": service.valid_until,
    }
    row.update({key: _csv_value(value) for key, value in flat.items()})
    return row


def csv_text(session: Session) -> str:
    """All active services as CSV, one row each, for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    services = read_stored(session).catalogue.services.values()
    for service in sorted(services, key=lambda s: (s.region or "", s.id)):
        writer.writerow(_csv_row(service))
    return buffer.getvalue()
