"""`wegweiser route`, run the way an admin or a Lotse runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner, Result

from bot.cli import app
from services_catalog.db import make_engine
from services_catalog.importer import import_path
from services_catalog.queries import services_for

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "services_catalog" / "demo"
KEYS = {
    "topic",
    "confidence",
    "lang",
    "alternatives",
    "ambiguous",
    "crisis",
    "stage",
    "score",
    "services",
}


def run(*args: str, database_url: str = "sqlite://", stdin: str | None = None) -> Result:
    env = {"WEGWEISER_DATABASE_URL": database_url, "COLUMNS": "200"}
    return CliRunner().invoke(app, ["route", *args], env=env, input=stdin)


def test_a_message_as_a_table() -> None:
    result = run("Мне нужен Termin bei der Ausländerbehörde")
    assert result.exit_code == 0, result.output
    assert "residence" in result.output
    assert "language: ru" in result.output


def test_ambiguous_crisis_and_unsure_say_so() -> None:
    assert "ambiguous: asks housing or work" in run("Wohnung und Arbeit").output
    assert "crisis" in run("ich will nicht mehr leben").output
    assert "not sure" in run("what's the weather like").output


def test_json_tells_which_stage_decided_and_how_sure_it_was() -> None:
    by_lexicon = json.loads(run("--json", "Ich suche einen Kitaplatz").stdout)
    assert (by_lexicon["topic"], by_lexicon["stage"], by_lexicon["score"]) == (
        "childcare_school",
        "lexicon",
        None,
    )
    by_meaning = json.loads(run("--json", "i need house").stdout)
    assert (by_meaning["topic"], by_meaning["stage"]) == ("housing", "semantic")
    assert 0.5 < by_meaning["score"] <= 1.0


def test_a_message_as_json() -> None:
    result = run("--json", "--lang", "tr", "Almanca kursuna gitmek istiyorum")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == KEYS
    assert (data["topic"], data["lang"], data["services"]) == ("language_course", "tr", [])
    assert 0 < data["confidence"] <= 1
    assert data["alternatives"][0] == {"topic": "language_course", "confidence": data["confidence"]}


def test_a_batch_keeps_the_order_of_its_lines(tmp_path: Path) -> None:
    lines = [
        {"text": "Ich suche eine Wohnung"},
        {"text": "Kita", "lang": "ru"},
        {"text": "what's the weather like"},
        {"text": "بدي انتحر هلق"},
    ]
    batch = tmp_path / "messages.jsonl"
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    result = run("--batch", str(batch))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(row) for row in rows] == [KEYS] * 4
    assert [row["topic"] for row in rows] == ["housing", "childcare_school", None, "crisis"]
    assert [row["lang"] for row in rows] == ["de", "ru", "en", "ar"]
    assert rows[2]["alternatives"] == [] and rows[3]["crisis"] is True


def test_a_batch_from_standard_input() -> None:
    result = run("--batch", "-", stdin='{"text": "3ayez shoghl"}\n')
    assert json.loads(result.stdout)["topic"] == "work"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "Wohnung"}\nnot json\n', ":2: not a JSON object"),
        ('{"txt": "Wohnung"}\n', ':1: expected an object with a "text" string'),
        ('{"text": "Wohnung", "lang": "xx"}\n', ":1: unknown language 'xx'"),
    ],
)
def test_a_bad_batch_line_is_named_before_anything_is_routed(
    tmp_path: Path, content: str, message: str
) -> None:
    batch = tmp_path / "messages.jsonl"
    batch.write_text(content, encoding="utf-8")
    result = run("--batch", str(batch))
    assert result.exit_code == 1
    assert message in result.output
    assert "topic" not in result.output


def test_a_missing_batch_file_is_named(tmp_path: Path) -> None:
    result = run("--batch", str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 1
    assert "missing.jsonl: cannot be read" in result.output


def test_text_or_batch_but_not_both_nor_neither(tmp_path: Path) -> None:
    assert run().exit_code == 2
    assert run("Wohnung", "--batch", str(tmp_path / "x.jsonl")).exit_code == 2
    assert run("--lang", "xx", "Wohnung").exit_code == 2


def test_services_of_a_region_come_from_the_catalogue(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    import_path(engine, DEMO_CATALOGUE)
    with Session(engine) as session:
        expected = [service.id for service in services_for(session, "rostock", "work", "de")]
    engine.dispose()
    assert expected
    data = json.loads(
        run("--json", "--region", "rostock", "Arbeit", database_url=sqlite_url).output
    )
    assert (data["topic"], data["services"]) == ("work", expected)
    unsure = run("--json", "--region", "rostock", "hallo", database_url=sqlite_url)
    assert json.loads(unsure.output)["services"] == []
    table = run("--region", "rostock", "Arbeit", database_url=sqlite_url)
    assert f"services in rostock: {expected[0]}" in table.output


def test_an_unknown_region_is_refused(sqlite_url: str) -> None:
    result = run("--region", "atlantis", "Arbeit", database_url=sqlite_url)
    assert result.exit_code == 2
    assert "Unknown region 'atlantis'" in result.output


def test_without_a_catalogue_the_keyword_lists_alone_are_used_and_stderr_says_so() -> None:
    result = run("--json", "IFDM")
    assert json.loads(result.stdout)["topic"] is None
    assert "keyword lists only" in result.stderr


def test_like_the_bot_it_knows_the_catalogues_abbreviations_without_a_region(
    sqlite_url: str,
) -> None:
    engine = make_engine(sqlite_url)
    import_path(engine, DEMO_CATALOGUE)
    engine.dispose()
    # "IFDM" stands in no keyword list: only the demo catalogue's title "(IFDM)" defines it.
    result = run("--json", "IFDM", database_url=sqlite_url)
    assert json.loads(result.stdout)["topic"] == "work"
    assert result.stderr == ""
