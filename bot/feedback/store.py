"""Saving, listing and clearing reports; the only code that touches ``EntryReport``."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from bot.feedback.models import EntryReport
from bot.feedback.reasons import Reason

NOTE_LIMIT = 300
"""Characters kept of a note: enough for a new address or phone number, too short for a story."""
DAILY_LIMIT = 20
"""Reports kept per entry and day: plenty for a real problem, and no one can flood the list."""


def sanitise_note(text: str) -> str | None:
    """The note without control or format characters, whitespace collapsed, capped in length."""
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    note = " ".join(kept.split())
    if len(note) > NOTE_LIMIT:
        note = note[: NOTE_LIMIT - 1].rstrip() + "…"
    return note or None


def add(session: Session, entry_id: str, reason: Reason, day: date) -> EntryReport | None:
    """A new report, or None when the entry already has ``DAILY_LIMIT`` reports today."""
    today = session.exec(
        select(func.count())
        .select_from(EntryReport)
        .where(EntryReport.entry_id == entry_id, EntryReport.day == day)
    ).one()
    if today >= DAILY_LIMIT:
        return None
    report = EntryReport(entry_id=entry_id, reason=reason.value, day=day)
    session.add(report)
    session.flush()
    return report


def add_note(session: Session, report_id: int, text: str) -> bool:
    """Attach a note to a report saved moments ago; False when it is gone or has a note."""
    report = session.get(EntryReport, report_id)
    note = sanitise_note(text)
    if report is None or report.note is not None or note is None:
        return False
    report.note = note
    session.add(report)
    return True


def by_entry(
    session: Session, entry_ids: Iterable[str] | None = None
) -> dict[str, list[EntryReport]]:
    """Each reported entry's reports, oldest first."""
    query = select(EntryReport).order_by(col(EntryReport.day), col(EntryReport.id))
    if entry_ids is not None:
        query = query.where(col(EntryReport.entry_id).in_(list(entry_ids)))
    found: dict[str, list[EntryReport]] = defaultdict(list)
    for report in session.exec(query):
        found[report.entry_id].append(report)
    return dict(found)


def clear(session: Session, entry_id: str) -> int:
    """Remove an entry's reports once a person has checked it; returns how many there were."""
    count = len(session.exec(select(EntryReport.id).where(EntryReport.entry_id == entry_id)).all())
    session.execute(delete(EntryReport).where(col(EntryReport.entry_id) == entry_id))
    return count
