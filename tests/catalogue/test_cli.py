"""The admin command line, run the way an admin runs it, against SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from bot.cli import app, main
from services_catalog import queries
from services_catalog.db import make_engine
from services_catalog.snapshot import read_stored
from tests.catalogue.conftest import FIXTURE_CATALOGUE, dump


@pytest.fixture
def run(database_url: str):  # type: ignore[no-untyped-def]
    """Run ``wegweiser …`` against the test database; returns the result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(
            app,
            list(args),
            env={"WEGWEISER_DATABASE_URL": database_url, "COLUMNS": "200"},
            input=input,
        )

    return invoke


@pytest.fixture
def imported(run, engine: Engine):  # type: ignore[no-untyped-def]
    result = run("catalogue", "import", str(FIXTURE_CATALOGUE))
    assert result.exit_code == 0, result.output
    return run


@pytest.mark.parametrize(
    "command",
    [
        ["catalogue", "list"],
        ["catalogue", "import", str(FIXTURE_CATALOGUE)],
        ["catalogue", "export", "--format", "csv"],
        ["catalogue", "stale"],
        ["translations", "status"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_an_unmigrated_database_is_refused_with_the_command_to_run(
    empty_database_url: str, command: list[str]
) -> None:
    result = CliRunner().invoke(app, command, env={"WEGWEISER_DATABASE_URL": empty_database_url})

    assert result.exit_code != 0
    assert "wegweiser db upgrade" in result.output


def test_db_upgrade_migrates_and_writes_topics_idempotently(empty_database_url: str) -> None:
    env = {"WEGWEISER_DATABASE_URL": empty_database_url}
    runner = CliRunner()

    first = runner.invoke(app, ["db", "upgrade"], env=env)
    second = runner.invoke(app, ["db", "upgrade"], env=env)
    current = runner.invoke(app, ["db", "current"], env=env)

    assert first.exit_code == 0 and "Topics and their names were updated" in first.output
    assert second.exit_code == 0 and "Topics" not in second.output
    assert current.exit_code == 0 and "newest" in current.output
    engine = make_engine(empty_database_url)
    try:
        with Session(engine) as session:
            assert queries.topic_names(session, "uk")["work"] == "Робота і професійне навчання"
    finally:
        engine.dispose()
    down = runner.invoke(app, ["db", "downgrade", "base"], env=env)
    refused = runner.invoke(app, ["catalogue", "list"], env=env)
    assert down.exit_code == 0 and refused.exit_code != 0


def test_import_shows_the_plan_and_dry_run_writes_nothing(run, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    before = dump(engine)

    dry = run("catalogue", "import", str(FIXTURE_CATALOGUE), "--dry-run")

    assert dry.exit_code == 0
    assert "testburg-mbe-awo" in dry.output and "11 would be added" in dry.output
    assert "nothing was written" in dry.output
    assert dump(engine) == before

    real = run("catalogue", "import", str(FIXTURE_CATALOGUE))
    assert real.exit_code == 0 and "11 were added, 0 changed, 0 retired" in real.output


def test_a_bad_import_exits_non_zero_naming_file_record_and_field(
    imported, engine: Engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad"
    bad.mkdir()
    text = (FIXTURE_CATALOGUE / "nordhausen.yaml").read_text(encoding="utf-8")
    (bad / "nordhausen.yaml").write_text(text.replace("migration_counselling", "jobs"), "utf-8")
    before = dump(engine)

    result = imported("catalogue", "import", str(bad))
    validated = imported("catalogue", "validate", str(bad))

    for outcome in (result, validated):
        assert outcome.exit_code == 1
        assert "nordhausen.yaml: service nordhausen-mbe: topics[0]: unknown topic 'jobs'" in (
            outcome.output
        )
        assert "nothing was written" in outcome.output
    assert dump(engine) == before


def test_list_show_and_filters(imported) -> None:  # type: ignore[no-untyped-def]
    listed = imported("catalogue", "list", "--topic", "migration_counselling", "--language", "uk")
    shown = imported("catalogue", "show", "testburg-mbe-awo")
    missing = imported("catalogue", "show", "nowhere")

    assert listed.exit_code == 0
    assert "testburg-mbe-verein" in listed.output and "testburg-mbe-awo" not in listed.output
    assert "1 services" in listed.output
    assert shown.exit_code == 0
    assert "استشارة الهجرة للبالغين  [machine]" in shown.output
    assert "opening_hours.tue" in shown.output
    assert missing.exit_code == 1 and "no service or course with the id 'nowhere'" in missing.output


def test_list_names_the_known_regions_and_topics_after_a_typo(imported) -> None:  # type: ignore[no-untyped-def]
    region = imported("catalogue", "list", "--region", "testbrug")
    topic = imported("catalogue", "list", "--topic", "jobs")

    assert region.exit_code == 1
    assert "Unknown region 'testbrug'; did you mean 'testburg'?" in region.output
    assert topic.exit_code == 1
    assert "Unknown topic 'jobs'; valid: childcare_school, crisis," in topic.output


def test_an_export_to_a_missing_folder_is_a_clear_error(imported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no-such-folder" / "services.csv"
    csv_export = imported("catalogue", "export", "--format", "csv", "--out", str(target))
    po_export = imported("translations", "export", "uk", "--out", str(target.with_suffix(".po")))

    for result in (csv_export, po_export):
        assert result.exit_code == 1
        assert "Cannot write" in result.output and "No such file or directory" in result.output
        assert "Traceback" not in result.output
    assert not target.parent.exists()


def test_export_yaml_and_csv_then_validate_shows_no_changes(imported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "export"
    yaml_export = imported("catalogue", "export", "--out", str(out))
    csv_export = imported(
        "catalogue", "export", "--format", "csv", "--out", str(tmp_path / "s.csv")
    )
    no_dir = imported("catalogue", "export")

    assert yaml_export.exit_code == 0 and (out / "testburg.yaml").is_file()
    assert csv_export.exit_code == 0
    assert no_dir.exit_code == 1 and "--out" in no_dir.output
    for path in (out, tmp_path / "s.csv"):
        result = imported("catalogue", "validate", str(path))
        assert result.exit_code == 0, result.output
        assert "No changes" in result.output


def test_add_edit_and_retire_from_the_command_line(
    imported, engine: Engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    added = imported(
        "catalogue", "add", "service", "testburg-wohnen",
        "--region", "testburg", "--topic", "housing", "--title", "Wohnungsberatung",
        "--source", "test", "--set", "title.en=Housing advice", "--set", "languages=[de, en]",
        "--yes",
    )  # fmt: skip
    snippet = tmp_path / "course.yaml"
    snippet.write_text(
        "service: testburg-vhs\nkind: language_cafe\ntitle: {de: Sprachcafé}\nsource: test\n",
        encoding="utf-8",
    )
    course = imported(
        "catalogue", "add", "course", "testburg-sprachcafe", "--from-file", str(snippet), "--yes"
    )
    declined = imported(
        "catalogue",
        "edit",
        "service",
        "testburg-wohnen",
        "--set",
        "contact.phone=0381 123456",
        input="n\n",
    )
    edited = imported(
        "catalogue",
        "edit",
        "service",
        "testburg-wohnen",
        "--set",
        "title.de=Wohnberatung",
        input="y\n",
    )
    retired = imported("catalogue", "retire", "course", "testburg-sprachcafe", "--yes")

    for result in (added, course, edited, retired):
        assert result.exit_code == 0, result.output
    assert declined.exit_code == 1 and "Nothing was changed" in declined.output
    assert "title" in edited.output and "changed" in edited.output
    with Session(engine) as session:
        [view] = queries.services_for(session, "testburg", "housing", "en")
        assert view.title == "Housing advice" and view.phone is None
        assert queries.course_view(session, "testburg-sprachcafe", "de") is None
    status = imported("catalogue", "show", "testburg-wohnen")
    assert "Housing advice  [outdated]" in status.output


def test_a_bad_edit_exits_non_zero(imported) -> None:  # type: ignore[no-untyped-def]
    result = imported(
        "catalogue", "edit", "service", "testburg-jmd", "--set", "address.latitude=95", "--yes"
    )
    unknown = imported("catalogue", "retire", "service", "nowhere", "--yes")

    assert result.exit_code == 1
    assert "command line: service testburg-jmd: address.latitude:" in result.output
    assert unknown.exit_code == 1 and "does not exist" in unknown.output


def test_stale_and_verify(imported) -> None:  # type: ignore[no-untyped-def]
    stale = imported("catalogue", "stale", "--days", "1")
    verified = imported("catalogue", "verify", "testburg-jmd")
    after = imported("catalogue", "stale", "--days", "1")
    unknown = imported("catalogue", "verify", "nowhere")

    assert stale.exit_code == 0 and "testburg-jmd" in stale.output
    assert "never verified" in stale.output
    assert verified.exit_code == 0 and "testburg-jmd" in verified.output
    assert "testburg-jmd" not in after.output
    assert unknown.exit_code == 1 and "nowhere" in unknown.output


def test_translation_status_export_and_import(imported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    status = imported("translations", "status")
    csv_file = tmp_path / "tr.csv"
    exported = imported("translations", "export", "tr", "--format", "csv", "--out", str(csv_file))
    text = csv_file.read_text(encoding="utf-8")
    csv_file.write_text(
        text.replace(
            "Jugendmigrationsdienst (JMD),,missing",
            "Jugendmigrationsdienst (JMD),Gençlik göç hizmeti (JMD),missing",
        ),
        encoding="utf-8",
    )
    imported_file = imported("translations", "import", str(csv_file))
    after = imported("translations", "status")
    wrong = imported("translations", "export", "xx", "--out", str(tmp_path / "x.po"))

    assert status.exit_code == 0 and "outdated" in status.output
    assert exported.exit_code == 0
    assert (
        imported_file.exit_code == 0
        and "tr: 1 translation stored as current" in imported_file.output
    )
    catalogue_table = after.output.split("Catalogue translations")[1]
    tr_row = next(
        line for line in catalogue_table.splitlines() if line.strip("│ ").startswith("tr ")
    )
    assert tr_row.split("│")[2].strip() == "1"
    assert wrong.exit_code == 1 and "not a language" in wrong.output


def _one_line(output: str) -> str:
    """The output with the terminal's line breaks undone, for matching whole sentences."""
    return " ".join(output.split())


def test_dates_take_the_german_form_and_a_bad_one_names_the_forms(imported, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    german = imported(
        "catalogue", "edit", "service", "testburg-jmd", "--set", "valid_until=31.12.2027", "--yes"
    )
    wrong = imported(
        "catalogue", "edit", "service", "testburg-jmd", "--set", "valid_until=2027/12/31", "--yes"
    )

    assert german.exit_code == 0, german.output
    with Session(engine) as session:
        assert read_stored(session).catalogue.services["testburg-jmd"].valid_until == date(
            2027, 12, 31
        )
    assert wrong.exit_code == 1
    assert "valid_until: '2027/12/31' is not a date: write 2027-12-31 or 31.12.2027" in (
        _one_line(wrong.output)
    )


def test_a_text_in_a_language_the_catalogue_lacks_is_refused(imported, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    before = dump(engine)

    result = imported("catalogue", "edit", "service", "testburg-jmd", "--set", "title.xx=foo")

    assert result.exit_code == 1
    assert "'xx' is not a catalogue language; use one of de, en, ar, fa, uk, ru, tr, pl" in (
        _one_line(result.output)
    )
    assert dump(engine) == before


def test_unknown_fields_and_values_name_the_closest_valid_one(imported) -> None:  # type: ignore[no-untyped-def]
    field = imported("catalogue", "edit", "service", "testburg-jmd", "--set", "adress.city=X")
    topic = imported(
        "catalogue", "edit", "service", "testburg-jmd", "--set", "topics=[youth_migraton]"
    )
    provider = imported(
        "catalogue", "edit", "service", "testburg-jmd", "--set", "provider=awo-testbrug", "--yes"
    )

    assert "adress: unknown field; did you mean 'address'?" in _one_line(field.output)
    assert "did you mean 'youth_migration'?" in _one_line(topic.output)
    assert "unknown provider 'awo-testbrug'; did you mean 'awo-testburg'?" in _one_line(
        provider.output
    )
    assert {field.exit_code, topic.exit_code, provider.exit_code} == {1}


def test_a_retired_id_says_how_to_bring_it_back(imported) -> None:  # type: ignore[no-untyped-def]
    imported("catalogue", "retire", "service", "testburg-jmd", "--yes")

    again = imported(
        "catalogue", "add", "service", "testburg-jmd", "--region", "testburg",
        "--topic", "youth_migration", "--title", "JMD", "--source", "test", "--yes",
    )  # fmt: skip
    edit = imported("catalogue", "edit", "service", "testburg-jmd", "--set", "title.de=JMD")
    restored = imported("catalogue", "restore", "service", "testburg-jmd")
    listed = imported("catalogue", "list")

    assert again.exit_code == 1
    assert "belongs to a retired service" in _one_line(again.output)
    assert "wegweiser catalogue restore service testburg-jmd" in _one_line(again.output)
    assert "wegweiser catalogue restore service testburg-jmd" in _one_line(edit.output)
    assert restored.exit_code == 0 and "testburg-jmd is back" in restored.output
    assert "testburg-jmd" in listed.output


def test_an_import_keeps_cli_work_unless_asked_to_retire(imported, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    imported(
        "catalogue", "add", "service", "testburg-wohnen", "--region", "testburg",
        "--topic", "housing", "--title", "Wohnberatung", "--source", "Flyer", "--yes",
    )  # fmt: skip
    imported("catalogue", "edit", "service", "testburg-jmd", "--set", "title.de=JMD neu", "--yes")

    again = imported("catalogue", "import", str(FIXTURE_CATALOGUE))
    retiring = imported("catalogue", "import", str(FIXTURE_CATALOGUE), "--retire-missing")

    said = _one_line(again.output)
    assert again.exit_code == 0 and "0 retired" in said
    assert "changes made since with `wegweiser catalogue edit` or `add` are replaced" in said
    assert "not in the files and stay as they are: service testburg-wohnen" in said
    assert "import with --retire-missing" in said
    assert retiring.exit_code == 0 and "0 were added, 0 changed, 1 retired" in retiring.output
    with Session(engine) as session:
        stored = read_stored(session)
    assert "testburg-wohnen" in stored.retired_services
    assert (
        stored.catalogue.services["testburg-jmd"].title["de"].text == "Jugendmigrationsdienst (JMD)"
    )


def test_catalogue_list_fits_an_80_column_terminal(imported, database_url: str) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        app, ["catalogue", "list"], env={"WEGWEISER_DATABASE_URL": database_url, "COLUMNS": "80"}
    )

    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert max(len(line) for line in lines) <= 80
    for service_id in ("testburg-mbe-awo", "testburg-sprachmittler", "nordhausen-mbe"):
        assert any(line.split()[:1] == [service_id] for line in lines if line.strip())
    assert "Jugendmigrationsdienst" in result.output and "2026-01-15" in result.output
    assert "6 services." in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["catalogue", "list"],
        ["catalogue", "import", str(FIXTURE_CATALOGUE)],
        ["catalogue", "validate", str(FIXTURE_CATALOGUE)],
        ["lotse", "list"],
        ["db", "current"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_an_unreachable_database_is_two_clear_lines(command: list[str]) -> None:
    url = "postgresql://wegweiser:secret-word@127.0.0.1:9/wegweiser"

    result = CliRunner().invoke(app, command, env={"WEGWEISER_DATABASE_URL": url})

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 4, result.output
    said = _one_line(result.output)
    assert "Cannot reach the database" in said and "WEGWEISER_DATABASE_URL" in said
    assert "secret-word" not in said and "Traceback" not in said


def test_a_database_file_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    url = f"sqlite:///{blocker}/wegweiser.db"

    result = CliRunner().invoke(app, ["catalogue", "list"], env={"WEGWEISER_DATABASE_URL": url})

    assert result.exit_code == 1 and "Cannot open the database" in _one_line(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_wegweiser_command_turns_any_database_fault_into_two_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `chat` builds the whole bot before it talks; its database fault reaches the entry point.
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", "postgresql://w:secret-word@127.0.0.1:9/w")
    monkeypatch.delenv("WEGWEISER_TRACEBACK", raising=False)
    monkeypatch.setattr("sys.argv", ["wegweiser", "chat", "--lang", "de"])

    with pytest.raises(SystemExit) as exited:
        main()

    said = capsys.readouterr()
    assert exited.value.code == 1
    lines = [line for line in (said.out + said.err).splitlines() if line.strip()]
    assert lines[0].startswith("Error: Cannot reach the database") and len(lines) == 2
    assert "WEGWEISER_DATABASE_URL" in lines[1] and "secret-word" not in said.err


def test_an_import_that_lists_a_retired_service_says_it_brings_it_back(imported) -> None:  # type: ignore[no-untyped-def]
    imported("catalogue", "retire", "service", "testburg-jmd", "--yes")

    again = imported("catalogue", "import", str(FIXTURE_CATALOGUE))
    listed = imported("catalogue", "list")

    assert again.exit_code == 0
    assert any(
        "brought back" in line and "testburg-jmd" in line for line in again.output.splitlines()
    )
    assert "testburg-jmd" in listed.output
