"""Importing a region from a loopback Integreat instance with the admin's command, on SQLite and
PostgreSQL: what arrives, what is left out and why, and what a second import changes."""

from __future__ import annotations

import copy
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from bot.cli import app
from services_catalog.snapshot import read_stored
from tests.catalogue.conftest import dump
from tests.integreat import region
from tests.integreat.server import IntegreatServer

SLUG = region.REGION


def _import(run, server: IntegreatServer, *extra: str):  # type: ignore[no-untyped-def]
    return run(
        "catalogue", "import", "--from", "integreat", "--region", SLUG,
        "--base-url", server.url, *extra,
    )  # fmt: skip


def test_without_a_mapping_the_categories_are_listed_and_nothing_is_written(
    run, integreat: IntegreatServer, engine: Engine
) -> None:
    before = dump(engine)

    result = _import(run, integreat)

    assert result.exit_code == 0, result.output
    for category in ("Migrationsberatung", "Sprachkurse", "Gesundheit", "Freizeit"):
        assert category in result.output
    assert "Nothing was imported" in result.output and "--mapping FILE" in result.output
    assert dump(engine) == before


def test_an_import_carries_over_what_integreat_says(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    result = _import(run, integreat, "--mapping", str(mapping_file))

    assert result.exit_code == 0, result.output
    assert "4 were added" not in result.output and "6 were added" in result.output
    assert (
        "Stadtbibliothek" in result.output and "'Freizeit' is not in the mapping" in result.output
    )
    assert "Stadtfest" in result.output and "it happens once" in result.output
    with Session(engine) as session:
        catalogue = read_stored(session).catalogue
    assert catalogue.regions[SLUG].name == "Stadt Testhausen"
    mbe = catalogue.services[f"{SLUG}-poi-101"]
    assert mbe.topics == ["migration_counselling"]
    assert mbe.external_id == f"integreat:{SLUG}/101"
    assert mbe.source == f"integreat:{SLUG}/101, {region.BASE}/{SLUG}/de/locations/poi-101/"
    hours = mbe.opening_hours
    assert hours is not None
    assert hours.mon == ["09:00-12:00", "13:00-16:00"]
    assert hours.tue == "closed" and hours.sat == "closed" and hours.sun == "closed"
    assert hours.wed == ["00:00-23:59"]  # "all day"
    assert hours.by_appointment is True  # Thursday is appointment only
    assert mbe.appointment_needed is None  # the other days are not
    assert mbe.appointment_url == "https://caritas-testhausen.example/termin"
    assert mbe.barrier_free is True and mbe.temporarily_closed is False
    assert (mbe.address.latitude, mbe.address.longitude) == (52.52, 13.40)
    assert mbe.contact.phone == "+49 30 1234567"
    assert mbe.description is not None
    assert mbe.description["de"].text == (
        "Beratung für Zugewanderte ab 27 Jahren & ihre Familien.\nKostenlos."
    )
    assert mbe.title["ar"].text == "استشارة الهجرة للبالغين (كاريتاس)"
    assert mbe.title["ar"].status == "current"
    assert mbe.title["uk"].status == "outdated"  # older than the German text
    assert mbe.provider == f"{SLUG}-caritas-testhausen"
    assert catalogue.providers[mbe.provider].name == "Caritasverband Testhausen e. V."

    cafe = catalogue.services[f"{SLUG}-poi-102"]
    assert cafe.address.latitude is None and cafe.address.longitude is None
    assert cafe.opening_hours is None
    assert cafe.contact.phone == "+49 30 7654321"  # from its contact, without the name
    assert "Erika" not in str(cafe.model_dump())
    assert cafe.title["en"].status == "machine"
    assert "ar" not in cafe.title  # Integreat showed the German title there: no translation
    assert cafe.description is not None and cafe.description["ar"].text == "مقهى اللغة."

    closed = catalogue.services[f"{SLUG}-poi-103"]
    assert closed.topics == ["psychosocial"]  # by POI id, its category is not mapped
    assert closed.temporarily_closed is True and closed.barrier_free is False
    assert f"{SLUG}-poi-104" not in catalogue.services

    course = catalogue.courses[f"{SLUG}-event-501"]
    assert course.service == cafe.id and course.kind.value == "language_cafe"
    assert course.sessions is not None and course.sessions.weekdays == ["tue"]
    assert (course.sessions.start.isoformat(), course.sessions.end.isoformat()) == (
        "16:00:00",
        "18:00:00",
    )
    assert (course.start_date.isoformat(), course.end_date.isoformat()) == (  # type: ignore[union-attr]
        "2027-01-05",
        "2027-06-30",
    )
    assert course.external_id == f"integreat:{SLUG}/event/501"
    assert f"{SLUG}-event-502" not in catalogue.courses
    langs = {lang for service in catalogue.services.values() for lang in service.title}
    assert langs <= {"de", "en", "ar", "uk"}  # "de-si" is no launch language


def test_only_the_languages_asked_for_are_imported(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    result = _import(run, integreat, "--mapping", str(mapping_file), "--languages", "de,en")

    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        titles = read_stored(session).catalogue.services[f"{SLUG}-poi-101"].title
    assert set(titles) == {"de", "en"}
    assert not any("/ar/" in path or "/uk/" in path for path in integreat.requests)

    wrong = _import(run, integreat, "--mapping", str(mapping_file), "--languages", "de,fa")
    assert wrong.exit_code == 1
    assert "--languages: fa: not offered by the region (it has de, en, ar, uk, de-si)" in (
        wrong.output
    )


def test_import_export_import_changes_nothing(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine, tmp_path: Path
) -> None:
    assert _import(run, integreat, "--mapping", str(mapping_file)).exit_code == 0
    exported = run("catalogue", "export", "--out", str(tmp_path / "export"))
    assert exported.exit_code == 0, exported.output
    before = dump(engine)

    from_files = run("catalogue", "import", str(tmp_path / "export"))
    again = _import(run, integreat, "--mapping", str(mapping_file))

    assert "No changes" in from_files.output, from_files.output
    assert "No changes" in again.output, again.output
    assert dump(engine) == before
    text = (tmp_path / "export" / f"{SLUG}.yaml").read_text(encoding="utf-8")
    assert f"external_id: integreat:{SLUG}/101" in text
    assert "appointment_url: https://caritas-testhausen.example/termin" in text


def test_a_saved_dump_imports_like_the_instance(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine, tmp_path: Path
) -> None:
    saved = _import(
        run, integreat, "--mapping", str(mapping_file), "--save-dump", str(tmp_path / "d")
    )
    assert saved.exit_code == 0, saved.output
    assert (tmp_path / "d" / SLUG / "ar" / "locations.json").is_file()
    before = dump(engine)

    offline = run(
        "catalogue", "import", "--from", "integreat-dump", str(tmp_path / "d"),
        "--mapping", str(mapping_file),
    )  # fmt: skip

    assert offline.exit_code == 0, offline.output
    assert "No changes" in offline.output
    assert dump(engine) == before


def test_a_dry_run_shows_the_plan_and_writes_nothing(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    before = dump(engine)

    result = _import(run, integreat, "--mapping", str(mapping_file), "--dry-run")

    assert result.exit_code == 0, result.output
    assert "6 would be added" in result.output and "Dry run: nothing was written." in result.output
    assert dump(engine) == before


def test_a_second_import_updates_exactly_what_changed_and_retires_only_when_asked(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    assert _import(run, integreat, "--mapping", str(mapping_file)).exit_code == 0
    answers = integreat.answers
    for lang in ("de", "en", "ar", "uk"):
        for item in answers[f"api/v3/{SLUG}/{lang}/locations/"]:
            if item["location"]["id"] == 101:
                item["phone_number"] = "+49 30 9999999"
        answers[f"api/v3/{SLUG}/{lang}/locations/"] = [
            item
            for item in answers[f"api/v3/{SLUG}/{lang}/locations/"]
            if item["location"]["id"] != 102
        ]
    german = answers[f"api/v3/{SLUG}/de/locations/"]
    next(item for item in german if item["location"]["id"] == 103)["title"] = "PSB Testhausen"

    kept = _import(run, integreat, "--mapping", str(mapping_file))

    assert kept.exit_code == 0, kept.output
    assert "0 were added, 2 changed, 0 retired" in kept.output
    assert f"service {SLUG}-poi-102" in kept.output and "--retire-missing" in kept.output
    with Session(engine) as session:
        catalogue = read_stored(session).catalogue
    assert catalogue.services[f"{SLUG}-poi-101"].contact.phone == "+49 30 9999999"
    psb = catalogue.services[f"{SLUG}-poi-103"]
    assert psb.title["de"].text == "PSB Testhausen"
    assert psb.title["en"].status == "outdated"  # its German source changed
    assert f"{SLUG}-poi-102" in catalogue.services

    retired = _import(run, integreat, "--mapping", str(mapping_file), "--retire-missing")

    assert retired.exit_code == 0, retired.output
    assert "0 were added, 0 changed, 2 retired" in retired.output
    with Session(engine) as session:
        stored = read_stored(session)
    assert f"{SLUG}-poi-102" in stored.retired_services
    assert f"{SLUG}-event-501" in stored.retired_courses


def test_local_edits_are_kept_and_a_clash_is_reported(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    assert _import(run, integreat, "--mapping", str(mapping_file)).exit_code == 0
    service = f"{SLUG}-poi-101"
    edited = run(
        "catalogue", "edit", "service", service, "--set", "contact.phone=+49 30 1111111",
        "--set", "barrier_free=false", "--set", "verified=2026-12-01", "--yes",
    )  # fmt: skip
    assert edited.exit_code == 0, edited.output
    for lang in ("de", "en", "ar", "uk"):
        for item in integreat.answers[f"api/v3/{SLUG}/{lang}/locations/"]:
            if item["location"]["id"] == 101:
                item["phone_number"] = "+49 30 2222222"
                item["appointment_url"] = "https://caritas-testhausen.example/neu"

    result = _import(run, integreat, "--mapping", str(mapping_file))

    assert result.exit_code == 0, result.output
    assert "Conflicts" in result.output
    conflict_lines = [line for line in result.output.splitlines() if service in line]
    assert any("contact" in line and "+49 30 1111111" in line for line in conflict_lines)
    assert any("+49 30 2222222" in line for line in conflict_lines)
    with Session(engine) as session:
        mbe = read_stored(session).catalogue.services[service]
    assert mbe.contact.phone == "+49 30 1111111"  # the local edit stays
    assert mbe.barrier_free is False  # changed here only: kept, no conflict
    assert mbe.verified is not None and mbe.verified.isoformat() == "2026-12-01"
    assert mbe.appointment_url == "https://caritas-testhausen.example/neu"  # changed there only
    assert "barrier_free" not in result.output


def test_a_mapping_with_an_unknown_topic_names_file_entry_and_field(
    run, integreat: IntegreatServer, tmp_path: Path, engine: Engine
) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("categories:\n  Sprachkurse: [deutschkurs]\n", encoding="utf-8")
    before = dump(engine)

    result = _import(run, integreat, "--mapping", str(mapping))

    assert result.exit_code == 1
    assert "mapping.yaml: mapping: categories.Sprachkurse[0]: unknown topic 'deutschkurs'" in (
        result.output
    )
    assert "nothing was written" in result.output
    assert dump(engine) == before
    assert integreat.requests == []  # the mapping is checked before anything is read


def test_a_location_wegweiser_cannot_read_is_listed_and_the_rest_imported(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    for lang in ("de", "en", "ar", "uk"):
        for item in integreat.answers[f"api/v3/{SLUG}/{lang}/locations/"]:
            if item["location"]["id"] == 101:
                item["opening_hours"][4]["timeSlots"] = [{"start": "10:00", "end": "10:00"}]

    result = _import(run, integreat, "--mapping", str(mapping_file))

    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "opening_hours.fri: '10:00-10:00' ends before it starts" in text
    with Session(engine) as session:
        services = read_stored(session).catalogue.services
    assert f"{SLUG}-poi-101" not in services and f"{SLUG}-poi-102" in services


def test_languages_without_a_two_letter_code_are_refused(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    before = dump(engine)

    result = _import(run, integreat, "--mapping", str(mapping_file), "--languages", "de,de-si")

    assert result.exit_code == 1
    assert "--languages: de-si: Wegweiser keeps languages as two-letter codes" in result.output
    assert dump(engine) == before


def test_what_a_person_retired_stays_retired_and_what_integreat_brings_back_returns(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    assert _import(run, integreat, "--mapping", str(mapping_file)).exit_code == 0
    retired = run("catalogue", "retire", "service", f"{SLUG}-poi-102", "--yes")
    assert retired.exit_code == 0, retired.output

    again = _import(run, integreat, "--mapping", str(mapping_file))

    assert "No changes" in again.output, again.output
    assert "not brought back" in again.output and f"service {SLUG}-poi-102" in again.output
    assert f"course {SLUG}-event-501" in again.output

    locations = f"api/v3/{SLUG}/de/locations/"
    original = integreat.answers[locations]
    integreat.answers[locations] = [i for i in original if i["location"]["id"] != 103]
    dropped = _import(run, integreat, "--mapping", str(mapping_file), "--retire-missing")
    assert "0 were added, 0 changed, 1 retired" in dropped.output, dropped.output
    integreat.answers[locations] = original

    back = _import(run, integreat, "--mapping", str(mapping_file))

    assert "1 were added" in back.output, back.output
    with Session(engine) as session:
        stored = read_stored(session)
    assert f"{SLUG}-poi-103" in stored.catalogue.services
    assert f"{SLUG}-poi-102" in stored.retired_services


def test_the_instance_can_come_from_the_environment(
    integreat: IntegreatServer, database_url: str
) -> None:
    env = {"WEGWEISER_DATABASE_URL": database_url, "WEGWEISER_INTEGREAT_URL": integreat.url}

    result = CliRunner().invoke(
        app, ["catalogue", "import", "--from", "integreat", "--region", SLUG], env=env
    )

    assert result.exit_code == 0, result.output
    assert "Migrationsberatung" in result.output
    assert f"api/v3/regions/{SLUG}/" in integreat.requests


def test_an_instance_listing_every_date_of_a_recurring_event_gives_one_course(
    run, integreat: IntegreatServer, mapping_file: Path, engine: Engine
) -> None:
    for lang in ("de", "en"):
        events = integreat.answers[f"api/v3/{SLUG}/{lang}/events/?combine_recurring=True"]
        weekly = next(item for item in events if item["event"]["id"] == 501)
        later = copy.deepcopy(weekly)
        later["event"]["start"] = "2027-01-12T16:00:00+01:00"
        later["event"]["end"] = "2027-01-12T18:00:00+01:00"
        events.insert(0, later)

    result = _import(run, integreat, "--mapping", str(mapping_file))

    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        courses = read_stored(session).catalogue.courses
    assert list(courses) == [f"{SLUG}-event-501"]
    assert courses[f"{SLUG}-event-501"].start_date.isoformat() == "2027-01-05"  # type: ignore[union-attr]
