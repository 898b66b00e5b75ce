"""`wegweiser catalogue import --from integreat`: read a region from Integreat, then import it.

Reading happens first and completely (over HTTP or from a dump), the database is opened for
writing only afterwards: no network I/O inside a transaction, and a broken answer writes nothing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from sqlmodel import Session

from bot.cli.common import console, fail, fail_invalid, open_engine, writing
from services_catalog.integreat.client import DumpSource, HttpSource, Source, save_dump
from services_catalog.integreat.convert import categories, check_slug, convert
from services_catalog.integreat.fetch import RegionData, fetch_region
from services_catalog.integreat.mapping import read_mapping
from services_catalog.integreat.sync import IntegreatPlan, commit_import, plan_import
from services_catalog.languages import SOURCE_LANGUAGE
from services_catalog.records import InvalidCatalogue

SHOWN_VALUE = 60  # characters of a conflicting value shown in the table


def _dump_region(directory: Path) -> str:
    """The region of a dump that holds exactly one."""
    regions = sorted(p.stem for p in (directory / "regions").glob("*.json"))
    if len(regions) != 1:
        fail(f"Give --region SLUG: the dump in {directory} holds {len(regions)} regions.")
    return regions[0]


async def _read(
    source: Source, region: str, languages: list[str] | None, only_source: bool
) -> RegionData:
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
    ) as progress:
        task = progress.add_task("Reading Integreat", total=None)

        def step(where: str) -> None:
            progress.update(task, description=f"Reading {escape(where)}", advance=1)

        async with source:
            return await fetch_region(
                source, region, languages, progress=step, only_source_locations=only_source
            )


def _show_read(data: RegionData) -> None:
    """How much came back, so an admin sees at once when a region is empty or a language absent."""
    german = SOURCE_LANGUAGE
    read = [language.code for language in data.languages if language.code in data.locations]
    languages = ", ".join(read)
    console.print(
        f"Read {escape(data.info.name)}: {len(data.locations[german])} locations"
        + (f", {len(data.events[german])} events" if german in data.events else "")
        + f" ({escape(languages)})."
    )


def _show_categories(data: RegionData) -> None:
    table = Table(title=f"Location categories in {escape(data.slug)}")
    table.add_column("category (German)")
    table.add_column("locations", justify="right")
    for name, count in categories(data).items():
        table.add_row(escape(name), str(count))
    console.print(table)
    console.print(
        "Nothing was imported. Write a mapping file from these categories to Wegweiser topics "
        "(see docs/integreat.md) and run the command again with --mapping FILE."
    )


def show_details(planned: IntegreatPlan) -> None:
    """What the import leaves out, what it could not take over, what disappeared."""
    left = planned.conversion.left_out
    if left:
        table = Table(title="Not imported")
        for column in ("kind", "Integreat id", "title", "why"):
            table.add_column(column)
        for item in left:
            table.add_row(item.kind, str(item.id), escape(item.title), escape(item.reason))
        console.print(table)
    if planned.conflicts:
        table = Table(title="Conflicts: changed here and in Integreat (the local value was kept)")
        for column in ("kind", "id", "field", "here", "Integreat"):
            table.add_column(column)
        for conflict in planned.conflicts:
            table.add_row(
                conflict.kind,
                escape(conflict.id),
                conflict.field,
                escape(str(conflict.local)[:SHOWN_VALUE]),
                escape(str(conflict.integreat)[:SHOWN_VALUE]),
            )
        console.print(table)
    if planned.retired_here:
        names = ", ".join(f"{change.kind} {change.id}" for change in planned.retired_here)
        console.print(f"Retired here (or their service was), so not brought back: {escape(names)}.")
    if planned.missing:
        names = ", ".join(f"{change.kind} {change.id}" for change in planned.missing)
        console.print(
            f"[yellow]Gone from Integreat but kept:[/] {escape(names)}. "
            "Run again with --retire-missing to retire them."
        )


def run_import(
    *,
    dump: Path | None,
    region: str | None,
    base_url: str,
    request_interval: float,
    mapping_file: Path | None,
    languages: str | None,
    dry_run: bool,
    save_to: Path | None,
    retire_missing: bool,
) -> IntegreatPlan | None:
    """Read, convert, plan and (unless ``dry_run``) write; None when only categories were shown."""
    if dump is not None and not dump.is_dir():
        fail(f"{dump} is not a directory with an Integreat dump.")
    region = region or (_dump_region(dump) if dump is not None else None)
    if region is None:
        fail("Give the Integreat region with --region SLUG.")
    wanted = [lang.strip() for lang in languages.split(",") if lang.strip()] if languages else None
    source: Source = (
        DumpSource(dump)
        if dump is not None
        else HttpSource(base_url, min_interval=request_interval)
    )
    with open_engine() as engine:
        try:
            check_slug(region)
            mapping = read_mapping(mapping_file) if mapping_file is not None else None
            data = asyncio.run(_read(source, region, wanted, mapping is None and save_to is None))
        except InvalidCatalogue as error:
            fail_invalid(error)
        _show_read(data)
        if save_to is not None:
            with writing(save_to):
                written = save_dump(save_to, data.answers)
            console.print(f"Saved {len(written)} answers to {escape(str(save_to))}.")
        if mapping is None:
            _show_categories(data)
            return None
        with Session(engine, expire_on_commit=False) as session:
            try:
                planned = plan_import(
                    session, convert(data, mapping), retire_missing=retire_missing
                )
                if dry_run:
                    session.rollback()
                else:
                    commit_import(session, planned)
            except InvalidCatalogue as error:
                session.rollback()
                fail_invalid(error)
            except BaseException:
                session.rollback()
                raise
    return planned
