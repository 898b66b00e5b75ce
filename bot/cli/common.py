"""What every command needs: the database from settings (refused unless migrated), clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine

from bot.settings import Settings
from services_catalog.db import SchemaNotCurrent, ensure_current, make_engine
from services_catalog.records import InvalidCatalogue

console = Console()
errors = Console(stderr=True)


def database_url() -> str:
    """Read fresh each time, so that one process (or test) can point commands elsewhere."""
    return Settings().resolved_database_url()


def fail(message: str) -> NoReturn:
    errors.print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(1)


def fail_invalid(error: InvalidCatalogue) -> NoReturn:
    """Every input error on its own line (file: record: field: message), then nothing written."""
    for found in error.errors:
        errors.print(f"[red]✗[/] {escape(str(found))}")
    count = len(error.errors)
    fail(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.")


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """A file that cannot be written (no such folder, no permission) as a clear error."""
    try:
        yield
    except OSError as error:
        fail(f"Cannot write {path}: {error.strerror or error}.")


@contextmanager
def open_engine(*, check_schema: bool = True) -> Iterator[Engine]:
    """The configured database; refuses one that is not migrated with the command to run."""
    engine = make_engine(database_url())
    try:
        if check_schema:
            try:
                ensure_current(engine)
            except SchemaNotCurrent as error:
                fail(str(error))
        yield engine
    finally:
        engine.dispose()
