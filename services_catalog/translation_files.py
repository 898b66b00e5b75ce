"""One language's catalogue texts for translators: status counts, and export/import as PO or CSV.

PO files work in the tools translators already use (Poedit, Weblate); CSV in any spreadsheet.
A text exported as machine-made or outdated is marked *fuzzy* in PO, and stays unconfirmed until a
translator removes that mark. Topic names are not here: they ship with the code (``topics.yaml``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlmodel import Session, col, select

from services_catalog.importer import bump_revision
from services_catalog.languages import LANGUAGES, SOURCE_LANGUAGE
from services_catalog.models import CatalogueText, Course, OwnerKind, Service, TextStatus
from services_catalog.readers import read_text
from services_catalog.records import CatalogueError, InvalidCatalogue, text_limit, text_problem
from services_catalog.snapshot import utcnow
from services_catalog.translations import effective_status, put_text, source_hash

STATUSES = ("current", "outdated", "machine", "missing")
TRANSLATED_KINDS = (OwnerKind.SERVICE, OwnerKind.POOL, OwnerKind.COURSE)


@dataclass(frozen=True)
class Text:
    """One field of one entry: its German source and its translation in one language."""

    context: str  # "service/rostock-mbe-awo/title"
    source: str
    translation: str | None
    status: str  # current | outdated | machine | missing


def _active_rows(session: Session) -> dict[str, dict[str, CatalogueText]]:
    """context -> lang -> row, for entries that are not retired."""
    retired = set(session.exec(select(Service.id).where(col(Service.retired_at).is_not(None))))
    retired_courses = set(
        session.exec(select(Course.id).where(col(Course.retired_at).is_not(None)))
    )
    rows: dict[str, dict[str, CatalogueText]] = {}
    query = select(CatalogueText).where(col(CatalogueText.owner_kind).in_(TRANSLATED_KINDS))
    for row in session.exec(query):
        gone = retired_courses if row.owner_kind == OwnerKind.COURSE else retired
        if row.owner_id in gone:
            continue
        rows.setdefault(f"{row.owner_kind}/{row.owner_id}/{row.field}", {})[row.lang] = row
    return rows


def texts_for(session: Session, lang: str) -> list[Text]:
    """Every active text with its ``lang`` translation and status, in a stable order."""
    texts = []
    for context, by_lang in sorted(_active_rows(session).items()):
        source = by_lang.get(SOURCE_LANGUAGE)
        if source is None:
            continue
        row = by_lang.get(lang)
        status = "missing" if row is None else effective_status(row, source)
        texts.append(Text(context, source.text, row.text if row else None, status))
    return texts


def status_counts(session: Session) -> dict[str, Counter[str]]:
    """Per translated language: how many texts are current, outdated, machine, missing."""
    rows = _active_rows(session)
    counts: dict[str, Counter[str]] = {}
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        counter: Counter[str] = Counter({status: 0 for status in STATUSES})
        for by_lang in rows.values():
            source = by_lang.get(SOURCE_LANGUAGE)
            if source is None:
                continue
            row = by_lang.get(lang)
            counter["missing" if row is None else effective_status(row, source)] += 1
        counts[lang] = counter
    return counts


def _exported(session: Session, lang: str, needs_review: bool) -> list[Text]:
    """All texts, or only those a person still has to translate or check."""
    texts = texts_for(session, lang)
    return [text for text in texts if text.status != "current"] if needs_review else texts


def export_po(session: Session, lang: str, needs_review: bool = False) -> bytes:
    # PO headers spell locales with "_": Einfache Sprache is "de_simple" there.
    catalog = Catalog(locale=lang.replace("-", "_"), project="Wegweiser catalogue", fuzzy=False)
    for text in _exported(session, lang, needs_review):
        flags = ("fuzzy",) if text.status in ("machine", "outdated") else ()
        catalog.add(text.source, text.translation or "", context=text.context, flags=flags)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False)
    return buffer.getvalue()


def export_csv(session: Session, lang: str, needs_review: bool = False) -> str:
    """Columns ``context, source_de, translation_<lang>, status``; translators fill the third."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["context", "source_de", f"translation_{lang}", "status"])
    for text in _exported(session, lang, needs_review):
        writer.writerow([text.context, text.source, text.translation or "", text.status])
    return buffer.getvalue()


@dataclass
class ImportResult:
    lang: str
    current: int = 0  # stored as a person's translation of the current German text
    outdated: int = 0  # translated from a German text that has changed since the export
    unchanged: int = 0
    skipped_fuzzy: int = 0
    errors: list[CatalogueError] = field(default_factory=list)


def _read_po(path: Path, text: str) -> tuple[str, list[tuple[str, str, str, bool, int]]]:
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except Exception as error:
        raise InvalidCatalogue(
            [CatalogueError(path.name, "", "", f"not a PO file: {error}")]
        ) from None
    if catalog.locale is None:
        raise InvalidCatalogue([CatalogueError(path.name, "", "Language", "header is missing")])
    entries = []
    for message in catalog:
        if not message.id or not message.context:
            continue
        entries.append(
            (
                message.context,
                str(message.id),
                str(message.string or ""),
                message.fuzzy,
                message.lineno,
            )
        )
    return str(catalog.locale_identifier).replace("_", "-"), entries


def _read_csv(path: Path, text: str) -> tuple[str, list[tuple[str, str, str, bool, int]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    langs = [
        name.removeprefix("translation_") for name in header if name.startswith("translation_")
    ]
    missing = [name for name in ("context", "source_de") if name not in header]
    if len(langs) != 1:
        missing.append("translation_<language>")
    if missing:
        raise InvalidCatalogue(
            [CatalogueError(path.name, "", m, "missing column") for m in missing]
        )
    column = f"translation_{langs[0]}"
    entries = [
        (row["context"] or "", row["source_de"] or "", (row[column] or "").strip(), False, number)
        for number, row in enumerate(reader, start=2)
    ]
    return langs[0], entries


def import_file(session: Session, path: Path) -> ImportResult:
    """Store a translator's file; every text in it becomes a person's (current) translation.

    Checks everything first and raises ``InvalidCatalogue`` without writing anything on errors.
    """
    errors: list[CatalogueError] = []
    text = read_text(path, errors)
    if text is None:
        raise InvalidCatalogue(errors)
    reader = _read_csv if path.suffix.lower() == ".csv" else _read_po
    lang, entries = reader(path, text)
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        raise InvalidCatalogue(
            [CatalogueError(path.name, "", "language", f"'{lang}' is not a translated language")]
        )
    rows = _active_rows(session)
    result = ImportResult(lang)
    planned = []
    for context, source_text, translation, fuzzy, line in entries:
        by_lang = rows.get(context)
        if by_lang is None or SOURCE_LANGUAGE not in by_lang:
            errors.append(
                CatalogueError(path.name, f"line {line}", context, "no such text in the catalogue")
            )
            continue
        if not translation:
            continue
        problem = text_problem(translation, text_limit(context.rsplit("/", 1)[-1]))
        if problem:
            errors.append(CatalogueError(path.name, f"line {line}", context, problem))
            continue
        if fuzzy:
            result.skipped_fuzzy += 1
            continue
        planned.append((context, source_text, translation, by_lang))
    if errors:
        raise InvalidCatalogue(errors)
    now = utcnow()
    for context, source_text, translation, by_lang in planned:
        source = by_lang[SOURCE_LANGUAGE]
        is_current = source_text == source.text
        status = TextStatus.CURRENT.value if is_current else TextStatus.OUTDATED.value
        hashed = source.source_hash if is_current else source_hash(source_text)
        kind, owner_id, name = context.split("/", 2)
        value = (translation, status, hashed)
        if not put_text(session, by_lang.get(lang), (kind, owner_id, name), lang, value, now):
            result.unchanged += 1
            continue
        if is_current:
            result.current += 1
        else:
            result.outdated += 1
    if result.current or result.outdated:
        bump_revision(session, now)
    return result
