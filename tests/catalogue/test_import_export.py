"""Importing catalogue files, and exporting them back unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from services_catalog import changes, queries
from services_catalog.exporter import csv_text, export_yaml
from services_catalog.importer import import_path
from services_catalog.topics import TOPIC_SLUGS
from tests.catalogue.conftest import DEMO_CATALOGUE, FIXTURE_CATALOGUE, dump

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("path", [FIXTURE_CATALOGUE, DEMO_CATALOGUE], ids=["fixture", "demo"])
def test_a_catalogue_directory_imports_and_a_second_import_changes_nothing(
    engine: Engine, path: Path
) -> None:
    plan = import_path(engine, path)
    assert plan.added and not plan.changed and not plan.retired
    before = dump(engine)

    again = import_path(engine, path)

    assert again.empty
    assert dump(engine) == before


def test_the_demo_catalogue_covers_every_topic_in_rostock(engine: Engine) -> None:
    import_path(engine, DEMO_CATALOGUE)
    with Session(engine) as session:
        empty = [
            topic
            for topic in TOPIC_SLUGS
            if not queries.services_for(session, "rostock", topic, "de", today=TODAY)
        ]
        regions = {region.slug for region in queries.regions(session)}
    assert empty == []
    assert {"rostock", "koblenz", "bremerhaven", "hersfeld-rotenburg"} <= regions


def test_imported_services_appear_with_their_facts(loaded: Engine) -> None:
    with Session(loaded) as session:
        view = queries.service_view(session, "testburg-mbe-awo", "en", today=TODAY)
        course = queries.course_view(session, "testburg-ik-beispiel", "de")
    assert view is not None and course is not None
    assert view.title == "Migration counselling for adults (MBE)"
    assert view.provider_name == "AWO Testburg gGmbH"
    assert view.min_age == 27
    assert view.address.has_coordinates
    assert view.opening_hours == {
        "by_appointment": False,
        "mon": ["09:00-12:00", "13:00-16:00"],
        "tue": "closed",
        "thu": ["09:00-12:00"],
    }
    assert view.opening_hours_note == "Appointments by arrangement."
    assert course.example and course.source == "example"
    assert course.weekdays == ("mon", "tue", "wed", "thu")
    assert (course.session_start.isoformat(), course.session_end.isoformat()) == (
        "08:30:00",
        "12:45:00",
    )


def test_dry_run_shows_the_plan_and_writes_nothing(engine: Engine) -> None:
    before = dump(engine)

    plan = import_path(engine, FIXTURE_CATALOGUE, dry_run=True)

    assert {(c.kind, c.id) for c in plan.added} >= {
        ("region", "testburg"),
        ("service", "testburg-mbe-awo"),
        ("course", "testburg-ik-beispiel"),
    }
    assert dump(engine) == before


def test_yaml_export_then_import_changes_nothing(loaded: Engine, tmp_path: Path) -> None:
    with Session(loaded) as session:
        written = export_yaml(session, tmp_path / "export")
    assert sorted(p.name for p in written) == ["nordhausen.yaml", "testburg.yaml"]
    before = dump(loaded)

    plan = import_path(loaded, tmp_path / "export")

    assert plan.empty
    assert dump(loaded) == before


def test_csv_export_then_import_changes_nothing(loaded: Engine, tmp_path: Path) -> None:
    csv_file = tmp_path / "services.csv"
    with Session(loaded) as session:
        csv_file.write_text(csv_text(session), encoding="utf-8")
    before = dump(loaded)

    plan = import_path(loaded, csv_file)

    assert plan.empty
    assert dump(loaded) == before


def test_a_csv_edit_changes_only_that_service_and_keeps_what_csv_cannot_hold(
    loaded: Engine, tmp_path: Path
) -> None:
    csv_file = tmp_path / "services.csv"
    with Session(loaded) as session:
        text = csv_text(session)
    csv_file.write_text(text.replace("+49 381 000000", "+49 381 111111"), encoding="utf-8")

    plan = import_path(loaded, csv_file)

    assert [(c.kind, c.id, c.fields) for c in plan.changed] == [
        ("service", "testburg-mbe-awo", ("contact",))
    ]
    with Session(loaded) as session:
        view = queries.service_view(session, "testburg-mbe-awo", "de", today=TODAY)
        pool = queries.pool_for_region(session, "testburg", "de", today=TODAY)
    assert view is not None and view.phone == "+49 381 111111"
    assert view.opening_hours is not None and view.opening_hours["tue"] == "closed"
    assert pool is not None and pool.languages == ("ar", "fa", "ru")


def test_a_service_left_out_of_its_region_file_is_retired_with_its_courses(
    loaded: Engine, catalogue_copy: Path
) -> None:
    region_file = catalogue_copy / "testburg.yaml"
    text = region_file.read_text(encoding="utf-8")
    start = text.index("  - id: testburg-vhs")
    end = text.index("courses:")
    region_file.write_text(text[:start] + text[end:].split("courses:")[0], encoding="utf-8")
    heard: list[changes.CourseChanged] = []
    unsubscribe = changes.subscribe(heard.append)
    try:
        kept = import_path(loaded, catalogue_copy)
        plan = import_path(loaded, catalogue_copy, retire_missing=True)
    finally:
        unsubscribe()

    assert not kept.retired and {(c.kind, c.id) for c in kept.left_out} == {
        ("service", "testburg-vhs"),
        ("course", "testburg-ik-beispiel"),
    }
    assert {(c.kind, c.id) for c in plan.retired} == {
        ("service", "testburg-vhs"),
        ("course", "testburg-ik-beispiel"),
    }
    assert heard == [changes.CourseChanged("testburg-ik-beispiel", "retired")]
    with Session(loaded) as session:
        assert queries.services_for(session, "testburg", "language_course", "de", TODAY) == []
        assert queries.course_view(session, "testburg-ik-beispiel", "de") is None


def test_every_import_that_changes_something_bumps_the_revision(
    loaded: Engine, catalogue_copy: Path
) -> None:
    with Session(loaded) as session:
        first = queries.catalogue_revision(session)
    region_file = catalogue_copy / "nordhausen.yaml"
    region_file.write_text(
        region_file.read_text(encoding="utf-8").replace("[de, tr]", "[de, tr, ar]"),
        encoding="utf-8",
    )

    import_path(loaded, catalogue_copy)
    import_path(loaded, catalogue_copy)

    with Session(loaded) as session:
        assert queries.catalogue_revision(session) == first + 1
        [view] = queries.services_for(session, "nordhausen", "migration_counselling", "ar", TODAY)
    assert view.languages == ("de", "tr", "ar")
