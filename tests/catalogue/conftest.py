"""Catalogue test helpers: the fixture catalogue loaded, and a dump to prove nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.storage.metadata import metadata
from services_catalog.importer import import_path

DATA = Path(__file__).parent / "data"
FIXTURE_CATALOGUE = DATA / "catalogue"
DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the database, in a stable order."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in metadata.sorted_tables
        }


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """A database holding the fixture catalogue (two regions, services, a pool and a course)."""
    import_path(engine, FIXTURE_CATALOGUE)
    return engine


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture catalogue, for tests that edit files."""
    target = tmp_path / "catalogue"
    target.mkdir()
    for source in FIXTURE_CATALOGUE.glob("*.yaml"):
        (target / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return target
