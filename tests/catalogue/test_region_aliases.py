"""A region's aliases (the names people type in other scripts) travel through import and export."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog import queries, yamlio
from services_catalog.exporter import export_yaml
from services_catalog.importer import import_path
from tests.catalogue.conftest import DEMO_CATALOGUE, dump

TESTBURG_ALIASES = ["Testburg", "Тестбург", "تستبورغ", "TB"]


def test_aliases_are_imported_in_their_order(loaded: Engine) -> None:
    with Session(loaded) as session:
        testburg = queries.region_by_slug(session, "testburg")
        nordhausen = queries.region_by_slug(session, "nordhausen")

    assert testburg is not None and testburg.aliases == TESTBURG_ALIASES
    assert nordhausen is not None and not nordhausen.aliases


def test_exported_aliases_import_back_unchanged(loaded: Engine, tmp_path: Path) -> None:
    with Session(loaded) as session:
        export_yaml(session, tmp_path / "export")
    exported = yamlio.load((tmp_path / "export" / "testburg.yaml").read_text(encoding="utf-8"))
    before = dump(loaded)

    plan = import_path(loaded, tmp_path / "export")

    assert exported["region"]["aliases"] == TESTBURG_ALIASES
    assert plan.empty
    assert dump(loaded) == before


def test_an_edited_alias_list_is_a_change_of_that_field_only(
    loaded: Engine, catalogue_copy: Path
) -> None:
    region_file = catalogue_copy / "testburg.yaml"
    text = region_file.read_text(encoding="utf-8")
    region_file.write_text(text.replace(", TB]", ", TB, Тестбурґ]"), encoding="utf-8")

    plan = import_path(loaded, catalogue_copy)

    assert [(c.kind, c.id, c.fields) for c in plan.changed] == [
        ("region", "testburg", ("aliases",))
    ]
    with Session(loaded) as session:
        testburg = queries.region_by_slug(session, "testburg")
    assert testburg is not None and testburg.aliases == [*TESTBURG_ALIASES, "Тестбурґ"]


def test_every_demo_region_has_names_in_the_launch_scripts(engine: Engine) -> None:
    import_path(engine, DEMO_CATALOGUE)
    with Session(engine) as session:
        known = queries.regions(session)

    assert len(known) == 4
    for region in known:
        aliases = " ".join(region.aliases or [])
        assert any("\u0400" <= char <= "\u04ff" for char in aliases), region.slug  # Cyrillic
        assert any("\u0600" <= char <= "\u06ff" for char in aliases), region.slug  # Arabic script
