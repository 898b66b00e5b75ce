"""The bot with the core test catalogue plus Hafenau, a region that names its languages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.app import Wegweiser, build_app
from bot.clock import FakeClock
from bot.settings import Settings
from services_catalog.languages import LANGUAGES, LAUNCH_LANGUAGES
from tests import helpers
from tests.core.conftest import CATALOGUE as CORE_DATA
from tests.core.conftest import NOW

DATA = Path(__file__).with_name("data")
NEW_LANGUAGES = tuple(lang for lang in LANGUAGES if lang not in LAUNCH_LANGUAGES)
"""Einfache Sprache and the languages of people arriving now (``de-simple ps kmr ckb ti so fr``)."""


def load_catalogue(engine: Engine, tmp_path: Path) -> None:
    """Rostock and Koblenz from the core tests, and Hafenau, imported together."""
    directory = tmp_path / "catalogue"
    directory.mkdir()
    for path in [*CORE_DATA.glob("*.yaml"), *DATA.glob("*.yaml")]:
        shutil.copy(path, directory / path.name)
    helpers.load_catalogue(engine, directory, NOW)


@pytest.fixture
def app(sqlite_engine: Engine, tmp_path: Path) -> Iterator[Wegweiser]:
    load_catalogue(sqlite_engine, tmp_path)
    yield build_app(Settings(data_dir=tmp_path), clock=FakeClock(NOW), engine=sqlite_engine)
