"""The admins' digest: what in the catalogue needs attention, as Markdown for an e-mail or a ticket.

Everything taken from the catalogue, from people's notes or from web servers is escaped, so a
title or a note cannot turn into a link, a heading or a broken table in the ticket system.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from bot.i18n import translator
from bot.linkcheck import LinkResult
from bot.monitoring.attention import Attention, cause_text, reports_text
from bot.monitoring.escaping import markdown as md
from services_catalog.stale import Why

ENDING = (Why.ENDS, Why.ENDED)


@dataclass(frozen=True)
class LinkCheck:
    """The link check the digest reports: when it ran and what it found."""

    checked_at: str
    results: list[LinkResult]


def build_digest(
    today: date,
    entries: list[Attention],
    links: LinkCheck | None,
    translations: dict[str, Counter[str]],
) -> str:
    t = translator("en")
    reported = [entry for entry in entries if entry.reports]
    unchecked = [entry for entry in entries if any(c.why not in ENDING for c in entry.causes)]
    ending = [entry for entry in entries if any(c.why in ENDING for c in entry.causes)]
    lines = [f"# Wegweiser catalogue: what needs attention ({md(today.isoformat())})", ""]

    def section(title: str, items: list[str], empty: str) -> None:
        lines.extend([f"## {title} ({len(items)})", ""])
        lines.extend(items or [empty])
        lines.append("")

    section(
        "Reported as wrong by users",
        [
            f"- {_entry(entry)}: {md(reports_text(entry.reports, t))}"
            + "".join(
                f"\n  - {md(report.day.isoformat())}: “{md(report.note)}”"
                for report in entry.reports
                if report.note
            )
            for entry in reported
        ],
        "No reports.",
    )
    section(
        "Not checked for a long time",
        [
            f"- {_entry(entry)}: "
            + md("; ".join(cause_text(c, t) for c in entry.causes if c.why not in ENDING))
            for entry in unchecked
        ],
        "Every entry was checked recently.",
    )
    section(
        "Funding or offer ending",
        [
            f"- {_entry(entry)}: "
            + md("; ".join(cause_text(c, t) for c in entry.causes if c.why in ENDING))
            for entry in ending
        ],
        "No offer ends soon.",
    )
    if links is None:
        lines.extend(
            [
                "## Broken links",
                "",
                md("No link check yet: run wegweiser catalogue check-links, or add --check-links."),
                "",
            ]
        )
    else:
        broken = [result for result in links.results if result.broken]
        section(
            f"Broken links (checked {md(links.checked_at)})",
            [f"- {md(result.url)}: {md(_problem(result))} ({_users(result)})" for result in broken],
            "Every link answered.",
        )
    section(
        "Translations to do",
        [
            f"- {md(lang)}: "
            + md(", ".join(f"{counts[name]} {name}" for name in ("outdated", "machine", "missing")))
            for lang, counts in translations.items()
            if counts["outdated"] or counts["machine"] or counts["missing"]
        ],
        "Every catalogue text is translated and current.",
    )
    return "\n".join(lines).rstrip("\n") + "\n"


def _entry(entry: Attention) -> str:
    where = f", {md(entry.region)}" if entry.region else ""
    return f"**{md(entry.title)}** ({md(entry.kind)} `{entry.id.replace('`', '')}`{where})"


def _problem(result: LinkResult) -> str:
    if result.error:
        return result.error
    return f"HTTP {result.status}"


def _users(result: LinkResult) -> str:
    return ", ".join(f"{md(link.kind)} {md(link.id)} {md(link.field)}" for link in result.used_by)
