"""`wegweiser catalogue stale / verify / check-links / digest`: keeping the catalogue true.

Entries people reported as wrong come first, then those not checked for a long time or whose
offer ends; links are checked against the web; the digest gathers it all for an e-mail.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session

from bot.cli.common import console, fail, open_engine, writing
from bot.clock import SystemClock
from bot.feedback import store
from bot.feedback.reasons import label
from bot.i18n import translator
from bot.linkcheck import (
    LinkResult,
    Verdict,
    catalogue_links,
    check_links,
    from_json,
    to_json,
)
from bot.monitoring.attention import Attention, entries_to_check, why_text
from bot.monitoring.digest import LinkCheck, build_digest
from bot.settings import LAUNCH_LANGUAGES, Settings
from services_catalog.stale import verify as mark_verified
from services_catalog.translation_files import status_counts

LAST_CHECK_FILE = "linkcheck.json"

Days = Annotated[int, typer.Option("--days", min=1, help="Not verified for this many days.")]
EndingWithin = Annotated[
    int, typer.Option("--ending-within", min=0, help="Valid-until date within this many days.")
]


Concurrency = Annotated[
    int, typer.Option("--concurrency", min=1, max=32, help="Link requests at the same time.")
]
PerHost = Annotated[
    float, typer.Option("--per-host-interval", min=0, help="Seconds between requests to one host.")
]
Timeout = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a link to answer.")
]


def register(app: typer.Typer) -> None:
    """Add these commands to the ``catalogue`` command group."""
    app.command()(stale)
    app.command()(verify)
    app.command("check-links")(check_links_command)
    app.command()(digest)


def _today() -> date:
    return SystemClock().now().date()


def _load_attention(days: int, ending_within: int) -> list[Attention]:
    with open_engine() as engine, Session(engine) as session:
        return entries_to_check(session, _today(), days=days, ending_within=ending_within)


def stale(
    days: Days = 180,
    ending_within: EndingWithin = 30,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the reasons people chose.")
    ] = "en",
) -> None:
    """Entries to check: reported by users (first, with notes), not verified, or ending."""
    if lang not in LAUNCH_LANGUAGES:
        fail(f"'{lang}' is not a launch language; choose one of {', '.join(LAUNCH_LANGUAGES)}.")
    t = translator(lang)
    entries = _load_attention(days, ending_within)
    if not entries:
        console.print("Nothing to check: every entry is recent and nobody reported a problem.")
        return
    table = Table(title="To check")
    for column in ("kind", "id", "title", "region", "verified", "why", "notes from users"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        notes = [
            f"{report.day.isoformat()} {label(report.reason, t)}: “{report.note}”"
            for report in entry.reports
            if report.note
        ]
        table.add_row(
            entry.kind,
            escape(entry.id),
            escape(entry.title),
            escape(entry.region),
            entry.verified.isoformat() if entry.verified else "never",
            escape(why_text(entry, t)),
            escape("\n".join(notes)),
        )
    console.print(table)
    count = len(entries)
    console.print(
        f"{count} {'entry' if count == 1 else 'entries'} to check. "
        "After checking one: wegweiser catalogue verify ID"
    )


def verify(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="A service or course id.")],
) -> None:
    """Record that a person checked this service or course today; clears its user reports."""
    today = _today()
    with open_engine() as engine, Session(engine) as session:
        try:
            kind = mark_verified(session, entry_id, today)
        except LookupError as error:
            fail(str(error))
        cleared = store.clear(session, entry_id)
        session.commit()
    message = f"Marked {kind} {escape(entry_id)} as verified on {today.isoformat()}."
    if cleared:
        message += f" Cleared {cleared} user report{'s' if cleared != 1 else ''}."
    console.print(message)


def _last_check_path() -> Path:
    return Settings().data_dir / LAST_CHECK_FILE


def check_links_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    concurrency: Concurrency = 8,
    per_host: PerHost = 1.0,
    timeout: Timeout = 10.0,
) -> None:
    """Check every website and online-counselling link; exits with 1 when one is broken."""
    check = _check_and_save(concurrency, per_host, timeout)
    results = check.results
    broken = sum(result.broken for result in results)
    if as_json:
        typer.echo(json.dumps(to_json(results, check.checked_at), indent=2))
    else:
        _print_results(results)
        console.print(
            f"{len(results)} link{'s' if len(results) != 1 else ''} checked, {broken} broken."
        )
    if broken:
        raise typer.Exit(1)


def _check_and_save(concurrency: int, per_host: float, timeout: float) -> LinkCheck:
    """Check the links and keep the result for the digest.

    The links are read first and the session closed, so no request runs inside a transaction.
    """
    with open_engine() as engine, Session(engine) as session:
        links = catalogue_links(session)
    checked_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    results = asyncio.run(
        check_links(links, concurrency=concurrency, per_host_interval=per_host, timeout=timeout)
    )
    path = _last_check_path()
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(to_json(results, checked_at), indent=2), encoding="utf-8")
    return LinkCheck(checked_at, results)


STYLE = {Verdict.OK: "green", Verdict.REDIRECTED: "yellow", Verdict.BROKEN: "bold red"}


def _print_results(results: list[LinkResult]) -> None:
    table = Table(title="Links")
    for column in ("result", "status", "link", "now at / problem", "used by"):
        table.add_column(column, overflow="fold")
    order = {Verdict.BROKEN: 0, Verdict.REDIRECTED: 1, Verdict.OK: 2}
    for result in sorted(results, key=lambda r: (order[r.verdict], r.url)):
        detail = result.error or (result.final_url if result.verdict is Verdict.REDIRECTED else "")
        table.add_row(
            f"[{STYLE[result.verdict]}]{result.verdict.value}[/]",
            str(result.status or ""),
            escape(result.url),
            escape(detail or ""),
            escape(", ".join(f"{use.kind} {use.id} ({use.field})" for use in result.used_by)),
        )
    console.print(table)


def digest(
    days: Days = 180,
    ending_within: EndingWithin = 30,
    run_check: Annotated[
        bool, typer.Option("--check-links", help="Check the links now, not the last check's.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of the screen.")
    ] = None,
    concurrency: Concurrency = 8,
    per_host: PerHost = 1.0,
    timeout: Timeout = 10.0,
) -> None:
    """Markdown of all that needs attention, for an e-mail or a ticket.

    Reported, stale and ending entries, broken links and translations to do.
    """
    with open_engine() as engine, Session(engine) as session:
        entries = entries_to_check(session, _today(), days=days, ending_within=ending_within)
        translations = status_counts(session)
    links = _check_and_save(concurrency, per_host, timeout) if run_check else _last_check()
    text = build_digest(_today(), entries, links, translations)
    if out is None:
        typer.echo(text, nl=False)
        return
    with writing(out):
        out.write_text(text, encoding="utf-8")
    console.print(f"Wrote {escape(str(out))}.")


def _last_check() -> LinkCheck | None:
    path = _last_check_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LinkCheck(*from_json(data))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        fail(f"Cannot read the last link check {path}: {error}. Run check-links again.")
