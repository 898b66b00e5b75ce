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
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

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


def _first_line(error: BaseException) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:300]


def _shown_url(url: str) -> str:
    """The database address without its password, to say which database failed."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured database"


def _is_connection_fault(error: DBAPIError) -> bool:
    text = _first_line(error).lower()
    return any(sign in text for sign in ("connect", "unable to open", "timeout expired"))


def database_fault(error: SQLAlchemyError, url: str) -> str:
    """What went wrong with the database, in one or two lines that say what to check."""
    if isinstance(error, DBAPIError) and (
        error.connection_invalidated or _is_connection_fault(error)
    ):
        return (
            f"Cannot reach the database {_shown_url(url)}: {_first_line(error)}\n"
            "Check WEGWEISER_DATABASE_URL and that the database server is running."
        )
    if isinstance(error, DBAPIError):
        return f"The database refused the command: {_first_line(error)}"
    return f"The database failed: {_first_line(error)}"


@contextmanager
def database_faults(url: str) -> Iterator[None]:
    """A database that cannot be reached or refuses a command as two clear lines, not a trace."""
    try:
        yield
    except SQLAlchemyError as error:
        fail(database_fault(error, url))


@contextmanager
def open_engine(*, check_schema: bool = True) -> Iterator[Engine]:
    """The configured database; refuses one that is not migrated with the command to run."""
    url = database_url()
    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError, ValueError) as error:
        fail(f"WEGWEISER_DATABASE_URL is not a database address: {_first_line(error)}")
    except OSError as error:
        fail(f"Cannot open the database {_shown_url(url)}: {error.strerror or error}.")
    try:
        with database_faults(url):
            if check_schema:
                try:
                    ensure_current(engine)
                except SchemaNotCurrent as error:
                    fail(str(error))
            yield engine
    finally:
        engine.dispose()
