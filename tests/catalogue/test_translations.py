"""Translation status: outdated when the German source changes, current after a person's import."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import Engine
from sqlmodel import Session, select

from services_catalog import queries
from services_catalog.editing import plan_edit
from services_catalog.importer import apply_plan, import_path
from services_catalog.languages import LANGUAGES
from services_catalog.models import CatalogueText
from services_catalog.records import InvalidCatalogue
from services_catalog.translation_files import export_csv, export_po, import_file, status_counts
from tests.catalogue.conftest import dump


def _statuses(engine: Engine, owner_id: str, field: str) -> dict[str, str]:
    with Session(engine) as session:
        rows = session.exec(
            select(CatalogueText).where(
                CatalogueText.owner_id == owner_id, CatalogueText.field == field
            )
        )
        return {row.lang: row.status for row in rows}


def _change_german_title(directory: Path) -> None:
    path = directory / "testburg.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("de: Migrationsberatung für Erwachsene (MBE)", "de: Migrationsberatung (MBE)"),
        encoding="utf-8",
    )


def test_a_changed_german_source_marks_untouched_translations_outdated(
    loaded: Engine, catalogue_copy: Path
) -> None:
    _change_german_title(catalogue_copy)

    plan = import_path(loaded, catalogue_copy)

    assert [(c.id, c.fields) for c in plan.changed] == [("testburg-mbe-awo", ("title",))]
    # The English title was a person's translation: now outdated. Arabic was machine-made: it
    # stays machine until a person checks it.
    assert _statuses(loaded, "testburg-mbe-awo", "title") == {
        "de": "source",
        "en": "outdated",
        "ar": "machine",
    }
    assert _statuses(loaded, "testburg-mbe-awo", "description")["en"] == "current"
    # The same file again is not a new edit: the translation stays outdated.
    assert import_path(loaded, catalogue_copy).empty
    assert _statuses(loaded, "testburg-mbe-awo", "title")["en"] == "outdated"


def test_an_edit_on_the_command_line_marks_translations_outdated_too(loaded: Engine) -> None:
    with Session(loaded) as session:
        plan = plan_edit(
            session,
            "service",
            "testburg-mbe-awo",
            {"cost": {"de": "kostenlos und vertraulich"}},
            "command line",
        )
        apply_plan(session, plan)
        session.commit()

    assert _statuses(loaded, "testburg-mbe-awo", "cost") == {"de": "source", "en": "outdated"}


def test_a_new_translation_in_the_file_is_current(loaded: Engine, catalogue_copy: Path) -> None:
    _change_german_title(catalogue_copy)
    path = catalogue_copy / "testburg.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "en: Migration counselling for adults (MBE)", "en: Migration counselling (MBE)"
        ),
        encoding="utf-8",
    )

    import_path(loaded, catalogue_copy)

    assert _statuses(loaded, "testburg-mbe-awo", "title")["en"] == "current"


def test_status_counts_per_language(loaded: Engine) -> None:
    with Session(loaded) as session:
        counts = status_counts(session)
    # The fixture's German texts: 7 titles, 2 costs, a description, a target-group note, an
    # opening-hours note and the pool's rules.
    assert sum(counts["en"].values()) == 13
    assert counts["en"]["current"] == 10 and counts["en"]["missing"] == 3
    assert counts["ar"]["machine"] == 1 and counts["ar"]["missing"] == 12
    assert set(counts) == set(LANGUAGES) - {"de"}  # Einfache Sprache and the later ones too


def test_po_round_trip_marks_a_languages_texts_current(loaded: Engine, tmp_path: Path) -> None:
    with Session(loaded) as session:
        exported = export_po(session, "ar")
    po_file = tmp_path / "ar.po"
    po_file.write_bytes(exported)
    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    machine = catalog.get(
        "Migrationsberatung für Erwachsene (MBE)", "service/testburg-mbe-awo/title"
    )
    assert machine is not None and machine.fuzzy
    # The translator checks the machine translation and translates one more text.
    machine.flags.discard("fuzzy")
    catalog.get("kostenlos", "service/testburg-mbe-awo/cost").string = "مجاناً"
    with po_file.open("wb") as handle:
        write_po(handle, catalog)

    with Session(loaded) as session:
        result = import_file(session, po_file)
        session.commit()

    assert (result.lang, result.current) == ("ar", 2)
    assert _statuses(loaded, "testburg-mbe-awo", "title")["ar"] == "current"
    with Session(loaded) as session:
        view = queries.service_view(session, "testburg-mbe-awo", "ar")
        counts = status_counts(session)
    assert view is not None and view.cost == "مجاناً" and "cost" not in view.fallback_fields
    assert counts["ar"]["current"] == 2 and counts["ar"]["machine"] == 0


def test_csv_round_trip_marks_texts_current(loaded: Engine, tmp_path: Path) -> None:
    with Session(loaded) as session:
        text = export_csv(session, "uk")
    csv_file = tmp_path / "uk.csv"
    csv_file.write_text(
        text.replace(
            "service/nordhausen-mbe/title,Migrationsberatung Nordhausen,,missing",
            "service/nordhausen-mbe/title,Migrationsberatung Nordhausen,"
            "Консультації для мігрантів у Нордгаузені,missing",
        ),
        encoding="utf-8",
    )

    with Session(loaded) as session:
        result = import_file(session, csv_file)
        session.commit()

    assert result.current == 1
    with Session(loaded) as session:
        [view] = queries.services_for(session, "nordhausen", "migration_counselling", "uk")
    assert view.title == "Консультації для мігрантів у Нордгаузені"
    assert view.fallback_fields == frozenset()


def test_a_translation_of_an_older_german_text_is_stored_as_outdated(
    loaded: Engine, catalogue_copy: Path, tmp_path: Path
) -> None:
    with Session(loaded) as session:
        text = export_csv(session, "en")
    _change_german_title(catalogue_copy)
    import_path(loaded, catalogue_copy)
    csv_file = tmp_path / "en.csv"
    csv_file.write_text(
        text.replace("Migration counselling for adults (MBE)", "Migration advice for adults (MBE)"),
        encoding="utf-8",
    )

    with Session(loaded) as session:
        result = import_file(session, csv_file)
        session.commit()

    assert result.outdated == 1
    assert _statuses(loaded, "testburg-mbe-awo", "title")["en"] == "outdated"


def test_a_translation_file_naming_unknown_texts_changes_nothing(
    loaded: Engine, tmp_path: Path
) -> None:
    csv_file = tmp_path / "pl.csv"
    csv_file.write_text(
        "context,source_de,translation_pl,status\n"
        "service/testburg-mbe-awo/title,Migrationsberatung für Erwachsene (MBE),Porady,missing\n"
        "service/nowhere/title,Nirgends,Nigdzie,missing\n",
        encoding="utf-8",
    )
    before = dump(loaded)

    with Session(loaded) as session:
        try:
            import_file(session, csv_file)
        except Exception as error:
            message = str(error)
        else:
            raise AssertionError("an unknown text was accepted")

    assert "pl.csv: line 3: service/nowhere/title: no such text in the catalogue" in message
    assert dump(loaded) == before


def test_readers_fall_back_to_german_and_say_so(loaded: Engine) -> None:
    with Session(loaded) as session:
        view = queries.service_view(session, "testburg-mbe-awo", "tr")
        english = queries.service_view(session, "testburg-mbe-awo", "en")
        pool = queries.pool_for_region(session, "testburg", "fa")
    assert view is not None and english is not None and pool is not None
    assert view.title == "Migrationsberatung für Erwachsene (MBE)"
    assert view.fallback_fields == {
        "title",
        "description",
        "cost",
        "target_notes",
        "opening_hours_note",
    }
    # English has all but the target-group note, which falls back to German.
    assert english.fallback_fields == {"target_notes"}
    assert english.target_notes == "Für Menschen mit Aufenthaltserlaubnis."
    assert pool.rules == "Die einladende Stelle bestellt und bezahlt."
    assert pool.fallback_fields == {"rules"}


def test_a_translation_with_nul_or_too_long_is_refused_and_nothing_changes(
    loaded: Engine, tmp_path: Path
) -> None:
    with Session(loaded) as session:
        text = export_csv(session, "uk")
    csv_file = tmp_path / "uk.csv"
    csv_file.write_text(
        text.replace(
            "service/nordhausen-mbe/title,Migrationsberatung Nordhausen,,missing",
            "service/nordhausen-mbe/title,Migrationsberatung Nordhausen,Консультації\0,missing",
        ).replace(
            "service/testburg-jmd/title,Jugendmigrationsdienst (JMD),,missing",
            "service/testburg-jmd/title,Jugendmigrationsdienst (JMD)," + "Я" * 300 + ",missing",
        ),
        encoding="utf-8",
    )
    before = dump(loaded)

    with Session(loaded) as session, pytest.raises(InvalidCatalogue) as raised:
        import_file(session, csv_file)

    message = str(raised.value)
    assert "uk.csv: line" in message
    assert "service/nordhausen-mbe/title: contains a control character" in message
    assert "service/testburg-jmd/title: is 300 characters long; at most 200" in message
    assert dump(loaded) == before
