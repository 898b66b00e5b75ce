"""`wegweiser translations`: how complete each language is, and files for translators."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from bot.cli.common import console, fail, fail_invalid, open_engine, writing
from bot.settings import LAUNCH_LANGUAGES, SOURCE_LANGUAGE
from services_catalog.records import InvalidCatalogue
from services_catalog.translation_files import (
    STATUSES,
    export_csv,
    export_po,
    import_file,
    status_counts,
)

app = typer.Typer(help="Translation status, and files for translators.", no_args_is_help=True)


class FileFormat(StrEnum):
    po = "po"
    csv = "csv"


@app.command()
def status() -> None:
    """Per language: how many catalogue texts are current, outdated, machine-made or missing."""
    with open_engine() as engine, Session(engine) as session:
        counts = status_counts(session)
    table = Table(title="Catalogue translations")
    table.add_column("language")
    for name in STATUSES:
        table.add_column(name, justify="right")
    for lang, counter in counts.items():
        table.add_row(lang, *(str(counter[name]) for name in STATUSES))
    console.print(table)


@app.command()
def export(
    lang: Annotated[str, typer.Argument(help="The language to translate into, e.g. uk.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    format: Annotated[FileFormat, typer.Option("--format", help="po or csv.")] = FileFormat.po,
) -> None:
    """Write one language's texts (German source and translation) for translators.

    In PO files, machine-made and outdated texts are marked fuzzy: a translator confirms one by
    removing that mark. In CSV files, every filled translation counts as confirmed.
    """
    if lang not in LAUNCH_LANGUAGES or lang == SOURCE_LANGUAGE:
        choices = ", ".join(code for code in LAUNCH_LANGUAGES if code != SOURCE_LANGUAGE)
        fail(f"'{lang}' is not a language to translate into; choose one of {choices}.")
    with open_engine() as engine, Session(engine) as session, writing(out):
        if format is FileFormat.po:
            out.write_bytes(export_po(session, lang))
        else:
            out.write_text(export_csv(session, lang), encoding="utf-8")
    console.print(f"Wrote {out}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A PO or CSV file from `translations export`.")],
) -> None:
    """Store a translator's file: its texts become current (checked by a person) translations."""
    if not file.is_file():
        fail(f"{file}: no such file.")
    with open_engine() as engine, Session(engine) as session:
        try:
            result = import_file(session, file)
        except InvalidCatalogue as error:
            session.rollback()
            fail_invalid(error)
        session.commit()
    stored = "translation" if result.current == 1 else "translations"
    console.print(
        f"{result.lang}: {result.current} {stored} stored as current, {result.unchanged} unchanged."
    )
    if result.outdated:
        verb = "was" if result.outdated == 1 else "were"
        console.print(
            f"{result.outdated} {verb} translated from an older German text and marked outdated."
        )
    if result.skipped_fuzzy:
        left = "was left as it was" if result.skipped_fuzzy == 1 else "were left as they were"
        console.print(f"{result.skipped_fuzzy} still marked fuzzy {left}.")
