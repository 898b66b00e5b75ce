"""Entries that need a person to look at them: not checked for a long time, or about to end.

Offers often end with their funding; a bot that sends people to a closed office loses their trust.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from services_catalog.importer import bump_revision
from services_catalog.languages import SOURCE_LANGUAGE
from services_catalog.models import Course, OwnerKind, Service
from services_catalog.snapshot import utcnow
from services_catalog.texts import load_texts


class Why(StrEnum):
    NEVER_VERIFIED = "never verified"
    LAST_VERIFIED = "last verified"
    ENDED = "ended"
    ENDS = "ends"


@dataclass(frozen=True)
class Cause:
    """One reason to check an entry, with its date, so each reader can word it in its language."""

    why: Why
    day: date | None = None

    def __str__(self) -> str:
        return f"{self.why} {self.day.isoformat()}" if self.day else str(self.why)


@dataclass(frozen=True)
class StaleEntry:
    kind: str  # "service" | "course"
    id: str
    title: str
    verified: date | None
    valid_until: date | None
    causes: tuple[Cause, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The causes in plain English, for logs and tests."""
        return tuple(str(cause) for cause in self.causes)


def stale_entries(
    session: Session, today: date, days: int = 180, ending_within: int = 30
) -> list[StaleEntry]:
    """Active entries not verified in ``days`` days, or whose valid-until date is near or past."""
    checked_since = today - timedelta(days=days)
    ends_by = today + timedelta(days=ending_within)
    found: list[tuple[str, str, date | None, date | None, list[Cause]]] = []
    for service in session.exec(select(Service).where(col(Service.retired_at).is_(None))):
        reasons = _verification_reasons(service.verified, checked_since)
        if service.valid_until is not None and service.valid_until <= ends_by:
            why = Why.ENDED if service.valid_until < today else Why.ENDS
            reasons.append(Cause(why, service.valid_until))
        if reasons:
            found.append(("service", service.id, service.verified, service.valid_until, reasons))
    for course in session.exec(select(Course).where(col(Course.retired_at).is_(None))):
        reasons = _verification_reasons(course.verified, checked_since)
        if reasons:
            found.append(("course", course.id, course.verified, None, reasons))
    titles = {
        kind: load_texts(session, kind, [entry[1] for entry in found if entry[0] == kind])
        for kind in (OwnerKind.SERVICE, OwnerKind.COURSE)
    }
    return [
        StaleEntry(
            kind=kind,
            id=entry_id,
            title=titles[kind][entry_id]["title"].get(SOURCE_LANGUAGE, entry_id),
            verified=verified,
            valid_until=valid_until,
            causes=tuple(reasons),
        )
        for kind, entry_id, verified, valid_until, reasons in sorted(found, key=lambda e: e[1])
    ]


def _verification_reasons(verified: date | None, checked_since: date) -> list[Cause]:
    if verified is None:
        return [Cause(Why.NEVER_VERIFIED)]
    if verified < checked_since:
        return [Cause(Why.LAST_VERIFIED, verified)]
    return []


def verify(session: Session, entry_id: str, today: date) -> str:
    """Mark a service or course as checked by a person today; returns its kind."""
    for kind, model in (("service", Service), ("course", Course)):
        entry = session.get(model, entry_id)
        if entry is not None and entry.retired_at is None:
            entry.verified = today
            session.add(entry)
            bump_revision(session, utcnow())
            return kind
    raise LookupError(f"There is no active service or course with the id '{entry_id}'.")
