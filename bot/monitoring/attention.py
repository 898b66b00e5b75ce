"""Catalogue entries an admin should look at: entries people reported as wrong (first), entries
not checked for a long time and offers that end soon, each worded in the reader's language.

The council report, ``wegweiser catalogue stale`` and the digest all list them from here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from bot.feedback import store
from bot.feedback.models import EntryReport
from bot.feedback.reasons import label
from bot.i18n import Translator
from services_catalog.languages import SOURCE_LANGUAGE
from services_catalog.models import Course, OwnerKind, Region, Service
from services_catalog.stale import Cause, Why, stale_entries
from services_catalog.texts import load_texts


@dataclass(frozen=True)
class Attention:
    kind: str  # "service" | "course"
    id: str
    title: str
    region: str  # the slug of the region the entry (or its course's service) belongs to
    verified: date | None
    causes: tuple[Cause, ...]
    reports: tuple[EntryReport, ...] = ()


def entries_to_check(
    session: Session,
    today: date,
    days: int = 180,
    ending_within: int = 30,
    region: str | None = None,
) -> list[Attention]:
    """Reported entries (most reports first), then the stale ones, optionally of one region."""
    stale = {
        entry.id: entry
        for entry in stale_entries(session, today, days=days, ending_within=ending_within)
    }
    reports = store.by_entry(session)
    reported = {
        service.id: service
        for service in session.exec(
            select(Service).where(
                col(Service.id).in_(list(reports)), col(Service.retired_at).is_(None)
            )
        )
    }
    titles = load_texts(session, OwnerKind.SERVICE, [sid for sid in reported if sid not in stale])
    regions = _regions(session, set(stale) | set(reported))
    found = [
        Attention(
            kind="service",
            id=sid,
            title=stale[sid].title
            if sid in stale
            else titles[sid]["title"].get(SOURCE_LANGUAGE, sid),
            region=regions.get(sid, ""),
            verified=service.verified,
            causes=stale[sid].causes if sid in stale else (),
            reports=tuple(reports[sid]),
        )
        for sid, service in reported.items()
    ]
    found.sort(key=lambda entry: (-len(entry.reports), entry.id))
    found += [
        Attention(
            entry.kind,
            entry.id,
            entry.title,
            regions.get(entry.id, ""),
            entry.verified,
            entry.causes,
        )
        for entry in stale.values()
        if entry.id not in reported
    ]
    return [entry for entry in found if region is None or entry.region == region]


def _regions(session: Session, ids: set[str]) -> dict[str, str]:
    """The region slug of each service id, and of each course id through its service."""
    course_service = dict(
        session.exec(select(Course.id, Course.service_id).where(col(Course.id).in_(ids))).all()
    )
    service_region = dict(
        session.exec(
            select(Service.id, Region.slug)
            .join(Region, col(Region.id) == col(Service.region_id))
            .where(col(Service.id).in_(ids | set(course_service.values())))
        ).all()
    )
    return {
        entry_id: service_region.get(course_service.get(entry_id, entry_id), "") for entry_id in ids
    }


def cause_text(cause: Cause, t: Translator) -> str:
    """ "never verified", "last verified on 1 November 2026", … in ``t``'s language."""
    if cause.why is Why.NEVER_VERIFIED or cause.day is None:
        return t.gettext("never verified")
    day = t.date(cause.day, "long")
    if cause.why is Why.LAST_VERIFIED:
        return t.gettext("last verified on {date}").format(date=day)
    if cause.why is Why.ENDED:
        return t.gettext("ended on {date}").format(date=day)
    return t.gettext("ends on {date}").format(date=day)


def reports_text(reports: tuple[EntryReport, ...], t: Translator) -> str:
    """How many people reported the entry as wrong, and why: "2 reports: It has moved (2)"."""
    reasons = Counter(report.reason for report in reports)
    return t.ngettext(
        "{count} report from users: {reasons}",
        "{count} reports from users: {reasons}",
        len(reports),
    ).format(
        count=t.number(len(reports)),
        reasons=t.list([f"{label(reason, t)} ({t.number(n)})" for reason, n in reasons.items()]),
    )


def why_text(entry: Attention, t: Translator) -> str:
    """Everything that makes the entry worth a look, in one line."""
    parts = [reports_text(entry.reports, t)] if entry.reports else []
    return "; ".join([*parts, *(cause_text(cause, t) for cause in entry.causes)])
