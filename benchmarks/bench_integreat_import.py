"""How long an Integreat region takes to convert and to import, first and again.

A large Integreat region has some hundred locations in a dozen languages; the import runs from
the command line, so seconds are fine, minutes are not. The second import (nothing changed) is
what a nightly sync costs. Run with ``make bench``; nothing here asserts a time.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog.db import alembic_config, make_engine
from services_catalog.integreat.client import DumpSource, save_dump
from services_catalog.integreat.convert import convert
from services_catalog.integreat.fetch import RegionData, fetch_region
from services_catalog.integreat.mapping import Mapping
from services_catalog.integreat.sync import commit_import, plan_import
from tests.integreat import region

LOCATIONS = 500
MAPPING = Mapping.model_validate({"categories": {"Migrationsberatung": ["migration_counselling"]}})


def _large_answers() -> dict[str, Any]:
    """The test region with its first location copied ``LOCATIONS`` times in every language."""
    answers = region.answers()
    for path, items in answers.items():
        if not path.endswith("/locations/"):
            continue
        template = [item for item in items if item["location"]["id"] == 101]
        answers[path] = []
        for number in range(LOCATIONS):
            for item in template:
                copied = copy.deepcopy(item)
                copied["location"]["id"] = 10_000 + number
                copied["title"] += f" {number}"
                copied["url"] += f"{number}/"
                answers[path].append(copied)
    return answers


@pytest.fixture(scope="module")
def dump_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("integreat")
    save_dump(directory, _large_answers())
    return directory


@pytest.fixture(scope="module")
def data(dump_dir: Path) -> RegionData:
    return asyncio.run(fetch_region(DumpSource(dump_dir), region.REGION, None))


def _engine(directory: Path) -> Engine:
    url = f"sqlite:///{directory / 'bench.db'}"
    command.upgrade(alembic_config(url), "head")
    return make_engine(url)


def _import(engine: Engine, data: RegionData) -> None:
    with Session(engine, expire_on_commit=False) as session:
        commit_import(session, plan_import(session, convert(data, MAPPING)))


def test_read_and_check_a_dump(benchmark: Callable[..., object], dump_dir: Path) -> None:
    benchmark(lambda: asyncio.run(fetch_region(DumpSource(dump_dir), region.REGION, None)))


def test_convert(benchmark: Callable[..., object], data: RegionData) -> None:
    benchmark(convert, data, MAPPING)


def test_first_import(benchmark: Any, data: RegionData, tmp_path: Path) -> None:
    rounds = iter(range(3))

    def empty_database() -> tuple[tuple[Engine, RegionData], dict[str, Any]]:
        directory = tmp_path / str(next(rounds))
        directory.mkdir()
        return (_engine(directory), data), {}

    benchmark.pedantic(_import, setup=empty_database, rounds=3)


def test_import_again_unchanged(benchmark: Any, data: RegionData, tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    _import(engine, data)
    benchmark.pedantic(_import, args=(engine, data), rounds=3)
