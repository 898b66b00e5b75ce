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
from services_catalog.languages import LANGUAGES
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
from services_catalog.suggest import quoted, valid_choices
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
CSV_REQUIRED = ("id", "region", "topics", "title_de", "source")
CSV_NESTED = {
    "contact": ("phone", "email", "website", "online_counselling"),
    "address": ("street", "postcode", "city", "latitude", "longitude"),
    "target_group": ("min_age", "max_age", "women_only"),
}
CSV_LISTS = ("topics", "languages")
CSV_FLAGS = ("women_only",)
STATUS_PREFIXES = ("machine:", "outdated:")
MAX_FILE_BYTES = 5_000_000  # 30 times the largest region file; parsing 5 MB of YAML takes seconds


def read_text(path: Path, errors: list[CatalogueError]) -> str | None:
    """The file as UTF-8 text, or None with an error saying where the first bad byte is."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            errors.append(
                CatalogueError(path.name, "", "", f"larger than {MAX_FILE_BYTES // 1_000_000} MB")
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        errors.append(CatalogueError(path.name, "", "", f"cannot be read: {error.strerror}"))
        return None
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
        errors.extend(validation_errors(file, label, error, model))
        return None


class _Collector:
    """Adds records to a catalogue, reporting ids used twice anywhere in the input.

    Ids are claimed before a record is validated, so a duplicate is reported together with the
    record's other errors instead of only once those are fixed.
    """

    def __init__(self) -> None:
        self.catalogue = Catalogue()
        self.errors: list[CatalogueError] = []
        self._owners: dict[tuple[str, str], str] = {}  # (namespace, id) -> file

    def claim(self, kind: str, data: Any, file: str) -> bool:
        """Reserve the record's id; False (with an error) when another record uses it."""
        field = "slug" if kind == "region" else "id"
        key = data.get(field) if isinstance(data, dict) else None
        if not isinstance(key, str):
            return True  # the validator reports the missing id
        namespace = "entry" if kind in ("service", "course") else kind  # cards share one space
        previous = self._owners.get((namespace, key))
        if previous is not None:
            self.errors.append(
                CatalogueError(
                    file, f"{kind} {key}", field, f"duplicate id, also used in {previous}"
                )
            )
            return False
        self._owners[(namespace, key)] = file
        return True

    def add(self, kind: str, record: Any, file: str) -> None:
        key = record.slug if kind == "region" else record.id
        table = {
            "region": self.catalogue.regions,
            "provider": self.catalogue.providers,
            "service": self.catalogue.services,
            "course": self.catalogue.courses,
        }[kind]
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
            errors.append(
                CatalogueError(
                    name, "", str(key), f"unknown section; {valid_choices(str(key), SECTIONS)}"
                )
            )
    data = document.get("region")
    named = isinstance(data, dict) and isinstance(data.get("slug"), str)
    unique = collector.claim("region", data, name)
    region = _validate(
        RegionRecord, data, name, record_label("region", data, 1) if named else "region", errors
    )
    if region is not None and unique:
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
            unique = collector.claim(kind, data, name)
            record = _validate(model, data, name, label, errors)
            if record is not None and unique:
                collector.add(kind, record, name)
    courses = document.get("courses") or []
    if not isinstance(courses, list):
        errors.append(CatalogueError(name, "", "courses", "expected a list"))
        return
    for position, data in enumerate(courses, start=1):
        label = record_label("course", data, position)
        unique = collector.claim("course", data, name)
        record = _validate(CourseRecord, data, name, label, errors)
        if record is not None and unique:
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
    if parts[0] in CSV_NESTED and len(parts) > 1:
        return parts[1]
    return parts[0].split("[")[0]


def _in_csv_terms(error: CatalogueError) -> CatalogueError:
    """An error about a record field as one about the CSV column (``title: de: …`` becomes
    ``title_de: …``)."""
    field, message = _csv_column(error.field), error.message
    lang, separator, rest = message.partition(": ")
    if field in CSV_TEXT_FIELDS and separator and lang in LANGUAGES:
        field, message = f"{field}_{lang}", rest
    return CatalogueError(error.file, error.record, field, message)


def _csv_path(column: str) -> tuple[str, ...]:
    """Where a CSV column's value goes in a service record."""
    for parent, children in CSV_NESTED.items():
        if column in children:
            return (parent, column)
    return (column,)


def _csv_record(cells: dict[str, str | None], existing: ServiceRecord | None) -> dict[str, Any]:
    """The row over the stored record: a column that is missing keeps what is stored (or the
    default for a new service), so a spreadsheet needs only the columns it changes."""
    data = existing.model_dump() if existing else {}
    for column, value in cells.items():
        name, _, lang = column.rpartition("_")
        if name in CSV_TEXT_FIELDS and lang in LANGUAGES:
            entries = dict(data.get(name) or {})
            if value:
                entries[lang] = _csv_text(value)
            else:
                entries.pop(lang, None)
            data[name] = entries or None
            continue
        if column in CSV_LISTS:
            value = [item.strip() for item in (value or "").split(";") if item.strip()]  # type: ignore[assignment]
        elif column in CSV_FLAGS:
            value = value or False  # type: ignore[assignment]
        *parents, last = _csv_path(column)
        target = data
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    return data


def _csv_rows(text: str) -> csv.DictReader[str]:
    """The rows, with the delimiter the header uses: spreadsheets in German write ';'."""
    first_line = text.split("\n", 1)[0]

    def known(delimiter: str) -> int:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for column in header if column.strip() in CSV_COLUMNS)

    delimiter = max((",", ";", "\t"), key=known)
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_csv(path: Path, stored: Catalogue) -> Catalogue:
    """Services from a spreadsheet, one per row.

    Regions and providers must already exist; what CSV cannot hold (opening hours, pools, notes,
    district) and the columns a file leaves out are kept from the database for services that exist
    there.
    """
    errors: list[CatalogueError] = []
    text = read_text(path, errors)
    if text is None:
        raise InvalidCatalogue(errors)
    reader = _csv_rows(text)
    try:
        header = [column.strip() for column in reader.fieldnames or []]
        reader.fieldnames = header
        rows = list(enumerate(reader, start=2))
    except csv.Error as error:
        raise InvalidCatalogue(
            [
                CatalogueError(
                    path.name, f"line {reader.line_num + 1}", "", f"not valid CSV: {error}"
                )
            ]
        ) from None
    missing = [column for column in CSV_REQUIRED if column not in header]
    unknown = [column for column in header if column not in CSV_COLUMNS]
    errors.extend(CatalogueError(path.name, "", c, "missing column") for c in missing)
    errors.extend(
        CatalogueError(path.name, "", c, f"unknown column; {valid_choices(c, CSV_COLUMNS)}")
        for c in unknown
    )
    errors.extend(
        CatalogueError(path.name, "", c, "the column appears twice")
        for c in sorted({c for c in header if header.count(c) > 1})
    )
    if errors:
        raise InvalidCatalogue(errors)
    collector = _Collector()
    for number, row in rows:
        row_id = (row.get("id") or "").strip()
        label = f"row {number}" + (f" ({row_id[:60]})" if row_id else "")
        if None in row or any(value is None for value in row.values()):
            collector.errors.append(
                CatalogueError(path.name, label, "", "the row has a different number of cells")
            )
            continue
        cells = {key: (value or "").strip() or None for key, value in row.items()}
        unique = collector.claim("service", cells, path.name)
        existing = stored.services.get(row_id)
        try:
            record = ServiceRecord.model_validate(_csv_record(cells, existing))
        except ValidationError as error:
            for found in validation_errors(path.name, label, error, ServiceRecord):
                collector.errors.append(_in_csv_terms(found))
            continue
        if unique:
            collector.add("service", record, path.name)
    for service in collector.catalogue.services.values():
        if service.region not in stored.regions:
            collector.errors.append(
                CatalogueError(
                    path.name,
                    f"service {service.id}",
                    "region",
                    f"unknown region {quoted(service.region)}; "
                    f"{valid_choices(service.region, stored.regions)} "
                    "(add regions with a YAML file)",
                )
            )
        elif service.region not in collector.catalogue.regions:
            collector.catalogue.regions[service.region] = stored.regions[service.region]
    if collector.errors:
        raise InvalidCatalogue(collector.errors)
    return collector.catalogue
