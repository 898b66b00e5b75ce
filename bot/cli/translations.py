"""`wegweiser translations`: how complete each language is, and files for translators.

Two kinds of text are translated: the interface (``locales/``, strings of the code) and the
catalogue (texts of services and courses, in the database). ``status`` shows both; ``export``
writes one language's catalogue texts, or with ``--interface`` its interface strings that need
review; ``import`` takes either kind back and tells them apart by their contexts.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlmodel import Session

from bot import ui_translations
from bot.cli.common import console, fail, fail_invalid, open_engine, writing
from bot.settings import LANGUAGES, SOURCE_LANGUAGE
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


def _interface_table() -> Table:
    table = Table(title="Interface translations (locales/)")
    for name in ("language", "domain", "total", "missing", "fuzzy", "status"):
        table.add_column(name, justify="right" if name in ("total", "missing", "fuzzy") else "left")
    for row in ui_translations.statuses():
        if row.lang == ui_translations.SOURCE:
            continue
        counts = (str(row.total), str(row.missing), str(row.fuzzy))
        table.add_row(row.lang, row.domain, *counts, escape(row.status))
    return table


@app.command()
def status() -> None:
    """Per language: interface strings (total, missing, fuzzy, how they were made) and how many
    catalogue texts are current, outdated, machine-made or missing."""
    console.print(_interface_table())
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
    interface: Annotated[
        bool, typer.Option("--interface", help="Interface strings instead of catalogue texts.")
    ] = False,
    needs_review: Annotated[
        bool,
        typer.Option("--needs-review", help="Only catalogue texts not yet current (for review)."),
    ] = False,
) -> None:
    """Write one language's texts (source and translation) for translators.

    In PO files, machine-made, outdated and fuzzy texts are marked fuzzy: a translator confirms
    one by removing that mark. In CSV files, every filled translation counts as confirmed.
    With --interface, only the strings that need review are written: missing and fuzzy ones,
    and all strings of a domain not yet reviewed by a person.
    """
    source = ui_translations.SOURCE if interface else SOURCE_LANGUAGE
    if lang not in LANGUAGES or lang == source:
        choices = ", ".join(code for code in LANGUAGES if code != source)
        fail(f"'{lang}' is not a language to translate into; choose one of {choices}.")
    if interface:
        with writing(out):
            if format is FileFormat.po:
                out.write_bytes(ui_translations.export_po(lang))
            else:
                out.write_text(ui_translations.export_csv(lang), encoding="utf-8")
        console.print(f"Wrote {out}")
        return
    with open_engine() as engine, Session(engine) as session, writing(out):
        if format is FileFormat.po:
            out.write_bytes(export_po(session, lang, needs_review))
        else:
            out.write_text(export_csv(session, lang, needs_review), encoding="utf-8")
    console.print(f"Wrote {out}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A PO or CSV file from `translations export`.")],
) -> None:
    """Store a translator's file: its texts become current (checked by a person) translations."""
    if not file.is_file():
        fail(f"{file}: no such file.")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot be read as UTF-8 text ({error}).")
    if ui_translations.is_interface_file(text):
        _import_interface(file)
        return
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


def _import_interface(file: Path) -> None:
    try:
        result = ui_translations.import_file(file)
    except ui_translations.ReviewFileError as error:
        fail(str(error))
    console.print(
        f"{result.lang}: {result.stored} interface strings stored as reviewed, "
        f"{result.unchanged} unchanged."
    )
    if result.skipped_fuzzy:
        console.print(f"{result.skipped_fuzzy} still marked fuzzy were left as they were.")
    for domain in result.reviewed_domains:
        console.print(f"{domain}: every string is reviewed now; the file says so.")
