"""The admin commands as an integration office uses them: check-links, stale with the reports
of users first, verify clearing them, and the digest as escaped Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.feedback.models import EntryReport
from tests.admin.conftest import WebServer

FAST = ["--per-host-interval", "0", "--timeout", "2"]
Run = Callable[..., Result]


@pytest.fixture
def run(database_url: str, tmp_path: Path, catalogue_engine: Engine) -> Run:
    """``wegweiser`` on the test catalogue, with its own data folder for the last link check."""
    env = {
        "WEGWEISER_DATABASE_URL": database_url,
        "WEGWEISER_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "250",
    }

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, list(args), env=env)

    return invoke


def add_reports(engine: Engine) -> None:
    with Session(engine) as session:
        today = date.today()
        session.add(EntryReport(entry_id="rostock-good", reason="moved", day=today))
        session.add(
            EntryReport(
                entry_id="rostock-good", reason="phone", day=today, note="Neu: [b]0381 99[/b] *"
            )
        )
        session.commit()


def test_check_links_shows_a_table_and_fails_when_a_link_is_broken(
    run: Run, web_server: WebServer, tmp_path: Path
) -> None:
    result = run("catalogue", "check-links", *FAST)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    broken = next(line for line in lines if "/missing" in line)
    assert "broken" in broken and "404" in broken and "rostock-broken (website)" in broken
    moved = next(line for line in lines if "/moved" in line)
    assert "redirected" in moved and web_server.url("/good") in moved
    assert "3 links checked, 1 broken." in result.output
    assert (tmp_path / "data" / "linkcheck.json").exists()


def test_check_links_json_for_automation(run: Run, web_server: WebServer) -> None:
    result = run("catalogue", "check-links", "--json", *FAST)
    assert result.exit_code == 1
    data = json.loads(result.output)
    verdicts = {item["url"].removeprefix(web_server.base): item for item in data["results"]}
    assert {path: item["verdict"] for path, item in verdicts.items()} == {
        "/good": "ok",
        "/moved": "redirected",
        "/missing": "broken",
    }
    assert verdicts["/missing"]["status"] == 404
    assert {(use["id"], use["field"]) for use in verdicts["/good"]["used_by"]} == {
        ("rostock-good", "website"),
        ("rostock-broken", "appointment_url"),
        ("admin-test-provider", "website"),
    }


def test_stale_lists_reported_entries_first_with_their_notes(
    run: Run, catalogue_engine: Engine
) -> None:
    add_reports(catalogue_engine)
    result = run("catalogue", "stale", "--lang", "de")
    assert result.exit_code == 0, result.output
    output = result.output
    assert output.index("rostock-good") < output.index("rostock-broken")
    assert "2 Meldungen von Nutzenden: Es ist umgezogen (1) und Die Telefonnummer" in output
    assert "Die Telefonnummer stimmt nicht: “Neu: [b]0381 99[/b] *”" in output  # as written
    assert "Wohnberatung *Nord* [alt]" in output  # escaped, not read as markup
    assert "2 entries to check." in output


def test_verify_clears_the_reports_of_an_entry(run: Run, catalogue_engine: Engine) -> None:
    add_reports(catalogue_engine)
    result = run("catalogue", "verify", "rostock-good")
    assert result.exit_code == 0, result.output
    assert "Cleared 2 user reports." in result.output
    with Session(catalogue_engine) as session:
        assert session.exec(select(EntryReport)).all() == []
    assert "rostock-good" not in run("catalogue", "stale").output
    assert "1 entry to check." in run("catalogue", "stale").output


def test_the_digest_is_escaped_markdown_of_what_needs_attention(
    run: Run, catalogue_engine: Engine, web_server: WebServer
) -> None:
    add_reports(catalogue_engine)
    before = run("catalogue", "digest")
    assert before.exit_code == 0, before.output
    assert "No link check yet" in before.output

    run("catalogue", "check-links", *FAST)
    digest = run("catalogue", "digest").output
    assert "## Reported as wrong by users (1)" in digest
    assert "- **Gute Beratung** (service `rostock-good`, rostock): 2 reports from users" in digest
    assert "“Neu: \\[b\\]0381 99\\[/b\\] \\*”" in digest
    assert "## Not checked for a long time (1)" in digest
    assert "**Wohnberatung \\*Nord\\* \\[alt\\]**" in digest
    assert "last verified on January 10, 2025" in digest
    assert "## Funding or offer ending (1)" in digest and "ends on December 20, 2026" in digest
    assert "## Broken links (checked " in digest
    assert "/missing: HTTP 404 (service rostock-broken website)" in digest
    assert "## Translations to do" in digest and "missing" in digest

    fresh = run("catalogue", "digest", "--check-links", *FAST)
    assert fresh.exit_code == 0 and "/missing: HTTP 404" in fresh.output


def test_stale_refuses_a_language_it_does_not_speak(run: Run) -> None:
    result = run("catalogue", "stale", "--lang", "xx")
    assert result.exit_code == 1
    assert "'xx' is not a launch language; choose one of de, en, ar" in result.output


def test_a_digest_without_anything_to_do_says_so(run: Run, catalogue_engine: Engine) -> None:
    for entry in ("rostock-good", "rostock-broken"):
        run("catalogue", "verify", entry)
    digest = run("catalogue", "digest", "--ending-within", "0").output
    assert "No reports." in digest and "Every entry was checked recently." in digest
    assert "No offer ends soon." in digest
