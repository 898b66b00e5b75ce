"""The interface's translations (``locales/<lang>/LC_MESSAGES/<domain>.po``): how far each is,
and just the strings that need a person, as PO or CSV for translators.

Each ``.po`` header says how its translation was made (``X-Translation-Status``): ``reviewed``
(checked by a person who reads the language) or ``machine-made, awaiting review``. Until a person
has reviewed a domain, all its strings need review; afterwards only missing and fuzzy ones do.
English message ids are the source: ``locales/en`` holds every string of every domain.

The files are read and written with polib, which keeps every header and comment as it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from bot.i18n import LOCALES_DIR
from bot.settings import LANGUAGES

STATUS_HEADER = "X-Translation-Status"
REVIEWED = "reviewed"
MACHINE_MADE = "machine-made, awaiting review"
NOT_STATED = "not stated"
SOURCE = "en"
CONTEXT_PREFIX = "interface/"
"""Contexts in exported files name the domain ("interface/core"); catalogue texts have others."""


class ReviewFileError(ValueError):
    """A translator's file that cannot be stored; the message names file, line and field."""


@dataclass(frozen=True)
class DomainStatus:
    lang: str
    domain: str
    total: int
    missing: int
    fuzzy: int
    status: str  # reviewed | machine-made, awaiting review | not stated


@dataclass(frozen=True)
class ReviewString:
    """One string for a translator: its English source and the translation there is."""

    domain: str
    msgid: str
    msgid_plural: str
    translation: tuple[str, ...]  # one form, or one per plural form; empty when missing
    reason: str  # missing | fuzzy | machine


def domains() -> list[str]:
    return sorted(path.stem for path in (LOCALES_DIR / SOURCE / "LC_MESSAGES").glob("*.po"))


def po_path(lang: str, domain: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def _load(path: Path) -> polib.POFile | None:
    return polib.pofile(str(path), wrapwidth=100) if path.is_file() else None


def _forms(entry: polib.POEntry | None) -> tuple[str, ...]:
    if entry is None:
        return ()
    if entry.msgid_plural:
        forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    else:
        forms = (entry.msgstr,)
    return forms if all(forms) else ()


def _reason(entry: polib.POEntry | None, machine: bool) -> str | None:
    if not _forms(entry):
        return "missing"
    if entry is not None and "fuzzy" in entry.flags:
        return "fuzzy"
    return "machine" if machine else None


def file_status(po: polib.POFile | None) -> str:
    if po is None:
        return NOT_STATED
    return po.metadata.get(STATUS_HEADER, "").strip() or NOT_STATED


def _strings(lang: str, domain: str) -> Iterator[tuple[polib.POEntry, polib.POEntry | None, str]]:
    """(source entry, this language's entry or None, file status) for every string of a domain."""
    source = _load(po_path(SOURCE, domain))
    po = _load(po_path(lang, domain))
    status = file_status(po)
    own = {entry.msgid: entry for entry in po} if po is not None else {}
    for entry in source or []:
        if entry.msgid and not entry.obsolete:
            yield entry, own.get(entry.msgid), status


def statuses(langs: tuple[str, ...] = LANGUAGES) -> list[DomainStatus]:
    """Per language and domain: how many strings, how many missing or fuzzy, and the status."""
    result = []
    for lang in langs:
        for domain in domains():
            rows = list(_strings(lang, domain))
            reasons = [_reason(mine, machine=False) for _, mine, _ in rows]
            status = file_status(_load(po_path(lang, domain)))
            result.append(
                DomainStatus(
                    lang,
                    domain,
                    total=len(rows),
                    missing=reasons.count("missing"),
                    fuzzy=reasons.count("fuzzy"),
                    status=status,
                )
            )
    return result


def needing_review(lang: str) -> list[ReviewString]:
    """Missing and fuzzy strings, and every string of a domain not yet reviewed by a person."""
    found = []
    for domain in domains():
        for source, mine, status in _strings(lang, domain):
            reason = _reason(mine, machine=status != REVIEWED)
            if reason is not None:
                found.append(
                    ReviewString(domain, source.msgid, source.msgid_plural, _forms(mine), reason)
                )
    return found


def export_po(lang: str) -> bytes:
    """A PO file of the strings needing review; machine-made and fuzzy ones are marked fuzzy."""
    po = polib.POFile(wrapwidth=100)
    po.metadata = {
        "Project-Id-Version": "Wegweiser interface",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for item in needing_review(lang):
        entry = polib.POEntry(
            msgctxt=CONTEXT_PREFIX + item.domain,
            msgid=item.msgid,
            flags=["fuzzy"] if item.translation else [],
        )
        if item.msgid_plural:
            entry.msgid_plural = item.msgid_plural
            forms = item.translation or ("", "")
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = item.translation[0] if item.translation else ""
        po.append(entry)
    return str(po).encode("utf-8")


def export_csv(lang: str) -> str:
    """Columns ``context, source_en, translation_<lang>, status``; plural forms one per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["context", "source_en", f"translation_{lang}", "status"])
    for item in needing_review(lang):
        source = f"{item.msgid}\n{item.msgid_plural}" if item.msgid_plural else item.msgid
        writer.writerow(
            [CONTEXT_PREFIX + item.domain, source, "\n".join(item.translation), item.reason]
        )
    return buffer.getvalue()


@dataclass
class ImportResult:
    lang: str
    stored: int = 0
    unchanged: int = 0
    skipped_fuzzy: int = 0
    reviewed_domains: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Reviewed:
    domain: str
    msgid: str
    forms: tuple[str, ...]
    fuzzy: bool
    line: int


def is_interface_file(text: str) -> bool:
    """Whether a translator's file holds interface strings (not catalogue texts)."""
    return f'"{CONTEXT_PREFIX}' in text or f"\n{CONTEXT_PREFIX}" in text


def _read_po(name: str, text: str) -> tuple[str, list[_Reviewed]]:
    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as error:
        raise ReviewFileError(f"{name}: not a PO file: {error}") from None
    lang = po.metadata.get("Language", "").strip()
    entries = []
    for entry in po:
        if not entry.msgid or not (entry.msgctxt or "").startswith(CONTEXT_PREFIX):
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            forms = (entry.msgstr,)
        domain = entry.msgctxt.removeprefix(CONTEXT_PREFIX)
        fuzzy = "fuzzy" in entry.flags
        entries.append(_Reviewed(domain, entry.msgid, forms, fuzzy, entry.linenum))
    return lang, entries


def _read_csv(name: str, text: str) -> tuple[str, list[_Reviewed]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    langs = [h.removeprefix("translation_") for h in header if h.startswith("translation_")]
    if "context" not in header or "source_en" not in header or len(langs) != 1:
        raise ReviewFileError(f"{name}: needs the columns context, source_en, translation_<lang>")
    entries = []
    for number, row in enumerate(reader, start=2):
        msgid = (row["source_en"] or "").split("\n")[0]
        forms = ((row[f"translation_{langs[0]}"] or "").strip(),)  # plural forms: split later
        domain = (row["context"] or "").removeprefix(CONTEXT_PREFIX)
        entries.append(_Reviewed(domain, msgid, forms, False, number))
    return langs[0], entries


def import_file(path: Path) -> ImportResult:
    """Store a translator's reviewed strings in the ``.po`` files; nothing is written when any
    line is wrong. A domain whose every string is now confirmed becomes ``reviewed``."""
    text = path.read_text(encoding="utf-8")
    reader = _read_csv if path.suffix.lower() == ".csv" else _read_po
    lang, entries = reader(path.name, text)
    if lang not in LANGUAGES or lang == SOURCE:
        raise ReviewFileError(f"{path.name}: Language: '{lang}' is not a translated language")
    sources = {domain: _load(po_path(SOURCE, domain)) for domain in domains()}
    errors = []
    for item in entries:
        source = sources.get(item.domain)
        entry = source.find(item.msgid) if source is not None else None
        if entry is None:
            errors.append(f"{path.name}: line {item.line}: {item.domain}: no such string")
        elif not entry.msgid_plural and len(item.forms) > 1:
            errors.append(f"{path.name}: line {item.line}: {item.msgid!r}: one text expected")
    if errors:
        raise ReviewFileError("\n".join(errors))
    result = ImportResult(lang)
    files: dict[str, polib.POFile] = {}
    confirmed: dict[str, set[str]] = {}
    for item in entries:
        if item.fuzzy:
            result.skipped_fuzzy += 1
            continue
        if not item.forms or not all(item.forms):
            continue
        po = files.get(item.domain) or _load(po_path(lang, item.domain))
        if po is None:
            raise ReviewFileError(f"{path.name}: {po_path(lang, item.domain)}: no such catalogue")
        files[item.domain] = po
        confirmed.setdefault(item.domain, set()).add(item.msgid)
        source = sources[item.domain]
        assert source is not None
        if _store(po, source.find(item.msgid), item.forms):  # type: ignore[arg-type]
            result.stored += 1
        else:
            result.unchanged += 1
    for domain, po in files.items():
        wanted = {source.msgid for source, _, _ in _strings(lang, domain)}
        if wanted <= confirmed[domain] and po.metadata.get(STATUS_HEADER) != REVIEWED:
            po.metadata[STATUS_HEADER] = REVIEWED
            result.reviewed_domains.append(domain)
        po.save(str(po_path(lang, domain)))
    return result


def _plural_count(po: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def _store(po: polib.POFile, source: polib.POEntry, forms: tuple[str, ...]) -> bool:
    """Put a confirmed translation in ``po`` (appended at the end when new); False if it was so."""
    entry = po.find(source.msgid)
    if entry is None:
        entry = polib.POEntry(msgid=source.msgid, msgid_plural=source.msgid_plural)
        po.append(entry)
    before = (_forms(entry), "fuzzy" in entry.flags)
    if source.msgid_plural:
        if len(forms) == 1:
            forms = tuple(form.strip() for form in forms[0].split("\n"))  # a CSV cell
        count = _plural_count(po)
        padded = (forms + (forms[-1],) * count)[:count]
        entry.msgstr_plural = dict(enumerate(padded))
    else:
        entry.msgstr = forms[0]
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    return before != (_forms(entry), False)
