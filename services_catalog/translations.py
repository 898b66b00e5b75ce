"""Translation status: which translations still match their German source.

Each translation remembers the hash of the German text it was made from. When a German source is
written and a translation is left untouched, the translation becomes *outdated* (a machine-made one
stays *machine*: it still needs a person either way). A person's translation of the current source
is *current*; a language without a row is *missing*.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from services_catalog.languages import SOURCE_LANGUAGE
from services_catalog.models import CatalogueText, TextStatus

Status = Literal["current", "machine", "outdated"]
# lang -> row, for one field of one owner
FieldRows = dict[str, CatalogueText]


class TextEntry(BaseModel):
    """One language's text. ``status`` None means "as it was" (a plain string in a file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    status: Status | None = None


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_rows(
    session: Session, owner_kind: str, owner_ids: Iterable[str] | None = None
) -> dict[tuple[str, str], FieldRows]:
    """(owner id, field) -> lang -> row, for one kind of owner (all owners when ids is None)."""
    query = select(CatalogueText).where(CatalogueText.owner_kind == owner_kind)
    if owner_ids is not None:
        query = query.where(col(CatalogueText.owner_id).in_(list(owner_ids)))
    rows: dict[tuple[str, str], FieldRows] = defaultdict(dict)
    for row in session.exec(query):
        rows[(row.owner_id, row.field)][row.lang] = row
    return rows


def effective_status(row: CatalogueText, source: CatalogueText | None) -> str:
    """The stored status, except that a 'current' text made from an older source is outdated."""
    if (
        row.status == TextStatus.CURRENT
        and source is not None
        and row.source_hash != source.source_hash
    ):
        return TextStatus.OUTDATED.value
    return str(row.status)


def stored_entries(rows: FieldRows) -> dict[str, TextEntry]:
    """A field as the catalogue files show it: German plain, translations with their status."""
    source = rows.get(SOURCE_LANGUAGE)
    entries = {}
    for lang, row in rows.items():
        if lang == SOURCE_LANGUAGE:
            entries[lang] = TextEntry(text=row.text)
        else:
            entries[lang] = TextEntry(text=row.text, status=effective_status(row, source))  # type: ignore[arg-type]
    return entries


def resolve(rows: FieldRows, new: Mapping[str, TextEntry | str]) -> dict[str, tuple[str, str, str]]:
    """What a write of ``new`` leaves in the database: lang -> (text, status, source hash)."""
    entries = {lang: TextEntry(text=e) if isinstance(e, str) else e for lang, e in new.items()}
    source_text = entries[SOURCE_LANGUAGE].text
    new_hash = source_hash(source_text)
    old_source = rows.get(SOURCE_LANGUAGE)
    source_changed = old_source is not None and old_source.source_hash != new_hash
    result = {SOURCE_LANGUAGE: (source_text, TextStatus.SOURCE.value, new_hash)}
    for lang, entry in entries.items():
        if lang == SOURCE_LANGUAGE:
            continue
        old = rows.get(lang)
        if old is None or old.text != entry.text:
            status = entry.status or TextStatus.CURRENT.value
            result[lang] = (entry.text, status, new_hash)
        elif entry.status is not None and not (source_changed and entry.status == old.status):
            # A person set the status explicitly (e.g. confirmed an outdated text as current).
            kept_hash = new_hash if entry.status == TextStatus.CURRENT else old.source_hash
            result[lang] = (entry.text, entry.status, kept_hash)
        elif source_changed:
            status = TextStatus.MACHINE if old.status == TextStatus.MACHINE else TextStatus.OUTDATED
            result[lang] = (entry.text, status.value, old.source_hash)
        else:
            result[lang] = (entry.text, effective_status(old, old_source), old.source_hash)
    return result


def resolved_entries(rows: FieldRows, new: Mapping[str, TextEntry | str]) -> dict[str, TextEntry]:
    """``resolve`` in the shape of ``stored_entries``, to compare a planned write with the DB."""
    entries = {}
    for lang, (text, status, _hash) in resolve(rows, new).items():
        if lang == SOURCE_LANGUAGE:
            entries[lang] = TextEntry(text=text)
        else:
            entries[lang] = TextEntry(text=text, status=status)  # type: ignore[arg-type]
    return entries


def write_field(
    session: Session,
    owner_kind: str,
    owner_id: str,
    field: str,
    new: Mapping[str, TextEntry | str] | None,
    rows: FieldRows,
    now: datetime,
) -> None:
    """Store one text field in every language given; languages not given become missing."""
    wanted = resolve(rows, new) if new else {}
    for lang, row in rows.items():
        if lang not in wanted:
            session.delete(row)
    for lang, value in wanted.items():
        put_text(session, rows.get(lang), (owner_kind, owner_id, field), lang, value, now)


def put_text(
    session: Session,
    row: CatalogueText | None,
    owner: tuple[str, str, str],
    lang: str,
    value: tuple[str, str, str],
    now: datetime,
) -> bool:
    """Store one language's (text, status, source hash) for (owner kind, owner id, field).

    Returns False, touching nothing, when ``row`` already holds exactly that, so that
    ``updated_at`` keeps saying when the text last really changed.
    """
    text, status, hashed = value
    if row is not None and (row.text, row.status, row.source_hash) == value:
        return False
    if row is None:
        owner_kind, owner_id, field = owner
        row = CatalogueText(
            owner_kind=owner_kind,
            owner_id=owner_id,
            field=field,
            lang=lang,
            text=text,
            status=status,
            source_hash=hashed,
            updated_at=now,
        )
    else:
        row.text, row.status, row.source_hash, row.updated_at = text, status, hashed, now
    session.add(row)
    return True
