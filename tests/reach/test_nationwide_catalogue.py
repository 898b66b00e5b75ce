"""The nationwide layer in the catalogue files: same format, same validation, a region's switch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from services_catalog.exporter import export_yaml
from services_catalog.importer import import_path
from services_catalog.models import Region
from services_catalog.queries import nationwide_for, regions
from services_catalog.records import InvalidCatalogue
from tests import helpers
from tests.reach.conftest import CATALOGUE, NOW

DEMO = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, target)
    return target


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _stored(engine: Engine) -> list[tuple[str, bool]]:
    with Session(engine) as session:
        return sorted((r.slug, r.nationwide) for r in session.exec(select(Region)))


def test_a_switch_naming_no_nationwide_service_is_refused_with_file_record_and_field(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    directory = _copy(tmp_path)
    _edit(directory, "bergdorf.yaml", "[bundesweit-jobhotline]", "[bundesweit-johotline]")
    with pytest.raises(InvalidCatalogue) as raised:
        import_path(sqlite_engine, directory)
    assert [str(error) for error in raised.value.errors] == [
        "bergdorf.yaml: region bergdorf: nationwide_off[0]: not a nationwide service "
        "'bundesweit-johotline'; did you mean 'bundesweit-jobhotline'?"
    ]
    assert _stored(sqlite_engine) == []  # nothing was written


def test_a_local_service_cannot_be_switched_off_as_nationwide(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    directory = _copy(tmp_path)
    _edit(directory, "bergdorf.yaml", "[bundesweit-jobhotline]", "[talstadt-jobs]")
    with pytest.raises(InvalidCatalogue) as raised:
        import_path(sqlite_engine, directory)
    assert "nationwide_off[0]: not a nationwide service 'talstadt-jobs'" in str(raised.value)


def test_the_nationwide_layer_is_no_place(sqlite_engine: Engine, tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit(
        directory, "nationwide.yaml", "nationwide: true", 'nationwide: true\n  postcodes: ["10115"]'
    )
    with pytest.raises(InvalidCatalogue) as raised:
        import_path(sqlite_engine, directory)
    assert "nationwide.yaml: region bundesweit: " in str(raised.value)
    assert "a nationwide region has no postcodes and no state" in str(raised.value)


def test_export_then_import_keeps_the_layer_and_the_switch(engine: Engine, tmp_path: Path) -> None:
    helpers.load_catalogue(engine, CATALOGUE, NOW)
    out = tmp_path / "out"
    with Session(engine) as session:
        export_yaml(session, out)
    exported = (out / "bundesweit.yaml").read_text(encoding="utf-8")
    assert "nationwide: true" in exported
    assert "nationwide_off:\n  - bundesweit-jobhotline" in (out / "bergdorf.yaml").read_text()
    assert import_path(engine, out).empty
    with Session(engine) as session:
        assert [region.slug for region in regions(session)] == ["bergdorf", "talstadt"]
        offered = nationwide_for(session, "bergdorf", ["work"], "en")
        assert offered == []
        offered = nationwide_for(session, "talstadt", ["work"], "en")
        assert [view.id for view in offered] == ["bundesweit-jobhotline"]
        assert offered[0].nationwide


def test_every_demo_nationwide_entry_cites_a_public_page(sqlite_engine: Engine) -> None:
    helpers.load_catalogue(sqlite_engine, DEMO, NOW)
    with Session(sqlite_engine) as session:
        views = nationwide_for(
            session,
            None,
            ["migration_counselling", "youth_migration", "women", "psychosocial", "recognition"],
            "de",
        )
    assert len(views) == 6
    for view in views:
        assert view.source.startswith("https://www.")
        assert view.phone or view.website or view.online_counselling
