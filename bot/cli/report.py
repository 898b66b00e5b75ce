"""`wegweiser report`: the monitoring report an integration office gives its council."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import open_engine, writing
from bot.clock import SystemClock
from bot.monitoring.counters import COUNTING_TIMEZONE
from bot.monitoring.render import FORMATS, render
from bot.monitoring.report import STALE_AFTER_DAYS, build_report
from bot.settings import LAUNCH_LANGUAGES
from services_catalog.db import session_scope
from services_catalog.queries import UnknownSlug, require_region


def report(
    start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")],
    region: Annotated[str | None, typer.Option("--region", help="Only this region (slug).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, csv or html.")] = "md",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of the screen.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the report.")] = "de",
    stale_days: Annotated[
        int, typer.Option("--stale-days", help="Entries not verified for this many days.")
    ] = STALE_AFTER_DAYS,
) -> None:
    """Demand per topic and language, unmet needs, reach of Lotsen links, trends by week."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    if lang not in LAUNCH_LANGUAGES:
        raise typer.BadParameter(f"use one of {', '.join(LAUNCH_LANGUAGES)}", param_hint="--lang")
    if end < start:
        raise typer.BadParameter("the period ends before it starts", param_hint="--to")
    today = SystemClock().now().astimezone(COUNTING_TIMEZONE).date()
    with open_engine() as engine, session_scope(engine) as session:
        if region is not None:
            try:
                require_region(session, region)
            except UnknownSlug as error:
                raise typer.BadParameter(str(error), param_hint="--region") from None
        data = build_report(
            session, start.date(), end.date(), today, region, lang, stale_days=stale_days
        )
    text = render(data, fmt)
    if out is None:
        typer.echo(text, nl=False)
    else:
        with writing(out):
            out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}.")
