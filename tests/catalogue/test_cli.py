"""The admin command line, run the way an admin runs it, against SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from bot.cli import app
from services_catalog import queries
from services_catalog.db import make_engine
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
    assert "Unknown region 'testbrug' (known: nordhausen, testburg)." in region.output
    assert topic.exit_code == 1
    assert "Unknown topic 'jobs' (known: migration_counselling," in topic.output


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
        "contact.phone=0381 1",
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
    tr_row = next(line for line in after.output.splitlines() if line.strip("│ ").startswith("tr "))
    assert tr_row.split("│")[2].strip() == "1"
    assert wrong.exit_code == 1 and "not a language" in wrong.output
