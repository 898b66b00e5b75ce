"""`wegweiser route`: what the bot would understand from a message, for admins and Lotsen.

Shows the topic, how sure the router is, which stage decided (the keyword lexicon, or the
semantic stage and its probability), the language it read and, with ``--region``, the
services the bot would offer there. Like the bot, it knows the catalogue's service names and
abbreviations whenever the configured database holds a catalogue. ``--batch`` routes a file of
messages, one JSON object a line, for checking the lexicon against real questions.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import OperationalError

from bot.cli.common import console, database_url, errors, fail, open_engine
from bot.core.router import Router, RouteResult
from bot.core.semantic.stage import shared_stage
from bot.settings import LANGUAGES
from services_catalog.db import current_revision, head_revision, make_engine, session_scope

ServiceLookup = Callable[[str | None, str | None], list[str]]
"""(topic, language) → ids of the services the bot would offer."""


def result_json(result: RouteResult, services: list[str]) -> dict[str, Any]:
    """The JSON shape of one routed message."""
    return {
        "topic": result.topic,
        "confidence": result.confidence,
        "lang": result.lang,
        "alternatives": [
            {"topic": match.topic, "confidence": match.confidence} for match in result.alternatives
        ],
        "ambiguous": result.ambiguous,
        "crisis": result.crisis,
        "stage": result.stage,
        "score": result.score,
        "services": services,
    }


def _catalogue_names() -> list[tuple[str, str]]:
    """The catalogue's service names and abbreviations, as the bot routes with them.

    Read when the configured database exists and is migrated; otherwise the keyword lists alone
    are checked, and stderr says so, so the lexicon can be tried anywhere.
    """
    from services_catalog.queries import router_entries

    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        errors.print("No catalogue database yet: routing with the keyword lists only.")
        return []
    engine = make_engine(url)
    try:
        if current_revision(engine) != head_revision():
            errors.print("The database is not migrated: routing with the keyword lists only.")
            return []
        with session_scope(engine) as session:
            return router_entries(session)
    except OperationalError:
        errors.print("The database cannot be reached: routing with the keyword lists only.")
        return []
    finally:
        engine.dispose()


@contextmanager
def _catalogue(region: str | None) -> Iterator[tuple[Router, ServiceLookup]]:
    """A router over the lexicon and the catalogue's names, plus services when a region is given."""
    if region is None:
        router = Router.from_locales(extra=_catalogue_names(), semantic=shared_stage())
        yield router, lambda topic, lang: []
        return
    from services_catalog.queries import UnknownSlug, require_region, router_entries, services_for

    with open_engine() as engine, session_scope(engine) as session:
        try:
            require_region(session, region)
        except UnknownSlug as error:
            raise typer.BadParameter(str(error), param_hint="--region") from None

        def lookup(topic: str | None, lang: str | None) -> list[str]:
            if topic is None:
                return []
            return [service.id for service in services_for(session, region, topic, lang)]

        yield Router.from_locales(extra=router_entries(session), semantic=shared_stage()), lookup


def _read_batch(path: Path) -> list[tuple[str, str | None]]:
    """(text, language hint) per non-empty line; every line is checked before any is routed."""
    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"{path}: cannot be read ({error.strerror})")
    messages = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            fail(f"{path}:{number}: not a JSON object ({error.msg})")
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            fail(f'{path}:{number}: expected an object with a "text" string')
        hint = item.get("lang")
        if hint is not None and hint not in LANGUAGES:
            fail(f"{path}:{number}: unknown language {hint!r}")
        messages.append((item["text"], hint))
    return messages


def _show(result: RouteResult, services: list[str], region: str | None) -> None:
    """A readable summary: the verdict first, then every topic considered."""
    if result.crisis:
        verdict = "[bold red]crisis[/]: emergency numbers first"
    elif result.topic is None:
        verdict = "[yellow]not sure[/]: the menu is shown"
    elif result.ambiguous:
        second = result.alternatives[1].topic
        verdict = f"[yellow]ambiguous[/]: asks {result.topic} or {second}"
    else:
        verdict = f"[green]{result.topic}[/]"
    decided = result.stage if result.score is None else f"{result.stage} {result.score:.2f}"
    console.print(f"{verdict}   language: {result.lang or 'unknown'}   decided by: {decided}")
    if result.alternatives:
        table = Table("topic", "confidence")
        for match in result.alternatives:
            table.add_row(match.topic, f"{match.confidence:.2f}")
        console.print(table)
    if region is not None:
        listed = ", ".join(services) if services else "none"
        console.print(f"services in {escape(region)}: {escape(listed)}")


def route(
    text: Annotated[
        str | None, typer.Argument(help="The message, as a user would write it.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="The user's known language, a tie-breaker.")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="List the services of this region (slug).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            help='A file of JSON lines {"text": ..., "lang": ...} ("-" reads standard input); '
            "prints one JSON line each, in the same order.",
        ),
    ] = None,
) -> None:
    """Show which topic the bot would understand from TEXT, in any interface language."""
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"use one of {', '.join(LANGUAGES)}", param_hint="--lang")
    if (text is None) == (batch is None):
        raise typer.BadParameter("give either TEXT or --batch FILE")
    messages = _read_batch(batch) if batch is not None else [(text or "", lang)]
    with _catalogue(region) as (router, services_of):
        for message, hint in messages:
            result = router.route(message, lang_hint=hint or lang)
            services = services_of(result.topic, result.lang or hint or lang)
            if batch is not None or as_json:
                typer.echo(json.dumps(result_json(result, services), ensure_ascii=False))
            else:
                _show(result, services, region)
