"""The council report for a known set of conversations, with small counts hidden everywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.app import Wegweiser
from bot.cli import app as cli
from bot.clock import FakeClock
from bot.core.messages import Incoming, Kind
from bot.feedback.models import EntryReport
from bot.lotsen.payload import build_payload
from bot.monitoring.render import render
from bot.monitoring.report import Report, build_report
from services_catalog.db import session_scope
from tests.monitoring.conversations import NOW, bot_with_catalogue, referral_code

FIRST, LAST = date(2026, 11, 30), date(2026, 12, 13)  # ISO weeks 49 and 50
SERVICE_TITLE = "Migrationsberatung Rostock"


async def converse(app: Wegweiser, user: str, payload: str, *texts: str) -> None:
    base = {"platform": "test", "chat_id": user, "user_id": user}
    await app.conversation.handle(Incoming(**base, kind=Kind.START, payload=payload))
    for text in texts:
        await app.conversation.handle(Incoming(**base, kind=Kind.TEXT, text=text))


@pytest.fixture
async def counted(engine: Engine, tmp_path: Path) -> Engine:
    """Week 49: 7 + 3 people; week 50: 6 + 1 people, through two Lotsen links.

    Link A (German, Rostock): each person asks for migration counselling and sees its card.
    Link B (Arabic, Rostock, housing): Rostock has no housing service, an unmet need.
    """
    clock = FakeClock(NOW)
    app = bot_with_catalogue(engine, clock, tmp_path)
    a = build_payload(referral_code=referral_code(engine, "Café A", lang="de", region="rostock"))
    b = build_payload(
        referral_code=referral_code(
            engine, "Unterkunft B", lang="ar", region="rostock", topic="housing"
        )
    )
    for week, (people_a, people_b) in enumerate(((7, 3), (6, 1))):
        for person in range(people_a):
            await converse(app, f"a{week}-{person}", a, "Migrationsberatung")
        for person in range(people_b):
            await converse(app, f"b{week}-{person}", b)
        clock.advance(timedelta(days=7))
    return engine


def report(engine: Engine, **options: object) -> Report:
    with session_scope(engine) as session:
        return build_report(session, FIRST, LAST, date(2026, 12, 14), **options)  # type: ignore[arg-type]


def table(report: Report, name: str) -> dict[str, tuple[str, ...]]:
    found = next(table for table in report.tables if table.name == name)
    rows = [*found.rows, *([found.total] if found.total else [])]
    return {row.label: row.cells for row in rows}


async def test_report_counts_and_hides_small_numbers(counted: Engine) -> None:
    data = report(counted)
    assert dict(data.summary) == {
        "Begonnene Gespräche": "17",
        "Fragen": "17",
        "Fragen ohne Angebot in der Region": "<5",
        "Angezeigte Angebotskarten": "13",
        "Abonnierte Erinnerungen": "0",
        "Gesendete Erinnerungen": "0",
        "Anfragen nach Sprachmittlung": "0",
    }
    # 13 German questions on migration counselling, 4 Arabic ones on housing. The 4 are hidden,
    # and so is one larger count in each sum, or 17 − 13 would give them away.
    assert table(data, "demand") == {
        "Migrationsberatung": ("≥5", "0", "≥5"),
        "Wohnen": ("0", "<5", "<5"),
        "Summe": ("≥5", "<5", "17"),
    }
    assert table(data, "unmet") == {"Wohnen": ("<5", "<5"), "Summe": ("<5", "<5")}
    reach = table(data, "reach")
    assert reach[next(label for label in reach if "Café A" in label)] == ("≥5",)
    assert reach[next(label for label in reach if "Unterkunft B" in label)] == ("<5",)
    assert reach["Ohne Lotsen-Link"] == ("0",)
    assert reach["Summe"] == ("17",)
    assert table(data, "services") == {
        SERVICE_TITLE: ("13", "0", "0"),
        "Summe": ("13", "0", "0"),
    }
    weeks = table(data, "weeks")
    assert list(weeks.values()) == [("10", "10", "<5"), ("7", "7", "<5"), ("17", "17", "<5")]
    assert next(iter(weeks)).startswith("KW 49")


async def test_markdown_csv_and_html_show_the_same_hidden_counts(counted: Engine) -> None:
    data = report(counted, lang="en")
    markdown = render(data, "md")
    assert "| Housing | 0 | <5 | <5 |" in markdown
    assert "| **Total** | **≥5** | **<5** | **17** |" in markdown
    assert "| 4 |" not in markdown and "| 13 | 0 | 13 |" not in markdown

    rows = list(csv.DictReader(io.StringIO(render(data, "csv"))))
    housing = {
        row["Column"]: row["Value"]
        for row in rows
        if row["Section"] == "Questions per topic and language" and row["Row"] == "Housing"
    }
    assert housing == {"German": "0", "Arabic": "<5", "Total": "<5"}
    assert not any(row["Value"] in {"1", "2", "3", "4"} for row in rows)

    html = render(data, "html")
    assert html.count("<svg") == 5  # one chart per table, drawn inline
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "<td>&lt;5</td>" in html and "<td>≥5</td>" in html
    assert 'fill="url(#hidden-demand)"' in html  # hidden counts are stubs, not true lengths


async def test_region_filter_and_entries_to_check(counted: Engine) -> None:
    data = report(counted, region="rostock", stale_days=10, lang="en")
    assert dict(data.summary)["Conversations started"] == "17"
    [entry] = data.entries_to_check
    assert (entry.id, entry.region) == ("rostock-migrationsberatung", "Rostock")
    assert entry.title == "Migration counselling Rostock"  # the report's language
    assert entry.reason == "last verified on November 1, 2026"
    markdown = render(data, "md")
    assert "## Entries to check" in markdown and "rostock-migrationsberatung" in markdown
    assert "· Region: Rostock" in markdown
    assert "1 catalogue entry was reported as wrong, has not been checked" in markdown

    elsewhere = report(counted, region="koblenz")
    assert dict(elsewhere.summary)["Fragen"] == "0"
    assert elsewhere.entries_to_check == ()


def test_an_empty_period_says_so(engine: Engine) -> None:
    markdown = render(report(engine, lang="en"), "md")
    assert "Nothing was counted in this period." in markdown
    assert "All catalogue entries are up to date." in markdown


async def test_report_command(
    counted: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEGWEISER_DATABASE_URL", database_url)
    runner = CliRunner()
    out = tmp_path / "bericht.html"
    result = runner.invoke(
        cli,
        [
            "report",
            "--from",
            "2026-11-30",
            "--to",
            "2026-12-13",
            "--format",
            "html",
            "--out",
            str(out),
            "--region",
            "rostock",
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Wegweiser: Monitoring-Bericht" in html and "Fragen nach Thema und Sprache" in html

    shown = runner.invoke(cli, ["report", "--from", "2026-11-30", "--to", "2026-12-13"])
    assert shown.exit_code == 0 and "| Wohnen | 0 | <5 | <5 |" in shown.output

    for args, hint in (
        (["--format", "pdf"], "--format"),
        (["--region", "atlantis"], "atlantis"),
        (["--lang", "xx"], "--lang"),
    ):
        bad = runner.invoke(cli, ["report", "--from", "2026-11-30", "--to", "2026-12-13", *args])
        assert bad.exit_code == 2 and hint in bad.output
    backwards = runner.invoke(cli, ["report", "--from", "2026-12-13", "--to", "2026-11-30"])
    assert backwards.exit_code == 2 and "ends before it starts" in backwards.output


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
async def test_every_word_of_the_report_is_in_its_language(counted: Engine, fmt: str) -> None:
    """Dates by Babel, region and topic names, plurals and the reports of users, in German."""
    with session_scope(counted) as session:
        session.add(EntryReport(entry_id="rostock-migrationsberatung", reason="phone", day=LAST))
        session.add(EntryReport(entry_id="rostock-migrationsberatung", reason="phone", day=LAST))
        session.add(
            EntryReport(entry_id="rostock-migrationsberatung", reason="moved", day=LAST, note="x")
        )
    text = render(report(counted, stale_days=10), fmt)
    if fmt == "html":
        text = re.sub(r"<[^>]*>", " ", text)  # what a reader sees, without the markup
    assert "zuletzt geprüft am 1. November 2026" in text
    assert (
        "3 Meldungen von Nutzenden: Die Telefonnummer stimmt nicht (2) und Es ist umgezogen (1)"
        in text
    )
    assert "Wohnen" in text and "housing" not in text
    for english in ("last verified", "never verified", "entries to check", "report", "section"):
        assert english not in text.casefold(), english
    assert "2026-11-01" not in text
    if fmt == "csv":
        assert text.startswith("Abschnitt,Zeile,Spalte,Wert\n")
    else:
        assert "1 Katalogeintrag wurde als fehlerhaft gemeldet" in text
    # Notes people typed never go into a published report.
    assert "x" not in {cell.strip() for cell in text.replace("|", ",").split(",")}


async def test_the_entries_heading_counts_in_each_language(counted: Engine) -> None:
    with session_scope(counted) as session:
        session.add(EntryReport(entry_id="rostock-migrationsberatung", reason="closed", day=LAST))
    for lang, expected in (
        ("en", "1 report from users: It has closed (1)"),
        ("ru", "1 сообщение от пользователей: Закрылись (1)"),
        ("pl", "1 zgłoszenie od użytkowników: Zostało zamknięte (1)"),
    ):
        [entry] = report(counted, lang=lang).entries_to_check
        assert entry.reason == expected
