"""Catalogue files (a YAML directory, or CSV for spreadsheets) read into validated records.

Reading collects every error it finds instead of stopping at the first, so one run shows an admin
everything to fix.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from services_catalog import yamlio
from services_catalog.languages import LANGUAGES, LAUNCH_LANGUAGES
from services_catalog.records import (
    CatalogueError,
    CourseRecord,
    InvalidCatalogue,
    ProviderRecord,
    RegionRecord,
    ServiceRecord,
    record_label,
    validation_errors,
)
from services_catalog.snapshot import Catalogue
from services_catalog.translations import TextEntry

SECTIONS = ("region", "providers", "services", "courses")
CSV_TEXT_FIELDS = ("title", "description", "cost")
CSV_COLUMNS = (
    "id",
    "region",
    "provider",
    "topics",
    "languages",
    *(f"{name}_{lang}" for name in CSV_TEXT_FIELDS for lang in LANGUAGES),
    "phone",
    "email",
    "website",
    "online_counselling",
    "street",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "appointment_needed",
    "barrier_free",
    "min_age",
    "max_age",
    "women_only",
    "source",
    "verified",
    "valid_until",
)
OPTIONAL_CSV_COLUMNS = frozenset(
    f"{name}_{lang}"
    for name in CSV_TEXT_FIELDS
    for lang in LANGUAGES
    if lang not in LAUNCH_LANGUAGES
)
"""Text columns of the languages added after the launch: spreadsheets made before may lack them."""
STATUS_PREFIXES = ("machine:", "outdated:")


def read_text(path: Path, errors: list[CatalogueError]) -> str | None:
    """The file as UTF-8 text, or None with an error saying where the first bad byte is."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        errors.append(
            CatalogueError(
                path.name,
                "",
                "",
                f"not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}); "
                "save the file as UTF-8",
            )
        )
        return None


def _validate(
    model: type[BaseModel], data: Any, file: str, label: str, errors: list[CatalogueError]
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors.extend(validation_errors(file, label, error))
        return None


class _Collector:
    """Adds records to a catalogue, reporting ids used twice anywhere in the input."""

    def __init__(self) -> None:
        self.catalogue = Catalogue()
        self.errors: list[CatalogueError] = []
        self._owners: dict[str, tuple[str, str]] = {}  # id -> (kind, file) for services, courses

    def add(self, kind: str, record: Any, file: str) -> None:
        key = record.slug if kind == "region" else record.id
        table = {
            "region": self.catalogue.regions,
            "provider": self.catalogue.providers,
            "service": self.catalogue.services,
            "course": self.catalogue.courses,
        }[kind]
        field = "slug" if kind == "region" else "id"
        previous = self._owners.get(key) if kind in ("service", "course") else None
        if key in table or previous:
            where = self.catalogue.origins.get((kind, key)) or (previous[1] if previous else "")
            self.errors.append(
                CatalogueError(file, f"{kind} {key}", field, f"duplicate id, also used in {where}")
            )
            return
        if kind in ("service", "course"):
            self._owners[key] = (kind, file)
        table[key] = record
        self.catalogue.origins[(kind, key)] = file


def read_yaml(path: Path) -> Catalogue:
    """A directory of region files (or one file) as records; raises ``InvalidCatalogue``."""
    files = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    if not files:
        raise InvalidCatalogue([CatalogueError(str(path), "", "", "no .yaml files found")])
    collector = _Collector()
    errors = collector.errors
    for file in files:
        text = read_text(file, errors)
        if text is None:
            continue
        try:
            document = yamlio.load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            errors.append(CatalogueError(file.name, "", "", f"not valid YAML: {where}{problem}"))
            continue
        _read_document(file.name, document, collector)
    if errors:
        raise InvalidCatalogue(errors)
    return collector.catalogue


def _read_document(name: str, document: Any, collector: _Collector) -> None:
    errors = collector.errors
    if not isinstance(document, dict):
        errors.append(CatalogueError(name, "", "", "expected the sections region, services, …"))
        return
    for key in document:
        if key not in SECTIONS:
            errors.append(CatalogueError(name, "", str(key), "unknown section"))
    data = document.get("region")
    named = isinstance(data, dict) and isinstance(data.get("slug"), str)
    region = _validate(
        RegionRecord, data, name, record_label("region", data, 1) if named else "region", errors
    )
    if region is not None:
        collector.add("region", region, name)
    for kind, model in (("provider", ProviderRecord), ("service", ServiceRecord)):
        entries = document.get(f"{kind}s") or []
        if not isinstance(entries, list):
            errors.append(CatalogueError(name, "", f"{kind}s", "expected a list"))
            continue
        for position, data in enumerate(entries, start=1):
            label = record_label(kind, data, position)
            if kind == "service" and isinstance(data, dict):
                if "region" in data:
                    errors.append(
                        CatalogueError(name, label, "region", "comes from the region section")
                    )
                data = {**data, "region": region.slug if region else None}
            record = _validate(model, data, name, label, errors)
            if record is not None:
                collector.add(kind, record, name)
    courses = document.get("courses") or []
    if not isinstance(courses, list):
        errors.append(CatalogueError(name, "", "courses", "expected a list"))
        return
    for position, data in enumerate(courses, start=1):
        label = record_label("course", data, position)
        record = _validate(CourseRecord, data, name, label, errors)
        if record is not None:
            collector.add("course", record, name)


def _csv_text(value: str) -> TextEntry:
    for prefix in STATUS_PREFIXES:
        if value.startswith(prefix):
            return TextEntry(text=value.removeprefix(prefix).strip(), status=prefix[:-1])  # type: ignore[arg-type]
    return TextEntry(text=value)


def _csv_column(loc: str) -> str:
    """A record field path (``address.latitude``, ``title.en``) as the CSV column it came from."""
    parts = loc.split(".")
    if parts[0] in CSV_TEXT_FIELDS and len(parts) > 1:
        return f"{parts[0]}_{parts[1]}"
    if parts[0] in ("contact", "address", "target_group") and len(parts) > 1:
        return parts[1]
    return parts[0].split("[")[0]


def _csv_record(row: dict[str, str], existing: ServiceRecord | None) -> dict[str, Any]:
    cells = {key: (value or "").strip() or None for key, value in row.items()}
    base = existing.model_dump() if existing else {}
    texts = {}
    for name in CSV_TEXT_FIELDS:
        entries = {
            lang: _csv_text(cells[f"{name}_{lang}"])
            for lang in LANGUAGES
            if cells.get(f"{name}_{lang}")
        }
        texts[name] = entries or None
    target = base.get("target_group", {})
    address = base.get("address", {})
    return {
        **base,
        "id": cells["id"],
        "region": cells["region"],
        "provider": cells["provider"],
        "topics": [t.strip() for t in (cells["topics"] or "").split(";") if t.strip()],
        "languages": [t.strip() for t in (cells["languages"] or "").split(";") if t.strip()],
        **texts,
        "contact": {k: cells[k] for k in ("phone", "email", "website", "online_counselling")},
        "address": {
            **{k: cells[k] for k in ("street", "postcode", "city", "latitude", "longitude")},
            "district": address.get("district"),
        },
        "appointment_needed": cells["appointment_needed"],
        "barrier_free": cells["barrier_free"],
        "target_group": {
            "min_age": cells["min_age"],
            "max_age": cells["max_age"],
            "women_only": cells["women_only"] or False,
            "notes": target.get("notes"),
        },
        "source": cells["source"],
        "verified": cells["verified"],
        "valid_until": cells["valid_until"],
    }


def read_csv(path: Path, stored: Catalogue) -> Catalogue:
    """Services from a spreadsheet, one per row.

    Regions and providers must already exist; what CSV cannot hold (opening hours, pools, notes,
    district) is kept from the database for services that exist there.
    """
    errors: list[CatalogueError] = []
    text = read_text(path, errors)
    if text is None:
        raise InvalidCatalogue(errors)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in CSV_COLUMNS if c not in header and c not in OPTIONAL_CSV_COLUMNS]
    unknown = [column for column in header if column not in CSV_COLUMNS]
    errors.extend(CatalogueError(path.name, "", c, "missing column") for c in missing)
    errors.extend(CatalogueError(path.name, "", c, "unknown column") for c in unknown)
    if errors:
        raise InvalidCatalogue(errors)
    collector = _Collector()
    for number, row in enumerate(reader, start=2):
        label = f"row {number}" + (f" ({row['id']})" if row.get("id") else "")
        if None in row or any(value is None for value in row.values()):
            collector.errors.append(
                CatalogueError(path.name, label, "", "the row has a different number of cells")
            )
            continue
        existing = stored.services.get((row["id"] or "").strip())
        try:
            record = ServiceRecord.model_validate(_csv_record(row, existing))
        except ValidationError as error:
            for found in validation_errors(path.name, label, error):
                collector.errors.append(
                    CatalogueError(
                        found.file, found.record, _csv_column(found.field), found.message
                    )
                )
            continue
        collector.add("service", record, path.name)
    for service in collector.catalogue.services.values():
        if service.region not in stored.regions:
            collector.errors.append(
                CatalogueError(
                    path.name,
                    f"service {service.id}",
                    "region",
                    f"unknown region '{service.region}' (add regions with a YAML file)",
                )
            )
        elif service.region not in collector.catalogue.regions:
            collector.catalogue.regions[service.region] = stored.regions[service.region]
    if collector.errors:
        raise InvalidCatalogue(collector.errors)
    return collector.catalogue
