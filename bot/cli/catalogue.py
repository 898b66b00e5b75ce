"""`wegweiser catalogue`: import, export, check and edit the catalogue of services and courses."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich import box
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine
from sqlmodel import Session

from bot.cli import catalogue_checks
from bot.cli.common import console, fail, fail_invalid, open_engine, writing
from bot.cli.integreat import run_import, show_details
from services_catalog import yamlio
from services_catalog.editing import (
    EntryKind,
    deep_merge,
    plan_add,
    plan_edit,
    plan_retire,
    restore,
)
from services_catalog.editing import set_path as set_field
from services_catalog.exporter import csv_text, export_yaml
from services_catalog.importer import (
    Plan,
    commit_plan,
    import_path,
)
from services_catalog.integreat.client import DEFAULT_BASE_URL, DEFAULT_REQUEST_INTERVAL
from services_catalog.models import CourseKind
from services_catalog.queries import UnknownSlug, require_known
from services_catalog.readers import read_text
from services_catalog.records import CatalogueError, InvalidCatalogue
from services_catalog.snapshot import read_stored, utcnow
from services_catalog.translations import TextEntry

app = typer.Typer(
    help="Import, export, check and edit the service catalogue.", no_args_is_help=True
)
add_app = typer.Typer(help="Add a service or a course.", no_args_is_help=True)
edit_app = typer.Typer(help="Change a service or a course.", no_args_is_help=True)
retire_app = typer.Typer(
    help="Retire a service or a course (it leaves the bot).", no_args_is_help=True
)
app.add_typer(add_app, name="add")
app.add_typer(edit_app, name="edit")
app.add_typer(retire_app, name="retire")
restore_app = typer.Typer(
    help="Bring back a retired service or course, as it was.", no_args_is_help=True
)
app.add_typer(restore_app, name="restore")


class ExportFormat(StrEnum):
    yaml = "yaml"
    csv = "csv"


SET_HELP = (
    "Set a field: KEY=VALUE with a dotted key, e.g. contact.phone='+49 381 123', "
    "title.en='Migration counselling', topics='\\[work, health]', valid_until=30.06.2027, "
    "address.street=null to clear. Repeatable."
)

# The options the add, edit and retire commands share.
NewId = Annotated[str, typer.Argument(metavar="ID", help="A new id: a-z, 0-9 and '-'.")]
GermanTitle = Annotated[str | None, typer.Option(help="The German title.")]
Source = Annotated[str | None, typer.Option(help="Where the facts come from (document, section).")]
Sets = Annotated[list[str] | None, typer.Option("--set", help=SET_HELP)]
FromFile = Annotated[
    Path | None,
    typer.Option(
        "--from-file", help="A YAML file with the record's fields, written as in a region file."
    ),
]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def show_plan(plan: Plan, *, verb: str = "will be", from_files: bool = False) -> None:
    """What an import or edit adds, changes and retires, as a table; for files also what it
    undoes and what it leaves alone."""
    if plan.empty:
        console.print("No changes: the catalogue already matches.")
    else:
        table = Table(title="Changes", show_lines=False)
        for column in ("", "kind", "id", "fields"):
            table.add_column(column, overflow="fold")
        restored = set(plan.restored)
        for label, style, changes in (
            ("added", "green", plan.added),
            ("changed", "yellow", plan.changed),
            ("retired", "red", plan.retired),
        ):
            for change in changes:
                shown = "brought back" if change in restored else label
                table.add_row(
                    f"[{style}]{shown}[/]",
                    change.kind,
                    escape(change.id),
                    escape(", ".join(change.fields)),
                )
        console.print(table)
        console.print(
            f"{len(plan.added)} {verb} added, {len(plan.changed)} changed, "
            f"{len(plan.retired)} retired."
        )
    if from_files and plan.changed:
        console.print(
            "Changed entries take the values in the files: changes made since with "
            "`wegweiser catalogue edit` or `add` are replaced. To keep them, export first "
            "(`wegweiser catalogue export --out DIR`) and edit the exported files."
        )
    if plan.left_out:
        ids = ", ".join(f"{change.kind} {change.id}" for change in plan.left_out)
        console.print(
            f"{len(plan.left_out)} active entries of these regions are not in the files and "
            f"stay as they are: {escape(ids)}. To retire them, import with --retire-missing."
        )


class ImportSource(StrEnum):
    files = "files"
    integreat = "integreat"
    integreat_dump = "integreat-dump"


@app.command("import")
def import_(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A directory of region YAML files, one such file, or a CSV file; "
            "with --from integreat-dump the dump's directory."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would change.")
    ] = False,
    source: Annotated[
        ImportSource,
        typer.Option("--from", help="files, integreat (its API) or integreat-dump (a saved dump)."),
    ] = ImportSource.files,
    region: Annotated[
        str | None, typer.Option("--region", help="Integreat: the region's slug.")
    ] = None,
    base_url: Annotated[
        str,
        typer.Option(
            "--base-url", envvar="WEGWEISER_INTEGREAT_URL", help="Integreat: the instance's root."
        ),
    ] = DEFAULT_BASE_URL,
    request_interval: Annotated[
        float,
        typer.Option(
            "--request-interval",
            envvar="WEGWEISER_INTEGREAT_REQUEST_INTERVAL",
            min=0.0,
            help="Integreat: seconds between two requests (a polite rate for a shared server).",
        ),
    ] = DEFAULT_REQUEST_INTERVAL,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="Integreat: categories to topics (YAML); without it the "
            "region's categories are listed.",
        ),
    ] = None,
    languages: Annotated[
        str | None,
        typer.Option("--languages", help="Integreat: languages to import, e.g. de,en,ar."),
    ] = None,
    save_dump: Annotated[
        Path | None,
        typer.Option("--save-dump", help="Integreat: also save what was read to this directory."),
    ] = None,
    retire_missing: Annotated[
        bool,
        typer.Option(
            "--retire-missing",
            help="Also retire the services and courses of these regions that the files (or "
            "Integreat) no longer have.",
        ),
    ] = False,
) -> None:
    """Load catalogue files (or a region from Integreat) into the database: all, or nothing."""
    if source is ImportSource.integreat and path is not None:
        fail("--from integreat reads the region given with --region; give no PATH.")
    if source is not ImportSource.files:
        planned = run_import(
            dump=path if source is ImportSource.integreat_dump else None,
            region=region,
            base_url=base_url,
            request_interval=request_interval,
            mapping_file=mapping,
            languages=languages,
            dry_run=dry_run,
            save_to=save_dump,
            retire_missing=retire_missing,
        )
        if planned is not None:
            show_details(planned)
            _report(planned.plan, dry_run)
        return
    if path is None:
        fail("Give a directory of region files, a region file or a CSV file.")
    if save_dump or region or mapping or languages:
        fail("--region, --mapping, --languages and --save-dump need --from integreat.")
    with open_engine() as engine:
        try:
            plan = import_path(engine, path, dry_run=dry_run, retire_missing=retire_missing)
        except InvalidCatalogue as error:
            fail_invalid(error)
    _report(plan, dry_run, from_files=True)


def _report(plan: Plan, dry_run: bool, *, from_files: bool = False) -> None:
    show_plan(plan, verb="would be" if dry_run else "were", from_files=from_files)
    if dry_run and not plan.empty:
        console.print("Dry run: nothing was written.")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A directory of region YAML files, or a CSV file.")],
    retire_missing: Annotated[
        bool,
        typer.Option("--retire-missing", help="Check as an import with --retire-missing would."),
    ] = False,
) -> None:
    """Check catalogue files against the format and the database, without writing anything."""
    with open_engine() as engine:
        try:
            plan = import_path(engine, path, dry_run=True, retire_missing=retire_missing)
        except InvalidCatalogue as error:
            fail_invalid(error)
    incoming = plan.incoming
    console.print(
        f"Valid: {len(incoming.regions)} regions, {len(incoming.providers)} providers, "
        f"{len(incoming.services)} services, {len(incoming.courses)} courses."
    )
    show_plan(plan, verb="would be", from_files=True)


@app.command()
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="yaml or csv.")
    ] = ExportFormat.yaml,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Directory for YAML (one file per region); file for CSV (default: print)."
        ),
    ] = None,
) -> None:
    """Write the catalogue as files that `catalogue import` reads back unchanged."""
    with open_engine() as engine, Session(engine) as session:
        if format is ExportFormat.csv:
            text = csv_text(session)
            if out is None:
                typer.echo(text, nl=False)
            else:
                with writing(out):
                    out.write_text(text, encoding="utf-8")
                console.print(f"Wrote {out}")
            return
        if out is None:
            fail("YAML export writes one file per region: give a directory with --out DIR.")
        if out.exists() and not out.is_dir():
            fail(f"{out} is a file; YAML export needs a directory.")
        with writing(out):
            for written in export_yaml(session, out):
                console.print(f"Wrote {written}")


def _german(entries: dict[str, TextEntry] | None) -> str:
    return entries["de"].text if entries and "de" in entries else ""


@app.command("list")
def list_(
    topic: Annotated[
        str | None, typer.Option("--topic", help="Only services for this topic.")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Only this region (its slug).")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", help="Only services whose staff speak this language."),
    ] = None,
) -> None:
    """List the active services, with their courses counted."""
    today = date.today()
    with open_engine() as engine, Session(engine) as session:
        try:
            require_known(session, region=region, topic=topic)
        except UnknownSlug as error:
            fail(str(error))
        catalogue = read_stored(session).catalogue
    course_count: dict[str, int] = {}
    for course in catalogue.courses.values():
        course_count[course.service] = course_count.get(course.service, 0) + 1
    shown = [
        service
        for service in sorted(catalogue.services.values(), key=lambda s: (s.region or "", s.id))
        if (not topic or topic in service.topics)
        and (not region or service.region == region)
        and (not language or language in service.languages)
    ]
    console.print(_services_table(shown, course_count, today, console.width))
    console.print(f"{len(shown)} services.")


# The columns of `catalogue list` from the widest terminal down; each narrower layout keeps what
# an admin needs to find an entry (id, region, title, last check) and drops the rest.
_WIDE = ("id", "region", "topics", "title", "languages", "courses", "verified", "until")
_MEDIUM = ("id", "region", "title", "courses", "verified", "until")


def _services_table(
    services: list[Any], course_count: dict[str, int], today: date, width: int
) -> Table:
    """The services as a table that fits ``width`` columns; at 80 the ids still show in full."""
    narrow = width < 120
    columns = _WIDE if width >= 170 else _MEDIUM if not narrow else ("service", "title", "checked")
    fixed = {"courses": 7, "verified": 10, "until": 12, "checked": 10, "region": 16}
    fixed |= {"languages": 12, "topics": 22}
    room = width - 2 * len(columns) - sum(fixed.get(column, 0) for column in columns) - 20
    longest_id = max((len(service.id) for service in services), default=2)
    fixed["id"] = fixed["service"] = max(12, min(longest_id, room))
    table = Table(title="Services", box=box.SIMPLE_HEAD, pad_edge=False, width=width)
    for column in columns:
        table.add_column(
            column, overflow="fold", width=fixed.get(column), ratio=1 if column == "title" else None
        )
    for service in services:
        ended = service.valid_until is not None and service.valid_until < today
        until = str(service.valid_until or "")
        cells = {
            "id": escape(service.id),
            "region": escape(service.region or ""),
            "topics": ", ".join(service.topics),
            "title": escape(_german(service.title)),
            "languages": ", ".join(service.languages),
            "courses": str(course_count.get(service.id, 0)),
            "verified": service.verified.isoformat() if service.verified else "never",
            "until": f"[red]{until}\nended[/]" if ended else until,
        }
        cells["checked"] = cells["verified"]
        cells["service"] = f"{cells['id']}\n[dim]{cells['region']}[/]"
        if until:
            cells["service"] += f"\n[red]ended {until}[/]" if ended else f"\nuntil {until}"
        table.add_row(*(cells[column] for column in columns))
    return table


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A record as (field, value) lines, texts one line per language with their status."""
    if isinstance(data, dict):
        if set(data) <= {"text", "status"} and "text" in data:
            status = data.get("status")
            return [
                (
                    prefix,
                    data["text"] + (f"  [{status}]" if status not in (None, "current") else ""),
                )
            ]
        lines = []
        for key, value in data.items():
            lines.extend(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return lines
    if data is None or data == [] or data == {}:
        return []
    if isinstance(data, list) and all(not isinstance(item, dict | list) for item in data):
        return [(prefix, ", ".join(str(item) for item in data))]
    if isinstance(data, list):
        lines = []
        for position, item in enumerate(data):
            lines.extend(_flatten(item, f"{prefix}[{position}]"))
        return lines
    return [(prefix, str(data))]


@app.command()
def show(entry_id: str = typer.Argument(..., metavar="ID", help="A service or course id.")) -> None:
    """Show every field of one service or course, with each translation's status."""
    with open_engine() as engine, Session(engine) as session:
        stored = read_stored(session)
    catalogue = stored.catalogue
    record = catalogue.services.get(entry_id) or catalogue.courses.get(entry_id)
    if record is None:
        if entry_id in stored.retired_services | stored.retired_courses:
            fail(f"'{entry_id}' is retired.")
        fail(f"There is no service or course with the id '{entry_id}'.")
    kind = "service" if entry_id in catalogue.services else "course"
    table = Table(title=f"{kind} {escape(entry_id)}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for name, value in _flatten(record.model_dump(mode="json")):
        table.add_row(escape(name), escape(value))
    if kind == "service":
        courses = sorted(c.id for c in catalogue.courses.values() if c.service == entry_id)
        if courses:
            table.add_row("courses", escape(", ".join(courses)))
    console.print(table)


def _parse_value(raw: str) -> Any:
    """A --set value: null/true/false and [lists]/{maps} as YAML, anything else as text."""
    if raw in ("null", "~"):
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if raw.startswith(("[", "{")):
        try:
            return yamlio.load(raw)
        except yaml.YAMLError as error:
            raise InvalidCatalogue(
                [CatalogueError("command line", "", raw, f"not valid YAML: {error}")]
            ) from None
    return raw


def _updates(sets: list[str], from_file: Path | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if from_file is not None:
        problems: list[CatalogueError] = []
        if not from_file.is_file():
            raise InvalidCatalogue([CatalogueError(str(from_file), "", "", "no such file")])
        text = read_text(from_file, problems)
        if text is None:
            raise InvalidCatalogue(problems)
        try:
            loaded = yamlio.load(text)
        except yaml.YAMLError as error:
            raise InvalidCatalogue(
                [CatalogueError(from_file.name, "", "", f"not valid YAML: {error}")]
            ) from None
        if not isinstance(loaded, dict):
            raise InvalidCatalogue(
                [CatalogueError(from_file.name, "", "", "expected the record's fields")]
            )
        data.update(loaded)
    for item in sets:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InvalidCatalogue(
                [CatalogueError("command line", "", item, "write --set KEY=VALUE")]
            )
        set_field(data, key.strip(), _parse_value(raw))
    return data


def _confirm_and_apply(engine: Engine, build: Any, yes: bool) -> None:
    """Plan inside one transaction, show it, ask, then write it all (or nothing)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            plan = build(session)
        except InvalidCatalogue as error:
            session.rollback()
            fail_invalid(error)
        show_plan(plan)
        if plan.empty:
            return
        if not yes and not typer.confirm("Apply these changes?", default=False):
            session.rollback()
            console.print("Nothing was changed.")
            raise typer.Exit(1)
        try:
            commit_plan(session, plan)
        except InvalidCatalogue as error:
            session.rollback()
            fail_invalid(error)
    console.print("Done.")


def _edit(
    kind: EntryKind, entry_id: str, sets: list[str], from_file: Path | None, yes: bool
) -> None:
    with open_engine() as engine:
        try:
            updates = _updates(sets, from_file)
        except InvalidCatalogue as error:
            fail_invalid(error)
        if not updates:
            fail("Nothing to change: give --set KEY=VALUE or --from-file FILE.")
        origin = from_file.name if from_file else "command line"
        _confirm_and_apply(engine, lambda s: plan_edit(s, kind, entry_id, updates, origin), yes)


def _add(
    kind: EntryKind, base: dict[str, Any], sets: list[str], from_file: Path | None, yes: bool
) -> None:
    with open_engine() as engine:
        try:
            data = _updates(sets, from_file)
        except InvalidCatalogue as error:
            fail_invalid(error)
        data = deep_merge(data, {k: v for k, v in base.items() if v not in (None, [])})
        origin = from_file.name if from_file else "command line"
        _confirm_and_apply(engine, lambda s: plan_add(s, kind, data, origin), yes)


@add_app.command("service")
def add_service(
    entry_id: NewId,
    region: Annotated[str | None, typer.Option(help="The region's slug.")] = None,
    provider: Annotated[str | None, typer.Option(help="The provider's id.")] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="A topic slug; repeatable.")
    ] = None,
    title: GermanTitle = None,
    source: Source = None,
    sets: Sets = None,
    from_file: FromFile = None,
    yes: Yes = False,
) -> None:
    """Add a service."""
    base = {
        "id": entry_id,
        "region": region,
        "provider": provider,
        "topics": topic or [],
        "title": {"de": title} if title else None,
        "source": source,
    }
    _add("service", base, sets or [], from_file, yes)


@add_app.command("course")
def add_course(
    entry_id: NewId,
    service: Annotated[
        str | None, typer.Option(help="The id of the service that offers it.")
    ] = None,
    kind: Annotated[CourseKind | None, typer.Option(help="The kind of course.")] = None,
    title: GermanTitle = None,
    start_date: Annotated[
        str | None, typer.Option("--start-date", help="First day: 2027-01-11 or 11.01.2027.")
    ] = None,
    source: Source = None,
    sets: Sets = None,
    from_file: FromFile = None,
    yes: Yes = False,
) -> None:
    """Add a course to a service."""
    base = {
        "id": entry_id,
        "service": service,
        "kind": kind.value if kind else None,
        "title": {"de": title} if title else None,
        "start_date": start_date,
        "source": source,
    }
    _add("course", base, sets or [], from_file, yes)


@edit_app.command("service")
def edit_service(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The service's id.")],
    sets: Sets = None,
    from_file: FromFile = None,
    yes: Yes = False,
) -> None:
    """Change fields of a service; changed German texts mark their translations outdated."""
    _edit("service", entry_id, sets or [], from_file, yes)


@edit_app.command("course")
def edit_course(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The course's id.")],
    sets: Sets = None,
    from_file: FromFile = None,
    yes: Yes = False,
) -> None:
    """Change fields of a course; people with reminders for it are told."""
    _edit("course", entry_id, sets or [], from_file, yes)


def _retire(kind: EntryKind, entry_id: str, yes: bool) -> None:
    with open_engine() as engine:
        _confirm_and_apply(engine, lambda s: plan_retire(s, kind, entry_id), yes)


@retire_app.command("service")
def retire_service(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The service's id.")],
    yes: Yes = False,
) -> None:
    """Retire a service and its courses; the id stays reserved."""
    _retire("service", entry_id, yes)


@retire_app.command("course")
def retire_course(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The course's id.")],
    yes: Yes = False,
) -> None:
    """Retire a course; people with reminders for it are told."""
    _retire("course", entry_id, yes)


def _restore(kind: EntryKind, entry_id: str) -> None:
    with open_engine() as engine, Session(engine) as session:
        try:
            restore(session, kind, entry_id, utcnow())
        except InvalidCatalogue as error:
            session.rollback()
            fail_invalid(error)
        session.commit()
    console.print(f"{kind.capitalize()} {escape(entry_id)} is back in the catalogue.")


@restore_app.command("service")
def restore_service(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The retired service's id.")],
) -> None:
    """Bring back a retired service; restore its courses one by one if they should return."""
    _restore("service", entry_id)


@restore_app.command("course")
def restore_course(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The retired course's id.")],
) -> None:
    """Bring back a retired course of an active service."""
    _restore("course", entry_id)


catalogue_checks.register(app)
